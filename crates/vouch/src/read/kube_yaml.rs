//! Kubernetes manifests read as kubectl reads them.
//!
//! kubectl turns YAML into JSON with `sigs.k8s.io/yaml` over go-yaml v2, a YAML 1.1 reader:
//! plain `yes`, `on`, `y` are booleans, `0777` is octal, `1_000` is a thousand, and a key `on:`
//! becomes `"true"`. vouch reads the other inputs as YAML 1.2, so manifests get this module:
//! it rebuilds each document from the parser's events with go-yaml v2's resolution rules and
//! `YAMLToJSON`'s key conversion, and refuses (`INPUT_YAML_UNSUPPORTED`) what it does not
//! reproduce exactly or what kubectl itself refuses. Merge keys are refused as everywhere
//! (`INPUT_YAML_MERGE_KEY`).
//!
//! The text has already been read by [`crate::read::document`] under the input's budgets (size,
//! depth, aliases, duplicate keys), so this second reading is bounded by the same budgets.

use std::borrow::Cow;
use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, StrInput, Tag};
use serde_json::{Map, Number, Value};

use crate::error::{Error, ErrorCode, join, join_index};
use crate::read::document::{MERGE_KEY, merge_key_error};

/// Every document of a YAML stream, as kubectl would turn it into JSON (empty documents are
/// `null`).
pub(crate) fn documents(text: &str, max_depth: usize) -> Result<Vec<Value>, Error> {
    // kubectl first splits the stream at lines starting with `---`, and refuses such a line
    // with anything but white space or a comment after the three dashes.
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(unsupported(
                    "",
                    format!(
                        "`---{rest}`: kubectl accepts only white space or a comment after a `---` document separator"
                    ),
                ));
            }
        }
    }
    let mut options = granit_parser::Options::default();
    options.emit_comments = false;
    // kubectl splits the stream at `---` lines before parsing, so a directive (`%YAML`, `%TAG`)
    // is left alone in a chunk that go-yaml refuses.
    options.disallow_directives = true;
    let mut reader = Reader {
        parser: Parser::new_from_str_with_options(text, options),
        anchors: HashMap::new(),
        max_depth,
    };
    reader.stream()
}

struct Reader<'a> {
    parser: Parser<'a, StrInput<'a>>,
    anchors: HashMap<usize, Value>,
    max_depth: usize,
}

fn syntax(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InputSyntax, "", message)
}

fn unsupported(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InputYamlUnsupported, path, message)
}

