//! `[[class]]`: a class of service, limiting what its users may dial and spend.
//!
//! `allow` absent means every number; `deny` wins over `allow` (premium-rate ranges).
//! Prefixes may be written with spaces (`"+48 70"`). `max_concurrent` (bridged calls at
//! once per user) defaults to 1 and must be at least 1; the daily caps are off unless set.

use serde::Deserialize;

use crate::error::{Issues, Problem};
use crate::number::{E164, Prefix};
use crate::value::non_negative;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClass {
    pub name: Option<String>,
    allow: Option<Vec<String>>,
    deny: Option<Vec<String>>,
    max_concurrent: Option<u32>,
    max_cost_per_day: Option<f64>,
    max_minutes_per_day: Option<u32>,
}

/// A validated `[[class]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub name: String,
    /// `None`: every number is allowed.
    pub allow: Option<Vec<Prefix>>,
    pub deny: Vec<Prefix>,
    pub max_concurrent: u32,
    /// In the tariffs' currency.
    pub max_cost_per_day: Option<f64>,
    pub max_minutes_per_day: Option<u32>,
}

impl Class {
    /// Whether the class lets its users dial `number` (the caps aside).
    pub fn permits(&self, number: &E164) -> bool {
        let allowed = match &self.allow {
            None => true,
            Some(allow) => allow.iter().any(|p| p.matches(number)),
        };
        allowed && !self.deny.iter().any(|p| p.matches(number))
    }
}

impl TryFrom<RawClass> for Class {
    type Error = Issues;

    fn try_from(raw: RawClass) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let i = &mut issues;
        let name = i.required("name", raw.name);
        let name = name.and_then(|n| {
            i.check("name", n, |n| match n.is_empty() {
                true => Err(Problem::Empty),
                false => Ok(n),
            })
        });
        let spaced = |s: String| Prefix::parse_spaced(&s);
        let allow = match raw.allow {
            None => Some(None),
            Some(list) => i.check_each("allow", list, spaced).map(Some),
        };
        let deny = i.check_each("deny", raw.deny.unwrap_or_default(), spaced);
        let max_concurrent = raw.max_concurrent.unwrap_or(1);
        if max_concurrent == 0 {
            i.value("max_concurrent", Problem::Zero);
        }
        let max_cost_per_day = i.check_opt("max_cost_per_day", raw.max_cost_per_day, non_negative);
        let class = (|| {
            Some(Class {
                name: name?,
                allow: allow?,
                deny: deny?,
                max_concurrent,
                max_cost_per_day: max_cost_per_day?,
                max_minutes_per_day: raw.max_minutes_per_day,
            })
        })();
        issues.finish(class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(allow: Option<&[&str]>, deny: &[&str]) -> Result<Class, Issues> {
        let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        Class::try_from(RawClass {
            name: Some("national".into()),
            allow: allow.map(strings),
            deny: Some(strings(deny)),
            ..RawClass::default()
        })
    }

    #[test]
    fn deny_wins_over_allow() {
        let class = class(Some(&["+48"]), &["+48 70"]).unwrap();
        let number = |s| E164::parse(s).unwrap();
        assert!(class.permits(&number("+48601234567")));
        assert!(!class.permits(&number("+48701234567")));
        assert!(!class.permits(&number("+49301234567")));
        assert_eq!(class.max_concurrent, 1);
    }

    #[test]
    fn absent_allow_is_everything() {
        let class = class(None, &[]).unwrap();
        assert!(class.permits(&E164::parse("+1212555").unwrap()));
    }

    #[test]
    fn bad_prefixes_are_reported_by_index() {
        let issues = class(Some(&["+48", "48"]), &["+48 7x"]).unwrap_err();
        let keys: Vec<_> = issues.0.into_iter().map(|i| i.key).collect();
        assert_eq!(keys, ["allow[1]", "deny[0]"]);
    }
}
