//! Splitting a log into entries: one rule for every front end, so that `vouch replay`, the
//! Python package and its Beam pipeline number, skip and refuse the same entries.
//!
//! A log is JSON lines (a file whose first entry starts with `{` on its first line: the Cloud
//! Storage export of Cloud Logging, Kubernetes audit logs, BigQuery's newline-delimited JSON),
//! top-level JSON arrays (`gcloud logging read --format=json`, also several appended one after
//! the other), or one whole document (a pretty-printed entry, a cluster snapshot, a Cloud Run
//! resource, YAML). Nothing is dropped: a line or element that is too long or not UTF-8, an
//! empty array element, data after an array, a document too large or not UTF-8, each is one
//! malformed entry ([`LogItem::Broken`]), and so is an array the input ends inside.
//!
//! The splitter reads from a [`BufRead`] the caller opened (a file, standard input, bytes in
//! memory); it opens nothing itself, keeps at most [`MAX_ENTRY_BYTES`] of one entry (a file
//! without newlines cannot exhaust memory) and [`MAX_DOCUMENT_BYTES`] of a whole document.

use std::io::{BufRead, Read};

use serde_json::Value;

use super::{ReplayMemo, ReplayOutcome, Replayer, malformed};
use crate::error::{Error, ErrorCode};
use crate::limits::Limits;

/// The largest single entry (one line, one array element) read; a longer one is malformed
/// (`INPUT_TOO_LARGE`).
pub const MAX_ENTRY_BYTES: usize = 16 * 1024 * 1024;

/// The largest whole document (a snapshot) read at once; its parsed form takes about nine
/// times as much memory.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

/// One entry of a log, as split out of its input.
#[derive(Debug, Clone)]
pub enum LogItem {
    /// A line or array element, as text: entry `entry` of its input.
    Text {
        /// Its number: lines count from 1, blank lines included; array elements from 1 across
        /// appended arrays.
        entry: u64,
        /// The text (one JSON value, or several items of a whole document written on one line).
        text: String,
    },
    /// A whole document (a snapshot, a Cloud Run resource, one pretty-printed entry), parsed.
    Document {
        /// The document.
        value: Value,
    },
    /// An entry that could not be split out of its input.
    Broken {
        /// Its number.
        entry: u64,
        /// Why (`INPUT_TOO_LARGE`, `INPUT_ENCODING`, `INPUT_SYNTAX`, or the document's error).
        error: Error,
    },
}

/// Why splitting stopped early.
#[derive(Debug)]
pub enum SplitError<E> {
    /// The input could not be read.
    Read(std::io::Error),
    /// The sink refused an item (its own error, handed back).
    Stopped(E),
}

type Sink<'a, E> = dyn FnMut(LogItem) -> Result<(), E> + 'a;

/// The rule for one line of a JSON-lines log, line `entry`: malformed when it is longer than
/// [`MAX_ENTRY_BYTES`] (its newline not counted; a reader that keeps at most that many bytes
/// and one more of a line tells a cut line so); `None` when it is blank (only ASCII white
/// space: not an entry, though its number is used up); otherwise the line as text, or
/// malformed when it is not UTF-8. A line may keep its newline.
pub fn line_item(entry: u64, line: Vec<u8>) -> Option<LogItem> {
    // The length first: a line cut at the limit may look blank (white space) or whole.
    let content = line.strip_suffix(b"\n").unwrap_or(&line);
    if content.len() > MAX_ENTRY_BYTES {
        return Some(LogItem::Broken {
            entry,
            error: too_large(),
        });
    }
    if content.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    Some(match String::from_utf8(line) {
        Ok(text) => LogItem::Text { entry, text },
        Err(_) => LogItem::Broken {
            entry,
            error: Error::new(ErrorCode::InputEncoding, "", "the line is not UTF-8"),
        },
    })
}

/// Whether a log whose first entry starts on this line (leading white space and byte-order mark
/// already skipped) is JSON lines: it opens with `{`, and not with `{` alone on its line (a
/// pretty-printed document). A first line that is not valid JSON is still JSON lines: a
/// malformed entry.
pub fn opens_json_lines(first_line: &[u8]) -> bool {
    first_line.first() == Some(&b'{')
        && !first_line
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .eq(b"{".iter())
    // (`{` alone: a pretty-printed document; JSON lines never open so.)
}

