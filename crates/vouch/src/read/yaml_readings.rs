//! YAML 1.1 versus YAML 1.2: refusing policy text the two readings read differently.

use serde::{Deserialize, Deserializer};

use crate::error::{Error, ErrorCode, join, join_index};

/// Refuses YAML policy text that YAML 1.1 readers read differently from vouch.
///
/// vouch reads YAML 1.2: `on`, `yes`, `y` are strings and `017` is seventeen. gcloud's
/// `policy import` reads policies as YAML 1.1 (ruamel.yaml), as PyYAML and go-yaml v2 do: there
/// they are booleans and an octal fifteen, `1:30` is ninety, `2026-01-01` a date and `0o17` a
/// string. So `kubernetesNamespaceAdmissionRules: {on: …}` is a rule for namespace `on` to vouch
/// but for namespace `true` once imported, and `description: yes` does not import at all.
/// Rather than evaluate another policy than the one Binary Authorization would hold, every
/// plain (unquoted, untagged) scalar, key or value, that the two readings resolve to different
/// values is refused, and so are tags outside `!!str`, `!!int`, `!!float`, `!!bool`,
/// `!!null`, `!!map`, `!!seq` (gcloud cannot import `!!binary` or `!!timestamp` values).
/// Quoting makes a scalar a string for every reader. JSON text passes unchanged. The text has
/// been read by [`document::parse`] under the input's budgets; this reads its events once more
/// (aliases are not expanded).
pub(crate) fn check_yaml_readings(text: &str) -> Result<(), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
    {
        return Ok(());
    }
    let mut parser = granit_parser::Parser::new_from_str(text);
    // Where each open collection is: a mapping waiting for a key (and the last key read), or
    // a sequence at an index.
    let mut frames: Vec<Frame> = Vec::new();
    while let Some(Ok((event, _))) = parser.next_event() {
        use granit_parser::Event;
        let is_key = matches!(frames.last(), Some(Frame::Map { key_next: true, .. }));
        let mut scalar_text = None;
        match event {
            Event::Scalar(value, style, _, tag) => {
                let path = || frame_path(&frames, is_key.then_some(value.as_ref()));
                if let Some(tag) = &tag {
                    let core = ["str", "int", "float", "bool", "null"]
                        .iter()
                        .any(|t| tag.is_yaml_core_schema_tag(t));
                    if !core {
                        return Err(ambiguous(
                            path(),
                            format!(
                                "the YAML tag `{}{}` is not read by gcloud's `policy import`: remove it",
                                tag.original_handle(),
                                tag.suffix()
                            ),
                        ));
                    }
                } else if style == granit_parser::ScalarStyle::Plain
                    && let Some(theirs) = yaml_1_1(&value)
                {
                    let ours = yaml_1_2(&value);
                    if ours.as_deref() != Some(theirs.as_str()) {
                        return Err(ambiguous(
                            path(),
                            format!(
                                "the plain YAML scalar `{value}` is {} to YAML 1.1 readers such as gcloud's `policy import`, but {} to vouch's YAML 1.2: quote it",
                                describe(&theirs),
                                ours.as_deref()
                                    .map_or_else(|| format!("the string `{value}`"), describe)
                            ),
                        ));
                    }
                } else if style == granit_parser::ScalarStyle::Plain
                    && let Some(ours) = yaml_1_2(&value)
                    && ours != value.as_ref()
                {
                    return Err(ambiguous(
                        path(),
                        format!(
                            "the plain YAML scalar `{value}` is the string `{value}` to YAML 1.1 readers such as gcloud's `policy import`, but {} to vouch's YAML 1.2: quote it",
                            describe(&ours)
                        ),
                    ));
                }
                scalar_text = Some(value.into_owned());
            }
            Event::Alias(_) => scalar_text = Some(String::new()),
            Event::MappingStart(..) => {
                frames.push(Frame::Map {
                    key_next: true,
                    key: String::new(),
                });
                continue;
            }
            Event::SequenceStart(..) => {
                frames.push(Frame::Seq { index: 0 });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                frames.pop();
            }
            Event::DocumentStart(..) => frames.clear(),
            _ => continue,
        }
        // A node is complete: advance its parent.
        match frames.last_mut() {
            Some(Frame::Map { key_next, key }) => {
                if *key_next {
                    *key = scalar_text.unwrap_or_default();
                }
                *key_next = !*key_next;
            }
            Some(Frame::Seq { index }) => *index += 1,
            None => {}
        }
    }
    Ok(())
}

enum Frame {
    Map { key_next: bool, key: String },
    Seq { index: usize },
}

/// The JSON pointer of the node being read (or of `key`, a key being read).
fn frame_path(frames: &[Frame], key: Option<&str>) -> String {
    let depth = frames.len().saturating_sub(usize::from(key.is_some()));
    let mut path = String::new();
    for frame in frames.iter().take(depth) {
        path = match frame {
            Frame::Map { key, .. } => join(&path, key),
            Frame::Seq { index } => join_index(&path, *index),
        };
    }
    match key {
        Some(k) => join(&path, k),
        None => path,
    }
}

fn ambiguous(path: String, message: String) -> Error {
    Error::new(ErrorCode::PolicyYamlAmbiguous, path, message)
}

