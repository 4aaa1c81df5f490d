//! `[[user]]` and its `[[user.mobile]]` entries: who may use callback, from which phones.
//!
//! A user has an extension, at least one mobile number, and optionally a name, a
//! `[[class]]` (without one, the user is limited only by the transit flag and one
//! bridged call at a time), a `direct_rate` (what a minute would cost without callback,
//! for the savings in CDRs; without it no saving is computed), a `pin` (4–8 digits,
//! allows triggers from untrusted trunks) and a `did` presented on transit calls.
//! `transit` (the TrEn flag) defaults to false: such a mobile may dial only internal
//! extensions.

use serde::Deserialize;

use crate::error::{Issues, Problem};
use crate::number::{E164, Extension, Pin};
use crate::value::non_negative;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMobile {
    pub number: Option<String>,
    transit: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUser {
    pub extension: Option<String>,
    name: Option<String>,
    pub class: Option<String>,
    direct_rate: Option<f64>,
    pin: Option<String>,
    did: Option<String>,
    pub mobile: Option<Vec<RawMobile>>,
}

/// A registered phone of a user.
#[derive(Debug, Clone, PartialEq)]
pub struct Mobile {
    pub number: E164,
    /// TrEn: may dial external numbers.
    pub transit: bool,
}

/// A validated `[[user]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub extension: Extension,
    pub name: Option<String>,
    /// The name of a `[[class]]`.
    pub class: Option<String>,
    pub direct_rate: Option<f64>,
    pub pin: Option<Pin>,
    pub did: Option<E164>,
    pub mobiles: Vec<Mobile>,
}

impl TryFrom<RawMobile> for Mobile {
    type Error = Issues;

    fn try_from(raw: RawMobile) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let number = issues.required("number", raw.number.as_deref());
        let number = number.and_then(|n| issues.check("number", n, E164::parse));
        let mobile = number.map(|number| Mobile {
            number,
            transit: raw.transit.unwrap_or(false),
        });
        issues.finish(mobile)
    }
}

/// Converts every mobile entry, nesting their issues under `mobile[i]`.
fn mobiles(raw: Option<Vec<RawMobile>>, issues: &mut Issues) -> Option<Vec<Mobile>> {
    let raw = raw.unwrap_or_default();
    if raw.is_empty() {
        issues.value("mobile", Problem::NoMobile);
        return None;
    }
    let mut mobiles = Vec::with_capacity(raw.len());
    for (i, entry) in raw.into_iter().enumerate() {
        match Mobile::try_from(entry) {
            Ok(mobile) => mobiles.push(mobile),
            Err(inner) => issues.nest(&format!("mobile[{i}]"), inner),
        }
    }
    Some(mobiles)
}

impl TryFrom<RawUser> for User {
    type Error = Issues;

    fn try_from(raw: RawUser) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let i = &mut issues;
        let extension = i.required("extension", raw.extension.as_deref());
        let extension = extension.and_then(|e| i.check("extension", e, Extension::parse));
        if raw.class.as_deref() == Some("") {
            i.value("class", Problem::Empty);
        }
        let direct_rate = i.check_opt("direct_rate", raw.direct_rate, non_negative);
        let pin = i.check_opt("pin", raw.pin.as_deref(), Pin::parse);
        let did = i.check_opt("did", raw.did.as_deref(), E164::parse);
        let mobiles = mobiles(raw.mobile, i);
        let user = (|| {
            Some(User {
                extension: extension?,
                name: raw.name,
                class: raw.class,
                direct_rate: direct_rate?,
                pin: pin?,
                did: did?,
                mobiles: mobiles?,
            })
        })();
        issues.finish(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mobile(number: &str) -> RawMobile {
        RawMobile {
            number: Some(number.into()),
            transit: None,
        }
    }

    #[test]
    fn a_user_with_defaults() {
        let raw = RawUser {
            extension: Some("101".into()),
            mobile: Some(vec![mobile("+48601111222")]),
            ..RawUser::default()
        };
        let user = User::try_from(raw).unwrap();
        assert_eq!(user.extension.as_str(), "101");
        assert!(!user.mobiles[0].transit);
        assert_eq!(
            (user.class, user.direct_rate, user.pin, user.did),
            (None, None, None, None)
        );
    }

    #[test]
    fn issues_of_mobiles_are_nested() {
        let raw = RawUser {
            extension: Some("10a".into()),
            direct_rate: Some(-1.0),
            pin: Some("12".into()),
            mobile: Some(vec![mobile("+48601111222"), mobile("0601")]),
            ..RawUser::default()
        };
        let keys: Vec<_> = User::try_from(raw)
            .unwrap_err()
            .0
            .into_iter()
            .map(|i| i.key)
            .collect();
        assert_eq!(
            keys,
            ["extension", "direct_rate", "pin", "mobile[1].number"]
        );
    }

    #[test]
    fn a_user_needs_a_mobile() {
        let raw = RawUser {
            extension: Some("101".into()),
            mobile: Some(vec![]),
            ..RawUser::default()
        };
        let issues = User::try_from(raw).unwrap_err();
        assert_eq!(issues.0[0].problem, Problem::NoMobile);
    }
}