fn tag_text(tag: &Tag) -> String {
    format!("{}{}", tag.original_handle(), tag.suffix())
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Result<Event<'a>, Error> {
        match self.parser.next_event() {
            Some(Ok((event, _))) => Ok(event),
            Some(Err(e)) if matches!(e.kind(), granit_parser::ErrorKind::DirectiveDisallowed) => {
                Err(unsupported(
                    "",
                    "a YAML directive (`%YAML`, `%TAG`): kubectl refuses it",
                ))
            }
            Some(Err(e)) => Err(syntax(format!("invalid YAML: {e}"))),
            None => Err(syntax("invalid YAML: unexpected end of input")),
        }
    }

    fn stream(&mut self) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        loop {
            match self.next()? {
                Event::StreamStart | Event::DocumentEnd => {}
                Event::StreamEnd => return Ok(out),
                Event::DocumentStart(explicit, _) => {
                    // A document after `...` without its own `---` is in the same part of
                    // kubectl's split as the one before, and go-yaml reads only the first
                    // document of a part: kubectl would skip it silently.
                    if !explicit && !out.is_empty() {
                        return Err(unsupported(
                            "",
                            "a document after `...` without `---`: kubectl would not read it; start it with `---`",
                        ));
                    }
                    // Anchors are local to a document.
                    self.anchors.clear();
                    let event = self.next()?;
                    out.push(self.node(event, "", 0)?);
                }
                _ => return Err(syntax("invalid YAML: unexpected event")),
            }
        }
    }

    fn node(&mut self, event: Event<'a>, path: &str, depth: usize) -> Result<Value, Error> {
        if depth > self.max_depth {
            return Err(Error::new(
                ErrorCode::InputTooDeep,
                "",
                format!(
                    "input nests deeper than the limit of {} levels",
                    self.max_depth
                ),
            ));
        }
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => (scalar(text, style, tag, path)?, anchor),
            Event::Alias(id) => {
                return self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| syntax("invalid YAML: alias to an unknown anchor"));
            }
            Event::SequenceStart(_, anchor, tag) => {
                if let Some(tag) = tag.filter(|t| !t.is_yaml_core_schema_tag("seq")) {
                    return Err(unsupported(
                        path,
                        format!("explicit tag `{}` on a list", tag_text(&tag)),
                    ));
                }
                let mut items = Vec::new();
                loop {
                    let event = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    let item_path = join_index(path, items.len());
                    items.push(self.node(event, &item_path, depth + 1)?);
                }
                (Value::Array(items), anchor)
            }
            Event::MappingStart(_, anchor, tag) => {
                if let Some(tag) = tag.filter(|t| !t.is_yaml_core_schema_tag("map")) {
                    return Err(unsupported(
                        path,
                        format!("explicit tag `{}` on an object", tag_text(&tag)),
                    ));
                }
                (self.mapping(path, depth)?, anchor)
            }
            _ => return Err(syntax("invalid YAML: unexpected event")),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        Ok(value)
    }

    fn mapping(&mut self, path: &str, depth: usize) -> Result<Value, Error> {
        let mut out = Map::new();
        loop {
            let key = match self.next()? {
                Event::MappingEnd => return Ok(Value::Object(out)),
                Event::Scalar(text, ScalarStyle::Plain, _, None) if text == MERGE_KEY => {
                    return Err(merge_key_error(&join(path, MERGE_KEY)));
                }
                Event::Scalar(_, _, _, Some(tag)) if tag.is_yaml_core_schema_tag("merge") => {
                    return Err(merge_key_error(&join(path, MERGE_KEY)));
                }
                event @ (Event::Scalar(..) | Event::Alias(_)) => {
                    let key = self.node(event, path, depth + 1)?;
                    key_string(key, path)?
                }
                _ => {
                    return Err(unsupported(
                        path,
                        "a list or object used as a key: kubectl refuses it",
                    ));
                }
            };
            if out.contains_key(&key) {
                return Err(Error::new(
                    ErrorCode::InputDuplicateKey,
                    join(path, &key),
                    format!(
                        "key `{key}` appears more than once in the same object (as kubectl reads the keys)"
                    ),
                ));
            }
            let value_path = join(path, &key);
            let event = self.next()?;
            let value = self.node(event, &value_path, depth + 1)?;
            out.insert(key, value);
        }
    }
}

/// A key as `YAMLToJSON` writes it: strings as they are, booleans and integers in their
/// JSON spelling. kubectl refuses null keys and unsigned keys beyond `i64`; floats (written with
/// Go's 32-bit `%g`) and collections are refused here.
fn key_string(key: Value, path: &str) -> Result<String, Error> {
    match key {
        Value::String(s) => Ok(s),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) if n.is_i64() => Ok(n.to_string()),
        Value::Number(n) => Err(unsupported(
            path,
            format!("the key `{n}` is a number kubectl does not read as this text; quote it"),
        )),
        Value::Null => Err(unsupported(path, "a null key: kubectl refuses it")),
        Value::Array(_) | Value::Object(_) => Err(unsupported(
            path,
            "a list or object used as a key: kubectl refuses it",
        )),
    }
}

fn scalar(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<Cow<'_, Tag>>,
    path: &str,
) -> Result<Value, Error> {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema_tag("str") {
            return Ok(Value::String(text.into_owned()));
        }
        return Err(unsupported(
            path,
            format!(
                "explicit tag `{}`: vouch reads only `!!str` tags in manifests; write the value plainly or quote it",
                tag_text(&tag)
            ),
        ));
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.into_owned()));
    }
    resolve_plain(&text, path)
}