/// The byte-order mark (UTF-8), skipped whole before a log's first entry.
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// How many bytes of `bytes` are skipped before a log's first entry: ASCII white space and
/// whole byte-order marks (a part of one is content).
pub fn leading_len(bytes: &[u8]) -> usize {
    let mut i = 0;
    loop {
        match bytes.get(i..) {
            Some(rest) if rest.starts_with(BOM) => i += BOM.len(),
            Some([b, ..]) if b.is_ascii_whitespace() => i += 1,
            _ => return i,
        }
    }
}

/// Splits one log into entries, handing each to `sink` in input order.
///
/// # Errors
/// [`SplitError::Read`] when the reader fails, [`SplitError::Stopped`] when the sink does.
pub fn split_log<E>(mut reader: impl BufRead, sink: &mut Sink<'_, E>) -> Result<(), SplitError<E>> {
    // The first significant byte says which; the lines skipped before it still count. A mark
    // may straddle two reads: `bom` counts its bytes matched so far.
    let mut skipped_lines = 0u64;
    let mut bom = 0usize;
    loop {
        let buf = reader.fill_buf().map_err(SplitError::Read)?;
        if buf.is_empty() {
            break;
        }
        let mut i = 0;
        let mut found = false;
        while let Some(&b) = buf.get(i) {
            if bom > 0 {
                if BOM.get(bom) == Some(&b) {
                    bom = (bom + 1) % BOM.len();
                    i += 1;
                    continue;
                }
                found = true; // a part of a mark, then something else: content
                break;
            }
            if b == BOM[0] {
                bom = 1;
            } else if b.is_ascii_whitespace() {
                skipped_lines += u64::from(b == b'\n');
            } else {
                found = true;
                break;
            }
            i += 1;
        }
        reader.consume(i);
        if found {
            break;
        }
    }
    // The bytes of a partial mark (content: the document starts with them).
    let pending = BOM.get(..bom).unwrap_or_default().to_vec();
    let first = match (
        pending.first(),
        reader.fill_buf().map_err(SplitError::Read)?.first(),
    ) {
        (Some(&b), _) | (None, Some(&b)) => b,
        (None, None) => return Ok(()),
    };
    if pending.is_empty() && first == b'[' {
        return split_arrays(reader, sink);
    }
    if !pending.is_empty() || first != b'{' {
        // Not JSON: one whole document (YAML), read as written.
        return split_document(reader, pending, sink);
    }
    let mut first_line = Vec::new();
    read_line_bounded(&mut reader, &mut first_line).map_err(SplitError::Read)?;
    if opens_json_lines(&first_line) {
        let mut entry = skipped_lines + 1;
        emit(line_item(entry, first_line), sink)?;
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = read_line_bounded(&mut reader, &mut line).map_err(SplitError::Read)?;
            if n == 0 {
                return Ok(());
            }
            entry += 1;
            emit(line_item(entry, std::mem::take(&mut line)), sink)?;
        }
    }
    // `{` alone on its line: a pretty-printed document, its first line whole (it is only `{`
    // and white space; longer than the limit, it was cut: refused rather than read shortened).
    if first_line.len() > MAX_ENTRY_BYTES {
        return emit(
            Some(LogItem::Broken {
                entry: 1,
                error: Error::new(
                    ErrorCode::InputTooLarge,
                    "",
                    format!(
                        "a whole document (not JSON lines) whose first line is longer than {MAX_ENTRY_BYTES} bytes"
                    ),
                ),
            }),
            sink,
        );
    }
    split_document(reader, first_line, sink)
}

