//! Errors of the command line: a library error (or usage error) and the file it is about.

use serde_json::{Map, Value, json};
use vouch::{Error, ErrorCode};

/// A configuration or usage error, with the file it is about.
#[derive(Debug)]
pub struct Failure {
    pub error: Error,
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
            error,
            file: None,
            path,
        }
    }

    /// An error with its own code, about a file.
    pub fn file_error(code: ErrorCode, file: &str, message: impl Into<String>) -> Failure {
        Failure::in_file(Error::new(code, "", message), file)
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            error: Error::new(ErrorCode::InputUsage, "", message),
            file: None,
            path: String::new(),
        }
    }

    pub fn in_file(error: Error, file: &str) -> Failure {
        let path = error.path().to_owned();
        Failure {
            error,
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
        // The core's error body (with the path into the file), plus `file`.
        let error = Error::new(self.error.code(), self.path.clone(), self.error.message());
        let mut body = match json!(error) {
            Value::Object(body) => body,
            _ => Map::new(),
        };
        if let Some(file) = &self.file {
            body.insert("file".into(), json!(file));
        }
        json!({ "error": body }).to_string()
    }
}
