//! Durations as the configuration writes them: `"250ms"`, `"5s"`, `"3m"`, `"2h"`, and
//! compounds such as `"1m30s"` (units from largest to smallest, each at most once).
//!
//! Units: `h`, `m` (minutes), `s`, `ms`. A bare number is refused: `"5"` could mean
//! seconds or milliseconds, and a timer off by a factor of 1000 is a bad surprise.

use std::time::Duration;

use thiserror::Error;

/// Why a duration string was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DurationError {
    #[error("empty duration (write e.g. \"5s\")")]
    Empty,
    #[error("bad duration `{0}`: expected a number (write e.g. \"5s\", \"250ms\", \"1m30s\")")]
    ExpectedNumber(String),
    #[error("bad duration `{0}`: missing unit (h, m, s or ms)")]
    MissingUnit(String),
    #[error("bad duration `{text}`: unknown unit `{unit}` (h, m, s or ms)")]
    UnknownUnit { text: String, unit: String },
    #[error("bad duration `{0}`: units go from largest to smallest, each once (e.g. \"1m30s\")")]
    Order(String),
    #[error("bad duration `{0}`: too long")]
    Overflow(String),
}

/// Parses a duration string such as `"1m30s"`.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let mut rest = text;
    let mut total = Duration::ZERO;
    let mut last_rank = usize::MAX;
    while !rest.is_empty() {
        let (amount, unit, tail) = split_component(text, rest)?;
        let (rank, millis) = unit_of(text, unit)?;
        if rank >= last_rank {
            return Err(DurationError::Order(text.to_owned()));
        }
        last_rank = rank;
        let part = amount
            .checked_mul(millis)
            .ok_or_else(|| DurationError::Overflow(text.to_owned()))?;
        total = total
            .checked_add(Duration::from_millis(part))
            .ok_or_else(|| DurationError::Overflow(text.to_owned()))?;
        rest = tail;
    }
    Ok(total)
}

/// Splits `"30s…"` into `(30, "s", "…")`.
fn split_component<'t>(
    text: &str,
    rest: &'t str,
) -> Result<(u64, &'t str, &'t str), DurationError> {
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return Err(DurationError::ExpectedNumber(text.to_owned()));
    }
    let amount = rest[..digits]
        .parse()
        .map_err(|_| DurationError::Overflow(text.to_owned()))?;
    let after = &rest[digits..];
    let letters = after.len()
        - after
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .len();
    if letters == 0 {
        return Err(DurationError::MissingUnit(text.to_owned()));
    }
    Ok((amount, &after[..letters], &after[letters..]))
}

/// A unit's rank (larger units rank higher) and its length in milliseconds.
fn unit_of(text: &str, unit: &str) -> Result<(usize, u64), DurationError> {
    match unit {
        "h" => Ok((3, 3_600_000)),
        "m" => Ok((2, 60_000)),
        "s" => Ok((1, 1_000)),
        "ms" => Ok((0, 1)),
        _ => Err(DurationError::UnknownUnit {
            text: text.to_owned(),
            unit: unit.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_units() {
        let cases = [
            ("250ms", 250),
            ("5s", 5_000),
            ("3m", 180_000),
            ("2h", 7_200_000),
            ("0s", 0),
        ];
        for (text, millis) in cases {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(millis)),
                "{text}"
            );
        }
    }

    #[test]
    fn compounds() {
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(
            parse_duration("1h2m3s4ms"),
            Ok(Duration::from_millis(3_723_004))
        );
        assert_eq!(parse_duration("1s500ms"), Ok(Duration::from_millis(1_500)));
    }

    #[test]
    fn refusals() {
        assert_eq!(parse_duration(""), Err(DurationError::Empty));
        assert!(matches!(
            parse_duration("5"),
            Err(DurationError::MissingUnit(_))
        ));
        assert!(matches!(
            parse_duration("s"),
            Err(DurationError::ExpectedNumber(_))
        ));
        assert!(matches!(
            parse_duration("-5s"),
            Err(DurationError::ExpectedNumber(_))
        ));
        assert!(matches!(
            parse_duration("5 s"),
            Err(DurationError::MissingUnit(_))
        ));
        assert!(matches!(
            parse_duration("5d"),
            Err(DurationError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_duration("5S"),
            Err(DurationError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_duration("30s1m"),
            Err(DurationError::Order(_))
        ));
        assert!(matches!(
            parse_duration("1s1s"),
            Err(DurationError::Order(_))
        ));
        assert!(matches!(
            parse_duration("99999999999999999999h"),
            Err(DurationError::Overflow(_))
        ));
        assert!(matches!(
            parse_duration("9999999999999999h"),
            Err(DurationError::Overflow(_))
        ));
    }
}