/// The rest of a log as one whole document, after `head` (what was already read of it).
fn split_document<E>(
    mut reader: impl BufRead,
    head: Vec<u8>,
    sink: &mut Sink<'_, E>,
) -> Result<(), SplitError<E>> {
    let mut rest = head;
    let limit = MAX_DOCUMENT_BYTES.saturating_sub(rest.len()) as u64 + 1;
    (&mut reader)
        .take(limit)
        .read_to_end(&mut rest)
        .map_err(SplitError::Read)?;
    let broken = |error: Error| LogItem::Broken { entry: 1, error };
    if rest.len() > MAX_DOCUMENT_BYTES {
        return emit(
            Some(broken(Error::new(
                ErrorCode::InputTooLarge,
                "",
                format!(
                    "a whole document (not JSON lines) larger than {} MiB: split a snapshot by namespace (`kubectl get pods -n NS -o json`)",
                    MAX_DOCUMENT_BYTES >> 20
                ),
            ))),
            sink,
        );
    }
    let Ok(text) = String::from_utf8(rest) else {
        return emit(
            Some(broken(Error::new(
                ErrorCode::InputEncoding,
                "",
                "the file is not UTF-8",
            ))),
            sink,
        );
    };
    let mut limits = Limits::DEFAULT;
    limits.max_input_bytes = MAX_DOCUMENT_BYTES;
    emit(
        Some(match crate::read::document::parse(&text, &limits) {
            Ok(value) => LogItem::Document { value },
            Err(error) => broken(error),
        }),
        sink,
    )
}

fn emit<E>(item: Option<LogItem>, sink: &mut Sink<'_, E>) -> Result<(), SplitError<E>> {
    match item {
        Some(item) => sink(item).map_err(SplitError::Stopped),
        None => Ok(()),
    }
}

/// Top-level JSON arrays one after the other (each `[` already found): their elements are
/// numbered on across them. Anything else after an array is one malformed entry.
fn split_arrays<E>(mut reader: impl BufRead, sink: &mut Sink<'_, E>) -> Result<(), SplitError<E>> {
    let mut entry = 0u64;
    loop {
        reader.consume(1); // the `[`
        match split_array(&mut reader, &mut entry, sink)? {
            ArrayEnd::Closed => {}
            ArrayEnd::Truncated => return Ok(()), // its last element was reported
            ArrayEnd::Untrusted => {
                // Read on to the end without keeping it: if anything but white space follows,
                // one malformed entry stands for all of it.
                let mut more = false;
                loop {
                    let buf = reader.fill_buf().map_err(SplitError::Read)?;
                    if buf.is_empty() {
                        break;
                    }
                    more |= !buf.iter().all(u8::is_ascii_whitespace);
                    let n = buf.len();
                    reader.consume(n);
                }
                if !more {
                    return Ok(());
                }
                return emit(
                    Some(LogItem::Broken {
                        entry: entry + 1,
                        error: Error::new(
                            ErrorCode::InputSyntax,
                            "",
                            "not read: after an array element that is not JSON, where the next elements begin cannot be known",
                        ),
                    }),
                    sink,
                );
            }
        }
        // After the `]`: only whitespace, or another array.
        let next = loop {
            let buf = reader.fill_buf().map_err(SplitError::Read)?;
            if buf.is_empty() {
                return Ok(());
            }
            let skip = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if let Some(&b) = buf.get(skip) {
                reader.consume(skip);
                break b;
            }
            let n = buf.len();
            reader.consume(n);
        };
        if next != b'[' {
            entry += 1;
            // Read on to the end without keeping it: one malformed entry says what was there.
            std::io::copy(&mut reader, &mut std::io::sink()).map_err(SplitError::Read)?;
            return emit(
                Some(LogItem::Broken {
                    entry,
                    error: Error::new(
                        ErrorCode::InputSyntax,
                        "",
                        "data after the JSON array that is not another array",
                    ),
                }),
                sink,
            );
        }
    }
}

fn too_large() -> Error {
    Error::new(
        ErrorCode::InputTooLarge,
        "",
        format!("the entry is larger than {MAX_ENTRY_BYTES} bytes"),
    )
}

/// Reads a line (with its newline) but keeps at most [`MAX_ENTRY_BYTES`] + 1 bytes of it, so a
/// file without newlines cannot exhaust memory. Returns the bytes consumed.
fn read_line_bounded(reader: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut consumed = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(consumed);
        }
        let (take, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = (MAX_ENTRY_BYTES + 1).saturating_sub(line.len());
        line.extend_from_slice(buf.get(..take.min(room)).unwrap_or_default());
        reader.consume(take);
        consumed += take;
        if done {
            return Ok(consumed);
        }
    }
}

/// The element being gathered by [`split_array`].
struct Element {
    bytes: Vec<u8>,
    oversized: bool,
    /// Elements of this array emitted so far (an empty one is allowed only as the whole of
    /// `[ ]`).
    count: u64,
}

