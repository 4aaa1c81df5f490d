//! The per-trunk map between SIP status codes and Q.850 causes.
//!
//! Platforms disagree (protocol facts: Asterisk sends 603 for cause 16, FreeSWITCH 480),
//! so each trunk carries its own [`CauseMap`]; the defaults follow RFC 3398 §7.2.4.1 and
//! §8.2.6.1 with these callbackd choices:
//!
//! | cause → status | why |
//! |---|---|
//! | 1, 3 → 404 | RFC 3398 |
//! | 16 → 480 | not a rejection cause; 480 asks nothing of the caller's network (FreeSWITCH) |
//! | 17 → 486 | RFC 3398; callbackd's default reject (`reject_with = "busy"`) |
//! | 18 → 408, 19 → 480, 20 → 480 | RFC 3398 |
//! | 21 → 403 | RFC 3398; spec §1: an unknown or untrusted CLI gets 403 (`UaCommand::Decline` sends 603 with cause 21, spec §3 `reject_with = "decline"`) |
//! | 22 → 410, 27 → 502, 28 → 484, 31 → 480 | RFC 3398 |
//! | 34, 38, 41, 42, 44, 47 → 503 | RFC 3398: resources unavailable |
//! | 55, 57, 87 → 403 | RFC 3398 |
//! | 58, 65, 88 → 488 | the actor refuses an unusable SDP offer with 88 or 65 |
//! | 69, 79, 29 → 501 | RFC 3398 |
//! | 102 → 504 | RFC 3398 |
//! | any other → 500 | RFC 3398 default |
//!
//! | status → cause | why |
//! |---|---|
//! | 400 → 41, 500 → 41 | RFC 3398 |
//! | 401, 402, 403, 407 → 21, 603 → 21 | RFC 3398 (403, 603: call rejected) |
//! | 404, 485, 604 → 1 | RFC 3398 |
//! | 405, 406, 415, 501 → 79 | service not implemented |
//! | 408, 504 → 102 | RFC 3398; a request that timed out (Timer B/F) is 102 too |
//! | 410 → 22, 484 → 28, 482, 483 → 25 | RFC 3398 |
//! | 480 → **19** | no answer (Asterisk); RFC 3398 says 18 — set it per trunk if needed |
//! | 481 → 41, 502 → 38 | RFC 3398 |
//! | 486, 600 → 17 | user busy |
//! | 488, 606 → 58 | bearer capability not available |
//! | 503 → **34** | no circuit: a congestion cause, so the route tries its next trunk |
//! | 413, 414, 416, 420, 421, 423, 505, 513 → 127 | interworking |
//! | other 3xx → 127, 4xx → 31, 5xx → 41, 6xx → 31 | by class |
//!
//! A `Reason: Q.850;cause=N` header in a final response, BYE or CANCEL wins over the map.

use std::collections::BTreeMap;

use crate::call::Cause;

/// The two directions of the map, each with per-trunk overrides on top of the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CauseMap {
    to_status: BTreeMap<u8, u16>,
    to_cause: BTreeMap<u16, u8>,
}

const CAUSE_TO_STATUS: &[(u8, u16)] = &[
    (1, 404),
    (3, 404),
    (16, 480),
    (17, 486),
    (18, 408),
    (19, 480),
    (20, 480),
    (21, 403),
    (22, 410),
    (27, 502),
    (28, 484),
    (29, 501),
    (31, 480),
    (34, 503),
    (38, 503),
    (41, 503),
    (42, 503),
    (44, 503),
    (47, 503),
    (55, 403),
    (57, 403),
    (58, 488),
    (65, 488),
    (69, 501),
    (79, 501),
    (87, 403),
    (88, 488),
    (102, 504),
];

const STATUS_TO_CAUSE: &[(u16, u8)] = &[
    (400, 41),
    (401, 21),
    (402, 21),
    (403, 21),
    (404, 1),
    (405, 79),
    (406, 79),
    (407, 21),
    (408, 102),
    (410, 22),
    (413, 127),
    (414, 127),
    (415, 79),
    (416, 127),
    (420, 127),
    (421, 127),
    (423, 127),
    (480, 19),
    (481, 41),
    (482, 25),
    (483, 25),
    (484, 28),
    (485, 1),
    (486, 17),
    (488, 58),
    (500, 41),
    (501, 79),
    (502, 38),
    (503, 34),
    (504, 102),
    (505, 127),
    (513, 127),
    (600, 17),
    (603, 21),
    (604, 1),
    (606, 58),
];

