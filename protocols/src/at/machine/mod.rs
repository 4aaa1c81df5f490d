//! The modem call machine: one GSM modem, one voice call at a time, sans-IO.
//!
//! The machine owns the AT conversation with the modem and speaks the normalized call
//! model upwards: it turns `RING` / `+CLIP` / `+CLCC` / vendor reports into
//! [`CallEvent`]s and carries out [`CallCommand`]s as AT commands. It follows the drive
//! loop documented in the crate root:
//!
//! * input: [`Modem::start`] (open or reopen the link: the initialisation sequence),
//!   [`Modem::handle_input`] (bytes from the serial port), [`Modem::handle_command`]
//!   (what the engine wants), [`Modem::handle_timeout`];
//! * output: [`Modem::poll_transmit`] (bytes for the serial port), [`Modem::poll_event`]
//!   ([`ModemEvent`]s), [`Modem::poll_timeout`] (the next deadline).
//!
//! `now` is any monotonic instant type that a [`Duration`] can be added to
//! (`std::time::Instant`, or a `Duration` since an epoch in tests).
//!
//! # Invariants
//!
//! * At most one command is in flight; the others wait in a queue of at most
//!   [`ModemConfig::max_queue`] commands, and a command that does not fit is refused
//!   ([`Rejected::QueueFull`]) rather than buffered without bound.
//! * Every line is classified against the command in flight ([`crate::at::classify`]): a
//!   `RING` or `+CLIP` arriving between `AT+CLCC` and its `OK` is handled as unsolicited.
//! * A command without a final result by its timeout is retried when that is harmless
//!   (init commands, `AT+CLCC`), otherwise — or when the retries are used up — the link is
//!   declared down: the call in progress ends with cause 41 and [`ModemEvent::LinkDown`]
//!   is reported. [`Modem::start`] brings it back.
//!
//! # Calls
//!
//! Incoming: `+CLIP` offers the call at once (before or after `RING`); a `RING` without
//! `+CLIP` offers it without a CLI after [`ModemConfig::clip_wait`]. The call ends when the
//! caller gives up — `NO CARRIER`, Huawei `^CEND`, or no `RING` for
//! [`ModemConfig::ring_gap`] and `AT+CLCC` listing no incoming call — or when the engine
//! rejects it (`AT+CHUP`, `ATH` if that fails). To ignore a call the engine does nothing.
//!
//! Outgoing: `ATD<number>;`; progress from `+CLCC` polling every
//! [`ModemConfig::poll_interval`] (stat 2 → Proceeding, 3 → Alerting, 0 → Answered) or
//! from Huawei `^ORIG` / `^CONF` / `^CONN` / `^CEND` (its `<cc_cause>`); `BUSY` → 17,
//! `NO ANSWER` → 19, `NO DIALTONE` → 38, `ERROR` → 41. When the call ends before answer
//! with only `NO CARRIER`, or silently drops out of the `+CLCC` list, `AT+CEER` is asked
//! for the cause (16 when it names none). After answer, `NO CARRIER` is 16.

mod call;
mod timer;

use std::collections::VecDeque;
use std::ops::Add;
use std::time::Duration;

use thiserror::Error;

use self::call::Call;
use self::timer::{Timer, TimerTable};
use super::command::{Command, CommandError};
use super::framer::{Frame, FrameError, LineFramer};
use super::profile::Vendor;
use super::result::{Class, FinalResult, ParseError, Response, classify};
use crate::call::{CallCommand, CallEvent};

/// Information lines kept for one command (a `+CLCC` list is a handful).
const MAX_INFO_LINES: usize = 16;

/// Tunables of the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModemConfig {
    /// How long to wait for `+CLIP` after a `RING` before offering without a CLI.
    pub clip_wait: Duration,
    /// How long without `RING` before checking whether the caller gave up.
    pub ring_gap: Duration,
    /// How often to poll `AT+CLCC` while an outgoing call is being set up.
    pub poll_interval: Duration,
    /// How often a harmless command is resent after a timeout.
    pub command_retries: u8,
    /// The most commands waiting behind the one in flight.
    pub max_queue: usize,
    /// The longest line accepted from the modem.
    pub max_line: usize,
}

