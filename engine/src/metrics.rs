//! The node's Prometheus metrics (spec §5): every name, type and label set in one place.
//!
//! Names are fixed by the spec so dashboards and alerts keep working; label values are
//! bounded enums (trunk names from the configuration, outcomes, states, timers) — never a
//! phone number or a session id. The metrics live in one registry for the process;
//! `prometheus` metrics are atomics inside, so sessions update them without locks of
//! their own.

use std::sync::LazyLock;
use std::time::Duration;

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::identify::TriggerResult;
use crate::session::{Outcome, Phase, Timer};

pub const TRIGGERS_TOTAL: &str = "callbackd_triggers_total";
pub const SESSIONS_TOTAL: &str = "callbackd_sessions_total";
pub const SESSIONS_ACTIVE: &str = "callbackd_sessions_active";
pub const REJECT_SECONDS: &str = "callbackd_reject_seconds";
pub const CALLBACK_DELAY_SECONDS: &str = "callbackd_callback_delay_seconds";
pub const TIMER_LATENESS_SECONDS: &str = "callbackd_timer_lateness_seconds";
pub const CALLBACK_ANSWER_SECONDS: &str = "callbackd_callback_answer_seconds";
pub const DIAL_TONE_SECONDS: &str = "callbackd_dial_tone_seconds";
pub const TRANSIT_SETUP_SECONDS: &str = "callbackd_transit_setup_seconds";
pub const CALL_DURATION_SECONDS: &str = "callbackd_call_duration_seconds";
pub const COST_TOTAL: &str = "callbackd_cost_total";
pub const SAVINGS_TOTAL: &str = "callbackd_savings_total";
pub const TRUNK_UP: &str = "callbackd_trunk_up";
pub const SIP_MESSAGES_TOTAL: &str = "callbackd_sip_messages_total";
pub const RTP_PACKETS_TOTAL: &str = "callbackd_rtp_packets_total";
pub const PARSE_ERRORS_TOTAL: &str = "callbackd_parse_errors_total";

/// Buckets for timer lateness: 100 µs to 1 s.
const LATENESS_BUCKETS: &[f64] = &[
    0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0,
];
/// Buckets for setup-type durations: 10 ms to 2 min.
const SETUP_BUCKETS: &[f64] = &[
    0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0,
];
/// Buckets for call durations: 10 s to 2 h.
const DURATION_BUCKETS: &[f64] = &[
    10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0,
];

/// The `state` values of `callbackd_sessions_active`: every phase but `done`.
const ACTIVE_PHASES: [Phase; 6] = [
    Phase::Ringing,
    Phase::Waiting,
    Phase::CallingBack,
    Phase::Dialling,
    Phase::Connecting,
    Phase::Bridged,
];

/// The `protocol` values of `callbackd_parse_errors_total`.
const PROTOCOLS: [&str; 5] = ["sip", "sdp", "rtp", "q931", "at"];

/// Every metric of the node.
pub struct Metrics {
    pub registry: Registry,
    pub triggers: IntCounterVec,
    pub sessions: IntCounterVec,
    pub sessions_active: IntGaugeVec,
    pub reject_seconds: Histogram,
    pub callback_delay_seconds: Histogram,
    pub timer_lateness: HistogramVec,
    pub callback_answer_seconds: HistogramVec,
    pub dial_tone_seconds: Histogram,
    pub transit_setup_seconds: HistogramVec,
    pub call_duration_seconds: Histogram,
    pub cost: prometheus::CounterVec,
    pub savings: prometheus::CounterVec,
    pub trunk_up: IntGaugeVec,
    pub sip_messages: IntCounterVec,
    pub rtp_packets: IntCounterVec,
    pub parse_errors: IntCounterVec,
}

fn counter(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let metric = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
    registry
        .register(Box::new(metric.clone()))
        .expect("registered once");
    metric
}

fn float_counter(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
) -> prometheus::CounterVec {
    let metric = prometheus::CounterVec::new(Opts::new(name, help), labels).expect("valid metric");
    registry
        .register(Box::new(metric.clone()))
        .expect("registered once");
    metric
}

