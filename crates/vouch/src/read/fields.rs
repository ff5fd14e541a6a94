//! Field-level reading helpers shared by every loader: top-level objects and `null` fields.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::{Doc, Error};
use crate::read::document;

pub(crate) fn expect_object(value: &Value, doc: Doc, what: &str) -> Result<(), Error> {
    if value.is_object() {
        Ok(())
    } else {
        Err(Error::new(
            doc.invalid_type(),
            "",
            format!(
                "{what} must be an object, found {}",
                document::type_name(value)
            ),
        ))
    }
}

/// An optional field that, when present, must not be `null`.
pub(crate) fn not_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Treats an explicit `null` like an absent field (YAML writes `key:` for empty values).
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
