//! `[dialplan]`: which dialled numbers are internal extensions and where they go.
//!
//! Defaults: `internal = ["1XX"]` (spec §3). `internal_trunk` has no default: without it
//! internal extensions are sent by the default route (`prefix = ""`), and a file with
//! internal patterns but neither is an error (checked with the cross-references).

use serde::Deserialize;

use crate::error::Issues;
use crate::pattern::{Match, Pattern};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDialplan {
    pub internal: Option<Vec<String>>,
    pub internal_trunk: Option<String>,
}

/// A validated `[dialplan]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dialplan {
    pub internal: Vec<Pattern>,
    /// The trunk internal extensions are reached by.
    pub internal_trunk: Option<String>,
}

impl Dialplan {
    /// Compares dialled digits with every internal pattern: `Complete` if one matches
    /// whole, else `Prefix` if one may still match, else `No`.
    pub fn matches(&self, digits: &str) -> Match {
        let found = |m| self.internal.iter().any(|p| p.matches(digits) == m);
        if found(Match::Complete) {
            Match::Complete
        } else if found(Match::Prefix) {
            Match::Prefix
        } else {
            Match::No
        }
    }
}

impl TryFrom<RawDialplan> for Dialplan {
    type Error = Issues;

    fn try_from(raw: RawDialplan) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let internal = raw.internal.unwrap_or_else(|| vec!["1XX".into()]);
        let internal = issues.check_each("internal", internal, |s| Pattern::parse(&s));
        let dialplan = internal.map(|internal| Dialplan {
            internal,
            internal_trunk: raw.internal_trunk,
        });
        issues.finish(dialplan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialplan(internal: &[&str]) -> Result<Dialplan, Issues> {
        Dialplan::try_from(RawDialplan {
            internal: Some(internal.iter().map(|s| s.to_string()).collect()),
            internal_trunk: None,
        })
    }

    #[test]
    fn any_pattern_may_match() {
        let plan = dialplan(&["1XX", "2XXX"]).unwrap();
        assert_eq!(plan.matches("101"), Match::Complete);
        assert_eq!(plan.matches("200"), Match::Prefix);
        assert_eq!(plan.matches("2000"), Match::Complete);
        assert_eq!(plan.matches("3"), Match::No);
    }

    #[test]
    fn default_is_1xx() {
        let plan = Dialplan::try_from(RawDialplan::default()).unwrap();
        assert_eq!(plan.internal, [Pattern::parse("1XX").unwrap()]);
    }

    #[test]
    fn bad_patterns_are_reported_by_index() {
        let issues = dialplan(&["1XX", "1Y"]).unwrap_err();
        assert_eq!(issues.0[0].key, "internal[1]");
    }
}