fn gauge(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntGaugeVec {
    let metric = IntGaugeVec::new(Opts::new(name, help), labels).expect("valid metric");
    registry
        .register(Box::new(metric.clone()))
        .expect("registered once");
    metric
}

fn histogram(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
    buckets: &[f64],
) -> HistogramVec {
    let opts = HistogramOpts::new(name, help).buckets(buckets.to_vec());
    let metric = HistogramVec::new(opts, labels).expect("valid metric");
    registry
        .register(Box::new(metric.clone()))
        .expect("registered once");
    metric
}

fn plain_histogram(registry: &Registry, name: &str, help: &str, buckets: &[f64]) -> Histogram {
    let opts = HistogramOpts::new(name, help).buckets(buckets.to_vec());
    let metric = Histogram::with_opts(opts).expect("valid metric");
    registry
        .register(Box::new(metric.clone()))
        .expect("registered once");
    metric
}

impl Metrics {
    fn new() -> Metrics {
        let r = Registry::new();
        Metrics {
            triggers: counter(
                &r,
                TRIGGERS_TOTAL,
                "Calls to trigger numbers, by trunk and result.",
                &["trunk", "result"],
            ),
            sessions: counter(
                &r,
                SESSIONS_TOTAL,
                "Finished callback sessions, by outcome.",
                &["outcome"],
            ),
            sessions_active: gauge(
                &r,
                SESSIONS_ACTIVE,
                "Callback sessions in progress, by state.",
                &["state"],
            ),
            reject_seconds: plain_histogram(
                &r,
                REJECT_SECONDS,
                "Trigger received to rejection sent.",
                SETUP_BUCKETS,
            ),
            callback_delay_seconds: plain_histogram(
                &r,
                CALLBACK_DELAY_SECONDS,
                "Trigger ended to callback sent.",
                SETUP_BUCKETS,
            ),
            timer_lateness: histogram(
                &r,
                TIMER_LATENESS_SECONDS,
                "How late each session timer fired.",
                &["timer"],
                LATENESS_BUCKETS,
            ),
            callback_answer_seconds: histogram(
                &r,
                CALLBACK_ANSWER_SECONDS,
                "Callback sent to answered.",
                &["trunk"],
                SETUP_BUCKETS,
            ),
            dial_tone_seconds: plain_histogram(
                &r,
                DIAL_TONE_SECONDS,
                "Callback answered to first dial-tone packet.",
                LATENESS_BUCKETS,
            ),
            transit_setup_seconds: histogram(
                &r,
                TRANSIT_SETUP_SECONDS,
                "Last digit to far end answered.",
                &["trunk"],
                SETUP_BUCKETS,
            ),
            call_duration_seconds: plain_histogram(
                &r,
                CALL_DURATION_SECONDS,
                "Bridged time of sessions.",
                DURATION_BUCKETS,
            ),
            cost: float_counter(
                &r,
                COST_TOTAL,
                "Cost of calls placed, by trunk and currency.",
                &["trunk", "currency"],
            ),
            savings: float_counter(
                &r,
                SAVINGS_TOTAL,
                "Savings against users' direct rates.",
                &["currency"],
            ),
            trunk_up: gauge(&r, TRUNK_UP, "1 when the trunk is up.", &["trunk", "kind"]),
            sip_messages: counter(
                &r,
                SIP_MESSAGES_TOTAL,
                "SIP messages, by trunk, direction and method.",
                &["trunk", "direction", "method"],
            ),
            rtp_packets: counter(
                &r,
                RTP_PACKETS_TOTAL,
                "RTP packets, by direction.",
                &["direction"],
            ),
            parse_errors: counter(
                &r,
                PARSE_ERRORS_TOTAL,
                "Malformed input, by protocol.",
                &["protocol"],
            ),
            registry: r,
        }
    }

    /// Creates every labelled series the configuration can produce, at zero: a client
    /// library exports a label set only once it is used, and Prometheus's `rate` and
    /// `increase` see nothing of a counter's first step when its series appears already
    /// at 1. Primed here: `result` × trunk, `outcome`, `state`, `timer`, the answer and
    /// transit histograms per trunk, cost per tariff's trunk and currency, savings per
    /// currency, RTP `direction` and parse errors per `protocol`. `callbackd_trunk_up`
    /// is left to the trunks' first report (a primed 0 would read as "down").
    pub fn prime(&self, config: &config::Config) {
        for trunk in &config.trunks {
            let name = trunk.name.as_str();
            for result in TriggerResult::ALL {
                self.triggers.with_label_values(&[name, result.as_str()]);
            }
            self.callback_answer_seconds.with_label_values(&[name]);
            self.transit_setup_seconds.with_label_values(&[name]);
        }
        for outcome in Outcome::ALL {
            self.sessions.with_label_values(&[outcome.as_str()]);
        }
        for state in ACTIVE_PHASES {
            self.sessions_active.with_label_values(&[state.as_str()]);
        }
        for timer in Timer::ALL {
            self.timer_lateness.with_label_values(&[timer.as_str()]);
        }
        for tariff in &config.tariffs {
            let currency = tariff.currency.as_str();
            self.cost.with_label_values(&[&tariff.trunk, currency]);
            self.savings.with_label_values(&[currency]);
        }
        for direction in ["in", "out"] {
            self.rtp_packets.with_label_values(&[direction]);
        }
        for protocol in PROTOCOLS {
            self.parse_errors.with_label_values(&[protocol]);
        }
    }

    /// The text exposition format (0.0.4).
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        let encoder = TextEncoder::new();
        let _ = encoder.encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    &METRICS
}

/// Records how late a session timer fired.
pub fn observe_timer(timer: Timer, late: Duration) {
    metrics()
        .timer_lateness
        .with_label_values(&[timer.as_str()])
        .observe(late.as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> config::Config {
        config::Config::from_toml(include_str!("../../deploy/examples/demo.toml")).unwrap()
    }

    #[test]
    fn priming_exports_every_label_set_at_zero() {
        let metrics = Metrics::new();
        assert!(!metrics.render().contains(SESSIONS_TOTAL), "nothing before");
        metrics.prime(&demo());
        let text = metrics.render();
        for line in [
            r#"callbackd_triggers_total{result="licence",trunk="pbx"} 0"#,
            r#"callbackd_sessions_total{outcome="no_digits"} 0"#,
            r#"callbackd_sessions_active{state="calling_back"} 0"#,
            r#"callbackd_timer_lateness_seconds_count{timer="redial"} 0"#,
            r#"callbackd_callback_answer_seconds_count{trunk="operator"} 0"#,
            r#"callbackd_transit_setup_seconds_count{trunk="pbx"} 0"#,
            r#"callbackd_cost_total{currency="PLN",trunk="operator"} 0"#,
            r#"callbackd_savings_total{currency="PLN"} 0"#,
            r#"callbackd_rtp_packets_total{direction="out"} 0"#,
            r#"callbackd_parse_errors_total{protocol="q931"} 0"#,
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in:\n{text}");
        }
        assert!(!text.contains(TRUNK_UP), "trunk state waits for the trunks");
    }
}