impl Default for CauseMap {
    fn default() -> Self {
        CauseMap {
            to_status: CAUSE_TO_STATUS.iter().copied().collect(),
            to_cause: STATUS_TO_CAUSE.iter().copied().collect(),
        }
    }
}

impl CauseMap {
    /// Overrides the status sent for `cause` (e.g. 16 → 603 towards an Asterisk peer).
    pub fn set_status(&mut self, cause: Cause, status: u16) {
        if (300..700).contains(&status) {
            self.to_status.insert(cause.value(), status);
        }
    }

    /// Overrides the cause read from `status` (e.g. 480 → 18).
    pub fn set_cause(&mut self, status: u16, cause: Cause) {
        self.to_cause.insert(status, cause.value());
    }

    /// The final status that refuses or ends an unanswered call with `cause`.
    pub fn status_for(&self, cause: Cause) -> u16 {
        self.to_status.get(&cause.value()).copied().unwrap_or(500)
    }

    /// The cause a final failure status means.
    pub fn cause_for(&self, status: u16) -> Cause {
        let value = self
            .to_cause
            .get(&status)
            .copied()
            .unwrap_or(match status / 100 {
                3 => 127,
                5 => 41,
                _ => 31,
            });
        Cause::new(value).unwrap_or(Cause::NORMAL_UNSPECIFIED)
    }
}

/// The RFC 3261 §21 reason phrase of a status.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Trying",
        180 => "Ringing",
        183 => "Session Progress",
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        415 => "Unsupported Media Type",
        420 => "Bad Extension",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        484 => "Address Incomplete",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Server Time-out",
        600 => "Busy Everywhere",
        603 => "Decline",
        604 => "Does Not Exist Anywhere",
        606 => "Not Acceptable",
        _ => "Unknown",
    }
}

/// The Q.850 text of the causes callbackd sends, for `Reason: …;text="…"`.
pub fn cause_text(cause: Cause) -> &'static str {
    match cause.value() {
        1 => "Unallocated number",
        16 => "Normal call clearing",
        17 => "User busy",
        18 => "No user responding",
        19 => "No answer from user",
        21 => "Call rejected",
        31 => "Normal, unspecified",
        34 => "No circuit/channel available",
        41 => "Temporary failure",
        58 => "Bearer capability not presently available",
        65 => "Bearer capability not implemented",
        88 => "Incompatible destination",
        102 => "Recovery on timer expiry",
        127 => "Interworking, unspecified",
        _ => "Unspecified",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause(v: u8) -> Cause {
        Cause::new(v).unwrap()
    }

    #[test]
    fn callback_rejects_and_sdp_refusals() {
        let map = CauseMap::default();
        assert_eq!(map.status_for(Cause::USER_BUSY), 486);
        assert_eq!(
            map.status_for(Cause::CALL_REJECTED),
            403,
            "RFC 3398; 603 is Decline"
        );
        assert_eq!(map.status_for(cause(88)), 488);
        assert_eq!(map.status_for(cause(65)), 488);
        assert_eq!(map.status_for(cause(100)), 500);
    }

    #[test]
    fn failures_and_congestion() {
        let map = CauseMap::default();
        assert_eq!(map.cause_for(486), Cause::USER_BUSY);
        assert_eq!(map.cause_for(404), Cause::UNALLOCATED_NUMBER);
        assert!(map.cause_for(503).is_congestion());
        assert!(map.cause_for(599).is_congestion());
        assert_eq!(map.cause_for(408), Cause::RECOVERY_ON_TIMER_EXPIRY);
        assert_eq!(map.cause_for(302), Cause::INTERWORKING);
    }

    #[test]
    fn per_trunk_overrides() {
        let mut map = CauseMap::default();
        map.set_status(Cause::NORMAL_CLEARING, 603);
        map.set_cause(480, Cause::NO_USER_RESPONDING);
        map.set_status(Cause::USER_BUSY, 200); // not a failure status: ignored
        assert_eq!(map.status_for(Cause::NORMAL_CLEARING), 603);
        assert_eq!(map.cause_for(480), Cause::NO_USER_RESPONDING);
        assert_eq!(map.status_for(Cause::USER_BUSY), 486);
    }
}
