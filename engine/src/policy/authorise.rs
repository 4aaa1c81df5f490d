//! May this user call this number? (spec §1 step 6 and the spend caps.)
//!
//! An internal extension may always be dialled. An external number needs the mobile
//! entry's transit flag (TrEn), a match in the class's `allow` prefixes (absent: all), no
//! match in its `deny` prefixes, the user under `max_concurrent` bridged calls (1 without
//! a class) and under the daily cost and minutes caps. Every grant carries the trunks to
//! try and the number to present: the user's `did` when set, else the trigger's callback
//! number — never the mobile.

use config::{Config, E164, Mobile, User};

use super::numbering::{self, Dialled};
use super::routing;
use crate::session::{Refusal, TrunkId};

/// What the user has in progress and has spent today.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub bridged_now: u32,
    pub cost_today: f64,
    pub minutes_today: f64,
}

/// A permitted call.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub dialled: Dialled,
    pub trunks: Vec<TrunkId>,
    pub presented: E164,
}

/// Decides whether `user`, calling from `mobile`, may dial `digits`.
pub fn authorise(
    config: &Config,
    user: &User,
    mobile: &Mobile,
    callback_cli: &E164,
    digits: &str,
    usage: Usage,
) -> Result<Grant, Refusal> {
    let dialled = numbering::read(digits, &config.node, &config.dialplan)?;
    if let Dialled::External(number) = &dialled {
        check_external(config, user, mobile, number, usage)?;
    }
    let trunks = routing::trunks_for(config, &dialled);
    if trunks.is_empty() {
        return Err(Refusal::NoRoute);
    }
    let presented = user.did.clone().unwrap_or_else(|| callback_cli.clone());
    Ok(Grant {
        dialled,
        trunks,
        presented,
    })
}

fn check_external(
    config: &Config,
    user: &User,
    mobile: &Mobile,
    number: &E164,
    usage: Usage,
) -> Result<(), Refusal> {
    if !mobile.transit {
        return Err(Refusal::NoTransit);
    }
    let class = user.class.as_deref().and_then(|name| config.class(name));
    let Some(class) = class else {
        return if usage.bridged_now >= 1 {
            Err(Refusal::ConcurrentLimit)
        } else {
            Ok(())
        };
    };
    if let Some(allow) = &class.allow
        && !allow.iter().any(|p| p.matches(number))
    {
        return Err(Refusal::NotAllowed);
    }
    if class.deny.iter().any(|p| p.matches(number)) {
        return Err(Refusal::DeniedPrefix);
    }
    if usage.bridged_now >= class.max_concurrent {
        return Err(Refusal::ConcurrentLimit);
    }
    let over_cost = class
        .max_cost_per_day
        .is_some_and(|cap| usage.cost_today >= cap);
    let over_minutes = class
        .max_minutes_per_day
        .is_some_and(|cap| usage.minutes_today >= f64::from(cap));
    if over_cost || over_minutes {
        return Err(Refusal::SpendCap);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixture;

    fn check(digits: &str, transit: bool, usage: Usage) -> Result<Grant, Refusal> {
        let cfg = fixture::config();
        let user = cfg.users[0].clone();
        let mut mobile = user.mobiles[0].clone();
        mobile.transit = transit;
        let cli = cfg.triggers[0].callback_cli.clone();
        authorise(&cfg, &user, &mobile, &cli, digits, usage)
    }

    #[test]
    fn internal_extensions_are_always_allowed() {
        let busy = Usage {
            bridged_now: 5,
            cost_today: 1e6,
            minutes_today: 1e6,
        };
        let grant = check("101", false, busy).unwrap();
        assert_eq!(grant.dialled, Dialled::Internal("101".into()));
        assert_eq!(grant.trunks, vec![TrunkId(1)]);
    }

    #[test]
    fn external_needs_transit() {
        assert_eq!(
            check("601234567", false, Usage::default()),
            Err(Refusal::NoTransit)
        );
        let grant = check("601234567", true, Usage::default()).unwrap();
        assert_eq!(grant.trunks, vec![TrunkId(0), TrunkId(2)]);
        assert_eq!(
            grant.presented.as_str(),
            "+48225551000",
            "the company number"
        );
    }

    #[test]
    fn class_allow_and_deny_prefixes() {
        assert_eq!(
            check("0049301234567", true, Usage::default()),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            check("701234567", true, Usage::default()),
            Err(Refusal::DeniedPrefix)
        );
    }

    #[test]
    fn concurrency_and_daily_caps() {
        let one = Usage {
            bridged_now: 1,
            ..Usage::default()
        };
        assert_eq!(check("601234567", true, one), Err(Refusal::ConcurrentLimit));
        let spent = Usage {
            cost_today: 50.0,
            ..Usage::default()
        };
        assert_eq!(check("601234567", true, spent), Err(Refusal::SpendCap));
        let talked = Usage {
            minutes_today: 240.0,
            ..Usage::default()
        };
        assert_eq!(check("601234567", true, talked), Err(Refusal::SpendCap));
    }

    #[test]
    fn did_is_presented_when_set() {
        let cfg = fixture::config();
        let mut user = cfg.users[0].clone();
        user.did = Some(E164::parse("+48225551001").unwrap());
        let cli = cfg.triggers[0].callback_cli.clone();
        let grant = authorise(
            &cfg,
            &user,
            &user.mobiles[0],
            &cli,
            "601234567",
            Usage::default(),
        )
        .unwrap();
        assert_eq!(grant.presented.as_str(), "+48225551001");
    }

    #[test]
    fn unroutable_numbers_are_refused() {
        let mut cfg = fixture::config();
        cfg.routes.retain(|r| !r.prefix.is_empty());
        cfg.classes[0].allow = None;
        let user = cfg.users[0].clone();
        let cli = cfg.triggers[0].callback_cli.clone();
        let result = authorise(
            &cfg,
            &user,
            &user.mobiles[0],
            &cli,
            "0049301234567",
            Usage::default(),
        );
        assert_eq!(result, Err(Refusal::NoRoute));
    }
}
