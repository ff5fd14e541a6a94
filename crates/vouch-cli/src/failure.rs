//! Errors of the command line: a library error, or one of the command line's own codes, and
//! the file it is about.

use serde_json::{Map, Value, json};
use vouch::Error;

/// Error codes only the command line produces (the library's are `vouch::ErrorCode`). They
/// close `docs/errors.md` ("Command line only"), written and checked by this module's test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliCode {
    /// A command-line input file cannot be read.
    Unreadable,
    /// The command line's arguments are wrong.
    Usage,
    /// An output file already exists and would be overwritten.
    FileExists,
}

impl CliCode {
    /// Every code, in documentation order.
    #[cfg(test)]
    const ALL: &[CliCode] = &[CliCode::Unreadable, CliCode::Usage, CliCode::FileExists];

    /// The code as written in error JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            CliCode::Unreadable => "INPUT_UNREADABLE",
            CliCode::Usage => "INPUT_USAGE",
            CliCode::FileExists => "INPUT_FILE_EXISTS",
        }
    }

    /// One-line description (for `docs/errors.md`).
    #[cfg(test)]
    const fn description(self) -> &'static str {
        match self {
            CliCode::Unreadable => "A command-line input file cannot be read.",
            CliCode::Usage => "The command line's arguments are wrong.",
            CliCode::FileExists => "An output file already exists and would be overwritten.",
        }
    }
}

/// An error of the command line: the library's, or one of the command line's own codes
/// (about a whole file or the arguments: its path is `""`). Written as the library's error
/// body, `{"code", "path", "message"}`.
#[derive(Debug)]
pub enum CliError {
    /// An error of the library, with its subject.
    Core(Error),
    /// An error only the command line produces.
    Own { code: CliCode, message: String },
}

impl CliError {
    pub fn new(code: CliCode, message: impl Into<String>) -> CliError {
        CliError::Own {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CliError::Core(e) => e.code().as_str(),
            CliError::Own { code, .. } => code.as_str(),
        }
    }

    pub fn message(&self) -> &str {
        match self {
            CliError::Core(e) => e.message(),
            CliError::Own { message, .. } => message,
        }
    }

    /// The error body, `{"code", "path", "message"}`, as a JSON value.
    pub fn to_value(&self) -> Value {
        match self {
            CliError::Core(e) => json!(e),
            CliError::Own { code, message } => {
                json!({"code": code.as_str(), "path": "", "message": message})
            }
        }
    }

    /// The contract's error JSON, `{"error": {"code", "path", "message"}}` in that order, as
    /// the library's `Error::to_json` writes it.
    pub fn to_json(&self) -> String {
        match self {
            CliError::Core(e) => e.to_json(),
            CliError::Own { code, message } => format!(
                r#"{{"error":{{"code":{},"path":"","message":{}}}}}"#,
                json!(code.as_str()),
                json!(message)
            ),
        }
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> CliError {
        CliError::Core(e)
    }
}

impl std::fmt::Display for CliError {
    /// `CODE: message` or `CODE at PATH: message`, as the library's `Error` displays.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Core(e) => e.fmt(f),
            CliError::Own { code, message } => write!(f, "{}: {message}", code.as_str()),
        }
    }
}

/// A configuration or usage error, with the file it is about.
#[derive(Debug)]
pub struct Failure {
    pub error: CliError,
    /// The file the path points into, if the error is about a file.
    pub file: Option<String>,
    /// The JSON pointer inside that file (or inside the bundle, for bundle-level errors).
    pub path: String,
}

impl Failure {
    /// An error not tied to a file.
    pub fn plain(error: Error) -> Failure {
        let path = error.path().to_owned();
        Failure {
            error: error.into(),
            file: None,
            path,
        }
    }

    /// An error with one of the command line's codes, about a file.
    pub fn file_error(code: CliCode, file: &str, message: impl Into<String>) -> Failure {
        Failure {
            error: CliError::new(code, message),
            file: Some(file.to_owned()),
            path: String::new(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            error: CliError::new(CliCode::Usage, message),
            file: None,
            path: String::new(),
        }
    }

    pub fn in_file(error: Error, file: &str) -> Failure {
        let path = error.path().to_owned();
        Failure {
            error: error.into(),
            file: Some(file.to_owned()),
            path,
        }
    }

    /// `CODE at FILE#/path: message`.
    pub fn one_line(&self) -> String {
        let location = match (&self.file, self.path.is_empty()) {
            (Some(f), true) => format!(" in {f}"),
            (Some(f), false) => format!(" at {f}#{}", self.path),
            (None, true) => String::new(),
            (None, false) => format!(" at {}", self.path),
        };
        format!("{}{location}: {}", self.error.code(), self.error.message())
    }

    /// The contract's error JSON, plus `file` when the error is about a file.
    pub fn to_json(&self) -> String {
        // The error body (with the path into the file), plus `file`.
        let mut body = Map::new();
        body.insert("code".into(), json!(self.error.code()));
        body.insert("path".into(), json!(self.path));
        body.insert("message".into(), json!(self.error.message()));
        if let Some(file) = &self.file {
            body.insert("file".into(), json!(file));
        }
        json!({ "error": Value::Object(body) }).to_string()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]

    use super::*;

    /// The section of `docs/errors.md` after the library's codes (which
    /// `crates/vouch/tests/docs.rs` generates and keeps this section as written here).
    const SECTION: &str = "\n## Command line only\n";

    fn render_section() -> String {
        let mut out = format!(
            "{SECTION}\n\
             Produced only by the `vouch` command line (`crates/vouch-cli/src/failure.rs`), never by\n\
             the library or the bindings; same error JSON, with `\"file\"` when the error is about a file.\n\n\
             | code | meaning |\n|---|---|\n"
        );
        for code in CliCode::ALL {
            out.push_str(&format!(
                "| `{}` | {} |\n",
                code.as_str(),
                code.description()
            ));
        }
        out
    }

    #[test]
    fn errors_md_lists_the_command_line_codes() {
        for code in CliCode::ALL {
            assert!(
                vouch::ErrorCode::ALL
                    .iter()
                    .all(|c| c.as_str() != code.as_str()),
                "{} is also a library code",
                code.as_str()
            );
        }
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/errors.md");
        let current = std::fs::read_to_string(&path).unwrap();
        let library = current.split(SECTION).next().unwrap_or_default();
        let expected = format!("{library}{}", render_section());
        if std::env::var_os("VOUCH_BLESS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        assert!(
            std::fs::read_to_string(&path).unwrap() == expected,
            "docs/errors.md's command-line section is stale: rerun with VOUCH_BLESS=1"
        );
    }

    #[test]
    fn own_codes_serialize_as_the_library_body() {
        let e = CliError::new(CliCode::Usage, "bad `x`");
        assert_eq!(
            e.to_json(),
            r#"{"error":{"code":"INPUT_USAGE","path":"","message":"bad `x`"}}"#
        );
        assert_eq!(e.to_string(), "INPUT_USAGE: bad `x`");
    }
}