impl Element {
    fn extend(&mut self, part: &[u8]) {
        if self.bytes.len() + part.len() <= MAX_ENTRY_BYTES {
            self.bytes.extend_from_slice(part);
        } else {
            self.oversized = true;
            self.bytes.clear();
        }
    }

    /// Emits the element ended by `end` (`,` or `]`); `false` when its text is not JSON, after
    /// which the framing of the elements that follow cannot be trusted (an unterminated string
    /// turns every later quote inside out).
    fn emit<E>(
        &mut self,
        end: u8,
        entry: &mut u64,
        sink: &mut Sink<'_, E>,
    ) -> Result<bool, SplitError<E>> {
        let empty = !self.oversized && self.bytes.iter().all(u8::is_ascii_whitespace);
        if empty && end == b']' && self.count == 0 {
            // `[]` or `[ ]`: no element.
            self.bytes.clear();
            return Ok(true);
        }
        let mut trusted = true;
        *entry += 1;
        self.count += 1;
        let item = if self.oversized {
            LogItem::Broken {
                entry: *entry,
                error: too_large(),
            }
        } else if empty {
            LogItem::Broken {
                entry: *entry,
                error: Error::new(
                    ErrorCode::InputSyntax,
                    "",
                    "an empty array element (two commas, or a comma before `]`)",
                ),
            }
        } else {
            match String::from_utf8(std::mem::take(&mut self.bytes)) {
                Ok(text) => {
                    trusted = serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok();
                    LogItem::Text {
                        entry: *entry,
                        text,
                    }
                }
                Err(_) => LogItem::Broken {
                    entry: *entry,
                    error: Error::new(ErrorCode::InputEncoding, "", "the element is not UTF-8"),
                },
            }
        };
        self.bytes.clear();
        self.oversized = false;
        sink(item).map_err(SplitError::Stopped)?;
        Ok(trusted)
    }
}

/// How [`split_array`] ended.
enum ArrayEnd {
    /// At its `]`.
    Closed,
    /// The input ended first (reported).
    Truncated,
    /// After an element that is not JSON (reported): the rest cannot be split.
    Untrusted,
}

/// One top-level JSON array, element by element (the `[` already consumed). Each element's text
/// is found by tracking strings and nesting, then parsed on its own, so an element that is JSON
/// but not a good entry (duplicate keys, too deep, not UTF-8, too long) does not stop the
/// others; one that is not JSON does (its own error is reported, then [`ArrayEnd::Untrusted`]).
fn split_array<E>(
    reader: &mut impl BufRead,
    entry: &mut u64,
    sink: &mut Sink<'_, E>,
) -> Result<ArrayEnd, SplitError<E>> {
    let mut element = Element {
        bytes: Vec::new(),
        oversized: false,
        count: 0,
    };
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    loop {
        let buf = reader.fill_buf().map_err(SplitError::Read)?;
        if buf.is_empty() {
            // A truncated array (a write cut short): one malformed entry, whatever was read of
            // its last element, which is not decided.
            *entry += 1;
            let what = if element.oversized || !element.bytes.iter().all(u8::is_ascii_whitespace) {
                "the input ends inside this element, before the array's `]`"
            } else {
                "the input ends before the array's `]`"
            };
            sink(LogItem::Broken {
                entry: *entry,
                error: Error::new(ErrorCode::InputSyntax, "", what),
            })
            .map_err(SplitError::Stopped)?;
            return Ok(ArrayEnd::Truncated);
        }
        let n = buf.len();
        let mut start = 0;
        let mut closed = None;
        for (i, &b) in buf.iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b',' | b']' if depth == 0 => {
                    element.extend(buf.get(start..i).unwrap_or_default());
                    let trusted = element.emit(b, entry, sink)?;
                    start = i + 1;
                    if !trusted {
                        closed = Some((i + 1, ArrayEnd::Untrusted));
                        break;
                    }
                    if b == b']' {
                        closed = Some((i + 1, ArrayEnd::Closed));
                        break;
                    }
                }
                _ => {}
            }
        }
        if let Some((end, how)) = closed {
            reader.consume(end);
            return Ok(how);
        }
        element.extend(buf.get(start..).unwrap_or_default());
        reader.consume(n);
    }
}

