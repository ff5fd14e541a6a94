//! The deadline of one review.
//!
//! The API server appends `?timeout=DURATION` to the webhook's URL (the configuration's
//! `timeoutSeconds`, as a Go duration such as `10s`). A review must be answered before that
//! time, or the API server applies the `failurePolicy` without the webhook's reason. The
//! deadline is the configured `--deadline-ms`, shortened to leave a margin under the API
//! server's timeout when that is shorter: a fifth of it, at most one second, for the answer to
//! travel back.

use std::time::Duration;

/// The longest margin kept under the API server's timeout.
const MAX_MARGIN: Duration = Duration::from_secs(1);

/// The deadline for a review whose URL has `query`, with `configured` the `--deadline-ms`.
/// A missing or unreadable `timeout` leaves the configured deadline.
pub fn for_request(query: Option<&str>, configured: Duration) -> Duration {
    let Some(timeout) = query
        .and_then(timeout_parameter)
        .and_then(parse_go_duration)
    else {
        return configured;
    };
    let margin = (timeout / 5).min(MAX_MARGIN);
    configured.min(timeout.saturating_sub(margin))
}

/// The value of the `timeout` query parameter.
fn timeout_parameter(query: &str) -> Option<&str> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("timeout="))
}

/// A Go duration (`10s`, `1.5s`, `500ms`, `1m30s`): one or more decimal numbers, each with a
/// unit (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`). Anything else, a sign, or an overflow is
/// `None`.
pub fn parse_go_duration(text: &str) -> Option<Duration> {
    if text.is_empty() {
        return None;
    }
    let mut rest = text;
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(number_len);
        if number.is_empty() || number == "." {
            return None;
        }
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let nanos_per_unit: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        let value: f64 = number.parse().ok()?;
        let nanos = value * nanos_per_unit;
        // Beyond a day is no admission timeout (Kubernetes caps it at 30 s).
        if !nanos.is_finite() || nanos > 86_400e9 {
            return None;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "finite, non-negative and below a day's nanoseconds"
        )]
        let part = Duration::from_nanos(nanos as u64);
        total = total.checked_add(part)?;
        rest = tail;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_are_read() {
        let ms = Duration::from_millis;
        assert_eq!(parse_go_duration("10s"), Some(ms(10_000)));
        assert_eq!(parse_go_duration("1.5s"), Some(ms(1_500)));
        assert_eq!(parse_go_duration("500ms"), Some(ms(500)));
        assert_eq!(parse_go_duration("1m30s"), Some(ms(90_000)));
        assert_eq!(parse_go_duration("250000us"), Some(ms(250)));
        for bad in [
            "",
            "10",
            "s",
            "-1s",
            "1x",
            "1.2.3s",
            ".s",
            "10 s",
            "99999999h",
        ] {
            assert_eq!(parse_go_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_deadline_stays_under_the_api_servers_timeout() {
        let ms = Duration::from_millis;
        let configured = ms(8_000);
        // No timeout, or one it cannot read: the configured deadline.
        assert_eq!(for_request(None, configured), configured);
        assert_eq!(for_request(Some("timeout=soon"), configured), configured);
        // 10 s (the manifests' timeoutSeconds): 9 s of room, the configured 8 s stands.
        assert_eq!(for_request(Some("timeout=10s"), configured), configured);
        // 5 s: one second of margin.
        assert_eq!(for_request(Some("timeout=5s"), configured), ms(4_000));
        // 2 s: a fifth of it.
        assert_eq!(for_request(Some("a=b&timeout=2s"), configured), ms(1_600));
        assert_eq!(for_request(Some("timeout=1s"), configured), ms(800));
    }
}
