//! Errors: what callers see ([`ConfigError`], [`ConfigErrors`]) and what the loader
//! collects on the way ([`Issue`], [`Problem`]).
//!
//! Every check records an [`Issue`]: the dotted key it is about (`trunk[2].rtp_ports`),
//! whether the key or its value is at fault, and the [`Problem`]. Section conversions
//! record keys relative to their table; the caller prefixes them. Only at the end are
//! keys turned into `line:column` through the source map, so checks never handle spans.

use std::fmt;
use std::net::AddrParseError;
use std::ops::Range;

use thiserror::Error;

use crate::duration::DurationError;
use crate::number::NumberError;
use crate::pattern::PatternError;
use crate::ports::PortRangeError;

/// One configuration error with its position (1-based line and column).
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{line}:{column}: {key}: {message}")]
pub struct ConfigError {
    pub line: usize,
    pub column: usize,
    /// The dotted path of the key, such as `trunk[2].rtp_ports`.
    pub key: String,
    pub message: String,
}

/// Every error found in one file, in the order they appear in it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    pub fn iter(&self) -> impl Iterator<Item = &ConfigError> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Reading a configuration file failed.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(ConfigErrors),
}

/// What is wrong with a key or its value.
#[derive(Debug, Clone, PartialEq, Error)]
pub(crate) enum Problem {
    /// The TOML parser's own description.
    #[error("{0}")]
    Syntax(String),
    #[error("unknown key `{name}` ({known})")]
    UnknownKey { name: String, known: String },
    /// serde's description of a value of the wrong type or an unknown variant.
    #[error("{0}")]
    Invalid(String),
    #[error("missing required key")]
    MissingKey,
    #[error("missing required table: at least one [[{0}]] is needed")]
    MissingTable(&'static str),
    #[error("required for {0} trunks")]
    MissingForKind(&'static str),
    #[error("`{key}` applies only to {owner} trunks, this one is {kind}")]
    WrongKind {
        key: &'static str,
        owner: &'static str,
        kind: &'static str,
    },
    #[error(transparent)]
    Duration(#[from] DurationError),
    #[error(transparent)]
    Number(#[from] NumberError),
    #[error(transparent)]
    Pattern(#[from] PatternError),
    #[error(transparent)]
    PortRange(#[from] PortRangeError),
    #[error("not a socket address such as 127.0.0.1:5060 or [::1]:5060 ({0})")]
    Address(#[from] AddrParseError),
    #[error("must not be empty")]
    Empty,
    #[error("expected {0}")]
    Expected(&'static str),
    #[error("must be greater than zero")]
    Zero,
    #[error("must not be negative, found {0}")]
    Negative(f64),
    #[error("names may hold only letters, digits, `-` and `_`")]
    BadName,
    #[error("a currency is three capital letters (ISO 4217), such as PLN or EUR")]
    BadCurrency,
    #[error("trusted_cli = true needs a `peer`: CLI is trusted only from the peer's address")]
    TrustWithoutPeer,
    #[error("ring_limit applies only with reject_mode = \"ignore\"")]
    RingLimitWithoutIgnore,
    #[error("`file` is read only with mode = \"licensed\"")]
    LicenceFileInDemo,
    #[error("mode = \"licensed\" needs `file`, the signed licence file")]
    LicenceFileMissing,
    #[error("demo licence allows 1 callback number, found {0}")]
    DemoLimit(usize),
    #[error("a user needs at least one [[user.mobile]]")]
    NoMobile,
    #[error("unknown trunk `{0}`")]
    UnknownTrunk(String),
    #[error("unknown class `{0}`")]
    UnknownClass(String),
    #[error("duplicate {what} {value:?}, already at {first}")]
    Duplicate {
        what: &'static str,
        value: String,
        first: String,
    },
    #[error("SIP listen address {addr} ({transport}) already used by {first}")]
    ListenConflict {
        addr: String,
        transport: &'static str,
        first: String,
    },
    #[error("trunk `{0}` has no `peer` to send calls to")]
    NoPeer(String),
    #[error(
        "internal extensions have nowhere to go: set `internal_trunk` or a default route (prefix = \"\")"
    )]
    InternalUnreachable,
}

/// Which part of a `key = value` line an issue points at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum At {
    Key,
    Value,
    /// An exact place in the text (from the parser or serde).
    Span(Range<usize>),
}

/// One problem found while loading, before it is given a line and column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    pub key: String,
    pub at: At,
    pub problem: Problem,
}

/// The issues of one table (keys relative to it) or of the whole file.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Issues(pub Vec<Issue>);

impl Issues {
    pub fn value(&mut self, key: impl Into<String>, problem: impl Into<Problem>) {
        self.push(key.into(), At::Value, problem.into());
    }

    pub fn key(&mut self, key: impl Into<String>, problem: Problem) {
        self.push(key.into(), At::Key, problem);
    }

    fn push(&mut self, key: String, at: At, problem: Problem) {
        self.0.push(Issue { key, at, problem });
    }

    /// The value of a required key, or a "missing required key" issue.
    pub fn required<T>(&mut self, key: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.value(key, Problem::MissingKey);
        }
        value
    }

    /// Keeps the value if `check` accepts it, records the issue otherwise.
    pub fn check<T, U, E: Into<Problem>>(
        &mut self,
        key: &str,
        value: T,
        check: impl FnOnce(T) -> Result<U, E>,
    ) -> Option<U> {
        check(value).map_err(|e| self.value(key, e)).ok()
    }

    /// Like [`Issues::check`] for an optional key: `Some(None)` when it is absent.
    pub fn check_opt<T, U, E: Into<Problem>>(
        &mut self,
        key: &str,
        value: Option<T>,
        check: impl FnOnce(T) -> Result<U, E>,
    ) -> Option<Option<U>> {
        match value {
            None => Some(None),
            Some(value) => self.check(key, value, check).map(Some),
        }
    }

    /// Checks each element of a list, recording issues at `key[i]`.
    pub fn check_each<T, U, E: Into<Problem>>(
        &mut self,
        key: &str,
        values: Vec<T>,
        check: impl Fn(T) -> Result<U, E>,
    ) -> Option<Vec<U>> {
        let before = self.0.len();
        let checked: Vec<U> = (values.into_iter().enumerate())
            .filter_map(|(i, value)| self.check(&format!("{key}[{i}]"), value, &check))
            .collect();
        (self.0.len() == before).then_some(checked)
    }

    /// Takes the issues of a sub-table, prefixing their keys with `prefix`.
    pub fn nest(&mut self, prefix: &str, inner: Issues) {
        for mut issue in inner.0 {
            issue.key = format!("{prefix}.{}", issue.key);
            self.0.push(issue);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Issues> {
        match value {
            Some(value) if self.is_empty() => Ok(value),
            _ => Err(self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_line_column_key_message() {
        let e = ConfigError {
            line: 3,
            column: 7,
            key: "trunk[0].listen".into(),
            message: "missing required key".into(),
        };
        assert_eq!(e.to_string(), "3:7: trunk[0].listen: missing required key");
    }

    #[test]
    fn nest_prefixes_keys() {
        let mut inner = Issues::default();
        inner.value("number", Problem::MissingKey);
        let mut outer = Issues::default();
        outer.nest("user[1].mobile[0]", inner);
        assert_eq!(outer.0[0].key, "user[1].mobile[0].number");
    }
}
