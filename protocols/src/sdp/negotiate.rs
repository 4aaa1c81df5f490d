//! The RFC 3264 offer/answer model for one G.711 audio stream with RFC 4733 events.
//!
//! callbackd relays and generates G.711 audio, so what it negotiates is small: one
//! `RTP/AVP` audio stream, A-law or µ-law at 8 kHz, optionally `telephone-event/8000`.
//! The rules, with their sections:
//!
//! * Answering (§6): the answer has the offer's `t=` lines and one `m=` line per offered
//!   one, in order; every stream but the first acceptable audio stream is rejected with
//!   port 0. The codec is the configured law if the offer has it, else the other law if allowed; the answer
//!   uses the offerer's payload type numbers (§6.1). `telephone-event` is answered with
//!   the offerer's payload type and the events both sides know. The direction is the
//!   offer's seen from our side (§6.1: `sendonly` → `recvonly`, `recvonly` → `sendonly`,
//!   `inactive` → `inactive`), narrowed by our own. `a=rtcp-mux` is accepted when offered
//!   (RFC 5761 §5.1.1). The old hold form `c=0.0.0.0` (§8.4) is read as "the offerer
//!   receives nothing".
//! * Offering (§5): our law first, the other law if allowed, `telephone-event/8000` on a
//!   dynamic payload type with `a=fmtp:<pt> 0-16`, `a=ptime`, the direction.
//! * Accepting an answer (§5, §6): the answer must have as many `m=` lines as the offer and
//!   select only payload types the offer listed.
//!
//! Remote addresses come from the media-level `c=`, else the session-level one (RFC 8866
//! §5.7).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use thiserror::Error;

use super::attribute::{Attribute, Direction, Fmtp, Rtpmap};
use super::connection::{Address, Connection, Host};
use super::media::MediaDescription;
use super::payload::{EventSet, TELEPHONE_EVENT};
use super::session::{Origin, SessionDescription};

pub use crate::g711::Law;

/// What one call leg of callbackd can do, and where it receives RTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMedia {
    pub addr: IpAddr,
    pub port: u16,
    /// The law offered first and chosen first when answering.
    pub preferred: Law,
    /// Whether the other law is offered and accepted too.
    pub accept_other_law: bool,
    /// Whether RFC 4733 telephone-events are offered and accepted.
    pub telephone_event: bool,
    /// The dynamic payload type our offers put telephone-event on.
    pub telephone_event_pt: u8,
    /// The packet time we send and ask for.
    pub ptime: Duration,
    /// Our direction: `sendrecv` normally, `sendonly`/`inactive` to hold.
    pub direction: Direction,
}

/// The events callbackd generates and detects: DTMF 0–15 and flash (16).
const OUR_EVENTS: (u8, u8) = (0, 16);

/// The session name in our descriptions.
const SESSION_NAME: &str = "callbackd";

/// A negotiation that failed.
///
/// [`NegotiationError::NoCommonCodec`] is "we do not support that" (SIP `488 Not
/// Acceptable Here`); the others say the peer broke RFC 3264 (SIP `400`, or a BYE when
/// it is an answer).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NegotiationError {
    #[error("no RTP/AVP audio stream with an acceptable G.711 codec")]
    NoCommonCodec,
    #[error("media description {index} has no connection address")]
    NoConnection { index: usize },
    #[error("the answer has {answer} media descriptions where the offer had {offer}")]
    MediaCountMismatch { offer: usize, answer: usize },
    #[error("the answer's media description {index} selects format {format}, not offered")]
    NotOffered { index: usize, format: String },
}

/// An answer to a peer's offer: the description to send and what was agreed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub sdp: SessionDescription,
    pub negotiated: Negotiated,
}

/// The agreed parameters of the audio stream, for the media path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// Which `m=` line carries the stream.
    pub media_index: usize,
    pub law: Law,
    /// The payload type the peer uses for the codec (send with it, expect it).
    pub payload_type: u8,
    /// The peer's payload type for telephone-event, if both sides use it.
    pub telephone_event: Option<u8>,
    /// Where the peer receives RTP.
    pub remote_host: Host,
    pub remote_port: u16,
    /// Where the peer receives RTCP: the RTP port with rtcp-mux, `a=rtcp`, else port + 1.
    pub remote_rtcp_port: Option<u16>,
    /// The peer's `a=ptime`, if it stated one.
    pub remote_ptime: Option<Duration>,
    /// Our direction on the stream: whether we send and whether we receive.
    pub direction: Direction,
    pub rtcp_mux: bool,
    /// The peer has put the call on hold: it receives nothing (`sendonly`, `inactive`
    /// or `c=0.0.0.0`).
    pub on_hold: bool,
}

