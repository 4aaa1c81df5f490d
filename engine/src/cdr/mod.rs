//! Call detail records (spec §1 step 8): one row per session with who, what, when, how it
//! ended and what it cost, kept in SQLite so that a written CDR survives a crash.
//!
//! [`build`] turns a finished session's record into a [`Cdr`], pricing each leg with the
//! tariffs; [`store::CdrStore`] writes and reads them; [`time`] prints the timestamps.

pub mod store;
pub mod time;
pub mod writer;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use config::{Config, E164};
use serde::Serialize;

use crate::policy::cost::{self, Money};
use crate::session::SessionRecord;

/// Milliseconds since the Unix epoch, UTC.
pub type UnixMs = i64;

/// One session's record, as stored and reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cdr {
    pub session_id: String,
    pub extension: String,
    pub mobile: String,
    pub trigger: String,
    pub dialled: Option<String>,
    pub callback_trunk: Option<String>,
    pub transit_trunk: Option<String>,
    #[serde(serialize_with = "time::serialize")]
    pub triggered_at: UnixMs,
    #[serde(serialize_with = "time::serialize_opt")]
    pub rejected_at: Option<UnixMs>,
    #[serde(serialize_with = "time::serialize_opt")]
    pub callback_started_at: Option<UnixMs>,
    #[serde(serialize_with = "time::serialize_opt")]
    pub callback_answered_at: Option<UnixMs>,
    #[serde(serialize_with = "time::serialize_opt")]
    pub transit_answered_at: Option<UnixMs>,
    #[serde(serialize_with = "time::serialize")]
    pub ended_at: UnixMs,
    /// Seconds the callback leg was up.
    pub callback_seconds: f64,
    /// Seconds the legs were bridged.
    pub bridged_seconds: f64,
    /// The `outcome` label (`bridged`, `no_answer`, …).
    pub outcome: String,
    /// The detailed reason, e.g. `user_hung_up`, `refused:no_transit`, `callback_failed:17`.
    pub reason: String,
    /// The Q.850 cause that ended the last call, if any.
    pub cause: Option<u8>,
    pub callback_cost: f64,
    pub transit_cost: f64,
    /// Charged to the extension: both legs.
    pub charged: f64,
    /// What the user's direct rate would have cost for the bridged time, less `charged`.
    pub saving: f64,
    pub currency: String,
}

/// Who the session belonged to.
#[derive(Debug, Clone)]
pub struct SessionParties {
    pub session_id: String,
    pub extension: String,
    pub mobile: E164,
    pub trigger: E164,
    /// The dialled number in E.164, for pricing the transit leg (`None` for internal).
    pub dialled_e164: Option<E164>,
    /// The user's `direct_rate`.
    pub direct_rate: Option<f64>,
}

/// Maps the monotonic instants of a session onto wall-clock time.
#[derive(Debug, Clone, Copy)]
pub struct WallClock {
    instant: Instant,
    system: SystemTime,
}

impl WallClock {
    /// Pairs an instant with the wall-clock time it was.
    pub fn new(instant: Instant, system: SystemTime) -> WallClock {
        WallClock { instant, system }
    }

    pub fn now() -> WallClock {
        WallClock::new(Instant::now(), SystemTime::now())
    }

    pub fn unix_ms(&self, at: Instant) -> UnixMs {
        let system = if at >= self.instant {
            self.system + (at - self.instant)
        } else {
            self.system - (self.instant - at)
        };
        let since = system.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    }
}

