//! `[[trigger]]`: the numbers whose calls start a callback.
//!
//! `callback_cli` defaults to the trigger's own number.

use serde::Deserialize;

use crate::error::Issues;
use crate::number::E164;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrigger {
    pub number: Option<String>,
    callback_cli: Option<String>,
}

/// A validated `[[trigger]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// Calls to this number start a callback.
    pub number: E164,
    /// The caller ID the callback presents.
    pub callback_cli: E164,
}

impl TryFrom<RawTrigger> for Trigger {
    type Error = Issues;

    fn try_from(raw: RawTrigger) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let number = issues.required("number", raw.number.as_deref());
        let number = number.and_then(|n| issues.check("number", n, E164::parse));
        let cli = issues.check_opt("callback_cli", raw.callback_cli.as_deref(), E164::parse);
        let trigger = (|| {
            let number = number?;
            let callback_cli = cli?.unwrap_or_else(|| number.clone());
            Some(Trigger {
                number,
                callback_cli,
            })
        })();
        issues.finish(trigger)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_cli_defaults_to_the_number() {
        let raw = RawTrigger {
            number: Some("+48225551000".into()),
            callback_cli: None,
        };
        let trigger = Trigger::try_from(raw).unwrap();
        assert_eq!(trigger.callback_cli, trigger.number);
    }

    #[test]
    fn both_numbers_are_checked() {
        let raw = RawTrigger {
            number: Some("48225551000".into()),
            callback_cli: Some("+48 22".into()),
        };
        assert_eq!(Trigger::try_from(raw).unwrap_err().0.len(), 2);
    }
}