impl Replayer {
    /// Decides one item of [`split_log`] from input `source`: a line or element (as
    /// [`Replayer::replay_line`]), a whole document (every Pod of a snapshot, a Cloud Run
    /// resource, or one log entry), or a malformed entry.
    pub fn replay_item(
        &self,
        source: &str,
        item: &LogItem,
        memo: &mut ReplayMemo,
    ) -> Vec<ReplayOutcome> {
        match item {
            LogItem::Text { entry, text } => self.replay_line(source, *entry, text, memo),
            LogItem::Document { value } => self
                .replay_document(source, value, memo)
                .unwrap_or_else(|| vec![self.replay_value(source, 1, value, memo)]),
            LogItem::Broken { entry, error } => vec![malformed(source, *entry, error.clone())],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item of `bytes`, as `(entry, what)`: `text:…`, `doc`, or the broken entry's code;
    /// read through buffers of `capacity` bytes.
    fn items(bytes: &[u8], capacity: usize) -> Vec<(u64, String)> {
        let reader = std::io::BufReader::with_capacity(capacity, bytes);
        let mut out = Vec::new();
        let done: Result<(), SplitError<()>> = split_log(reader, &mut |item| {
            out.push(match item {
                LogItem::Text { entry, text } => (entry, format!("text:{}", text.trim_end())),
                LogItem::Document { .. } => (1, "doc".to_owned()),
                LogItem::Broken { entry, error } => (entry, error.code().as_str().to_owned()),
            });
            Ok(())
        });
        assert!(done.is_ok());
        out
    }

    /// The same items whatever the reader's buffer size.
    fn split(bytes: &[u8]) -> Vec<(u64, String)> {
        let whole = items(bytes, 1 << 16);
        for capacity in [1, 2, 3, 7] {
            assert_eq!(items(bytes, capacity), whole, "buffer of {capacity} bytes");
        }
        whole
    }

    fn t(entry: u64, text: &str) -> (u64, String) {
        (entry, format!("text:{text}"))
    }

    fn b(entry: u64, code: &str) -> (u64, String) {
        (entry, code.to_owned())
    }

    #[test]
    fn json_lines_are_numbered_by_line_blank_ones_included() {
        let log = b"\xef\xbb\xbf\n \n{\"a\":1}\r\n\n \t\n{bad\n{\"b\":2}";
        assert_eq!(
            split(log),
            vec![t(3, "{\"a\":1}"), t(6, "{bad"), t(7, "{\"b\":2}")]
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_or_too_long_is_malformed_and_the_next_one_is_read() {
        let mut log = b"{\"a\":1}\n{\"x\":\"\xff\"}\n".to_vec();
        log.extend(std::iter::repeat_n(b'x', MAX_ENTRY_BYTES + 5));
        log.extend(b"\n{\"b\":2}\n");
        assert_eq!(
            items(&log, 1 << 16),
            vec![
                t(1, "{\"a\":1}"),
                b(2, "INPUT_ENCODING"),
                b(3, "INPUT_TOO_LARGE"),
                t(4, "{\"b\":2}")
            ]
        );
        // A line of exactly the limit (newline excluded) is read.
        assert!(matches!(
            line_item(1, vec![b'{'; MAX_ENTRY_BYTES]),
            Some(LogItem::Text { .. })
        ));
        assert!(line_item(1, b" \t\r\n".to_vec()).is_none());
        // Unicode white space is not blank: it is an entry (malformed once parsed).
        assert!(matches!(
            line_item(1, "\u{a0}".as_bytes().to_vec()),
            Some(LogItem::Text { .. })
        ));
    }

    #[test]
    fn a_pretty_printed_document_or_yaml_is_one_document() {
        assert_eq!(
            split(b"\n{\n  \"kind\": \"List\", \"items\": []\n}\n"),
            vec![(1, "doc".to_owned())]
        );
        assert_eq!(
            split(b"kind: List\nitems: []\n"),
            vec![(1, "doc".to_owned())]
        );
        assert_eq!(split(b"{\n  \"a\": \xff\n}"), vec![b(1, "INPUT_ENCODING")]);
        assert_eq!(split(b"{ \r\n\"a\":"), vec![b(1, "INPUT_SYNTAX")]);
        assert!(split(b"").is_empty());
        assert!(split(b" \n\xef\xbb\xbf\n").is_empty());
    }

    #[test]
    fn arrays_split_element_by_element_across_appended_arrays() {
        let log = b"[{\"a\":\"],[\\\"\"}, {\"b\":[1,2]}\n]\n[ ]\n[{\"c\":3}]";
        assert_eq!(
            split(log),
            vec![
                t(1, "{\"a\":\"],[\\\"\"}"),
                t(2, " {\"b\":[1,2]}"),
                t(3, "{\"c\":3}")
            ]
        );
        assert!(split(b"[]").is_empty());
        assert!(split(b" [ \n ] ").is_empty());
    }

    #[test]
    fn every_irregular_array_gives_one_malformed_entry() {
        // Data after the array.
        assert_eq!(
            split(b"[{\"a\":1}] {\"b\":2}"),
            vec![t(1, "{\"a\":1}"), b(2, "INPUT_SYNTAX")]
        );
        // Empty elements: two commas, a comma before `]`, a comma first.
        assert_eq!(
            split(b"[{\"a\":1},,{\"b\":2},]"),
            vec![
                t(1, "{\"a\":1}"),
                b(2, "INPUT_SYNTAX"),
                t(3, "{\"b\":2}"),
                b(4, "INPUT_SYNTAX")
            ]
        );
        assert_eq!(
            split(b"[,{\"a\":1}]"),
            vec![b(1, "INPUT_SYNTAX"), t(2, "{\"a\":1}")]
        );
        // Cut short: inside an element, after a comma, after the `[`; a whole last element is
        // not decided either.
        assert_eq!(
            split(b"[{\"a\":1},{\"b\""),
            vec![t(1, "{\"a\":1}"), b(2, "INPUT_SYNTAX")]
        );
        assert_eq!(
            split(b"[{\"a\":1},\n"),
            vec![t(1, "{\"a\":1}"), b(2, "INPUT_SYNTAX")]
        );
        assert_eq!(split(b"[{\"a\":1}"), vec![b(1, "INPUT_SYNTAX")]);
        assert_eq!(split(b"["), vec![b(1, "INPUT_SYNTAX")]);
        // An element that is not UTF-8, or too long.
        assert_eq!(
            split(b"[\"\xff\",1]"),
            vec![b(1, "INPUT_ENCODING"), t(2, "1")]
        );
        let mut long = b"[\"".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_ENTRY_BYTES));
        long.extend(b"\",{\"b\":2}]");
        assert_eq!(
            items(&long, 1 << 16),
            vec![b(1, "INPUT_TOO_LARGE"), t(2, "{\"b\":2}")]
        );
    }

    #[test]
    fn a_document_is_read_as_written_whatever_its_first_line() {
        // A YAML comment longer than the line limit: the document is read whole (a reader that
        // kept only the line's first bytes, newline dropped, would let the comment swallow the
        // next line).
        let mut log = b"# ".to_vec();
        log.extend(std::iter::repeat_n(b'x', MAX_ENTRY_BYTES));
        log.extend(b"\nkind: List\nitems: []\n");
        let mut kinds = Vec::new();
        let done: Result<(), SplitError<()>> = split_log(&log[..], &mut |item| {
            if let LogItem::Document { value } = item {
                kinds.push(value["kind"].clone());
            }
            Ok(())
        });
        assert!(done.is_ok());
        assert_eq!(kinds, vec![serde_json::json!("List")]);
        // `{` alone, then more than the limit of white space on its line: refused, not cut.
        let mut log = b"{".to_vec();
        log.extend(std::iter::repeat_n(b' ', MAX_ENTRY_BYTES));
        log.extend(b"\n\"a\": 1\n}\n");
        assert_eq!(items(&log, 1 << 16), vec![b(1, "INPUT_TOO_LARGE")]);
    }

    #[test]
    fn a_line_is_measured_before_it_is_called_blank_and_without_its_newline() {
        let mut log = b"{\"a\":1}\n".to_vec();
        log.extend(std::iter::repeat_n(b' ', MAX_ENTRY_BYTES + 1));
        log.extend(b"{\"b\":2}\n{\"c\":3}\n");
        assert_eq!(
            items(&log, 1 << 16),
            vec![
                t(1, "{\"a\":1}"),
                b(2, "INPUT_TOO_LARGE"),
                t(3, "{\"c\":3}")
            ]
        );
        let mut exact = vec![b'{'];
        exact.extend(std::iter::repeat_n(b' ', MAX_ENTRY_BYTES - 2));
        exact.push(b'}');
        for line in [exact.clone(), [exact.clone(), b"\n".to_vec()].concat()] {
            assert!(matches!(line_item(1, line), Some(LogItem::Text { .. })));
        }
        exact.push(b' ');
        assert!(matches!(line_item(1, exact), Some(LogItem::Broken { .. })));
    }

    #[test]
    fn only_whole_byte_order_marks_are_skipped() {
        assert_eq!(
            split(b"\xef\xbb\xbf \xef\xbb\xbf\n{\"a\":1}"),
            vec![t(2, "{\"a\":1}")]
        );
        // Parts of a mark are content: here not UTF-8.
        assert_eq!(
            split(b"\xbf\xbf\xef{\"a\":1}"),
            vec![b(1, "INPUT_ENCODING")]
        );
        assert_eq!(split(b"\xef\xbb{\"a\":1}"), vec![b(1, "INPUT_ENCODING")]);
        assert_eq!(split(b"\n\xef"), vec![b(1, "INPUT_ENCODING")]);
        // U+FF5B (EF BD 9B) starts with the mark's first byte: a document, read as UTF-8.
        assert_eq!(
            split("\u{ff5b}kind: List".as_bytes()),
            vec![(1, "doc".to_owned())]
        );
        assert_eq!(leading_len(b" \xef\xbb\xbf\xef\xbb{"), 4);
        assert_eq!(leading_len(b"\r\n"), 2);
    }

    #[test]
    fn after_an_element_that_is_not_json_the_rest_of_the_array_is_one_malformed_entry() {
        // An unterminated string turns later quotes inside out: nothing after it is split.
        for log in [
            &br#"[{"a": "x}, {"insertId": "y", "b": "z"}, {"c": ",{"d":1},"}, {"e": 1}]"#[..],
            br#"[{"a":"x}, "q", {"insertId": "evil"}, "r", {"f": 2}]"#,
            br#"[{"a":"x}, {"b": "],[{\"insertId\": \"evil\"}]"}, {"g": 3}]"#,
        ] {
            let got = split(log);
            let texts: Vec<&str> = got
                .iter()
                .filter_map(|(_, w)| w.strip_prefix("text:"))
                .collect();
            // Every piece split out is JSON, except the last one, after which nothing is.
            let bad = texts
                .iter()
                .position(|t| serde_json::from_str::<serde::de::IgnoredAny>(t).is_err());
            assert!(bad.is_none_or(|i| i + 1 == texts.len()), "{got:?}");
            assert!(
                !texts
                    .iter()
                    .any(|t| t.contains("evil") && !t.contains("\"x}")),
                "{got:?}"
            );
        }
        assert_eq!(
            split(b"[NaN, {\"a\":1}]\n[{\"b\":2}]"),
            vec![t(1, "NaN"), b(2, "INPUT_SYNTAX")]
        );
        // The bad element last: nothing more to report.
        assert_eq!(
            split(b"[{\"a\":1}, NaN]\n"),
            vec![t(1, "{\"a\":1}"), t(2, " NaN")]
        );
        // Elements that are JSON but bad entries do not stop the others.
        assert_eq!(
            split(b"[{\"a\":1,\"a\":2}, {\"b\":2}]"),
            vec![t(1, "{\"a\":1,\"a\":2}"), t(2, " {\"b\":2}")]
        );
    }

    #[test]
    fn the_first_line_rule() {
        assert!(opens_json_lines(b"{\"a\":1}\n"));
        assert!(opens_json_lines(b"{bad\n"));
        assert!(!opens_json_lines(b"{\n"));
        assert!(!opens_json_lines(b"{ \r\n"));
        assert!(!opens_json_lines(b"[{}]\n"));
        assert!(!opens_json_lines(b"kind: List\n"));
    }

    #[test]
    fn the_sink_stops_the_split() {
        let mut seen = 0;
        let stopped = split_log(&b"{\"a\":1}\n{\"b\":2}\n"[..], &mut |_| {
            seen += 1;
            Err("enough")
        });
        assert!(matches!(stopped, Err(SplitError::Stopped("enough"))));
        assert_eq!(seen, 1);
    }
}