impl Negotiated {
    /// The peer's RTP address, unless it is a domain name (which the driver resolves).
    pub fn remote_rtp(&self) -> Option<SocketAddr> {
        match self.remote_host {
            Host::Ip(ip) => Some(SocketAddr::new(ip, self.remote_port)),
            Host::Name(_) => None,
        }
    }
}

/// What we pick from one offered stream.
#[derive(Debug, Clone, Copy)]
struct Choice {
    law: Law,
    payload_type: u8,
    telephone_event: Option<(u8, EventSet)>,
}

impl LocalMedia {
    /// A sendrecv leg at `addr:port`: A-law preferred, µ-law accepted, telephone-event on
    /// payload type 101, 20 ms packets.
    pub fn new(addr: IpAddr, port: u16) -> LocalMedia {
        LocalMedia {
            addr,
            port,
            preferred: Law::Alaw,
            accept_other_law: true,
            telephone_event: true,
            telephone_event_pt: 101,
            ptime: Duration::from_millis(20),
            direction: Direction::SendRecv,
        }
    }

    /// Our laws in order of preference.
    fn laws(&self) -> impl Iterator<Item = Law> {
        let other = self.accept_other_law.then_some(self.preferred.other());
        std::iter::once(self.preferred).chain(other)
    }

    /// An offer (RFC 3264 §5): G.711 in preference order, telephone-event, ptime, direction.
    pub fn offer(&self, session_id: u64, version: u64) -> SessionDescription {
        let mut media = MediaDescription::new("audio", self.port, "RTP/AVP", Vec::new());
        for law in self.laws() {
            let pt = law.payload_type();
            media.formats.push(pt.to_string());
            media.attributes.push(rtpmap(pt, law.encoding()));
        }
        if self.telephone_event {
            let events = EventSet::range(OUR_EVENTS.0, OUR_EVENTS.1);
            self.add_telephone_event(&mut media, self.telephone_event_pt, events);
        }
        self.add_ptime_and_direction(&mut media, self.direction);
        let mut sdp = self.description(session_id, version);
        sdp.media.push(media);
        sdp
    }

    /// Answers a peer's offer (RFC 3264 §6). `session_id` and `version` go into our `o=`.
    pub fn answer(
        &self,
        offer: &SessionDescription,
        session_id: u64,
        version: u64,
    ) -> Result<Answer, NegotiationError> {
        let (index, choice) = offer
            .media
            .iter()
            .enumerate()
            .find_map(|(i, m)| self.choose(m).map(|c| (i, c)))
            .ok_or(NegotiationError::NoCommonCodec)?;
        let connection = offer
            .media_connection(index)
            .ok_or(NegotiationError::NoConnection { index })?;
        let offered = effective_direction(offer, index);
        let direction = Direction::from_flags(
            offered.receives() && self.direction.sends(),
            offered.sends() && self.direction.receives(),
        );
        let offered_media = &offer.media[index];
        let mut sdp = self.description(session_id, version);
        sdp.timings.clone_from(&offer.timings);
        for (i, m) in offer.media.iter().enumerate() {
            sdp.media.push(match i == index {
                true => self.accepted(m, choice, direction),
                false => rejected(m),
            });
        }
        let negotiated = Negotiated {
            media_index: index,
            law: choice.law,
            payload_type: choice.payload_type,
            telephone_event: choice.telephone_event.map(|(pt, _)| pt),
            remote_host: connection.address.host.clone(),
            remote_port: offered_media.port,
            remote_rtcp_port: rtcp_port(offered_media, offered_media.rtcp_mux()),
            remote_ptime: offer.media_ptime(index),
            direction,
            rtcp_mux: offered_media.rtcp_mux(),
            on_hold: !offered.receives(),
        };
        Ok(Answer { sdp, negotiated })
    }

