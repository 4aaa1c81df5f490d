//! What a session remembers for its CDR (spec §1 step 8): the timestamps of each step, the
//! trunks, the number dialled, the bridged time and how it ended. Costs are worked out
//! from this record and the tariffs when the CDR is written.

use std::time::{Duration, Instant};

use protocols::call::Cause;
use serde::Serialize;

use super::machine::{Refusal, TrunkId};

/// How a session ended (the `outcome` label of `callbackd_sessions_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Bridged,
    NoAnswer,
    Busy,
    NoDigits,
    Denied,
    Failed,
    Cancelled,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Bridged,
        Outcome::NoAnswer,
        Outcome::Busy,
        Outcome::NoDigits,
        Outcome::Denied,
        Outcome::Failed,
        Outcome::Cancelled,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Bridged => "bridged",
            Outcome::NoAnswer => "no_answer",
            Outcome::Busy => "busy",
            Outcome::NoDigits => "no_digits",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
        }
    }
}

/// The detailed ending reason written to the CDR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "detail")]
pub enum EndReason {
    /// The user hung up.
    UserHungUp,
    /// The far end hung up.
    FarEndHungUp,
    /// The bridged call reached its maximum duration.
    MaxDuration,
    /// The callback was not answered, was busy or failed, after all retries.
    CallbackFailed(Cause),
    /// The transit call failed before answer.
    TransitFailed(Cause),
    /// No digits were dialled.
    NoDigits,
    /// The dialled number was refused.
    Refused(Refusal),
    /// No trunk could be tried.
    NoRoute,
    /// The media stopped.
    MediaTimeout,
    /// The node shut down.
    Shutdown,
}

/// The session's record; `Instant`s are turned into wall-clock times by the actor.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub triggered_at: Instant,
    pub rejected_at: Option<Instant>,
    pub trigger_ended_at: Option<Instant>,
    pub callback_started_at: Option<Instant>,
    pub callback_answered_at: Option<Instant>,
    pub transit_started_at: Option<Instant>,
    pub transit_answered_at: Option<Instant>,
    pub ended_at: Option<Instant>,
    pub callback_trunk: Option<TrunkId>,
    pub transit_trunk: Option<TrunkId>,
    pub dialled: Option<String>,
    /// Callback attempts made (1 + retries used).
    pub attempts: u32,
    /// Time the legs were bridged, summed over chained calls.
    pub bridged: Duration,
    pub outcome: Option<Outcome>,
    pub reason: Option<EndReason>,
    /// The cause that ended the last call, when one did.
    pub end_cause: Option<Cause>,
}

impl SessionRecord {
    pub fn new(triggered_at: Instant) -> SessionRecord {
        SessionRecord {
            triggered_at,
            rejected_at: None,
            trigger_ended_at: None,
            callback_started_at: None,
            callback_answered_at: None,
            transit_started_at: None,
            transit_answered_at: None,
            ended_at: None,
            callback_trunk: None,
            transit_trunk: None,
            dialled: None,
            attempts: 0,
            bridged: Duration::ZERO,
            outcome: None,
            reason: None,
            end_cause: None,
        }
    }

    /// How long the callback leg was up (answer to end).
    pub fn callback_duration(&self) -> Duration {
        match (self.callback_answered_at, self.ended_at) {
            (Some(answered), Some(ended)) => ended - answered,
            _ => Duration::ZERO,
        }
    }
}
