//! The product end to end (spec §1): the real `callbackd` binary on loopback, SIPp as
//! every peer — the mobile calling the trigger number, the mobile answering the callback
//! and dialling with RFC 4733 keys, the far end — and the CDR read back from the node's
//! database. Timers are shortened (reject after 1 s, call back 1 s later) so each test
//! takes seconds; every wait is bounded.

mod support;

use support::{
    MOBILE, Node, Ports, Setup, Sipp, mobile_dialling, require, scenario, trigger_args, uas_args,
};

fn mobile(node: &Node, scenario_file: &str) -> Sipp {
    let p = node.ports;
    let mut args = uas_args(scenario_file, p.mobile(), p.mobile_media());
    args.push("-aa".into());
    Sipp::start(&node.dir, "mobile", &args)
}

fn far_end(node: &Node, scenario_file: &str) -> Sipp {
    let p = node.ports;
    let mut args = uas_args(scenario_file, p.far(), p.far_media());
    args.push("-aa".into());
    Sipp::start(&node.dir, "far", &args)
}

fn trigger(node: &Node, scenario_file: &str, from: &str) -> Sipp {
    let p = node.ports;
    Sipp::start(
        &node.dir,
        "trigger",
        &trigger_args(p, scenario_file, "127.0.0.1", p.operator()).tap_from(from),
    )
}

/// Sends the trigger as `from` (another mobile number) instead of the registered one.
trait TapFrom {
    fn tap_from(self, from: &str) -> Self;
}

impl TapFrom for Vec<String> {
    fn tap_from(mut self, from: &str) -> Self {
        if let Some(i) = self.iter().position(|a| a == MOBILE) {
            self[i] = from.to_owned();
        }
        self
    }
}

fn assert_ok(sipp: &Sipp) {
    assert!(
        sipp.wait(),
        "{} failed:\n{}\n{}",
        sipp.name,
        sipp.errors(),
        sipp.messages()
    );
}

#[test]
fn internal_extension_is_bridged_and_recorded() {
    require("sipp");
    let mut node = Node::start("internal", Ports::block(0), &Setup::default());
    let far = far_end(&node, &scenario("far-end.xml"));
    let mobile = mobile(&node, &scenario("mobile.xml"));
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_eq!(trigger.received("SIP/2.0 180").len(), 1, "the trigger rang");
    assert_eq!(
        trigger.received("SIP/2.0 486").len(),
        1,
        "then busy, never answered"
    );
    assert!(trigger.received("SIP/2.0 200").is_empty());
    assert_ok(&mobile);
    assert_ok(&far);

    let callback = &mobile.received("INVITE ")[0];
    assert!(
        callback.contains("+48601111222@"),
        "the callback goes to the mobile"
    );
    assert!(
        callback
            .lines()
            .any(|l| l.starts_with("From:") && l.contains("+48225551000"))
    );
    let transit = &far.received("INVITE ")[0];
    assert!(transit.starts_with("INVITE sip:102@"), "{transit}");
    let from = transit.lines().find(|l| l.starts_with("From:")).unwrap();
    assert!(from.contains("+48225551000"), "the company number: {from}");
    assert!(
        !transit.contains("601111222"),
        "the mobile number never shows"
    );
    assert!(
        !far.received("BYE ").is_empty(),
        "the user's hang-up cleared the far end"
    );

    let cdrs = node.cdrs(1);
    assert_eq!(cdrs.len(), 1);
    let cdr = &cdrs[0];
    assert_eq!(
        (cdr.outcome.as_str(), cdr.reason.as_str()),
        ("bridged", "user_hung_up")
    );
    assert_eq!(cdr.dialled.as_deref(), Some("102"));
    assert_eq!(cdr.extension, "101");
    assert_eq!(cdr.mobile, MOBILE);
    assert_eq!(cdr.callback_trunk.as_deref(), Some("operator"));
    assert_eq!(cdr.transit_trunk.as_deref(), Some("pbx"));
    assert!(cdr.bridged_seconds > 1.0);
    assert!(cdr.rejected_at.unwrap() >= cdr.triggered_at + 1000);
}

#[test]
fn external_number_with_transit_shows_the_company_number() {
    require("sipp");
    let mut node = Node::start("external", Ports::block(1), &Setup::default());
    let far = far_end(&node, &scenario("far-end.xml"));
    let mobile = mobile(&node, &mobile_dialling(&node.dir, "612345789#"));
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_ok(&mobile);
    assert_ok(&far);
    let transit = &far.received("INVITE ")[0];
    assert!(transit.starts_with("INVITE sip:+48612345789@"), "{transit}");
    let from = transit.lines().find(|l| l.starts_with("From:")).unwrap();
    assert!(from.contains("+48225551000"), "{from}");
    assert!(!transit.contains("601111222"));
    let cdr = &node.cdrs(1)[0];
    assert_eq!(cdr.outcome, "bridged");
    assert_eq!(cdr.transit_trunk.as_deref(), Some("pstn"));
    assert_eq!(cdr.dialled.as_deref(), Some("612345789"));
}

