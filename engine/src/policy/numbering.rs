//! Reading what the user dialled (spec §1 steps 5–6): an internal extension, or an
//! external number normalised to E.164 with the node's country code and prefixes.
//!
//! | dialled (PL: cc 48, no national prefix, international 00) | read as |
//! |---|---|
//! | `101` (matches `[dialplan] internal`) | extension 101 |
//! | `0049301234567` | +49301234567 |
//! | `601234567` | +48601234567 |
//!
//! With a national prefix (e.g. DE: `0`), `0301234567` reads as +49301234567 and digits
//! without either prefix are refused: a subscriber number alone has no area.

use config::{Dialplan, E164, Match, Node};

use crate::session::{DialMatch, DialPlan, Refusal};

/// A dialled number, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialled {
    Internal(String),
    External(E164),
}

impl DialPlan for Dialplan {
    /// Complete only when an internal pattern matches whole and none could still grow.
    fn classify(&self, digits: &str) -> DialMatch {
        let complete = self
            .internal
            .iter()
            .any(|p| p.matches(digits) == Match::Complete);
        let growing = self
            .internal
            .iter()
            .any(|p| p.matches(digits) == Match::Prefix);
        if complete && !growing {
            DialMatch::Complete
        } else {
            DialMatch::Incomplete
        }
    }
}

/// Reads `digits` as dialled on this node.
pub fn read(digits: &str, node: &Node, plan: &Dialplan) -> Result<Dialled, Refusal> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
        return Err(Refusal::InvalidNumber);
    }
    if plan.matches(digits) == Match::Complete {
        return Ok(Dialled::Internal(digits.to_owned()));
    }
    let international = &node.international_prefix;
    let national = &node.national_prefix;
    let e164 = if !international.is_empty() && digits.starts_with(international.as_str()) {
        format!("+{}", &digits[international.len()..])
    } else if national.is_empty() {
        format!("+{}{digits}", node.country_code)
    } else if let Some(rest) = digits.strip_prefix(national.as_str()) {
        format!("+{}{rest}", node.country_code)
    } else {
        return Err(Refusal::InvalidNumber);
    };
    E164::parse(&e164)
        .map(Dialled::External)
        .map_err(|_| Refusal::InvalidNumber)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixture;

    fn read_pl(digits: &str) -> Result<Dialled, Refusal> {
        let cfg = fixture::config();
        read(digits, &cfg.node, &cfg.dialplan)
    }

    fn external(n: &str) -> Result<Dialled, Refusal> {
        Ok(Dialled::External(E164::parse(n).unwrap()))
    }

    #[test]
    fn polish_numbering() {
        assert_eq!(read_pl("101"), Ok(Dialled::Internal("101".into())));
        assert_eq!(read_pl("601234567"), external("+48601234567"));
        assert_eq!(read_pl("0049301234567"), external("+49301234567"));
        assert_eq!(read_pl("00"), Err(Refusal::InvalidNumber));
        assert_eq!(
            read_pl("00012345"),
            Err(Refusal::InvalidNumber),
            "no country code 0"
        );
        assert_eq!(read_pl("*12"), Err(Refusal::InvalidNumber));
        assert_eq!(read_pl(""), Err(Refusal::InvalidNumber));
    }

    #[test]
    fn national_prefix_countries() {
        let mut cfg = fixture::config();
        cfg.node.country_code = "49".into();
        cfg.node.national_prefix = "0".into();
        let read_de = |d: &str| read(d, &cfg.node, &cfg.dialplan);
        assert_eq!(read_de("0301234567"), external("+49301234567"));
        assert_eq!(read_de("0048601234567"), external("+48601234567"));
        assert_eq!(read_de("301234567"), Err(Refusal::InvalidNumber));
    }

    #[test]
    fn dial_plan_completion_waits_for_longer_patterns() {
        let cfg = fixture::config();
        assert_eq!(cfg.dialplan.classify("10"), DialMatch::Incomplete);
        assert_eq!(cfg.dialplan.classify("101"), DialMatch::Complete);
        let mut plan = cfg.dialplan.clone();
        plan.internal.push(config::Pattern::parse("1XXX").unwrap());
        assert_eq!(
            plan.classify("101"),
            DialMatch::Incomplete,
            "1012 is still possible"
        );
        assert_eq!(plan.classify("1012"), DialMatch::Complete);
    }
}