    /// The codec and events we take from an offered stream, if it is one we can use.
    fn choose(&self, m: &MediaDescription) -> Option<Choice> {
        if m.port == 0 || !m.is_rtp_avp_audio() {
            return None;
        }
        let (law, payload_type) = self
            .laws()
            .find_map(|law| m.find_codec(law.encoding(), 8000).map(|pt| (law, pt)))?;
        let telephone_event = self.telephone_event.then(|| offered_events(m)).flatten();
        Some(Choice {
            law,
            payload_type,
            telephone_event,
        })
    }

    /// Our `m=` section answering the stream `m` with `choice`.
    fn accepted(
        &self,
        m: &MediaDescription,
        choice: Choice,
        direction: Direction,
    ) -> MediaDescription {
        let pt = choice.payload_type;
        let mut media = MediaDescription::new("audio", self.port, &m.proto, vec![pt.to_string()]);
        media.attributes.push(rtpmap(pt, choice.law.encoding()));
        if let Some((te, events)) = choice.telephone_event {
            self.add_telephone_event(&mut media, te, events);
        }
        if m.rtcp_mux() {
            media.attributes.push(Attribute::RtcpMux);
        }
        self.add_ptime_and_direction(&mut media, direction);
        media
    }

    fn add_telephone_event(&self, media: &mut MediaDescription, pt: u8, events: EventSet) {
        media.formats.push(pt.to_string());
        media.attributes.push(rtpmap(pt, TELEPHONE_EVENT));
        media.attributes.push(Attribute::Fmtp(Fmtp {
            payload_type: pt,
            params: events.to_string(),
        }));
    }

    fn add_ptime_and_direction(&self, media: &mut MediaDescription, direction: Direction) {
        media.attributes.push(Attribute::Ptime(self.ptime));
        media.attributes.push(Attribute::Direction(direction));
    }

    /// The session-level part of our descriptions: `o=`, `s=`, `c=`, `t=0 0`.
    fn description(&self, session_id: u64, version: u64) -> SessionDescription {
        let origin = Origin {
            username: "-".to_owned(),
            session_id,
            session_version: version,
            address: Address::ip(self.addr),
        };
        let mut sdp = SessionDescription::new(origin, SESSION_NAME);
        sdp.connection = Some(Connection::ip(self.addr));
        sdp
    }
}

/// Checks the peer's answer to our offer (RFC 3264 §5–6) and reads what was agreed.
pub fn accept_answer(
    offer: &SessionDescription,
    answer: &SessionDescription,
) -> Result<Negotiated, NegotiationError> {
    if offer.media.len() != answer.media.len() {
        return Err(NegotiationError::MediaCountMismatch {
            offer: offer.media.len(),
            answer: answer.media.len(),
        });
    }
    let index = (0..offer.media.len())
        .find(|&i| {
            offer.media[i].is_rtp_avp_audio()
                && offer.media[i].port != 0
                && answer.media[i].port != 0
        })
        .ok_or(NegotiationError::NoCommonCodec)?;
    let (ours, theirs) = (&offer.media[index], &answer.media[index]);
    if let Some(format) = theirs.formats.iter().find(|f| !ours.formats.contains(f)) {
        return Err(NegotiationError::NotOffered {
            index,
            format: format.clone(),
        });
    }
    let (law, payload_type) = answered_law(ours, theirs).ok_or(NegotiationError::NoCommonCodec)?;
    let connection = answer
        .media_connection(index)
        .ok_or(NegotiationError::NoConnection { index })?;
    let answered = effective_direction(answer, index);
    let offered = offer.media_direction(index);
    let rtcp_mux = ours.rtcp_mux() && theirs.rtcp_mux();
    Ok(Negotiated {
        media_index: index,
        law,
        payload_type,
        telephone_event: answered_codec(ours, theirs, TELEPHONE_EVENT),
        remote_host: connection.address.host.clone(),
        remote_port: theirs.port,
        remote_rtcp_port: rtcp_port(theirs, rtcp_mux),
        remote_ptime: answer.media_ptime(index),
        direction: Direction::from_flags(
            offered.sends() && answered.receives(),
            offered.receives() && answered.sends(),
        ),
        rtcp_mux,
        on_hold: !answered.receives(),
    })
}

