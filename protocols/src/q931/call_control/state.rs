//! Call states (EN 300 403-1 §2.1 user side, §2.2 network side).
//!
//! Internally a call is in a [`Phase`], the same for both sides; what the standard calls
//! that phase depends on the side and on which side originated the call, because the
//! standard numbers states from the user's point of view:
//!
//! ```text
//!   phase               user originated        user terminated
//!                       TE        NT           TE        NT
//!   Initiated           U1        N1           U6        N6
//!   Overlap             U2        N2           U25       N25
//!   Proceeding          U3        N3           U9        N9
//!   Delivered           U4        N4           U7        N7
//!   ConnectRequest      -         -            U8        N8
//!   Active              U10       N10          U10       N10
//!   DisconnectSent      U11 (TE) / N12 (NT)
//!   ReleaseRequest      U19 / N19
//! ```

use serde::Serialize;

/// Where a call is, with what that phase needs to remember.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Phase {
    /// SETUP sent (originator; `setup` is kept for the T303 resend) or received.
    Initiated {
        setup: Vec<u8>,
        resent: bool,
    },
    /// SETUP ACKNOWLEDGE exchanged; digits follow in INFORMATION.
    Overlap,
    /// CALL PROCEEDING exchanged.
    Proceeding,
    /// ALERTING exchanged.
    Delivered,
    /// The user sent CONNECT and waits for CONNECT ACKNOWLEDGE (T313).
    ConnectRequest,
    Active,
    /// This side sent DISCONNECT with `cause` (T305).
    DisconnectSent {
        cause: u8,
    },
    /// This side sent RELEASE (T308); `release` is kept for the resend.
    ReleaseRequest {
        release: Vec<u8>,
        resent: bool,
    },
}

/// User-side call states (EN 300 403-1 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum UserState {
    U0Null,
    U1CallInitiated,
    U2OverlapSending,
    U3OutgoingCallProceeding,
    U4CallDelivered,
    U6CallPresent,
    U7CallReceived,
    U8ConnectRequest,
    U9IncomingCallProceeding,
    U10Active,
    U11DisconnectRequest,
    U12DisconnectIndication,
    U19ReleaseRequest,
    U25OverlapReceiving,
}

/// Network-side call states (EN 300 403-1 §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum NetworkState {
    N0Null,
    N1CallInitiated,
    N2OverlapSending,
    N3OutgoingCallProceeding,
    N4CallDelivered,
    N6CallPresent,
    N7CallReceived,
    N8ConnectRequest,
    N9IncomingCallProceeding,
    N10Active,
    N11DisconnectRequest,
    N12DisconnectIndication,
    N19ReleaseRequest,
    N25OverlapReceiving,
}

/// A call's state as the standard names it on this side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum State {
    User(UserState),
    Network(NetworkState),
}

impl State {
    /// The call state value sent in the call state element.
    pub fn value(self) -> u8 {
        match self {
            State::User(u) => u.value(),
            State::Network(n) => n.value(),
        }
    }
}

impl UserState {
    pub fn value(self) -> u8 {
        use UserState::*;
        match self {
            U0Null => 0,
            U1CallInitiated => 1,
            U2OverlapSending => 2,
            U3OutgoingCallProceeding => 3,
            U4CallDelivered => 4,
            U6CallPresent => 6,
            U7CallReceived => 7,
            U8ConnectRequest => 8,
            U9IncomingCallProceeding => 9,
            U10Active => 10,
            U11DisconnectRequest => 11,
            U12DisconnectIndication => 12,
            U19ReleaseRequest => 19,
            U25OverlapReceiving => 25,
        }
    }
}

impl NetworkState {
    pub fn value(self) -> u8 {
        use NetworkState::*;
        match self {
            N0Null => 0,
            N1CallInitiated => 1,
            N2OverlapSending => 2,
            N3OutgoingCallProceeding => 3,
            N4CallDelivered => 4,
            N6CallPresent => 6,
            N7CallReceived => 7,
            N8ConnectRequest => 8,
            N9IncomingCallProceeding => 9,
            N10Active => 10,
            N11DisconnectRequest => 11,
            N12DisconnectIndication => 12,
            N19ReleaseRequest => 19,
            N25OverlapReceiving => 25,
        }
    }
}