/// Builds the CDR of a finished session.
pub fn build(
    record: &SessionRecord,
    parties: &SessionParties,
    config: &Config,
    wall: WallClock,
) -> Cdr {
    let ms = |at: Option<Instant>| at.map(|at| wall.unix_ms(at));
    let trunk_name = |id: Option<crate::session::TrunkId>| {
        id.and_then(|id| config.trunks.get(id.0))
            .map(|t| t.name.clone())
    };
    let callback_price = record
        .callback_trunk
        .and_then(|t| cost::tariff_for(config, t, &parties.mobile))
        .map(|tariff| cost::price(tariff, record.callback_duration()));
    let transit_price = record
        .transit_trunk
        .zip(parties.dialled_e164.as_ref())
        .and_then(|(t, number)| cost::tariff_for(config, t, number))
        .map(|tariff| cost::price(tariff, record.bridged));
    let currency = [&callback_price, &transit_price]
        .into_iter()
        .flatten()
        .map(|m| m.currency.clone())
        .next()
        .unwrap_or_else(|| "PLN".into());
    let amount = |m: &Option<Money>| m.as_ref().map_or(0.0, |m| m.amount);
    let charged = amount(&callback_price) + amount(&transit_price);
    let direct = parties
        .direct_rate
        .map_or(0.0, |rate| cost::direct_price(rate, record.bridged));
    let saving = if record.bridged.is_zero() {
        0.0
    } else {
        direct - charged
    };
    Cdr {
        session_id: parties.session_id.clone(),
        extension: parties.extension.clone(),
        mobile: parties.mobile.to_string(),
        trigger: parties.trigger.to_string(),
        dialled: record.dialled.clone(),
        callback_trunk: trunk_name(record.callback_trunk),
        transit_trunk: trunk_name(record.transit_trunk),
        triggered_at: wall.unix_ms(record.triggered_at),
        rejected_at: ms(record.rejected_at),
        callback_started_at: ms(record.callback_started_at),
        callback_answered_at: ms(record.callback_answered_at),
        transit_answered_at: ms(record.transit_answered_at),
        ended_at: ms(record.ended_at).unwrap_or_else(|| wall.unix_ms(Instant::now())),
        callback_seconds: record.callback_duration().as_secs_f64(),
        bridged_seconds: record.bridged.as_secs_f64(),
        outcome: record.outcome.map_or("failed", |o| o.as_str()).to_owned(),
        reason: record
            .reason
            .map_or_else(|| "unknown".to_owned(), reason_text),
        cause: record.end_cause.map(|c| c.value()),
        callback_cost: amount(&callback_price),
        transit_cost: amount(&transit_price),
        charged: (charged * 10_000.0).round() / 10_000.0,
        saving: (saving * 10_000.0).round() / 10_000.0,
        currency,
    }
}

/// `user_hung_up`, `refused:no_transit`, `callback_failed:17`, …
fn reason_text(reason: crate::session::EndReason) -> String {
    use crate::session::EndReason as R;
    match reason {
        R::UserHungUp => "user_hung_up".into(),
        R::FarEndHungUp => "far_end_hung_up".into(),
        R::MaxDuration => "max_duration".into(),
        R::CallbackFailed(cause) => format!("callback_failed:{}", cause.value()),
        R::TransitFailed(cause) => format!("transit_failed:{}", cause.value()),
        R::NoDigits => "no_digits".into(),
        R::Refused(refusal) => format!("refused:{}", refusal.as_str()),
        R::NoRoute => "no_route".into(),
        R::MediaTimeout => "media_timeout".into(),
        R::Shutdown => "shutdown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixture;
    use crate::session::{EndReason, Outcome, TrunkId};

    #[test]
    fn a_bridged_session_is_priced_per_leg_with_its_saving() {
        let cfg = fixture::config();
        let t0 = Instant::now();
        let s = Duration::from_secs(1);
        let mut record = SessionRecord::new(t0);
        record.rejected_at = Some(t0 + 6 * s);
        record.callback_started_at = Some(t0 + 11 * s);
        record.callback_answered_at = Some(t0 + 13 * s);
        record.transit_answered_at = Some(t0 + 20 * s);
        record.ended_at = Some(t0 + 110 * s);
        record.bridged = 90 * s;
        record.callback_trunk = Some(TrunkId(0));
        record.transit_trunk = Some(TrunkId(0));
        record.dialled = Some("601234567".into());
        record.outcome = Some(Outcome::Bridged);
        record.reason = Some(EndReason::UserHungUp);
        let parties = SessionParties {
            session_id: "pbx-1-1".into(),
            extension: "101".into(),
            mobile: E164::parse("+48601111222").unwrap(),
            trigger: E164::parse("+48225551000").unwrap(),
            dialled_e164: Some(E164::parse("+48601234567").unwrap()),
            direct_rate: Some(1.79),
        };
        let wall = WallClock::new(t0, UNIX_EPOCH + Duration::from_secs(1_764_000_000));
        let cdr = build(&record, &parties, &cfg, wall);
        assert_eq!(cdr.triggered_at, 1_764_000_000_000);
        assert_eq!(cdr.rejected_at, Some(1_764_000_006_000));
        assert_eq!(cdr.callback_seconds, 97.0);
        // Callback leg: 97 s to +4860… at 0.20/min per second = 0.3233; transit 90 s = 0.30.
        assert_eq!(cdr.callback_cost, 0.3233);
        assert_eq!(cdr.transit_cost, 0.30);
        assert_eq!(cdr.charged, 0.6233);
        // Direct: 2 started minutes at 1.79.
        assert_eq!(cdr.saving, 2.9567);
        assert_eq!(cdr.outcome, "bridged");
        assert_eq!(cdr.reason, "user_hung_up");
        assert_eq!(cdr.callback_trunk.as_deref(), Some("operator"));
    }
}