/// The first G.711 payload type of the answer, by its own rtpmap or else the offer's.
fn answered_law(ours: &MediaDescription, theirs: &MediaDescription) -> Option<(Law, u8)> {
    [Law::Alaw, Law::Ulaw]
        .into_iter()
        .filter_map(|law| answered_codec(ours, theirs, law.encoding()).map(|pt| (law, pt)))
        .min_by_key(|&(_, pt)| theirs.payload_types().position(|p| p == pt))
}

/// The first payload type of the answer that is `encoding`/8000.
fn answered_codec(
    ours: &MediaDescription,
    theirs: &MediaDescription,
    encoding: &str,
) -> Option<u8> {
    theirs.payload_types().find(|&pt| {
        let codec = theirs.codec(pt).or_else(|| ours.codec(pt));
        codec.is_some_and(|c| c.is(encoding, 8000))
    })
}

/// The offered telephone-event payload type and the events we both know.
fn offered_events(m: &MediaDescription) -> Option<(u8, EventSet)> {
    let pt = m.find_codec(TELEPHONE_EVENT, 8000)?;
    let offered = match m.fmtp(pt) {
        Some(fmtp) => fmtp.events()?,
        None => EventSet::DTMF,
    };
    let common = offered.intersection(EventSet::range(OUR_EVENTS.0, OUR_EVENTS.1));
    (!common.is_empty()).then_some((pt, common))
}

/// The direction a description gives media `index`, with `c=0.0.0.0` meaning "receives
/// nothing" (RFC 3264 §8.4).
fn effective_direction(sdp: &SessionDescription, index: usize) -> Direction {
    let direction = sdp.media_direction(index);
    match sdp.media_connection(index) {
        Some(c) if c.is_hold() => Direction::from_flags(direction.sends(), false),
        _ => direction,
    }
}

/// Where the peer of stream `m` receives RTCP.
fn rtcp_port(m: &MediaDescription, rtcp_mux: bool) -> Option<u16> {
    match (rtcp_mux, m.rtcp()) {
        (true, _) => Some(m.port),
        (false, Some(rtcp)) => Some(rtcp.port),
        (false, None) => m.port.checked_add(1),
    }
}

/// An offered stream we decline: port 0, the same media, proto and formats (RFC 3264 §6).
fn rejected(m: &MediaDescription) -> MediaDescription {
    MediaDescription::new(&m.media, 0, &m.proto, m.formats.clone())
}

