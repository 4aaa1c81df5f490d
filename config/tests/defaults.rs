//! A minimal configuration (only the required tables) takes exactly the defaults of the
//! spec, §3.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use config::{
    Config, Licence, Link, Match, Model, NumberFormat, RejectMode, RejectWith, Side, TonePlan,
    Transport,
};

const MINIMAL: &str = r#"
[[trunk]]
name = "operator"
kind = "sip"
listen = "127.0.0.1:5060"
peer = "127.0.0.1:5070"

[[trunk]]
name = "sip-in"
kind = "sip"
listen = "127.0.0.1:5064"

[[trunk]]
name = "gsm1"
kind = "gsm"
device = "/dev/ttyUSB2"

[[trunk]]
name = "isdn1"
kind = "isdn"
port = 0

[[trigger]]
number = "+48225551000"

[[user]]
extension = "101"
  [[user.mobile]]
  number = "+48601111222"

[[route]]
trunks = ["operator"]
"#;

fn minimal() -> Config {
    Config::from_toml(MINIMAL).unwrap_or_else(|e| panic!("{e}"))
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[test]
fn node_metrics_cdr_licence() {
    let c = minimal();
    assert_eq!(c.node.name, "pbx-1");
    assert_eq!(c.node.tones, TonePlan::Pl);
    assert_eq!(c.node.country_code, "48");
    assert_eq!(c.node.national_prefix, "");
    assert_eq!(c.node.international_prefix, "00");
    assert_eq!(
        c.metrics.listen,
        "127.0.0.1:9464".parse::<SocketAddr>().unwrap()
    );
    assert_eq!(c.cdr.path, PathBuf::from("var/cdr.sqlite"));
    assert_eq!(c.licence, Licence::Demo);
}

#[test]
fn callback() {
    let cb = minimal().callback;
    assert_eq!(cb.reject_after_rings, 2);
    assert_eq!(cb.reject_after, None);
    assert_eq!(cb.reject_with, RejectWith::Busy);
    assert_eq!(cb.delay, secs(5));
    assert_eq!(cb.answer_timeout, secs(30));
    assert_eq!(cb.retries, 0);
    assert_eq!(cb.first_digit_timeout, secs(10));
    assert_eq!(cb.digit_timeout, secs(4));
    assert_eq!(cb.max_duration, secs(2 * 3600));
    assert_eq!(cb.analog_max_duration, secs(3 * 60));
    assert_eq!(cb.redial_window, Duration::ZERO);
    assert_eq!(cb.max_triggers_per_minute, 3);
}

#[test]
fn trunks_of_every_kind() {
    let c = minimal();
    for trunk in &c.trunks {
        assert_eq!(
            trunk.reject_with, None,
            "{}: inherits [callback]",
            trunk.name
        );
        assert_eq!(trunk.reject_mode, RejectMode::Reject);
        assert!(!trunk.analog);
        assert_eq!(trunk.number_format, NumberFormat::E164);
    }
    let link = |name| &c.trunk(name).unwrap().link;
    let Link::Sip(sip) = link("operator") else {
        panic!("operator is sip")
    };
    assert_eq!(sip.transport, Transport::Udp);
    assert_eq!((sip.rtp_ports.low(), sip.rtp_ports.high()), (20000, 20999));
    assert!(
        c.trunk("operator").unwrap().trusted_cli,
        "sip with peer: trusted"
    );
    assert!(
        !c.trunk("sip-in").unwrap().trusted_cli,
        "sip without peer: untrusted"
    );
    let Link::Gsm(gsm) = link("gsm1") else {
        panic!("gsm1 is gsm")
    };
    assert_eq!(
        (gsm.baud, gsm.model, gsm.audio_device.as_ref()),
        (115_200, Model::Generic, None)
    );
    assert!(c.trunk("gsm1").unwrap().trusted_cli);
    let Link::Isdn(isdn) = link("isdn1") else {
        panic!("isdn1 is isdn")
    };
    assert_eq!((isdn.port, isdn.side), (0, Side::Te));
    assert!(c.trunk("isdn1").unwrap().trusted_cli);
}

#[test]
fn ring_limit_defaults_to_60s_with_ignore() {
    let text = MINIMAL.replace("port = 0", "port = 0\nreject_mode = \"ignore\"");
    let c = Config::from_toml(&text).unwrap();
    assert_eq!(
        c.trunk("isdn1").unwrap().reject_mode,
        RejectMode::Ignore {
            ring_limit: secs(60)
        }
    );
}

#[test]
fn trigger_user_class_dialplan_route() {
    let c = minimal();
    assert_eq!(c.triggers[0].callback_cli, c.triggers[0].number);
    let user = &c.users[0];
    assert_eq!((user.name.as_deref(), user.class.as_deref()), (None, None));
    assert_eq!(
        (user.direct_rate, user.pin.as_ref(), user.did.as_ref()),
        (None, None, None)
    );
    assert!(!user.mobiles[0].transit);
    assert!(c.classes.is_empty());
    assert_eq!(c.dialplan.internal_trunk, None);
    assert_eq!(
        c.dialplan.matches("123"),
        Match::Complete,
        "internal = [\"1XX\"]"
    );
    assert_eq!(c.dialplan.matches("223"), Match::No);
    assert!(
        c.routes[0].prefix.is_empty(),
        "a route without prefix is the default route"
    );
    assert!(c.tariffs.is_empty());
}

#[test]
fn class_and_tariff_defaults() {
    let text = format!(
        "{MINIMAL}\n[[class]]\nname = \"c\"\n\n[[tariff]]\ntrunk = \"operator\"\nper_minute = 0.1\n"
    );
    let c = Config::from_toml(&text).unwrap();
    let class = &c.classes[0];
    assert_eq!(class.allow, None);
    assert!(class.deny.is_empty());
    assert_eq!(class.max_concurrent, 1);
    assert_eq!(
        (class.max_cost_per_day, class.max_minutes_per_day),
        (None, None)
    );
    let tariff = &c.tariffs[0];
    assert!(tariff.prefix.is_empty());
    assert_eq!(tariff.setup, 0.0);
    assert_eq!(tariff.increment, secs(1));
    assert_eq!(tariff.currency, "PLN");
}

#[test]
fn summary() {
    assert_eq!(minimal().summary(), "4 trunks, 1 trigger, 1 user, 1 route");
}
