//! Who is calling the trigger number? (spec §1 step 1.)
//!
//! The called number must be one of the `[[trigger]]` numbers; the CLI must be present,
//! presentable, registered as some user's mobile, and trusted — delivered by a trunk that
//! vouches for it. Numbers arrive as trunks deliver them (international, national,
//! unknown) and are compared in E.164.

use config::{Config, E164, Node};
use protocols::call::{NumberKind, PartyNumber, Presentation};

/// The `result` label of `callbackd_triggers_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerResult {
    Accepted,
    UnknownCli,
    Untrusted,
    RateLimited,
    Licence,
}

impl TriggerResult {
    pub const ALL: [TriggerResult; 5] = [
        TriggerResult::Accepted,
        TriggerResult::UnknownCli,
        TriggerResult::Untrusted,
        TriggerResult::RateLimited,
        TriggerResult::Licence,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TriggerResult::Accepted => "accepted",
            TriggerResult::UnknownCli => "unknown_cli",
            TriggerResult::Untrusted => "untrusted",
            TriggerResult::RateLimited => "rate_limited",
            TriggerResult::Licence => "licence",
        }
    }
}

/// A recognised trigger: indices into the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub trigger: usize,
    pub user: usize,
    pub mobile: usize,
}

/// Why an offered call is not a trigger we act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTrigger {
    /// The called number is no trigger number (answered as an unallocated number).
    NotATriggerNumber,
    /// A trigger from a caller we will not call back.
    Refused(TriggerResult),
}

/// Identifies the caller of an offered call.
pub fn identify(
    config: &Config,
    called: Option<&PartyNumber>,
    calling: Option<&PartyNumber>,
    cli_trusted: bool,
) -> Result<Caller, NotTrigger> {
    let called = called.and_then(|n| to_e164(&config.node, n));
    let trigger = called
        .as_ref()
        .and_then(|n| config.triggers.iter().position(|t| t.number == *n))
        .or(if config.triggers.len() == 1 && called.is_none() {
            Some(0)
        } else {
            None
        })
        .ok_or(NotTrigger::NotATriggerNumber)?;
    let refused = NotTrigger::Refused;
    let calling = calling
        .filter(|n| n.presentation == Presentation::Allowed)
        .and_then(|n| to_e164(&config.node, n))
        .ok_or(refused(TriggerResult::UnknownCli))?;
    let (user, mobile) = config
        .users
        .iter()
        .enumerate()
        .find_map(|(u, user)| {
            let m = user.mobiles.iter().position(|m| m.number == calling)?;
            Some((u, m))
        })
        .ok_or(refused(TriggerResult::UnknownCli))?;
    if !cli_trusted {
        return Err(refused(TriggerResult::Untrusted));
    }
    Ok(Caller {
        trigger,
        user,
        mobile,
    })
}

/// A delivered number in E.164, if it can be read as one.
pub fn to_e164(node: &Node, number: &PartyNumber) -> Option<E164> {
    let digits = number.digits.as_str();
    let text = match number.kind {
        NumberKind::International => format!("+{digits}"),
        NumberKind::National => {
            let rest = digits
                .strip_prefix(node.national_prefix.as_str())
                .unwrap_or(digits);
            format!("+{}{rest}", node.country_code)
        }
        NumberKind::Subscriber => return None,
        NumberKind::Unknown => {
            let intl = node.international_prefix.as_str();
            let national = node.national_prefix.as_str();
            if !intl.is_empty() && digits.starts_with(intl) {
                format!("+{}", &digits[intl.len()..])
            } else if !national.is_empty() && digits.starts_with(national) {
                format!("+{}{}", node.country_code, &digits[national.len()..])
            } else if digits.starts_with(node.country_code.as_str()) && digits.len() > 9 {
                // Many networks send international numbers without type or prefix.
                format!("+{digits}")
            } else {
                format!("+{}{digits}", node.country_code)
            }
        }
    };
    E164::parse(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixture;

    fn number(digits: &str, kind: NumberKind) -> PartyNumber {
        PartyNumber {
            digits: digits.into(),
            kind,
            presentation: Presentation::Allowed,
        }
    }

    #[test]
    fn a_registered_trusted_mobile_calling_the_trigger_is_accepted() {
        let cfg = fixture::config();
        let called = number("48225551000", NumberKind::International);
        let calling = number("48601111222", NumberKind::International);
        let caller = identify(&cfg, Some(&called), Some(&calling), true).unwrap();
        assert_eq!(
            caller,
            Caller {
                trigger: 0,
                user: 0,
                mobile: 0
            }
        );
        let national = number("601111222", NumberKind::National);
        assert!(identify(&cfg, Some(&called), Some(&national), true).is_ok());
        let unknown = number("0048601111222", NumberKind::Unknown);
        assert!(identify(&cfg, Some(&called), Some(&unknown), true).is_ok());
    }

    #[test]
    fn unknown_withheld_and_untrusted_callers_are_refused() {
        let cfg = fixture::config();
        let called = number("48225551000", NumberKind::International);
        let stranger = number("48609999999", NumberKind::International);
        let refused = |r| Err(NotTrigger::Refused(r));
        assert_eq!(
            identify(&cfg, Some(&called), Some(&stranger), true),
            refused(TriggerResult::UnknownCli)
        );
        assert_eq!(
            identify(&cfg, Some(&called), None, true),
            refused(TriggerResult::UnknownCli)
        );
        let mut withheld = number("48601111222", NumberKind::International);
        withheld.presentation = Presentation::Restricted;
        assert_eq!(
            identify(&cfg, Some(&called), Some(&withheld), true),
            refused(TriggerResult::UnknownCli)
        );
        let mobile = number("48601111222", NumberKind::International);
        assert_eq!(
            identify(&cfg, Some(&called), Some(&mobile), false),
            refused(TriggerResult::Untrusted)
        );
    }

    #[test]
    fn other_numbers_are_not_triggers() {
        let cfg = fixture::config();
        let other = number("48225559999", NumberKind::International);
        let mobile = number("48601111222", NumberKind::International);
        assert_eq!(
            identify(&cfg, Some(&other), Some(&mobile), true),
            Err(NotTrigger::NotATriggerNumber)
        );
    }
}
