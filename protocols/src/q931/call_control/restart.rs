//! Restart procedures (EN 300 403-1 §5.5): returning B channels, or the whole interface,
//! to idle with RESTART / RESTART ACKNOWLEDGE on the global call reference.

use std::time::Duration;

use super::{CallControl, Event, Key};
use crate::call::{CallEvent, Cause};
use crate::q931::ie::{self, InformationElement as Ie, RestartClass};
use crate::q931::{CallReference, Message, MessageType};

/// A RESTART waiting for its acknowledgement (T316).
#[derive(Debug, Clone)]
pub(crate) struct PendingRestart {
    pub deadline: Duration,
    restart: Vec<u8>,
    resent: bool,
}

impl CallControl {
    /// Restarts one B channel, or the whole interface with `None`: local calls on it are
    /// released (reported with cause #41) and RESTART is sent.
    pub fn restart(&mut self, channel: Option<u8>, now: Duration) {
        self.release_channel_calls(channel);
        let reference = CallReference::global(self.config.call_reference_size(), false);
        let restart = self.restart_message(reference, MessageType::Restart, channel);
        let restart = restart.encode().unwrap_or_default();
        self.out.transmit.push_back(restart.clone());
        self.restart = Some(PendingRestart {
            deadline: now + self.config.timers.t316,
            restart,
            resent: false,
        });
    }

    /// RESTART or RESTART ACKNOWLEDGE on the global call reference.
    pub(super) fn on_global(&mut self, message: &Message, now: Duration) {
        match message.message_type {
            MessageType::Restart => {
                let Ok(channel) = restarted_channel(message) else {
                    return;
                };
                self.release_channel_calls(channel);
                let reply = message.call_reference.reversed();
                let ack = self.restart_message(reply, MessageType::RestartAcknowledge, channel);
                self.send_raw(&ack, now);
                self.out
                    .events
                    .push_back(Event::RestartReceived { channel });
            }
            MessageType::RestartAcknowledge if self.restart.is_some() => {
                self.restart = None;
                self.out.events.push_back(Event::RestartAcknowledged);
            }
            _ => {}
        }
    }

    /// T316: RESTART is sent a second time, then given up.
    pub(super) fn restart_timeout(&mut self, now: Duration) {
        let Some(pending) = self.restart.as_mut().filter(|r| r.deadline <= now) else {
            return;
        };
        if pending.resent {
            self.restart = None;
            self.out.events.push_back(Event::RestartFailed);
            return;
        }
        pending.resent = true;
        pending.deadline = now + self.config.timers.t316;
        self.out.transmit.push_back(pending.restart.clone());
    }

    fn restart_message(
        &self,
        reference: CallReference,
        message_type: MessageType,
        channel: Option<u8>,
    ) -> Message {
        let class = match channel {
            Some(_) => RestartClass::IndicatedChannels,
            None => RestartClass::AllInterfaces,
        };
        let mut message = Message::new(reference, message_type);
        if let Some(channel) = channel {
            let ci = match self.config.interface {
                ie::InterfaceType::Basic => ie::ChannelIdentification::basic(channel, true),
                ie::InterfaceType::Primary => ie::ChannelIdentification::primary(channel, true),
            };
            message = message.with(Ie::ChannelIdentification(ci));
        }
        message.with(Ie::RestartIndicator(ie::RestartIndicator { class }))
    }

    /// Drops the calls on `channel` (every call with `None`), reporting each.
    fn release_channel_calls(&mut self, channel: Option<u8>) {
        let keys: Vec<Key> = self
            .calls
            .iter()
            .filter(|(_, call)| channel.is_none() || call.channel == channel)
            .map(|(key, _)| *key)
            .collect();
        for key in keys {
            if let Some(call) = self.calls.get(&key)
                && !call.reported
            {
                let event = CallEvent::Released {
                    cause: Cause::TEMPORARY_FAILURE,
                };
                self.out.events.push_back(Event::Call(call.id, event));
            }
            self.remove(key);
        }
        if channel.is_none() {
            self.channels.free_all();
        }
    }
}

/// The channel a RESTART names; `None` for the whole interface; an error when it names
/// indicated channels without one channel callbackd can identify.
fn restarted_channel(message: &Message) -> Result<Option<u8>, ()> {
    let class = message.restart_indicator().map(|r| r.class);
    match class {
        Some(RestartClass::IndicatedChannels) => message
            .channel_identification()
            .and_then(|c| c.channel())
            .map(Some)
            .ok_or(()),
        _ => Ok(None),
    }
}