/// go-yaml v2's `resolve` for an untagged plain scalar, as decoded into `interface{}` and
/// written as JSON by `sigs.k8s.io/yaml`.
pub(crate) fn resolve_plain(s: &str, path: &str) -> Result<Value, Error> {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Ok(Value::Bool(true));
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Ok(Value::Bool(false));
        }
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => {
            return Err(unsupported(
                path,
                format!("`{s}` is a NaN or infinite number, which kubectl cannot write as JSON"),
            ));
        }
        _ => {}
    }
    let string = || Ok(Value::String(s.to_owned()));
    match s.as_bytes().first() {
        Some(b'.') => {
            if is_yaml_style_float(s) {
                return Ok(float(s).unwrap_or_else(|| Value::String(s.to_owned())));
            }
            string()
        }
        Some(b'+' | b'-' | b'0'..=b'9') => {
            // Timestamps (`2001-12-14`) stay strings when decoded into `interface{}`; they never
            // parse as numbers below either.
            let plain: String = s.chars().filter(|c| *c != '_').collect();
            if let Some(i) = go_parse_int(&plain) {
                return Ok(Value::from(i));
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Ok(Value::from(u));
            }
            if is_yaml_style_float(&plain)
                && let Some(v) = float(&plain)
            {
                return Ok(v);
            }
            string()
        }
        _ => string(),
    }
}

/// A finite float as a JSON number; `None` when Go's `ParseFloat` would fail (out of range).
fn float(s: &str) -> Option<Value> {
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(Number::from_f64)
        .map(Value::Number)
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let at = |i: usize| b.get(i).copied();
    let digits = |mut i: usize| {
        let start = i;
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        (i, i > start)
    };
    if matches!(at(i), Some(b'+' | b'-')) {
        i += 1;
    }
    if at(i) == Some(b'.') {
        let (j, any) = digits(i + 1);
        if !any {
            return false;
        }
        i = j;
    } else {
        let (j, any) = digits(i);
        if !any {
            return false;
        }
        i = j;
        if at(i) == Some(b'.') {
            i = digits(i + 1).0;
        }
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let (j, any) = digits(i);
        if !any {
            return false;
        }
        i = j;
    }
    i == b.len()
}

