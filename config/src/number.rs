//! Telephone numbers as the configuration writes them.
//!
//! - [`E164`]: `+`, then 1 to 15 digits, the first not 0 (ITU-T E.164 §6: a country code
//!   never starts with 0). No spaces.
//! - [`Extension`]: an internal extension, 1 to 15 digits.
//! - [`Prefix`]: the start of an E.164 number (`"+48"`), or `""` for every number. Class
//!   prefixes may be written with spaces for readability (`"+48 70"`); they are dropped.
//! - [`Pin`]: 4 to 8 digits.

use std::fmt;

use thiserror::Error;

/// The most digits an E.164 number holds (ITU-T E.164 §6).
pub const E164_MAX_DIGITS: usize = 15;

/// Why a number was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NumberError {
    #[error(
        "bad E.164 number `{0}`: it starts with `+` and the country code, e.g. \"+48601111222\""
    )]
    MissingPlus(String),
    #[error("bad number `{0}`: only digits are allowed after the `+`")]
    NotDigits(String),
    #[error("bad E.164 number `{0}`: 1 to 15 digits after the `+`")]
    Length(String),
    #[error("bad E.164 number `{0}`: a country code never starts with 0")]
    LeadingZero(String),
    #[error("bad extension `{0}`: 1 to 15 digits")]
    Extension(String),
    #[error("bad prefix `{0}`: \"\" (every number) or `+` and up to 15 digits, e.g. \"+48\"")]
    Prefix(String),
    #[error("bad PIN: 4 to 8 digits")]
    Pin,
}

/// An international number in E.164 form, stored with its `+`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164(String);

impl E164 {
    pub fn parse(text: &str) -> Result<Self, NumberError> {
        let digits = e164_digits(text)?;
        if digits.is_empty() {
            return Err(NumberError::Length(text.to_owned()));
        }
        Ok(E164(text.to_owned()))
    }

    /// The number with its `+`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits without the `+` (the `international` number format).
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks `+` and 0 to 15 digits, the first not 0; returns the digits.
fn e164_digits(text: &str) -> Result<&str, NumberError> {
    let digits = text
        .strip_prefix('+')
        .ok_or_else(|| NumberError::MissingPlus(text.to_owned()))?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotDigits(text.to_owned()));
    }
    if digits.len() > E164_MAX_DIGITS {
        return Err(NumberError::Length(text.to_owned()));
    }
    if digits.starts_with('0') {
        return Err(NumberError::LeadingZero(text.to_owned()));
    }
    Ok(digits)
}

/// An internal extension: digits only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Extension(String);

impl Extension {
    pub fn parse(text: &str) -> Result<Self, NumberError> {
        let ok =
            (1..=E164_MAX_DIGITS).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Extension(text.to_owned()))
        } else {
            Err(NumberError::Extension(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Extension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The start of E.164 numbers: `""` (every number) or `+` and up to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefix(String);

impl Prefix {
    /// A route or tariff prefix: `""` or `"+48"`, no spaces.
    pub fn parse(text: &str) -> Result<Self, NumberError> {
        if !text.is_empty() && e164_digits(text).is_err() {
            return Err(NumberError::Prefix(text.to_owned()));
        }
        Ok(Prefix(text.to_owned()))
    }

    /// A class prefix: spaces are dropped first, so `"+48 70"` is `"+4870"`.
    pub fn parse_spaced(text: &str) -> Result<Self, NumberError> {
        let compact: String = text.chars().filter(|c| *c != ' ').collect();
        if compact.is_empty() && !text.is_empty() {
            return Err(NumberError::Prefix(text.to_owned()));
        }
        Prefix::parse(&compact).map_err(|_| NumberError::Prefix(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `number` starts with this prefix.
    pub fn matches(&self, number: &E164) -> bool {
        number.as_str().starts_with(&self.0)
    }

    /// How many characters the prefix holds: the longest matching prefix wins.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The default prefix `""`, which every number matches.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A PIN for triggers from untrusted trunks: 4 to 8 digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    pub fn parse(text: &str) -> Result<Self, NumberError> {
        let ok = (4..=8).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Pin(text.to_owned()))
        } else {
            Err(NumberError::Pin)
        }
    }

    /// Whether the digits entered are this PIN.
    pub fn accepts(&self, digits: &str) -> bool {
        self.0 == digits
    }
}

/// The PIN never appears in logs.
impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_numbers() {
        let n = E164::parse("+48601111222").unwrap();
        assert_eq!((n.as_str(), n.digits()), ("+48601111222", "48601111222"));
        assert!(E164::parse("+1").is_ok());
        assert!(E164::parse("+123456789012345").is_ok());
    }

    #[test]
    fn malformed_e164_numbers() {
        use std::mem::discriminant;
        let none = String::new;
        let cases = [
            ("48601111222", NumberError::MissingPlus(none())),
            ("", NumberError::MissingPlus(none())),
            ("+", NumberError::Length(none())),
            ("+1234567890123456", NumberError::Length(none())),
            ("+48 601 111 222", NumberError::NotDigits(none())),
            ("+48-601", NumberError::NotDigits(none())),
            ("+048601", NumberError::LeadingZero(none())),
        ];
        for (text, expected) in cases {
            let err = E164::parse(text).unwrap_err();
            assert_eq!(
                discriminant(&err),
                discriminant(&expected),
                "{text}: {err:?}"
            );
        }
    }

    #[test]
    fn extensions() {
        assert_eq!(Extension::parse("101").unwrap().as_str(), "101");
        for bad in ["", "10a", "+101", "1234567890123456"] {
            assert!(Extension::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes() {
        assert!(Prefix::parse("").unwrap().is_empty());
        assert_eq!(Prefix::parse("+48").unwrap().len(), 3);
        assert_eq!(
            Prefix::parse("+48 70"),
            Err(NumberError::Prefix("+48 70".into()))
        );
        assert!(Prefix::parse("48").is_err());
        assert_eq!(Prefix::parse_spaced("+48 70").unwrap().as_str(), "+4870");
        assert_eq!(
            Prefix::parse_spaced("48 70"),
            Err(NumberError::Prefix("48 70".into()))
        );
        assert!(Prefix::parse_spaced("   ").is_err());
        let n = E164::parse("+48701234567").unwrap();
        assert!(Prefix::parse("+4870").unwrap().matches(&n));
        assert!(Prefix::parse("").unwrap().matches(&n));
        assert!(!Prefix::parse("+49").unwrap().matches(&n));
    }

    #[test]
    fn pins() {
        assert!(Pin::parse("4711").unwrap().accepts("4711"));
        assert!(Pin::parse("12345678").is_ok());
        for bad in ["123", "123456789", "12a4", ""] {
            assert_eq!(Pin::parse(bad), Err(NumberError::Pin), "{bad}");
        }
        assert_eq!(format!("{:?}", Pin::parse("4711").unwrap()), "Pin(****)");
    }
}
