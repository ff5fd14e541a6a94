//! Simple-signing payloads: what an attestation's signed bytes claim about the image.

use serde_json::Value;

use crate::limits::Limits;
use crate::read::document;

/// What a simple-signing payload claims: `critical.image.docker-manifest-digest` and
/// `critical.identity.docker-reference`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The manifest digest the payload names.
    pub digest: String,
    /// The repository the payload names, if any.
    pub reference: Option<String>,
    /// `optional.timestamp`: when the signer says it signed, in Unix seconds (an integer, as
    /// containers/image requires); `Err` when present but not an integer. Only read by the
    /// freshness rule (`maxAttestationAge`).
    pub timestamp: Option<Result<i64, String>>,
}

/// Reads a simple-signing payload the way verification does: strict JSON (no duplicate keys),
/// a `critical` object with a string `image.docker-manifest-digest`. `critical.type` and
/// `optional` are not checked. This does not verify anything.
pub fn parse_simple_signing(payload: &[u8]) -> Result<Statement, String> {
    parse_statement(payload)
}

/// Reads what a simple-signing payload claims. Duplicate keys are rejected: a payload must
/// not mean one thing to vouch and another to a different JSON parser.
pub(super) fn parse_statement(payload: &[u8]) -> Result<Statement, String> {
    let text = std::str::from_utf8(payload).map_err(|_| "payload is not UTF-8".to_owned())?;
    let value = document::parse_json(text, &Limits::DEFAULT).map_err(|e| e.message().to_owned())?;
    let critical = value
        .get("critical")
        .ok_or("payload has no `critical` object")?;
    let digest = critical
        .get("image")
        .and_then(|i| i.get("docker-manifest-digest"))
        .and_then(Value::as_str)
        .ok_or("payload has no `critical.image.docker-manifest-digest` string")?;
    let reference = critical
        .get("identity")
        .and_then(|i| i.get("docker-reference"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let timestamp = match value.get("optional").and_then(|o| o.get("timestamp")) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.as_i64().ok_or_else(|| {
            format!("`optional.timestamp` {n} is not an integer number of seconds")
        })),
        Some(other) => Some(Err(format!(
            "`optional.timestamp` is {}, not an integer number of seconds",
            document::type_name(other)
        ))),
    };
    Ok(Statement {
        digest: digest.to_owned(),
        reference,
        timestamp,
    })
}
