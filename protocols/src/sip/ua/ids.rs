//! Tags, branches and Call-IDs from a seed (a sans-IO machine has no randomness source).
//!
//! RFC 3261 asks for tags and Call-IDs that are globally unique and branches that are
//! unique per transaction (§8.1.1.4, §8.1.1.7, §19.3). A splitmix64 sequence from the
//! seed the driver supplies (from the OS at start-up) is unique enough for that; the
//! tests pass a fixed seed to get the same messages on every run.

use crate::sip::transaction::MAGIC_COOKIE;

/// The splitmix64 generator (Steele, Lea, Flood 2014).
#[derive(Debug, Clone)]
pub struct Ids {
    state: u64,
}

impl Ids {
    pub fn new(seed: u64) -> Ids {
        Ids { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A From or To tag.
    pub fn tag(&mut self) -> String {
        format!("{:016x}", self.next_u64())
    }

    /// A Via branch with the RFC 3261 magic cookie.
    pub fn branch(&mut self) -> String {
        format!("{MAGIC_COOKIE}{:016x}", self.next_u64())
    }

    /// A Call-ID local to `host`.
    pub fn call_id(&mut self, host: &str) -> String {
        format!(
            "{:016x}{:08x}@{host}",
            self.next_u64(),
            self.next_u64() as u32
        )
    }

    /// A client nonce for digest authentication.
    pub fn cnonce(&mut self) -> String {
        format!("{:016x}", self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids_and_branches_carry_the_cookie() {
        let (mut a, mut b) = (Ids::new(7), Ids::new(7));
        assert_eq!(a.tag(), b.tag());
        let branch = a.branch();
        assert!(branch.starts_with("z9hG4bK") && branch.len() == 23);
        assert_ne!(a.branch(), branch);
        assert!(a.call_id("192.0.2.1").ends_with("@192.0.2.1"));
    }
}
