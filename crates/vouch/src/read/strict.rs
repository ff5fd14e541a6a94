//! The strict value reader under every input: no duplicate keys, no merge keys, a nesting
//! limit, scalar keys as strings.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, join};

/// Builds a JSON value while rejecting duplicate keys and excessive depth. The failing
/// location is recorded on the way back up, so success costs no path bookkeeping.
pub(super) struct StrictSeed<'a> {
    pub(super) depth: usize,
    pub(super) max_depth: usize,
    pub(super) failure: &'a RefCell<Option<Error>>,
    /// YAML text: a key `<<` is a merge key, which vouch refuses (docs/semantics.md).
    pub(super) yaml: bool,
}

impl StrictSeed<'_> {
    fn child(&self) -> Self {
        StrictSeed {
            depth: self.depth + 1,
            max_depth: self.max_depth,
            failure: self.failure,
            yaml: self.yaml,
        }
    }

    fn fail<E: de::Error>(&self, err: Error) -> E {
        let message = err.message().to_owned();
        *self.failure.borrow_mut() = Some(err);
        E::custom(message)
    }

    fn prefix_failure(&self, token: &str) {
        let mut slot = self.failure.borrow_mut();
        if let Some(err) = slot.take() {
            *slot = Some(err.within(&join("", token)));
        }
    }
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        match std::str::from_utf8(v) {
            Ok(s) => Ok(Value::String(s.to_owned())),
            Err(_) => Err(E::custom("binary value is not UTF-8 text")),
        }
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if self.depth >= self.max_depth {
            return Err(self.fail(Error::new(
                ErrorCode::InputTooDeep,
                "",
                format!(
                    "input nests deeper than the limit of {} levels",
                    self.max_depth
                ),
            )));
        }
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            match seq.next_element_seed(self.child()) {
                Ok(Some(v)) => items.push(v),
                Ok(None) => break,
                Err(e) => {
                    self.prefix_failure(&items.len().to_string());
                    return Err(e);
                }
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if self.depth >= self.max_depth {
            return Err(self.fail(Error::new(
                ErrorCode::InputTooDeep,
                "",
                format!(
                    "input nests deeper than the limit of {} levels",
                    self.max_depth
                ),
            )));
        }
        let mut out = Map::new();
        loop {
            let key = match map.next_key_seed(KeySeed) {
                Ok(Some(k)) => k,
                Ok(None) => break,
                Err(e) => return Err(e),
            };
            if self.yaml && key == MERGE_KEY {
                return Err(self.fail(merge_key_error(&join("", MERGE_KEY))));
            }
            if out.contains_key(&key) {
                return Err(self.fail(Error::new(
                    ErrorCode::InputDuplicateKey,
                    join("", &key),
                    format!("key `{key}` appears more than once in the same object"),
                )));
            }
            match map.next_value_seed(self.child()) {
                Ok(v) => {
                    out.insert(key, v);
                }
                Err(e) => {
                    self.prefix_failure(&key);
                    return Err(e);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// The YAML merge key.
pub(crate) const MERGE_KEY: &str = "<<";

/// vouch reads no YAML merge keys in any input: kubectl (go-yaml v2) applies them in document
/// order, so a later `<<` overwrites earlier keys, while PyYAML, ruamel.yaml and serde-saphyr let
/// explicit keys win; whichever vouch chose, some client would read another document.
pub(crate) fn merge_key_error(path: &str) -> Error {
    Error::new(
        ErrorCode::InputYamlMergeKey,
        path,
        "YAML merge keys (`<<`) are not read: YAML readers resolve them differently (kubectl lets a later `<<` overwrite earlier keys); write the keys out",
    )
}

/// Object keys: strings, or scalars written as strings (YAML allows `80: x`).
pub(super) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
}
