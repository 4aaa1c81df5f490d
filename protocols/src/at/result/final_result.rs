//! Final result codes: the end of a command's response (V.250 §5.7.2, TS 27.007 §9.2).
//!
//! ```text
//! OK | CONNECT [<text>] | NO CARRIER | ERROR | NO DIALTONE | BUSY | NO ANSWER
//! +CME ERROR: <err>      (TS 27.007 §9.2, numeric or verbose)
//! +CMS ERROR: <err>      (TS 27.005 §3.2.5)
//! ```
//!
//! `NO CARRIER`, `BUSY`, `NO ANSWER` and `NO DIALTONE` also arrive on their own when a voice
//! call set up with `ATD…;` ends later; [`super::classify`] tells the two uses apart.

use std::fmt;

use serde::Serialize;

/// An error report: a number (`+CMEE=1`) or text (`+CMEE=2`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ErrorCode {
    Numeric(u16),
    Text(String),
}

impl ErrorCode {
    fn parse(text: &str) -> ErrorCode {
        match text.parse() {
            Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => ErrorCode::Numeric(n),
            _ => ErrorCode::Text(text.to_owned()),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Numeric(n) => write!(f, "{n}"),
            ErrorCode::Text(t) => f.write_str(t),
        }
    }
}

/// A final result code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum FinalResult {
    Ok,
    Connect(Option<String>),
    NoCarrier,
    Error,
    NoDialtone,
    Busy,
    NoAnswer,
    CmeError(ErrorCode),
    CmsError(ErrorCode),
}

impl FinalResult {
    /// Recognises a final result line; `None` when the line is something else.
    pub fn parse(line: &str) -> Option<FinalResult> {
        let plain = match line {
            "OK" => FinalResult::Ok,
            "CONNECT" => FinalResult::Connect(None),
            "NO CARRIER" => FinalResult::NoCarrier,
            "ERROR" => FinalResult::Error,
            "NO DIALTONE" => FinalResult::NoDialtone,
            "BUSY" => FinalResult::Busy,
            "NO ANSWER" => FinalResult::NoAnswer,
            _ => return Self::parse_with_text(line),
        };
        Some(plain)
    }

    fn parse_with_text(line: &str) -> Option<FinalResult> {
        if let Some(text) = line.strip_prefix("CONNECT ") {
            return Some(FinalResult::Connect(Some(text.to_owned())));
        }
        if let Some(text) = line.strip_prefix("+CME ERROR:") {
            return Some(FinalResult::CmeError(ErrorCode::parse(text.trim_start())));
        }
        let text = line.strip_prefix("+CMS ERROR:")?;
        Some(FinalResult::CmsError(ErrorCode::parse(text.trim_start())))
    }

    /// Whether the command succeeded (`OK` or `CONNECT`).
    pub fn is_success(&self) -> bool {
        matches!(self, FinalResult::Ok | FinalResult::Connect(_))
    }

    /// Whether this result also reports the end of a voice call.
    pub fn is_call_status(&self) -> bool {
        matches!(
            self,
            FinalResult::NoCarrier
                | FinalResult::Busy
                | FinalResult::NoAnswer
                | FinalResult::NoDialtone
        )
    }
}

impl fmt::Display for FinalResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinalResult::Ok => f.write_str("OK"),
            FinalResult::Connect(None) => f.write_str("CONNECT"),
            FinalResult::Connect(Some(text)) => write!(f, "CONNECT {text}"),
            FinalResult::NoCarrier => f.write_str("NO CARRIER"),
            FinalResult::Error => f.write_str("ERROR"),
            FinalResult::NoDialtone => f.write_str("NO DIALTONE"),
            FinalResult::Busy => f.write_str("BUSY"),
            FinalResult::NoAnswer => f.write_str("NO ANSWER"),
            FinalResult::CmeError(code) => write!(f, "+CME ERROR: {code}"),
            FinalResult::CmsError(code) => write!(f, "+CMS ERROR: {code}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("OK", FinalResult::Ok),
            ("CONNECT", FinalResult::Connect(None)),
            ("CONNECT 9600", FinalResult::Connect(Some("9600".into()))),
            ("NO CARRIER", FinalResult::NoCarrier),
            ("ERROR", FinalResult::Error),
            ("NO DIALTONE", FinalResult::NoDialtone),
            ("BUSY", FinalResult::Busy),
            ("NO ANSWER", FinalResult::NoAnswer),
            (
                "+CME ERROR: 10",
                FinalResult::CmeError(ErrorCode::Numeric(10)),
            ),
            (
                "+CME ERROR: SIM not inserted",
                FinalResult::CmeError(ErrorCode::Text("SIM not inserted".into())),
            ),
            (
                "+CMS ERROR: 500",
                FinalResult::CmsError(ErrorCode::Numeric(500)),
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(FinalResult::parse(line), Some(expected.clone()), "{line}");
            assert_eq!(expected.to_string(), line);
        }
    }

    #[test]
    fn not_final() {
        for line in ["RING", "OKAY", "CONNECTED", "+CME ERROR", "ok"] {
            assert_eq!(FinalResult::parse(line), None, "{line}");
        }
    }

    #[test]
    fn huge_numeric_error_stays_text() {
        let r = FinalResult::parse("+CME ERROR: 99999999").unwrap();
        assert_eq!(r, FinalResult::CmeError(ErrorCode::Text("99999999".into())));
        assert_eq!(FinalResult::parse(&r.to_string()), Some(r));
    }

    #[test]
    fn call_status_finals() {
        assert!(FinalResult::Busy.is_call_status());
        assert!(!FinalResult::Ok.is_call_status());
        assert!(FinalResult::Connect(None).is_success());
    }
}