fn describe(reading: &str) -> String {
    match reading {
        "true" | "false" => format!("the boolean {reading}"),
        "null" => "null".to_owned(),
        "timestamp" => "a timestamp".to_owned(),
        other if other.starts_with("float ") => "a floating-point or sexagesimal number".to_owned(),
        other => format!("the number {other}"),
    }
}

/// How a YAML 1.1 reader (ruamel.yaml, as gcloud runs it) resolves a plain scalar that is not
/// a string, written as Python's `json` writes it as a key: `true`, `null`, `15`, `1000.0`,
/// or `timestamp`. `None`: a string.
fn yaml_1_1(s: &str) -> Option<String> {
    const TRUE: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    ];
    const FALSE: &[&str] = &[
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    ];
    if TRUE.contains(&s) {
        return Some("true".to_owned());
    }
    if FALSE.contains(&s) {
        return Some("false".to_owned());
    }
    if matches!(s, "~" | "null" | "Null" | "NULL") {
        return Some("null".to_owned());
    }
    if is_timestamp(s) {
        return Some("timestamp".to_owned());
    }
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let digits = |t: &str, radix: u32| {
        !t.is_empty()
            && t.chars().all(|c| c == '_' || c.is_digit(radix))
            && t.chars().any(|c| c.is_digit(radix))
    };
    let int = |t: &str, radix: u32| {
        let clean: String = t.chars().filter(|&c| c != '_').collect();
        i128::from_str_radix(&clean, radix).ok()
    };
    let signed = |v: i128| Some(if negative { -v } else { v }.to_string());
    if let Some(bin) = body.strip_prefix("0b") {
        return if digits(bin, 2) {
            int(bin, 2).and_then(signed)
        } else {
            None
        };
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return if digits(hex, 16) {
            int(hex, 16).and_then(signed)
        } else {
            None
        };
    }
    if body.len() > 1 && body.starts_with('0') && digits(body, 8) {
        return int(body, 8).and_then(signed);
    }
    if digits(body, 10) && body.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return int(body, 10).and_then(signed);
    }
    // Sexagesimal `1:30` (ninety) and every float form: whatever their value, vouch never reads
    // them as the same key or value (a string, or a float without `.0`).
    let sexagesimal = body.contains(':')
        && body.split(':').all(|part| digits(part, 10))
        && body
            .as_bytes()
            .first()
            .is_some_and(|b| (b'1'..=b'9').contains(b));
    let float = {
        let mantissa_end = body.find(['e', 'E']).unwrap_or(body.len());
        let (mantissa, exponent) = body.split_at(mantissa_end);
        let exponent_ok = exponent.is_empty()
            || exponent
                .get(1..)
                .map(|e| e.strip_prefix(['-', '+']).unwrap_or(e))
                .is_some_and(|e| digits(e, 10));
        let mantissa_ok = match mantissa.split_once('.') {
            Some((whole, frac)) => {
                (whole.is_empty() || digits(whole, 10))
                    && (frac.is_empty() || frac.chars().all(|c| c == '_' || c.is_ascii_digit()))
                    && (!whole.is_empty() || !frac.is_empty())
            }
            None => !exponent.is_empty() && digits(mantissa, 10),
        };
        exponent_ok && mantissa_ok
    };
    let special = matches!(body, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN");
    (sexagesimal || float || special).then(|| format!("float {s}"))
}

/// `YYYY-MM-DD`, or with a time: YAML 1.1's timestamp.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    b.len() >= 8 && (0..4).all(digit) && b.get(4) == Some(&b'-') && {
        let rest = s.get(5..).unwrap_or_default();
        let mut parts = rest.splitn(3, '-');
        let month = parts.next().unwrap_or_default();
        let day_and_time = parts.next().unwrap_or_default();
        let day_len = day_and_time.bytes().take_while(u8::is_ascii_digit).count();
        parts.next().is_none()
            && (1..=2).contains(&month.len())
            && month.bytes().all(|c| c.is_ascii_digit())
            && (1..=2).contains(&day_len)
            && (day_and_time.len() == day_len
                || day_and_time
                    .get(day_len..)
                    .is_some_and(|t| t.starts_with(['T', 't', ' ', '\t'])))
    }
}

/// How vouch's YAML 1.2 reading (the document's options) resolves a plain scalar that is not a
/// string, written as a key (`true`, `null`, `16`, `1000`). `None`: a string. Only scalars
/// that start like a number or a keyword are read again.
fn yaml_1_2(s: &str) -> Option<String> {
    let first = s.as_bytes().first()?;
    let keyword = matches!(first, b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'.');
    // Numbers, booleans and nulls are made of these characters only (no `/`, no `:`).
    let charset = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-' | b'~'));
    if !charset || !(first.is_ascii_digit() || matches!(first, b'-' | b'+') || keyword) {
        return None;
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<Scalar>(s, options) {
        Ok(Scalar(Some(v))) => Some(v),
        _ => None,
    }
}

/// One scalar, as vouch's documents turn a non-string key into a string; `None` for a string.
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

struct ScalarVisitor;

impl serde::de::Visitor<'_> for ScalarVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a scalar")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Some("null".to_owned()))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Some("null".to_owned()))
    }
}
