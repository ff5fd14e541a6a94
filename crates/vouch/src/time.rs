//! Time as an input. The library never reads a clock; callers pass `now`.

use std::fmt;

/// An instant, as seconds and nanoseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    seconds: i64,
    nanos: u32,
}

/// Why a timestamp is not RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an RFC 3339 timestamp (e.g. `2026-11-23T10:00:00Z`)")]
pub struct TimestampError(String);

impl Timestamp {
    /// The Unix epoch.
    pub const UNIX_EPOCH: Timestamp = Timestamp {
        seconds: 0,
        nanos: 0,
    };

    /// From seconds and nanoseconds since the epoch.
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<Timestamp> {
        (nanos < 1_000_000_000).then_some(Timestamp { seconds, nanos })
    }

    /// Seconds since the epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds within the second.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    pub fn parse_rfc3339(s: &str) -> Result<Timestamp, TimestampError> {
        parse(s).ok_or_else(|| TimestampError(s.to_owned()))
    }
}

fn parse(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut pos = 19;
    let mut nanos: u32 = 0;
    if b.get(pos) == Some(&b'.') {
        let start = pos + 1;
        let mut end = start;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        let digits = s.get(start..end)?;
        if digits.is_empty() {
            return None;
        }
        let mut value: u32 = 0;
        for (i, d) in digits.bytes().take(9).enumerate() {
            value += u32::from(d - b'0') * 10u32.pow(8 - u32::try_from(i).ok()?);
        }
        nanos = value;
        pos = end;
    }
    let offset = match b.get(pos) {
        Some(b'Z' | b'z') if b.len() == pos + 1 => 0,
        Some(sign @ (b'+' | b'-')) if b.len() == pos + 6 && b.get(pos + 3) == Some(&b':') => {
            let (oh, om) = (num(pos + 1..pos + 3)?, num(pos + 4..pos + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let minutes = oh * 60 + om;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second.min(59) - offset * 60;
    Some(Timestamp { seconds, nanos })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC, e.g. `2026-11-23T10:00:00Z` (fraction only when non-zero).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )?;
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

/// Reads a duration written as whole units, largest first: `30d`, `12h`, `1d12h`, `90m`,
/// `3600s` (days are 86,400 s). Returns seconds; `None` for anything else, zero included.
pub fn parse_duration(text: &str) -> Option<u64> {
    const UNITS: [(u8, u64); 4] = [(b'd', 86_400), (b'h', 3_600), (b'm', 60), (b's', 1)];
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    let mut next_unit = 0;
    for b in text.bytes() {
        if b.is_ascii_digit() {
            let n = number
                .unwrap_or(0)
                .checked_mul(10)?
                .checked_add(u64::from(b - b'0'))?;
            number = Some(n);
            continue;
        }
        let n = number.take()?;
        let position = UNITS.iter().position(|(u, _)| *u == b)?;
        if position < next_unit {
            return None;
        }
        next_unit = position + 1;
        let (_, scale) = UNITS.get(position)?;
        total = total.checked_add(n.checked_mul(*scale)?)?;
    }
    (number.is_none() && total > 0).then_some(total)
}

/// Writes seconds as [`parse_duration`] reads them: `30d`, `1d12h`, `45s`, `0s`.
pub fn format_duration(seconds: u64) -> String {
    use fmt::Write as _;
    if seconds == 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    let mut rest = seconds;
    for (unit, scale) in [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)] {
        let n = rest / scale;
        rest %= scale;
        if n > 0 {
            let _ = write!(out, "{n}{unit}");
        }
    }
    out
}

impl serde::Serialize for Timestamp {
    /// As its RFC 3339 text ([`fmt::Display`]).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (text, seconds) in [
            ("30d", 2_592_000),
            ("12h", 43_200),
            ("1d12h", 129_600),
            ("90m", 5_400),
            ("3600s", 3_600),
            ("1d1h1m1s", 90_061),
        ] {
            assert_eq!(parse_duration(text), Some(seconds), "{text}");
        }
        for bad in [
            "",
            "0d",
            "30",
            "d",
            "1h1d",
            "1d1d",
            "1.5d",
            "-1d",
            "30 d",
            "1w",
            "99999999999999999999d",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(format_duration(2_592_000), "30d");
        assert_eq!(format_duration(90_061), "1d1h1m1s");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(parse_duration(&format_duration(129_600)), Some(129_600));
    }

    #[test]
    fn parses_and_prints() {
        let t = Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").unwrap();
        assert_eq!(t.unix_seconds(), 1_795_428_000);
        assert_eq!(t.to_string(), "2026-11-23T10:00:00Z");
        let t = Timestamp::parse_rfc3339("1970-01-01T01:00:00.5+01:00").unwrap();
        assert_eq!((t.unix_seconds(), t.subsec_nanos()), (0, 500_000_000));
        assert_eq!(t.to_string(), "1970-01-01T00:00:00.5Z");
        assert_eq!(
            Timestamp::parse_rfc3339("2024-02-29T00:00:00Z")
                .unwrap()
                .to_string(),
            "2024-02-29T00:00:00Z"
        );
        assert_eq!(
            Timestamp::parse_rfc3339("1969-12-31T23:59:59Z")
                .unwrap()
                .unix_seconds(),
            -1
        );
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            "",
            "2026-11-23",
            "2026-11-23T10:00:00",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-11-23T24:00:00Z",
            "2026-11-23T10:00:00.Z",
            "2026-11-23T10:00:00+0100",
            "x026-11-23T10:00:00Z",
            "2026-11-23T10:00:00Zjunk",
        ] {
            assert!(Timestamp::parse_rfc3339(bad).is_err(), "{bad}");
        }
    }
}
