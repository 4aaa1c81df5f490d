//! `[[tariff]]`: what calls cost on a trunk, for CDRs and spend caps.
//!
//! A tariff names a trunk and a number prefix (`""`, the default, is every number; the
//! longest matching prefix wins). `per_minute` is required; `setup` defaults to 0,
//! `increment` (the billing step) to `"1s"`, `currency` to `"PLN"`. Prices must not be
//! negative; the increment must be greater than zero.

use std::time::Duration;

use serde::Deserialize;

use crate::duration::parse_duration;
use crate::error::{Issues, Problem};
use crate::number::Prefix;
use crate::value::non_negative;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTariff {
    pub trunk: Option<String>,
    pub prefix: Option<String>,
    per_minute: Option<f64>,
    setup: Option<f64>,
    increment: Option<String>,
    currency: Option<String>,
}

/// A validated `[[tariff]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tariff {
    pub trunk: String,
    pub prefix: Prefix,
    pub per_minute: f64,
    pub setup: f64,
    pub increment: Duration,
    /// ISO 4217 code.
    pub currency: String,
}

fn increment(text: &str) -> Result<Duration, Problem> {
    match parse_duration(text)? {
        d if d.is_zero() => Err(Problem::Zero),
        d => Ok(d),
    }
}

fn currency(code: String) -> Result<String, Problem> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(Problem::BadCurrency)
    }
}

impl TryFrom<RawTariff> for Tariff {
    type Error = Issues;

    fn try_from(raw: RawTariff) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let i = &mut issues;
        let trunk = i.required("trunk", raw.trunk);
        let prefix = i.check("prefix", raw.prefix.as_deref().unwrap_or(""), Prefix::parse);
        let per_minute = i.required("per_minute", raw.per_minute);
        let per_minute = per_minute.and_then(|p| i.check("per_minute", p, non_negative));
        let setup = i.check("setup", raw.setup.unwrap_or(0.0), non_negative);
        let increment = i.check(
            "increment",
            raw.increment.as_deref().unwrap_or("1s"),
            increment,
        );
        let currency = i.check(
            "currency",
            raw.currency.unwrap_or_else(|| "PLN".into()),
            currency,
        );
        let tariff = (|| {
            Some(Tariff {
                trunk: trunk?,
                prefix: prefix?,
                per_minute: per_minute?,
                setup: setup?,
                increment: increment?,
                currency: currency?,
            })
        })();
        issues.finish(tariff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let raw = RawTariff {
            trunk: Some("operator".into()),
            per_minute: Some(0.1),
            ..RawTariff::default()
        };
        let tariff = Tariff::try_from(raw).unwrap();
        assert!(tariff.prefix.is_empty());
        assert_eq!(tariff.setup, 0.0);
        assert_eq!(tariff.increment, Duration::from_secs(1));
        assert_eq!(tariff.currency, "PLN");
    }

    #[test]
    fn every_bad_value_is_reported() {
        let raw = RawTariff {
            trunk: Some("operator".into()),
            prefix: Some("+0".into()),
            per_minute: Some(-0.1),
            setup: Some(-1.0),
            increment: Some("0s".into()),
            currency: Some("zł".into()),
        };
        let keys: Vec<_> = Tariff::try_from(raw)
            .unwrap_err()
            .0
            .into_iter()
            .map(|i| i.key)
            .collect();
        assert_eq!(
            keys,
            ["prefix", "per_minute", "setup", "increment", "currency"]
        );
    }
}
