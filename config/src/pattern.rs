//! Dial-plan patterns for internal extensions, written as Asterisk users expect:
//! digits stand for themselves, `X` is any digit, `Z` is 1–9, `N` is 2–9. An optional
//! leading `_` (Asterisk's pattern marker) is accepted and ignored; letters may be lower
//! case. `"1XX"` is every three-digit extension starting with 1.
//!
//! [`Pattern::matches`] tells the digit collector whether the digits dialled so far are
//! a complete extension, may still become one, or cannot.

use std::fmt;

use thiserror::Error;

/// How dialled digits compare with a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The digits are a whole extension of the pattern.
    Complete,
    /// More digits may still make an extension of the pattern.
    Prefix,
    /// No extension of the pattern starts with these digits.
    No,
}

/// Why a pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatternError {
    #[error("empty dial-plan pattern")]
    Empty,
    #[error("bad dial-plan pattern `{text}`: `{found}` is not a digit, X, Z or N")]
    Character { text: String, found: char },
}

/// One position of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Digit(u8),
    /// `X`: 0–9.
    Any,
    /// `Z`: 1–9.
    NonZero,
    /// `N`: 2–9.
    TwoToNine,
}

impl Place {
    fn parse(c: char) -> Option<Place> {
        match c {
            '0'..='9' => Some(Place::Digit(c as u8)),
            'X' | 'x' => Some(Place::Any),
            'Z' | 'z' => Some(Place::NonZero),
            'N' | 'n' => Some(Place::TwoToNine),
            _ => None,
        }
    }

    fn accepts(self, digit: u8) -> bool {
        match self {
            Place::Digit(d) => d == digit,
            Place::Any => digit.is_ascii_digit(),
            Place::NonZero => (b'1'..=b'9').contains(&digit),
            Place::TwoToNine => (b'2'..=b'9').contains(&digit),
        }
    }
}

/// A validated dial-plan pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    places: Vec<Place>,
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Self, PatternError> {
        let body = text.strip_prefix('_').unwrap_or(text);
        if body.is_empty() {
            return Err(PatternError::Empty);
        }
        let places = body
            .chars()
            .map(|c| {
                Place::parse(c).ok_or_else(|| PatternError::Character {
                    text: text.to_owned(),
                    found: c,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Pattern {
            text: text.to_owned(),
            places,
        })
    }

    /// Compares the digits dialled so far with the pattern.
    pub fn matches(&self, digits: &str) -> Match {
        let digits = digits.as_bytes();
        if digits.len() > self.places.len() {
            return Match::No;
        }
        if !self.places.iter().zip(digits).all(|(p, d)| p.accepts(*d)) {
            return Match::No;
        }
        if digits.len() == self.places.len() {
            Match::Complete
        } else {
            Match::Prefix
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> Pattern {
        Pattern::parse(text).unwrap()
    }

    #[test]
    fn matches_table() {
        let cases = [
            ("1XX", "101", Match::Complete),
            ("1XX", "10", Match::Prefix),
            ("1XX", "", Match::Prefix),
            ("1XX", "201", Match::No),
            ("1XX", "1011", Match::No),
            ("1XX", "1a1", Match::No),
            ("Z1", "01", Match::No),
            ("Z1", "11", Match::Complete),
            ("N0", "10", Match::No),
            ("N0", "20", Match::Complete),
            ("_2XXX", "2999", Match::Complete),
            ("1xx", "199", Match::Complete),
            ("555", "555", Match::Complete),
        ];
        for (p, digits, expected) in cases {
            assert_eq!(pattern(p).matches(digits), expected, "{p} vs {digits:?}");
        }
    }

    #[test]
    fn refuses_bad_patterns() {
        assert_eq!(Pattern::parse(""), Err(PatternError::Empty));
        assert_eq!(Pattern::parse("_"), Err(PatternError::Empty));
        assert_eq!(
            Pattern::parse("1YY"),
            Err(PatternError::Character {
                text: "1YY".into(),
                found: 'Y'
            })
        );
        assert!(Pattern::parse("1X.").is_err());
        assert!(Pattern::parse("+48").is_err());
    }

    #[test]
    fn keeps_the_text() {
        assert_eq!(pattern("_1XX").to_string(), "_1XX");
    }
}
