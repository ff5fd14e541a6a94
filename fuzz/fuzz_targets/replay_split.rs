//! Splitting a log into entries (`replay/split.rs`, what every front end of replay reads
//! through), from any bytes: never panics; the same entries whatever the reader's buffer size
//! (one byte, a few, a page); entries numbered upwards; a broken entry carries a documented
//! `INPUT_` code; and for JSON lines, one entry per line that is not blank, each numbered by
//! its line.
#![no_main]

mod common;

use std::io::BufReader;

use libfuzzer_sys::fuzz_target;
use vouch::{LogItem, SplitError};

fn items(data: &[u8], capacity: usize) -> Vec<String> {
    let mut out = Vec::new();
    let done: Result<(), SplitError<()>> =
        vouch::split_log(BufReader::with_capacity(capacity, data), &mut |item| {
            out.push(match item {
                LogItem::Text { entry, text } => format!("{entry} text {text}"),
                LogItem::Document { value } => format!("1 doc {value}"),
                LogItem::Broken { entry, error } => {
                    common::check_error(&error, &["INPUT_"]);
                    format!("{entry} broken {}", error.code())
                }
            });
            Ok(())
        });
    let Ok(()) = done else {
        panic!("reading bytes in memory cannot fail");
    };
    out
}

fuzz_target!(|data: &[u8]| {
    let whole = items(data, 1 << 16);
    for capacity in [1, 3, 64] {
        assert_eq!(items(data, capacity), whole, "buffer of {capacity} bytes");
    }
    let entries: Vec<u64> = whole
        .iter()
        .filter_map(|i| i.split(' ').next()?.parse().ok())
        .collect();
    assert!(entries.windows(2).all(|w| w[0] < w[1]), "entries out of order: {entries:?}");
    // JSON lines: every line that is not blank, after the leading bytes, is one entry.
    let start = vouch::leading_len(data);
    let rest = data.get(start..).unwrap_or_default();
    let first_line = rest.split_inclusive(|b| *b == b'\n').next().unwrap_or_default();
    if vouch::opens_json_lines(first_line) {
        let leading = data.get(..start).unwrap_or_default().iter().filter(|b| **b == b'\n').count();
        let expected: Vec<u64> = rest
            .split(|b| *b == b'\n')
            .enumerate()
            .filter(|(_, line)| line.len() > vouch::MAX_ENTRY_BYTES || !line.iter().all(u8::is_ascii_whitespace))
            .map(|(i, _)| (leading + i + 1) as u64)
            .collect();
        assert_eq!(entries, expected, "JSON lines numbered otherwise than by line");
    }
});
