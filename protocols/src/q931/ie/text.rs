//! Display (EN 300 403-1 §4.5.16) and keypad facility (§4.5.18): IA5 characters.
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------------------------------------+
//!   |  0  |   IA5 characters ...                    |  octets 3*
//!   +-----+-----------------------------------------+
//! ```

use serde::Serialize;

use super::ContentError;

/// Text for the user's display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Display {
    pub text: String,
}

/// Characters typed on the user's keypad: digits in overlap sending or DTMF-like keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeypadFacility {
    pub text: String,
}

impl Display {
    pub fn new(text: impl Into<String>) -> Display {
        Display { text: text.into() }
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<Display, ContentError> {
        ia5(contents).map(Display::new)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.text.as_bytes());
    }
}

impl KeypadFacility {
    pub fn new(text: impl Into<String>) -> KeypadFacility {
        KeypadFacility { text: text.into() }
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<KeypadFacility, ContentError> {
        ia5(contents).map(KeypadFacility::new)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.text.as_bytes());
    }
}

/// At least one IA5 (7-bit) character.
pub(crate) fn ia5(contents: &[u8]) -> Result<String, ContentError> {
    if contents.is_empty() {
        return Err(ContentError(0));
    }
    match contents.iter().position(|o| *o >= 0x80) {
        Some(offset) => Err(ContentError(offset)),
        None => Ok(contents.iter().map(|&o| char::from(o)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors() {
        assert_eq!(Display::decode(b"Jan K").unwrap().text, "Jan K");
        assert_eq!(KeypadFacility::decode(b"*21#").unwrap().text, "*21#");
        let mut out = Vec::new();
        KeypadFacility::new("5").encode(&mut out);
        assert_eq!(out, b"5");
        assert_eq!(Display::decode(&[0x41, 0xc3]), Err(ContentError(1)));
        assert_eq!(Display::decode(&[]), Err(ContentError(0)));
    }
}