/// Go's `strconv.ParseUint(s, 0, 64)`: `0x`, `0o`, `0b` and leading-`0` octal prefixes, no sign.
fn go_parse_uint(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (base, digits): (u32, &[u8]) = match b {
        [] => return None,
        [b'0', p, rest @ ..] if !rest.is_empty() && matches!(p, b'x' | b'X') => (16, rest),
        [b'0', p, rest @ ..] if !rest.is_empty() && matches!(p, b'o' | b'O') => (8, rest),
        [b'0', p, rest @ ..] if !rest.is_empty() && matches!(p, b'b' | b'B') => (2, rest),
        [b'0', rest @ ..] => (8, rest),
        _ => (10, b),
    };
    let mut n: u64 = 0;
    for c in digits {
        let d = (*c as char).to_digit(36)?;
        if d >= base {
            return None;
        }
        n = n.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
fn go_parse_int(s: &str) -> Option<i64> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let u = go_parse_uint(rest)?;
    if negative {
        if u == 1u64 << 63 {
            Some(i64::MIN)
        } else {
            i64::try_from(u).ok().map(|i| -i)
        }
    } else {
        i64::try_from(u).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> Result<Value, Error> {
        documents(text, 64).map(|mut d| d.swap_remove(0))
    }

    #[test]
    fn yaml_one_one_scalars_resolve_as_go_yaml_v2() {
        let cases: &[(&str, Value)] = &[
            ("yes", json!(true)),
            ("y", json!(true)),
            ("On", json!(true)),
            ("N", json!(false)),
            ("off", json!(false)),
            ("~", Value::Null),
            ("", Value::Null),
            ("0777", json!(511)),
            ("0x1F", json!(31)),
            ("0o17", json!(15)),
            ("0b101", json!(5)),
            ("-0b101", json!(-5)),
            ("1_000", json!(1000)),
            ("+12", json!(12)),
            ("08", json!(8.0)),
            ("1e3", json!(1000.0)),
            (".5", json!(0.5)),
            ("1e999", json!("1e999")),
            ("2001-12-14", json!("2001-12-14")),
            ("0x", json!("0x")),
            ("-", json!("-")),
            ("1.2.3", json!("1.2.3")),
            ("18446744073709551615", json!(u64::MAX)),
            ("-9223372036854775808", json!(i64::MIN)),
            ("nginx:1.27", json!("nginx:1.27")),
            ("true_", json!("true_")),
        ];
        for (text, want) in cases {
            assert_eq!(&resolve_plain(text, "").unwrap(), want, "{text}");
        }
        assert_eq!(
            resolve_plain(".inf", "/a").unwrap_err().code(),
            ErrorCode::InputYamlUnsupported
        );
    }

    #[test]
    fn quoted_and_str_tagged_scalars_stay_strings() {
        // A block scalar at the end of the text keeps its line feed, as kubectl reads it.
        let v = one("a: 'yes'\nb: \"0777\"\nc: !!str on\nd: |\n  x").unwrap();
        assert_eq!(v, json!({"a": "yes", "b": "0777", "c": "on", "d": "x\n"}));
    }

    #[test]
    fn keys_are_converted_as_yaml_to_json_does() {
        let v = one("on: a\n0x10: b\nn: c\n'y': d\n").unwrap();
        assert_eq!(v, json!({"true": "a", "16": "b", "false": "c", "y": "d"}));
        let e = one("yes: a\n'true': b\n").unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (ErrorCode::InputDuplicateKey, "/true")
        );
        for bad in [
            "~: a\n",
            "1.5: a\n",
            "? [a]\n: b\n",
            "18446744073709551615: a\n",
        ] {
            assert_eq!(
                one(bad).unwrap_err().code(),
                ErrorCode::InputYamlUnsupported,
                "{bad}"
            );
        }
    }

    #[test]
    fn tags_merges_and_directives_are_refused_with_paths() {
        let e = one("a:\n  b: !!int '12'\n").unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (ErrorCode::InputYamlUnsupported, "/a/b")
        );
        let e = one("a: [x, !foo y]\n").unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (ErrorCode::InputYamlUnsupported, "/a/1")
        );
        let e = one("a: !!binary eA==\n").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputYamlUnsupported);
        let e = one("a:\n  b: 1\n  <<: {c: 2}\n").unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (ErrorCode::InputYamlMergeKey, "/a/<<")
        );
        // kubectl refuses every directive (its `---` split leaves the directive alone).
        for text in [
            "%YAML 1.2\n---\na: 1\n",
            "%YAML 1.1\n---\na: 1\n",
            "%TAG !e! tag:e.com:\n---\na: 1\n",
        ] {
            assert_eq!(
                one(text).unwrap_err().code(),
                ErrorCode::InputYamlUnsupported,
                "{text}"
            );
        }
    }

    #[test]
    fn documents_are_split_as_kubectl_splits_them() {
        for text in [
            "a: 1\n--- {b: 2}\n",
            "--- !!map\na: 1\n",
            "a: 1\n----\nb: 2\n",
            "a: 1\n...\nb: 2\n",
        ] {
            assert_eq!(
                documents(text, 64).unwrap_err().code(),
                ErrorCode::InputYamlUnsupported,
                "{text}"
            );
        }
        for text in [
            "a: 1\n--- # next\nb: 2\n",
            "a: 1\n...\n---\nb: 2\n",
            "a: 1\n...\n",
            "a: 1\r\n---\r\nb: 2\r\n",
        ] {
            assert_eq!(
                documents(text, 64).unwrap().len(),
                2 - usize::from(text.ends_with("...\n")),
                "{text}"
            );
        }
    }

    #[test]
    fn aliases_and_documents() {
        let docs = documents("a: &x {b: on}\nc: *x\n---\n---\nd: 1\n", 64).unwrap();
        assert_eq!(
            docs,
            vec![
                json!({"a": {"b": true}, "c": {"b": true}}),
                Value::Null,
                json!({"d": 1})
            ]
        );
    }
}