impl Phase {
    /// The standard's state for this phase. `user_side` is the side of this machine;
    /// `user_originated` whether the user side placed the call.
    pub fn state(&self, user_side: bool, user_originated: bool) -> State {
        let value = self.value(user_side, user_originated);
        if user_side {
            State::User(user_state(value))
        } else {
            State::Network(network_state(value))
        }
    }

    fn value(&self, user_side: bool, user_originated: bool) -> u8 {
        let pick = |originated: u8, terminated: u8| {
            if user_originated {
                originated
            } else {
                terminated
            }
        };
        match self {
            Phase::Initiated { .. } => pick(1, 6),
            Phase::Overlap => pick(2, 25),
            Phase::Proceeding => pick(3, 9),
            Phase::Delivered => pick(4, 7),
            Phase::ConnectRequest => 8,
            Phase::Active => 10,
            Phase::DisconnectSent { .. } if user_side => 11,
            Phase::DisconnectSent { .. } => 12,
            Phase::ReleaseRequest { .. } => 19,
        }
    }
}

fn user_state(value: u8) -> UserState {
    use UserState::*;
    match value {
        1 => U1CallInitiated,
        2 => U2OverlapSending,
        3 => U3OutgoingCallProceeding,
        4 => U4CallDelivered,
        6 => U6CallPresent,
        7 => U7CallReceived,
        8 => U8ConnectRequest,
        9 => U9IncomingCallProceeding,
        10 => U10Active,
        11 => U11DisconnectRequest,
        12 => U12DisconnectIndication,
        19 => U19ReleaseRequest,
        25 => U25OverlapReceiving,
        _ => U0Null,
    }
}

fn network_state(value: u8) -> NetworkState {
    use NetworkState::*;
    match value {
        1 => N1CallInitiated,
        2 => N2OverlapSending,
        3 => N3OutgoingCallProceeding,
        4 => N4CallDelivered,
        6 => N6CallPresent,
        7 => N7CallReceived,
        8 => N8ConnectRequest,
        9 => N9IncomingCallProceeding,
        10 => N10Active,
        11 => N11DisconnectRequest,
        12 => N12DisconnectIndication,
        19 => N19ReleaseRequest,
        25 => N25OverlapReceiving,
        _ => N0Null,
    }
}

/// Whether the peer's reported state (in STATUS) can coexist with ours (Q.931 §5.8.11):
/// equal states, either side clearing, both still setting up the same call, or the peer
/// one step ahead into Active.
pub(crate) fn compatible(ours: u8, peer: u8) -> bool {
    const CLEARING: [u8; 3] = [11, 12, 19];
    const ORIGINATED: [u8; 5] = [1, 2, 3, 4, 10];
    const TERMINATED: [u8; 6] = [6, 25, 9, 7, 8, 10];
    ours == peer
        || CLEARING.contains(&ours)
        || CLEARING.contains(&peer)
        || (ORIGINATED.contains(&ours) && ORIGINATED.contains(&peer) && ours != 10)
        || (TERMINATED.contains(&ours) && TERMINATED.contains(&peer) && ours != 10)
        || (ours == 10 && peer == 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_depend_on_side_and_originator() {
        let initiated = Phase::Initiated {
            setup: Vec::new(),
            resent: false,
        };
        assert_eq!(
            initiated.state(true, true),
            State::User(UserState::U1CallInitiated)
        );
        assert_eq!(
            initiated.state(true, false),
            State::User(UserState::U6CallPresent)
        );
        assert_eq!(
            initiated.state(false, false),
            State::Network(NetworkState::N6CallPresent)
        );
        assert_eq!(
            Phase::Overlap.state(false, true),
            State::Network(NetworkState::N2OverlapSending)
        );
        let disconnect = Phase::DisconnectSent { cause: 16 };
        assert_eq!(disconnect.state(true, true).value(), 11);
        assert_eq!(disconnect.state(false, true).value(), 12);
    }

    #[test]
    fn compatibility() {
        assert!(compatible(10, 10));
        assert!(compatible(3, 10));
        assert!(compatible(9, 7));
        assert!(compatible(10, 19));
        assert!(!compatible(10, 3));
        assert!(!compatible(3, 9));
        assert!(!compatible(10, 0));
    }
}
