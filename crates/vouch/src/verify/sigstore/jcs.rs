//! RFC 8785 (JSON Canonicalization Scheme) for the one object a Rekor signed entry timestamp
//! signs: `{"body": string, "integratedTime": integer, "logID": string, "logIndex": integer}`.
//!
//! A general JCS needs ECMAScript number formatting; this object holds two integers, so the
//! canonical form is fixed: members in UTF-16 code-unit order (`body`, `integratedTime`,
//! `logID`, `logIndex`), no whitespace, integers in decimal, strings escaped as RFC 8785 §3.2.2.2
//! says (`"` and `\` escaped, control characters as `\b \t \n \f \r` or `\u00xx`, everything else
//! as its UTF-8 bytes). Integers outside ±(2^53 − 1) are refused: ECMAScript would print them as
//! the nearest double, which a signer and vouch could disagree about.

/// The largest integer an IEEE double holds exactly (ECMAScript `Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The canonical bytes of the SET payload. Errors name the integer that is out of range.
pub(crate) fn set_payload(
    body: &str,
    integrated_time: i64,
    log_id: &str,
    log_index: i64,
) -> Result<Vec<u8>, String> {
    for (name, value) in [("integratedTime", integrated_time), ("logIndex", log_index)] {
        if !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&value) {
            return Err(format!(
                "`{name}` {value} is outside the exactly representable range"
            ));
        }
    }
    let mut out = Vec::with_capacity(body.len() + log_id.len() + 80);
    out.extend_from_slice(b"{\"body\":");
    push_string(&mut out, body);
    out.extend_from_slice(b",\"integratedTime\":");
    out.extend_from_slice(integrated_time.to_string().as_bytes());
    out.extend_from_slice(b",\"logID\":");
    push_string(&mut out, log_id);
    out.extend_from_slice(b",\"logIndex\":");
    out.extend_from_slice(log_index.to_string().as_bytes());
    out.push(b'}');
    Ok(out)
}

/// Appends `s` as an RFC 8785 JSON string.
fn push_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\r' => out.extend_from_slice(b"\\r"),
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.extend_from_slice(b"\\u00");
                out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
                out.push(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'));
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(body: &str, t: i64, id: &str, i: i64) -> String {
        String::from_utf8(set_payload(body, t, id, i).unwrap()).unwrap()
    }

    #[test]
    fn members_in_code_unit_order_without_whitespace() {
        assert_eq!(
            canon("eyJ9", 1670870899, "c0d2", 8949589),
            r#"{"body":"eyJ9","integratedTime":1670870899,"logID":"c0d2","logIndex":8949589}"#
        );
    }

    #[test]
    fn strings_escape_as_rfc_8785() {
        // RFC 8785 §3.2.2.2: only `"`, `\` and control characters are escaped; the short forms
        // where JSON has them, lower-case `\u00xx` otherwise; U+2028, `/` and non-ASCII literal.
        assert_eq!(
            canon("a\"b\\c\u{8}\t\n\u{c}\r\u{1}\u{1f}/\u{2028}é€😀", 0, "", 0),
            "{\"body\":\"a\\\"b\\\\c\\b\\t\\n\\f\\r\\u0001\\u001f/\u{2028}é€😀\",\
             \"integratedTime\":0,\"logID\":\"\",\"logIndex\":0}"
        );
    }

    #[test]
    fn agrees_with_a_sorted_compact_serializer() {
        // serde_json (sorted map, compact) escapes exactly as RFC 8785 for these characters.
        let body = "x\u{7f}\u{0}\"\\ü";
        let value = serde_json::json!({"logIndex": -5, "body": body, "logID": "ab", "integratedTime": 9_007_199_254_740_991_i64});
        assert_eq!(
            canon(body, 9_007_199_254_740_991, "ab", -5),
            serde_json::to_string(&value).unwrap()
        );
    }

    #[test]
    fn integers_beyond_double_precision_are_refused() {
        assert!(set_payload("", 1 << 53, "", 0).is_err());
        assert!(set_payload("", 0, "", -(1 << 53)).is_err());
        assert!(set_payload("", i64::MAX, "", 0).is_err());
    }
}
