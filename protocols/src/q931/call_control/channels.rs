//! B-channel allocation on the network side (EN 300 403-1 §5.1.2, §5.2.3).

use std::collections::BTreeSet;

use crate::call::Cause;
use crate::q931::ie::{ChannelIdentification, InterfaceType};

/// The B channels in use on the interface.
#[derive(Debug, Clone)]
pub(crate) struct Channels {
    interface: InterfaceType,
    busy: BTreeSet<u8>,
}

impl Channels {
    pub fn new(interface: InterfaceType) -> Channels {
        Channels {
            interface,
            busy: BTreeSet::new(),
        }
    }

    /// The B channels of the interface: 1–2, or 1–31 without the D channel 16.
    fn all(&self) -> impl Iterator<Item = u8> {
        let last = match self.interface {
            InterfaceType::Basic => 2,
            InterfaceType::Primary => 31,
        };
        let primary = self.interface == InterfaceType::Primary;
        (1..=last).filter(move |c| !(primary && *c == 16))
    }

    /// A free channel: the requested one when it is free, another unless it was
    /// exclusive. Causes #44 (requested circuit not available) and #34 (no circuit).
    pub fn allocate(&mut self, request: Option<&ChannelIdentification>) -> Result<u8, Cause> {
        let wanted = request.and_then(ChannelIdentification::channel);
        let exclusive = request.is_some_and(|r| r.exclusive);
        let channel = match wanted {
            Some(c) if self.is_free(c) => Some(c),
            Some(_) if exclusive => return Err(Cause::REQUESTED_CIRCUIT_NOT_AVAILABLE),
            _ => self.all().find(|c| !self.busy.contains(c)),
        };
        let channel = channel.ok_or(Cause::NO_CIRCUIT_AVAILABLE)?;
        self.busy.insert(channel);
        Ok(channel)
    }

    fn is_free(&self, channel: u8) -> bool {
        self.all().any(|c| c == channel) && !self.busy.contains(&channel)
    }

    pub fn free(&mut self, channel: u8) {
        self.busy.remove(&channel);
    }

    pub fn free_all(&mut self) {
        self.busy.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_rate_has_two_channels() {
        let mut channels = Channels::new(InterfaceType::Basic);
        assert_eq!(channels.allocate(None), Ok(1));
        let b1 = ChannelIdentification::basic(1, true);
        assert_eq!(
            channels.allocate(Some(&b1)),
            Err(Cause::REQUESTED_CIRCUIT_NOT_AVAILABLE)
        );
        let b1_preferred = ChannelIdentification::basic(1, false);
        assert_eq!(channels.allocate(Some(&b1_preferred)), Ok(2));
        assert_eq!(channels.allocate(None), Err(Cause::NO_CIRCUIT_AVAILABLE));
        channels.free(1);
        assert_eq!(channels.allocate(None), Ok(1));
    }

    #[test]
    fn primary_rate_skips_the_d_channel() {
        let mut channels = Channels::new(InterfaceType::Primary);
        let got: Vec<u8> = (0..30).map(|_| channels.allocate(None).unwrap()).collect();
        assert!(!got.contains(&16));
        assert_eq!(got.len(), 30);
        assert!(channels.allocate(None).is_err());
        channels.free_all();
        let ts16 = ChannelIdentification::primary(16, false);
        assert_eq!(channels.allocate(Some(&ts16)), Ok(1));
    }
}
