//! Collecting the number the user dials after dial tone (spec §1 step 5).
//!
//! Dialling ends on `#` (not part of the number), when the dial plan recognises a
//! complete internal extension, or at [`MAX_DIGITS`]; the inter-digit timeout is the
//! session's business.

use protocols::call::Digit;

/// The longest number collected (E.164 allows 15 digits; prefixes add a few).
pub const MAX_DIGITS: usize = 20;

/// What the dial plan says of the digits so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialMatch {
    /// A complete internal extension that no longer pattern could extend.
    Complete,
    /// Not (yet) an internal extension.
    Incomplete,
}

/// The internal-extension patterns of `[dialplan] internal`.
pub trait DialPlan {
    fn classify(&self, digits: &str) -> DialMatch;
}

/// The result of one key press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Collected {
    /// Keep collecting.
    More,
    /// Dialling is over: the number (possibly empty, when `#` came first).
    Done(String),
}

/// The digits dialled so far.
#[derive(Debug, Clone, Default)]
pub struct Collector {
    digits: String,
}

impl Collector {
    pub fn digits(&self) -> &str {
        &self.digits
    }

    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    pub fn push(&mut self, digit: Digit, plan: &dyn DialPlan) -> Collected {
        if digit.as_char() == '#' {
            return Collected::Done(std::mem::take(&mut self.digits));
        }
        self.digits.push(digit.as_char());
        if self.digits.len() >= MAX_DIGITS || plan.classify(&self.digits) == DialMatch::Complete {
            return Collected::Done(std::mem::take(&mut self.digits));
        }
        Collected::More
    }

    /// Ends dialling (the inter-digit timeout) with what was dialled.
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.digits)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `1XX`-style patterns for tests: digits, `X` any digit.
    pub struct Patterns(pub Vec<&'static str>);

    impl DialPlan for Patterns {
        fn classify(&self, digits: &str) -> DialMatch {
            let complete = self.0.iter().any(|p| {
                p.len() == digits.len()
                    && p.chars()
                        .zip(digits.chars())
                        .all(|(p, d)| p == d || (p == 'X' && d.is_ascii_digit()))
            });
            if complete {
                DialMatch::Complete
            } else {
                DialMatch::Incomplete
            }
        }
    }

    fn dial(keys: &str) -> Vec<Collected> {
        let plan = Patterns(vec!["1XX"]);
        let mut c = Collector::default();
        keys.chars()
            .map(|k| c.push(Digit::from_char(k).unwrap(), &plan))
            .collect()
    }

    #[test]
    fn internal_extension_completes_itself() {
        assert_eq!(dial("101").last(), Some(&Collected::Done("101".into())));
    }

    #[test]
    fn hash_ends_dialling_and_is_not_part_of_the_number() {
        assert_eq!(dial("0601#").last(), Some(&Collected::Done("0601".into())));
        assert_eq!(dial("#"), vec![Collected::Done(String::new())]);
    }

    #[test]
    fn twenty_digits_at_most() {
        let keys = "0".repeat(25);
        let results = dial(&keys);
        assert_eq!(results[19], Collected::Done("0".repeat(20)));
        assert!(results[..19].iter().all(|r| *r == Collected::More));
    }
}
