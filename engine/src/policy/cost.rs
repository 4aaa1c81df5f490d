//! What calls cost (spec §1 step 8): a tariff per trunk and longest number prefix, with a
//! setup charge, a per-minute price and a billing increment. An unanswered leg costs
//! nothing; an answered one is billed in whole increments, rounded up.
//!
//! A session's legs are both billed to the user's extension: the callback leg to the
//! mobile for as long as it was up, and the transit leg for its bridged time. The saving
//! is what the bridged minutes would have cost the user directly (`direct_rate` per
//! started minute, e.g. a roaming rate) less what the node charged.

use std::time::Duration;

use config::{Config, E164, Tariff};

use crate::session::TrunkId;

/// An amount in a currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub amount: f64,
    pub currency: String,
}

/// The tariff for calls to `number` on `trunk`: the longest matching prefix.
pub fn tariff_for<'c>(config: &'c Config, trunk: TrunkId, number: &E164) -> Option<&'c Tariff> {
    let name = &config.trunks.get(trunk.0)?.name;
    config
        .tariffs
        .iter()
        .filter(|t| &t.trunk == name && t.prefix.matches(number))
        .max_by_key(|t| t.prefix.len())
}

/// The price of an answered call of `duration` under `tariff`.
pub fn price(tariff: &Tariff, duration: Duration) -> Money {
    let amount = if duration.is_zero() {
        0.0
    } else {
        let increments = duration.as_secs_f64() / tariff.increment.as_secs_f64();
        let billed = increments.ceil() * tariff.increment.as_secs_f64();
        tariff.setup + tariff.per_minute * billed / 60.0
    };
    Money {
        amount: round_cents(amount),
        currency: tariff.currency.clone(),
    }
}

/// What the user would have paid without callback: `direct_rate` per started minute.
pub fn direct_price(direct_rate: f64, bridged: Duration) -> f64 {
    round_cents(direct_rate * (bridged.as_secs_f64() / 60.0).ceil())
}

/// Money is kept to 1/10000 of the unit, so sums of many calls do not drift.
fn round_cents(amount: f64) -> f64 {
    (amount * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixture;

    #[test]
    fn longest_prefix_tariff_per_trunk() {
        let cfg = fixture::config();
        let mobile = E164::parse("+48601234567").unwrap();
        let landline = E164::parse("+48221234567").unwrap();
        assert_eq!(
            tariff_for(&cfg, TrunkId(0), &mobile).unwrap().per_minute,
            0.20
        );
        assert_eq!(
            tariff_for(&cfg, TrunkId(0), &landline).unwrap().per_minute,
            0.10
        );
        assert!(
            tariff_for(&cfg, TrunkId(1), &landline).is_none(),
            "no tariff: free"
        );
    }

    #[test]
    fn increments_round_up_and_unanswered_is_free() {
        let cfg = fixture::config();
        let landline = E164::parse("+48221234567").unwrap();
        let per_minute = tariff_for(&cfg, TrunkId(0), &landline).unwrap();
        // 61 s in 60 s increments: two minutes plus setup.
        assert_eq!(price(per_minute, Duration::from_secs(61)).amount, 0.25);
        assert_eq!(price(per_minute, Duration::ZERO).amount, 0.0);
        let mobile = E164::parse("+48601234567").unwrap();
        let per_second = tariff_for(&cfg, TrunkId(0), &mobile).unwrap();
        assert_eq!(price(per_second, Duration::from_secs(90)).amount, 0.30);
        assert_eq!(price(per_second, Duration::from_secs(90)).currency, "PLN");
    }

    #[test]
    fn direct_rate_counts_started_minutes() {
        assert_eq!(direct_price(1.79, Duration::from_secs(61)), 3.58);
        assert_eq!(direct_price(1.79, Duration::ZERO), 0.0);
    }
}