impl Default for ModemConfig {
    fn default() -> Self {
        ModemConfig {
            clip_wait: Duration::from_secs(1),
            ring_gap: Duration::from_secs(7),
            poll_interval: Duration::from_secs(1),
            command_retries: 2,
            max_queue: 8,
            max_line: super::framer::DEFAULT_MAX_LINE,
        }
    }
}

/// What the machine reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModemEvent {
    /// The initialisation sequence completed: calls may be placed and offered.
    LinkUp,
    /// The modem did not answer `command`: the trunk is down until [`Modem::start`].
    LinkDown { command: Command },
    /// Something happened to the call.
    Call(CallEvent),
    /// The modem sent something unreadable; it was skipped (count it, log it).
    Malformed(InputError),
}

/// Modem output that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Why a [`CallCommand`] was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rejected {
    #[error("the modem link is not up")]
    LinkDown,
    #[error("no call in a state that allows this")]
    NoCall,
    #[error("a call is already in progress")]
    CallInProgress,
    #[error("too many commands waiting for the modem")]
    QueueFull,
    #[error(transparent)]
    Command(#[from] CommandError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Down,
    Initialising,
    Up,
}

/// The command the modem is working on.
#[derive(Debug, Clone)]
struct InFlight {
    command: Command,
    retries_left: u8,
    info: Vec<Response>,
}

/// One GSM modem and its call.
#[derive(Debug, Clone)]
pub struct Modem<I> {
    vendor: Vendor,
    config: ModemConfig,
    framer: LineFramer,
    link: Link,
    queue: VecDeque<Command>,
    in_flight: Option<InFlight>,
    call: Call,
    timers: TimerTable<I>,
    transmit: VecDeque<Vec<u8>>,
    events: VecDeque<ModemEvent>,
}

impl<I: Copy + Ord + Add<Duration, Output = I>> Modem<I> {
    /// A machine for a modem of `vendor`; the link is down until [`Modem::start`].
    pub fn new(vendor: Vendor, config: ModemConfig) -> Self {
        Modem {
            vendor,
            framer: LineFramer::new(config.max_line),
            config,
            link: Link::Down,
            queue: VecDeque::new(),
            in_flight: None,
            call: Call::Idle,
            timers: TimerTable::new(),
            transmit: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// Starts (or restarts, after the port was reopened) the initialisation sequence.
    pub fn start(&mut self, now: I) {
        self.reset();
        self.link = Link::Initialising;
        self.queue.extend(self.vendor.init_commands());
        self.send_next(now);
    }

    /// Bytes received from the modem.
    pub fn handle_input(&mut self, bytes: &[u8], now: I) {
        if self.link == Link::Down {
            return;
        }
        self.framer.push(bytes);
        loop {
            match self.framer.next_frame() {
                Ok(Some(Frame::Line(line))) => self.handle_line(&line, now),
                // callbackd sends no SMS or data, so nothing waits for the prompt.
                Ok(Some(Frame::Prompt)) => {}
                Ok(None) => break,
                Err(err) => self.malformed(err.into()),
            }
        }
        self.send_next(now);
    }

    /// Carries out what the engine asks for this modem's call.
    pub fn handle_command(&mut self, command: CallCommand, now: I) -> Result<(), Rejected> {
        if self.link != Link::Up {
            return Err(Rejected::LinkDown);
        }
        let result = self.carry_out(command);
        self.send_next(now);
        result
    }

    /// Fires every timer due at `now`; harmless when called early or twice.
    pub fn handle_timeout(&mut self, now: I) {
        while let Some(timer) = self.timers.take_expired(now) {
            match timer {
                Timer::Command => self.on_command_timeout(now),
                Timer::Poll => self.on_poll_timer(),
                Timer::ClipWait => self.on_clip_wait(),
                Timer::RingGap => self.on_ring_gap(now),
            }
        }
        self.send_next(now);
    }

    /// The next bytes to write to the modem.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmit.pop_front()
    }

    /// The next event for the trunk driver.
    pub fn poll_event(&mut self) -> Option<ModemEvent> {
        self.events.pop_front()
    }

    /// The earliest deadline at which [`Modem::handle_timeout`] is due.
    pub fn poll_timeout(&self) -> Option<I> {
        self.timers.earliest()
    }

    /// Whether the initialisation sequence has completed and the modem answers.
    pub fn is_up(&self) -> bool {
        self.link == Link::Up
    }

    /// Commands waiting, not counting the one in flight.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    fn reset(&mut self) {
        self.framer.reset();
        self.queue.clear();
        self.in_flight = None;
        self.call = Call::Idle;
        self.timers.stop_all();
    }