#[test]
fn unknown_cli_is_refused_with_403_and_no_callback() {
    require("sipp");
    let mut node = Node::start("unknown", Ports::block(2), &Setup::default());
    let trigger = trigger(&node, &scenario("trigger-refused.xml"), "+48609999999");
    assert_ok(&trigger);
    let refusal = &trigger.received("SIP/2.0 403")[0];
    assert!(refusal.contains("Reason: Q.850;cause=21"), "{refusal}");
    assert!(
        node.metrics()
            .contains(r#"callbackd_triggers_total{result="unknown_cli",trunk="operator"} 1"#)
    );
    assert!(!node.logged("phase"), "no session was started");
}

#[test]
fn cli_on_an_untrusted_trunk_is_refused() {
    require("sipp");
    let mut node = Node::start("untrusted", Ports::block(3), &Setup::default());
    let p = node.ports;
    let args = trigger_args(
        p,
        &scenario("trigger-refused.xml"),
        "127.0.0.1",
        p.untrusted(),
    );
    let args: Vec<String> = args
        .into_iter()
        .map(|a| {
            if a == format!("127.0.0.1:{}", p.untrusted()) {
                format!("127.0.0.2:{}", p.untrusted())
            } else {
                a
            }
        })
        .collect();
    let trigger = Sipp::start(&node.dir, "trigger", &args);
    assert_ok(&trigger);
    assert_eq!(trigger.received("SIP/2.0 403").len(), 1);
    assert!(
        node.metrics()
            .contains(r#"callbackd_triggers_total{result="untrusted",trunk="untrusted"} 1"#)
    );
    assert!(!node.logged("phase"));
}

#[test]
fn caller_cancelling_before_the_reject_still_gets_the_callback() {
    require("sipp");
    let setup = Setup::default().with("reject_after = \"10s\"");
    let mut node = Node::start("cancel", Ports::block(4), &setup);
    let far = far_end(&node, &scenario("far-end.xml"));
    let mobile = mobile(&node, &scenario("mobile.xml"));
    let trigger = trigger(&node, &scenario("trigger-cancel.xml"), MOBILE);
    assert_ok(&trigger);
    assert_eq!(trigger.received("SIP/2.0 487").len(), 1);
    assert_ok(&mobile);
    assert_ok(&far);
    let cdr = &node.cdrs(1)[0];
    assert_eq!(cdr.outcome, "bridged");
    assert_eq!(cdr.rejected_at, None, "the node never had to reject");
}

#[test]
fn three_quick_triggers_make_one_callback() {
    require("sipp");
    let mut node = Node::start(
        "burst",
        Ports::block(5),
        &Setup::default().with("reject_after = \"3s\""),
    );
    let far = far_end(&node, &scenario("far-end.xml"));
    let mobile = mobile(&node, &scenario("mobile.xml"));
    let p = node.ports;
    let mut args = trigger_args(p, &scenario("trigger.xml"), "127.0.0.1", p.operator());
    let m = args.iter().position(|a| a == "-m").unwrap();
    args[m + 1] = "3".into();
    args.extend(["-r".into(), "10".into(), "-rp".into(), "1000".into()]);
    let trigger = Sipp::start(&node.dir, "trigger", &args);
    assert_ok(&trigger);
    assert_eq!(
        trigger.received("SIP/2.0 486").len(),
        3,
        "every trigger is refused free of charge"
    );
    assert_ok(&mobile);
    assert_ok(&far);
    assert_eq!(mobile.received("INVITE ").len(), 1, "one callback");
    assert_eq!(node.cdrs(1).len(), 1);
}

#[test]
fn external_number_without_transit_is_refused_and_never_dialled() {
    require("sipp");
    let setup = Setup {
        transit: false,
        ..Setup::default()
    };
    let mut node = Node::start("notransit", Ports::block(6), &setup);
    let mobile = mobile(&node, &mobile_dialling(&node.dir, "612345789#"));
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_ok(&mobile);
    assert_eq!(
        mobile.received("BYE ").len(),
        1,
        "busy tone, then the node hangs up"
    );
    let cdr = &node.cdrs(1)[0];
    assert_eq!(
        (cdr.outcome.as_str(), cdr.reason.as_str()),
        ("denied", "refused:no_transit")
    );
    assert_eq!(cdr.transit_trunk, None, "no far-end INVITE");
}

#[test]
fn denied_prefix_is_refused() {
    require("sipp");
    let mut node = Node::start("denied", Ports::block(7), &Setup::default());
    let mobile = mobile(&node, &mobile_dialling(&node.dir, "701234589#"));
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_ok(&mobile);
    let cdr = &node.cdrs(1)[0];
    assert_eq!(
        (cdr.outcome.as_str(), cdr.reason.as_str()),
        ("denied", "refused:denied_prefix")
    );
}

#[test]
fn unanswered_callback_is_retried_then_recorded_as_no_answer() {
    require("sipp");
    let setup = Setup::default()
        .with("answer_timeout = \"2s\"")
        .with("retries = 1");
    let mut node = Node::start("noanswer", Ports::block(8), &setup);
    let p = node.ports;
    let mut args = uas_args(
        &scenario("mobile-no-answer.xml"),
        p.mobile(),
        p.mobile_media(),
    );
    let m = args.iter().position(|a| a == "-m").unwrap();
    args[m + 1] = "2".into();
    let mobile = Sipp::start(&node.dir, "mobile", &args);
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_ok(&mobile);
    assert_eq!(
        mobile.received("INVITE ").len(),
        2,
        "the first try and one retry"
    );
    assert_eq!(mobile.received("CANCEL ").len(), 2);
    let cdr = &node.cdrs(1)[0];
    assert_eq!(cdr.outcome, "no_answer");
    assert_eq!(cdr.callback_answered_at, None);
}

#[test]
fn no_digits_means_busy_tone_then_hang_up() {
    require("sipp");
    let mut node = Node::start("nodigits", Ports::block(9), &Setup::default());
    let mobile = mobile(&node, &mobile_dialling(&node.dir, ""));
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_ok(&mobile);
    assert_eq!(mobile.received("BYE ").len(), 1);
    let cdr = &node.cdrs(1)[0];
    assert_eq!(cdr.outcome, "no_digits");
    // First-digit timeout 3 s, then 3 s of busy tone.
    let answered = cdr.callback_answered_at.unwrap();
    assert!(
        cdr.ended_at - answered >= 6000,
        "{} ms",
        cdr.ended_at - answered
    );
}

#[test]
fn far_end_busy_reaches_the_user() {
    require("sipp");
    let mut node = Node::start("farbusy", Ports::block(10), &Setup::default());
    let far = far_end(&node, &scenario("far-end-busy.xml"));
    let mobile = mobile(&node, &scenario("mobile.xml"));
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_ok(&far);
    assert_ok(&mobile);
    let bye = &mobile.received("BYE ")[0];
    assert!(
        bye.contains("Reason: Q.850;cause=17"),
        "the cause is carried: {bye}"
    );
    let cdr = &node.cdrs(1)[0];
    assert_eq!(
        (cdr.outcome.as_str(), cdr.reason.as_str()),
        ("busy", "transit_failed:17")
    );
}

#[test]
fn far_end_hanging_up_clears_the_user() {
    require("sipp");
    let mut node = Node::start("farbye", Ports::block(11), &Setup::default());
    let short = std::fs::read_to_string(scenario("far-end.xml"))
        .unwrap()
        .replace("timeout=\"10000\"", "timeout=\"2000\"");
    let far_file = node.dir.join("far-end-short.xml");
    std::fs::write(&far_file, short).unwrap();
    let far = far_end(&node, far_file.to_str().unwrap());
    let mobile = mobile(&node, &scenario("mobile.xml"));
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_ok(&far);
    assert_ok(&mobile);
    assert_eq!(
        mobile.received("BYE ").len(),
        1,
        "the node cleared the user"
    );
    let cdr = &node.cdrs(1)[0];
    assert_eq!(
        (cdr.outcome.as_str(), cdr.reason.as_str()),
        ("bridged", "far_end_hung_up")
    );
}

#[test]
fn max_duration_cuts_the_call() {
    require("sipp");
    let mut node = Node::start(
        "maxdur",
        Ports::block(12),
        &Setup::default().with("max_duration = \"2s\""),
    );
    let far = far_end(&node, &scenario("far-end.xml"));
    let mobile = mobile(&node, &scenario("mobile.xml"));
    let trigger = trigger(&node, &scenario("trigger.xml"), MOBILE);
    assert_ok(&trigger);
    assert_ok(&far);
    assert_ok(&mobile);
    assert_eq!(mobile.received("BYE ").len(), 1);
    assert_eq!(far.received("BYE ").len(), 1);
    let cdr = &node.cdrs(1)[0];
    assert_eq!(cdr.reason, "max_duration");
    assert!(
        (cdr.bridged_seconds - 2.0).abs() < 0.5,
        "{}",
        cdr.bridged_seconds
    );
}

#[test]
fn the_whole_callback_over_a_tcp_trunk() {
    require("sipp");
    let setup = Setup {
        tcp: true,
        ..Setup::default()
    };
    let mut node = Node::start("tcp", Ports::block(13), &setup);
    let far = far_end(&node, &scenario("far-end.xml"));
    let p = node.ports;
    let mut args = uas_args(&scenario("mobile.xml"), p.mobile(), p.mobile_media());
    args.extend(["-t".into(), "t1".into()]);
    let mobile = Sipp::start(&node.dir, "mobile", &args);
    let mut args = trigger_args(p, &scenario("trigger.xml"), "127.0.0.1", p.operator());
    args.extend(["-t".into(), "t1".into()]);
    let trigger = Sipp::start(&node.dir, "trigger", &args);
    assert_ok(&trigger);
    assert_ok(&mobile);
    assert_ok(&far);
    assert!(
        trigger.messages().contains("TCP message sent"),
        "the trigger came over TCP"
    );
    let callback = &mobile.received("INVITE ")[0];
    assert!(callback.contains("Via: SIP/2.0/TCP"), "{callback}");
    assert_eq!(node.cdrs(1)[0].outcome, "bridged");
}
