//! Structured logs: one JSON object per line on stderr (`time`, `level`, `msg`, then fields).
//! Nothing secret is ever logged: not the TLS key, not object contents beyond kind, namespace
//! and name.

use std::io::Write as _;

use serde_json::{Map, Value};

/// Writes one log line; a log that cannot be written is dropped (the webhook keeps serving).
pub fn line(level: &str, msg: &str, fields: &[(&str, Value)]) {
    let mut object = Map::new();
    object.insert("time".into(), Value::String(now_rfc3339()));
    object.insert("level".into(), Value::String(level.to_owned()));
    object.insert("msg".into(), Value::String(msg.to_owned()));
    for (key, value) in fields {
        object.insert((*key).to_owned(), value.clone());
    }
    let mut text = Value::Object(object).to_string();
    text.push('\n');
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// An `info` line.
pub fn info(msg: &str, fields: &[(&str, Value)]) {
    line("info", msg, fields);
}

/// A `warn` line.
pub fn warn(msg: &str, fields: &[(&str, Value)]) {
    line("warn", msg, fields);
}

/// An `error` line.
pub fn error(msg: &str, fields: &[(&str, Value)]) {
    line("error", msg, fields);
}

/// The current time, for decisions and logs (the core never reads a clock; the service does).
pub fn now() -> vouch::Timestamp {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = i64::try_from(since.as_secs()).unwrap_or(i64::MAX);
    vouch::Timestamp::from_unix(seconds, since.subsec_nanos())
        .unwrap_or(vouch::Timestamp::UNIX_EPOCH)
}

fn now_rfc3339() -> String {
    now().to_string()
}