    fn handle_line(&mut self, line: &str, now: I) {
        let response = match Response::parse(line) {
            Ok(response) => response,
            Err(err) => return self.malformed(err.into()),
        };
        let pending = self.in_flight.as_ref().map(|f| &f.command);
        match classify(&response, pending) {
            Class::Final => {
                if let Response::Final(result) = response {
                    self.complete(result, now);
                }
            }
            Class::Information => {
                if let Some(f) = self
                    .in_flight
                    .as_mut()
                    .filter(|f| f.info.len() < MAX_INFO_LINES)
                {
                    f.info.push(response);
                }
            }
            Class::Unsolicited if self.link == Link::Up => self.on_unsolicited(response, now),
            Class::Unsolicited => {}
        }
    }

    fn malformed(&mut self, error: InputError) {
        self.events.push_back(ModemEvent::Malformed(error));
    }

    /// The final result of the command in flight.
    fn complete(&mut self, result: FinalResult, now: I) {
        let Some(done) = self.in_flight.take() else {
            return; // a stray final result: nothing was asked
        };
        self.timers.stop(Timer::Command);
        self.framer.clear_echo();
        match self.link {
            Link::Initialising if self.queue.is_empty() => {
                self.link = Link::Up;
                self.events.push_back(ModemEvent::LinkUp);
            }
            Link::Up => self.on_command_done(done.command, result, done.info, now),
            Link::Initialising | Link::Down => {}
        }
    }

    fn on_command_timeout(&mut self, now: I) {
        let Some(f) = self.in_flight.as_mut() else {
            return;
        };
        if f.retries_left > 0 {
            f.retries_left -= 1;
            f.info.clear();
            let command = f.command.clone();
            self.transmit_command(&command, now);
        } else {
            let command = f.command.clone();
            self.link_down(command);
        }
    }

    fn link_down(&mut self, command: Command) {
        self.end_call_on_link_loss();
        self.reset();
        self.link = Link::Down;
        self.events.push_back(ModemEvent::LinkDown { command });
    }

    /// Queues a command; refused when the queue is full.
    fn enqueue(&mut self, command: Command) -> Result<(), Rejected> {
        if self.queue.len() >= self.config.max_queue {
            return Err(Rejected::QueueFull);
        }
        self.queue.push_back(command);
        Ok(())
    }

    /// Whether `command` is waiting or in flight.
    fn is_pending(&self, command: &Command) -> bool {
        self.in_flight
            .as_ref()
            .is_some_and(|f| &f.command == command)
            || self.queue.contains(command)
    }

    fn send_next(&mut self, now: I) {
        if self.in_flight.is_some() || self.link == Link::Down {
            return;
        }
        let Some(command) = self.queue.pop_front() else {
            return;
        };
        self.transmit_command(&command, now);
        let retries_left = if command.is_idempotent() {
            self.config.command_retries
        } else {
            0
        };
        self.in_flight = Some(InFlight {
            command,
            retries_left,
            info: Vec::new(),
        });
    }