fn rtpmap(payload_type: u8, encoding: &str) -> Attribute {
    Attribute::Rtpmap(Rtpmap {
        payload_type,
        encoding: encoding.to_owned(),
        clock_rate: 8000,
        channels: None,
    })
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::super::parse;
    use super::*;

    const LOCAL_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 10);

    fn local() -> LocalMedia {
        LocalMedia::new(LOCAL_IP.into(), 20000)
    }

    /// An offer from 198.51.100.7 with the given media section(s).
    fn offer(media: &str) -> SessionDescription {
        let text = format!(
            "v=0\r\no=peer 5 5 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n{media}"
        );
        parse(text.as_bytes()).unwrap()
    }

    const PCMU_PCMA_TE: &str = "m=audio 4000 RTP/AVP 0 8 101\r\n\
        a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n\
        a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

    fn answer(local: &LocalMedia, offer: &SessionDescription) -> Result<Answer, NegotiationError> {
        local.answer(offer, 7, 1)
    }

    #[test]
    fn offer_is_g711_in_preference_order_with_telephone_event() {
        let sdp = local().offer(42, 1).encode();
        let expected = "v=0\r\n\
            o=- 42 1 IN IP4 192.0.2.10\r\n\
            s=callbackd\r\n\
            c=IN IP4 192.0.2.10\r\n\
            t=0 0\r\n\
            m=audio 20000 RTP/AVP 8 0 101\r\n\
            a=rtpmap:8 PCMA/8000\r\n\
            a=rtpmap:0 PCMU/8000\r\n\
            a=rtpmap:101 telephone-event/8000\r\n\
            a=fmtp:101 0-16\r\n\
            a=ptime:20\r\n\
            a=sendrecv\r\n";
        assert_eq!(sdp, expected);
    }

    #[test]
    fn offer_honours_law_and_event_settings() {
        let local = LocalMedia {
            preferred: Law::Ulaw,
            accept_other_law: false,
            telephone_event: false,
            ..local()
        };
        let sdp = local.offer(1, 1);
        assert_eq!(sdp.media[0].formats, ["0"]);
        assert_eq!(sdp.media[0].find_codec(TELEPHONE_EVENT, 8000), None);
    }

    #[test]
    fn configured_law_wins_over_the_offerers_order() {
        let a = answer(&local(), &offer(PCMU_PCMA_TE)).unwrap();
        assert_eq!(
            (a.negotiated.law, a.negotiated.payload_type),
            (Law::Alaw, 8)
        );
        assert_eq!(a.sdp.media[0].formats, ["8", "101"]);
        let pcmu_first = LocalMedia {
            preferred: Law::Ulaw,
            ..local()
        };
        let a = answer(&pcmu_first, &offer(PCMU_PCMA_TE)).unwrap();
        assert_eq!(
            (a.negotiated.law, a.negotiated.payload_type),
            (Law::Ulaw, 0)
        );
    }

    #[test]
    fn other_law_only_when_allowed() {
        let pcmu_only = offer("m=audio 4000 RTP/AVP 0\r\n");
        let a = answer(&local(), &pcmu_only).unwrap();
        assert_eq!(a.negotiated.law, Law::Ulaw);
        let strict = LocalMedia {
            accept_other_law: false,
            ..local()
        };
        assert_eq!(
            answer(&strict, &pcmu_only),
            Err(NegotiationError::NoCommonCodec)
        );
    }

    #[test]
    fn no_common_codec_is_an_error() {
        let g729 = offer("m=audio 4000 RTP/AVP 18 101\r\na=rtpmap:101 telephone-event/8000\r\n");
        assert_eq!(
            answer(&local(), &g729),
            Err(NegotiationError::NoCommonCodec)
        );
        let srtp = offer("m=audio 4000 RTP/SAVP 8\r\n");
        assert_eq!(
            answer(&local(), &srtp),
            Err(NegotiationError::NoCommonCodec)
        );
        let disabled = offer("m=audio 0 RTP/AVP 8\r\n");
        assert_eq!(
            answer(&local(), &disabled),
            Err(NegotiationError::NoCommonCodec)
        );
        let stereo = offer("m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMA/8000/2\r\n");
        assert_eq!(
            answer(&local(), &stereo),
            Err(NegotiationError::NoCommonCodec)
        );
    }

    #[test]
    fn dynamic_payload_type_for_g711_is_echoed() {
        let dynamic = offer("m=audio 4000 RTP/AVP 97\r\na=rtpmap:97 pcma/8000\r\n");
        let a = answer(&local(), &dynamic).unwrap();
        assert_eq!(
            (a.negotiated.law, a.negotiated.payload_type),
            (Law::Alaw, 97)
        );
        assert_eq!(a.sdp.media[0].formats, ["97"]);
    }

    #[test]
    fn direction_is_answered_per_rfc_3264_section_6_1() {
        let table = [
            ("a=sendrecv\r\n", Direction::SendRecv, false),
            ("a=sendonly\r\n", Direction::RecvOnly, true),
            ("a=recvonly\r\n", Direction::SendOnly, false),
            ("a=inactive\r\n", Direction::Inactive, true),
            ("", Direction::SendRecv, false),
        ];
        for (attr, answered, hold) in table {
            let a = answer(
                &local(),
                &offer(&format!("m=audio 4000 RTP/AVP 8\r\n{attr}")),
            )
            .unwrap();
            assert_eq!(a.negotiated.direction, answered, "{attr:?}");
            assert_eq!(a.sdp.media[0].direction(), Some(answered), "{attr:?}");
            assert_eq!(a.negotiated.on_hold, hold, "{attr:?}");
        }
    }

    #[test]
    fn session_level_direction_applies_to_media() {
        let text = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\n\
            t=0 0\r\na=sendonly\r\nm=audio 4000 RTP/AVP 8\r\n";
        let a = answer(&local(), &parse(text.as_bytes()).unwrap()).unwrap();
        assert_eq!(a.negotiated.direction, Direction::RecvOnly);
    }

    #[test]
    fn hold_address_means_the_offerer_receives_nothing() {
        let hold = offer("m=audio 4000 RTP/AVP 8\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n");
        let a = answer(&local(), &hold).unwrap();
        assert!(a.negotiated.on_hold);
        assert_eq!(a.negotiated.direction, Direction::RecvOnly);
        assert_eq!(
            a.negotiated.remote_host,
            Host::Ip(Ipv4Addr::UNSPECIFIED.into())
        );
    }

    #[test]
    fn our_own_direction_narrows_the_answer() {
        let holding = LocalMedia {
            direction: Direction::SendOnly,
            ..local()
        };
        let a = answer(&holding, &offer("m=audio 4000 RTP/AVP 8\r\n")).unwrap();
        assert_eq!(a.negotiated.direction, Direction::SendOnly);
        let a = answer(&holding, &offer("m=audio 4000 RTP/AVP 8\r\na=sendonly\r\n")).unwrap();
        assert_eq!(a.negotiated.direction, Direction::Inactive);
    }

    #[test]
    fn telephone_event_uses_the_offerers_payload_type() {
        let te96 = offer(
            "m=audio 4000 RTP/AVP 8 96\r\na=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\n",
        );
        let a = answer(&local(), &te96).unwrap();
        assert_eq!(a.negotiated.telephone_event, Some(96));
        let media = &a.sdp.media[0];
        assert_eq!(media.formats, ["8", "96"]);
        assert_eq!(media.fmtp(96).map(|f| f.params.as_str()), Some("0-15"));
        assert!(
            media
                .rtpmap(96)
                .is_some_and(|m| m.encoding == TELEPHONE_EVENT)
        );
    }

    #[test]
    fn telephone_event_absent_or_disabled() {
        let plain = offer("m=audio 4000 RTP/AVP 8\r\n");
        assert_eq!(
            answer(&local(), &plain).unwrap().negotiated.telephone_event,
            None
        );
        let no_events = LocalMedia {
            telephone_event: false,
            ..local()
        };
        let a = answer(&no_events, &offer(PCMU_PCMA_TE)).unwrap();
        assert_eq!(a.negotiated.telephone_event, None);
        assert_eq!(a.sdp.media[0].formats, ["8"]);
        let wideband_only =
            offer("m=audio 4000 RTP/AVP 8 97\r\na=rtpmap:97 telephone-event/48000\r\n");
        assert_eq!(
            answer(&local(), &wideband_only)
                .unwrap()
                .negotiated
                .telephone_event,
            None
        );
    }

    #[test]
    fn telephone_event_without_fmtp_means_dtmf_0_to_15() {
        let te = offer("m=audio 4000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n");
        let a = answer(&local(), &te).unwrap();
        assert_eq!(
            a.sdp.media[0].fmtp(101).map(|f| f.params.as_str()),
            Some("0-15")
        );
    }

    #[test]
    fn rtcp_mux_is_accepted_when_offered() {
        let mux = offer("m=audio 4000 RTP/AVP 8\r\na=rtcp-mux\r\n");
        let a = answer(&local(), &mux).unwrap();
        assert!(a.negotiated.rtcp_mux && a.sdp.media[0].rtcp_mux());
        assert_eq!(a.negotiated.remote_rtcp_port, Some(4000));
        let plain = answer(&local(), &offer("m=audio 4000 RTP/AVP 8\r\n")).unwrap();
        assert!(!plain.negotiated.rtcp_mux && !plain.sdp.media[0].rtcp_mux());
        assert_eq!(plain.negotiated.remote_rtcp_port, Some(4001));
        let rtcp = offer("m=audio 4000 RTP/AVP 8\r\na=rtcp:4005\r\n");
        assert_eq!(
            answer(&local(), &rtcp).unwrap().negotiated.remote_rtcp_port,
            Some(4005)
        );
    }

    #[test]
    fn other_streams_are_rejected_with_port_zero_in_order() {
        let two = offer(
            "m=video 5000 RTP/AVP 31\r\nm=audio 4000 RTP/AVP 8\r\nm=audio 4002 RTP/AVP 0\r\n",
        );
        let a = answer(&local(), &two).unwrap();
        assert_eq!(a.negotiated.media_index, 1);
        let ports: Vec<_> = a
            .sdp
            .media
            .iter()
            .map(|m| (m.media.as_str(), m.port))
            .collect();
        assert_eq!(ports, [("video", 0), ("audio", 20000), ("audio", 0)]);
        assert_eq!(a.sdp.media[0].formats, ["31"]);
    }

    #[test]
    fn media_level_connection_overrides_session_level() {
        let own = offer("m=audio 4000 RTP/AVP 8\r\nc=IN IP4 203.0.113.5\r\n");
        let a = answer(&local(), &own).unwrap();
        let expected = "203.0.113.5:4000".parse().ok();
        assert_eq!(a.negotiated.remote_rtp(), expected);
        let session = answer(&local(), &offer("m=audio 4000 RTP/AVP 8\r\n")).unwrap();
        assert_eq!(
            session.negotiated.remote_rtp(),
            "198.51.100.7:4000".parse().ok()
        );
    }

    #[test]
    fn missing_connection_is_the_peers_fault() {
        let text =
            "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n";
        let no_c = parse(text.as_bytes()).unwrap();
        assert_eq!(
            answer(&local(), &no_c),
            Err(NegotiationError::NoConnection { index: 0 })
        );
    }

    #[test]
    fn answer_repeats_the_offers_timing() {
        let mut timed = offer("m=audio 4000 RTP/AVP 8\r\n");
        timed.timings[0].start = 3724394400;
        timed.timings[0].stop = 3724398000;
        let a = answer(&local(), &timed).unwrap();
        assert_eq!(a.sdp.timings, timed.timings);
    }

    #[test]
    fn remote_ptime_is_reported_and_ours_is_sent() {
        let p30 = offer("m=audio 4000 RTP/AVP 8\r\na=ptime:30\r\n");
        let a = answer(&local(), &p30).unwrap();
        assert_eq!(a.negotiated.remote_ptime, Some(Duration::from_millis(30)));
        assert_eq!(a.sdp.media[0].ptime(), Some(Duration::from_millis(20)));
    }

    #[test]
    fn answer_survives_its_own_encoding() {
        let a = answer(&local(), &offer(PCMU_PCMA_TE)).unwrap();
        assert_eq!(parse(a.sdp.encode().as_bytes()), Ok(a.sdp));
    }

    #[test]
    fn accept_answer_reads_the_agreement() {
        let ours = local().offer(1, 1);
        let peer = LocalMedia {
            preferred: Law::Ulaw,
            ..LocalMedia::new(Ipv4Addr::new(198, 51, 100, 7).into(), 4000)
        };
        let answer = peer.answer(&ours, 9, 1).unwrap().sdp;
        let n = accept_answer(&ours, &answer).unwrap();
        assert_eq!(
            (n.law, n.payload_type, n.telephone_event),
            (Law::Ulaw, 0, Some(101))
        );
        assert_eq!(n.remote_rtp(), "198.51.100.7:4000".parse().ok());
        assert_eq!(n.direction, Direction::SendRecv);
        assert!(!n.on_hold);
    }

    #[test]
    fn accept_answer_maps_direction_from_our_side() {
        let ours = local().offer(1, 1);
        let mut answer = local().answer(&ours, 2, 1).unwrap().sdp;
        answer.media[0]
            .attributes
            .retain(|a| !matches!(a, Attribute::Direction(_)));
        answer.media[0]
            .attributes
            .push(Attribute::Direction(Direction::SendOnly));
        let n = accept_answer(&ours, &answer).unwrap();
        assert_eq!(n.direction, Direction::RecvOnly);
        assert!(n.on_hold);
    }

    #[test]
    fn accept_answer_rejects_answers_that_break_rfc_3264() {
        let ours = local().offer(1, 1);
        let good = local().answer(&ours, 2, 1).unwrap().sdp;
        let mut extra = good.clone();
        extra.media.push(good.media[0].clone());
        assert_eq!(
            accept_answer(&ours, &extra),
            Err(NegotiationError::MediaCountMismatch {
                offer: 1,
                answer: 2
            })
        );
        let mut foreign = good.clone();
        foreign.media[0].formats = vec!["18".into()];
        assert_eq!(
            accept_answer(&ours, &foreign),
            Err(NegotiationError::NotOffered {
                index: 0,
                format: "18".into()
            })
        );
        let mut rejected = good.clone();
        rejected.media[0].port = 0;
        assert_eq!(
            accept_answer(&ours, &rejected),
            Err(NegotiationError::NoCommonCodec)
        );
        let mut events_only = good;
        events_only.media[0].formats = vec!["101".into()];
        assert_eq!(
            accept_answer(&ours, &events_only),
            Err(NegotiationError::NoCommonCodec)
        );
    }
}
