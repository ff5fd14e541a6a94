//! Reading a platform policy as gcloud reads it (decision P-1): the document is walked against
//! the v1 schema, producing its canonical form (scalars wrapped into lists, decimal-string
//! integers as numbers) and then the compiled [`PlatformPolicy`].

use serde_json::Value;

use super::PlatformPolicy;
use crate::error::{Error, ErrorCode, Subject};
use crate::limits::Limits;

/// Loads from YAML or JSON text.
pub(super) fn from_text(text: &str, limits: &Limits) -> Result<PlatformPolicy, Error> {
    let value =
        crate::read::document::parse(text, limits).map_err(|e| e.about(Subject::PlatformPolicy))?;
    from_value(value, limits)
}

/// Loads from a parsed value.
pub(super) fn from_value(_value: Value, _limits: &Limits) -> Result<PlatformPolicy, Error> {
    Err(Error::new(
        ErrorCode::PlatformUnsupported,
        "",
        "platform policies are not implemented yet",
    ))
}