    fn transmit_command(&mut self, command: &Command, now: I) {
        let text = command.to_string();
        self.framer.expect_echo(&text);
        self.transmit.push_back(format!("{text}\r").into_bytes());
        self.timers.set(Timer::Command, now + command.timeout());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Cause, Digit};

    type Clock = Duration;

    fn up(vendor: Vendor) -> Modem<Clock> {
        let mut m = Modem::new(vendor, ModemConfig::default());
        m.start(Duration::ZERO);
        while let Some(_sent) = m.poll_transmit() {
            m.handle_input(b"\r\nOK\r\n", Duration::ZERO);
        }
        assert_eq!(m.poll_event(), Some(ModemEvent::LinkUp));
        m
    }

    fn answered(vendor: Vendor) -> Modem<Clock> {
        let mut m = up(vendor);
        m.handle_input(b"\r\nRING\r\n\r\n+CLIP: \"601\",129\r\n", Duration::ZERO);
        m.handle_command(CallCommand::Answer, Duration::ZERO)
            .unwrap();
        m.handle_input(b"\r\nOK\r\n", Duration::ZERO);
        while m.poll_transmit().is_some() {}
        while m.poll_event().is_some() {}
        m
    }

    #[test]
    fn commands_are_refused_until_the_link_is_up() {
        let mut m: Modem<Clock> = Modem::new(Vendor::Generic, ModemConfig::default());
        let hang_up = CallCommand::HangUp {
            cause: Cause::NORMAL_CLEARING,
        };
        assert_eq!(
            m.handle_command(hang_up.clone(), Duration::ZERO),
            Err(Rejected::LinkDown)
        );
        m.start(Duration::ZERO);
        assert_eq!(
            m.handle_command(hang_up, Duration::ZERO),
            Err(Rejected::LinkDown)
        );
    }

    #[test]
    fn the_queue_is_bounded() {
        let mut m = answered(Vendor::Simcom);
        let five = Digit::from_char('5').unwrap();
        let max = ModemConfig::default().max_queue;
        // One goes in flight, `max` wait, the next is refused.
        for _ in 0..=max {
            m.handle_command(CallCommand::SendDigit(five), Duration::ZERO)
                .unwrap();
        }
        assert_eq!(
            m.handle_command(CallCommand::SendDigit(five), Duration::ZERO),
            Err(Rejected::QueueFull)
        );
        assert_eq!(m.queued(), max);
    }

    #[test]
    fn early_or_repeated_timeouts_are_harmless() {
        let mut m = up(Vendor::Generic);
        m.handle_input(b"RING\r\n", Duration::ZERO);
        let deadline = m.poll_timeout().unwrap();
        m.handle_timeout(deadline - Duration::from_millis(1));
        assert_eq!(m.poll_event(), None);
        m.handle_timeout(deadline);
        m.handle_timeout(deadline);
        assert!(matches!(
            m.poll_event(),
            Some(ModemEvent::Call(CallEvent::Offered { .. }))
        ));
        assert_eq!(m.poll_event(), None);
    }

    #[test]
    fn malformed_lines_are_reported_and_skipped() {
        let mut m = up(Vendor::Generic);
        m.handle_input(b"+CLIP: nonsense\r\n", Duration::ZERO);
        assert!(matches!(m.poll_event(), Some(ModemEvent::Malformed(_))));
        m.handle_input(b"+CLIP: \"601\",129\r\n", Duration::ZERO);
        assert!(matches!(
            m.poll_event(),
            Some(ModemEvent::Call(CallEvent::Offered { .. }))
        ));
    }

    #[test]
    fn a_second_call_is_refused_while_one_is_in_progress() {
        let mut m = answered(Vendor::Generic);
        let called = crate::call::PartyNumber {
            digits: "601".into(),
            kind: crate::call::NumberKind::Unknown,
            presentation: crate::call::Presentation::Allowed,
        };
        let originate = CallCommand::Originate {
            called,
            calling: None,
            hide_calling: false,
        };
        assert_eq!(
            m.handle_command(originate, Duration::ZERO),
            Err(Rejected::CallInProgress)
        );
    }
}
