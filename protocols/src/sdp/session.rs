//! The session description: its session-level fields, `o=`, `b=` and `t=`, and its
//! serialisation.
//!
//! ```text
//! session-description = version-field
//!                       origin-field
//!                       session-name-field
//!                       [information-field]
//!                       [uri-field]
//!                       *email-field
//!                       *phone-field
//!                       [connection-field]
//!                       *bandwidth-field
//!                       1*time-description
//!                       [key-field]
//!                       *attribute-field
//!                       *media-description
//! origin-field = %s"o" "=" username SP sess-id SP sess-version SP
//!                nettype SP addrtype SP unicast-address CRLF
//! bandwidth-field = %s"b" "=" bwtype ":" bandwidth CRLF
//! time-description = timing-field *(repeat-field)
//! timing-field = %s"t" "=" start-time SP stop-time CRLF
//! ```
//! (RFC 8866 §9; the zone adjustments `z=` sit after the time descriptions.) Lines are
//! written in this order with CRLF endings, which is the inverse of the reader for every
//! description the reader accepts.

use std::fmt;
use std::time::Duration;

use nom::Parser;
use nom::character::complete::{char, u64 as dec_u64};
use nom::error::context;

use super::attribute::{Attribute, Direction};
use super::connection::{Address, Connection, address};
use super::field::{Res, non_ws_string, sp, token};
use super::media::MediaDescription;

/// A whole SDP session description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDescription {
    pub origin: Origin,
    /// `s=`: any text, possibly a single space or `-`.
    pub session_name: String,
    pub information: Option<String>,
    pub uri: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub connection: Option<Connection>,
    pub bandwidths: Vec<Bandwidth>,
    /// At least one `t=` when read; each with its `r=` lines.
    pub timings: Vec<Timing>,
    /// `z=`, kept as written.
    pub time_zones: Option<String>,
    /// `k=`, kept as written (obsolete, RFC 8866 §5.12).
    pub encryption_key: Option<String>,
    pub attributes: Vec<Attribute>,
    pub media: Vec<MediaDescription>,
}

/// `o=`: who created the session, and which version of it this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub username: String,
    pub session_id: u64,
    pub session_version: u64,
    pub address: Address,
}

/// `b=<bwtype>:<bandwidth>`, e.g. `AS:64` (kilobits per second).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bandwidth {
    pub kind: String,
    pub value: u64,
}

/// `t=<start> <stop>` (NTP seconds, `0 0` for an unbounded session) and its `r=` lines,
/// kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    pub start: u64,
    pub stop: u64,
    pub repeats: Vec<String>,
}

impl Timing {
    /// `t=0 0`: a permanent session, what SIP sessions use.
    pub const UNBOUNDED: Timing = Timing {
        start: 0,
        stop: 0,
        repeats: Vec::new(),
    };
}

impl SessionDescription {
    /// A description with the mandatory lines only: `v=0`, the origin, the session name
    /// and `t=0 0`.
    pub fn new(origin: Origin, session_name: &str) -> SessionDescription {
        SessionDescription {
            origin,
            session_name: session_name.to_owned(),
            information: None,
            uri: None,
            emails: Vec::new(),
            phones: Vec::new(),
            connection: None,
            bandwidths: Vec::new(),
            timings: vec![Timing::UNBOUNDED],
            time_zones: None,
            encryption_key: None,
            attributes: Vec::new(),
            media: Vec::new(),
        }
    }

    /// The session-level direction attribute, if any (the last one wins).
    pub fn direction(&self) -> Option<Direction> {
        self.attributes.iter().rev().find_map(|a| match a {
            Attribute::Direction(d) => Some(*d),
            _ => None,
        })
    }

    /// The direction that applies to media `index`: its own attribute, else the
    /// session's, else `sendrecv` (RFC 3264 §5.1).
    pub fn media_direction(&self, index: usize) -> Direction {
        let media = self.media.get(index).and_then(MediaDescription::direction);
        media.or(self.direction()).unwrap_or_default()
    }

    /// The connection that applies to media `index`: its first `c=`, else the session's.
    pub fn media_connection(&self, index: usize) -> Option<&Connection> {
        let media = self.media.get(index).and_then(|m| m.connections.first());
        media.or(self.connection.as_ref())
    }

    /// The `a=ptime` that applies to media `index`: its own, else the session's.
    pub fn media_ptime(&self, index: usize) -> Option<Duration> {
        let session = || {
            self.attributes.iter().find_map(|a| match a {
                Attribute::Ptime(t) => Some(*t),
                _ => None,
            })
        };
        self.media
            .get(index)
            .and_then(MediaDescription::ptime)
            .or_else(session)
    }

    /// The description as text, CRLF line ends.
    pub fn encode(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for SessionDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.origin;
        write!(f, "v=0\r\n")?;
        write!(
            f,
            "o={} {} {} {}\r\n",
            o.username, o.session_id, o.session_version, o.address
        )?;
        write!(f, "s={}\r\n", self.session_name)?;
        line(f, 'i', &self.information)?;
        line(f, 'u', &self.uri)?;
        lines(f, 'e', &self.emails)?;
        lines(f, 'p', &self.phones)?;
        line(f, 'c', &self.connection)?;
        lines(f, 'b', &self.bandwidths)?;
        for timing in &self.timings {
            write!(f, "t={} {}\r\n", timing.start, timing.stop)?;
            lines(f, 'r', &timing.repeats)?;
        }
        line(f, 'z', &self.time_zones)?;
        line(f, 'k', &self.encryption_key)?;
        lines(f, 'a', &self.attributes)?;
        self.media.iter().try_for_each(|m| write_media(f, m))
    }
}

fn write_media(f: &mut fmt::Formatter<'_>, m: &MediaDescription) -> fmt::Result {
    write!(f, "m={} {}", m.media, m.port)?;
    if let Some(count) = m.port_count {
        write!(f, "/{count}")?;
    }
    write!(f, " {}", m.proto)?;
    m.formats.iter().try_for_each(|fmt| write!(f, " {fmt}"))?;
    write!(f, "\r\n")?;
    line(f, 'i', &m.information)?;
    lines(f, 'c', &m.connections)?;
    lines(f, 'b', &m.bandwidths)?;
    line(f, 'k', &m.encryption_key)?;
    lines(f, 'a', &m.attributes)
}

fn line(f: &mut fmt::Formatter<'_>, kind: char, value: &Option<impl fmt::Display>) -> fmt::Result {
    match value {
        Some(value) => write!(f, "{kind}={value}\r\n"),
        None => Ok(()),
    }
}

fn lines(f: &mut fmt::Formatter<'_>, kind: char, values: &[impl fmt::Display]) -> fmt::Result {
    values
        .iter()
        .try_for_each(|value| write!(f, "{kind}={value}\r\n"))
}

impl fmt::Display for Bandwidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.value)
    }
}

/// The value of an `o=` line.
pub(super) fn origin(input: &str) -> Res<'_, Origin> {
    let (rest, (username, _, session_id, _, session_version, _, address)) = (
        context("a username", non_ws_string),
        context("a space", sp),
        context("a numeric session id", dec_u64),
        context("a space", sp),
        context("a numeric session version", dec_u64),
        context("a space", sp),
        address,
    )
        .parse(input)?;
    let origin = Origin {
        username: username.to_owned(),
        session_id,
        session_version,
        address,
    };
    Ok((rest, origin))
}

/// The value of a `b=` line.
pub(super) fn bandwidth(input: &str) -> Res<'_, Bandwidth> {
    let (rest, (kind, _, value)) = (
        context("a bandwidth type", token),
        context("':'", char(':')),
        context("a bandwidth", dec_u64),
    )
        .parse(input)?;
    let bandwidth = Bandwidth {
        kind: kind.to_owned(),
        value,
    };
    Ok((rest, bandwidth))
}

/// The value of a `t=` line.
pub(super) fn timing(input: &str) -> Res<'_, Timing> {
    let (rest, (start, _, stop)) = (
        context("a start time", dec_u64),
        context("a space", sp),
        context("a stop time", dec_u64),
    )
        .parse(input)?;
    let timing = Timing {
        start,
        stop,
        repeats: Vec::new(),
    };
    Ok((rest, timing))
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::super::field::{Position, complete};
    use super::*;

    const POS: Position = Position { offset: 7, line: 2 };

    #[test]
    fn origin_rfc_8866_example() {
        let o = complete(
            "jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
            POS,
            "o",
            origin,
        )
        .unwrap();
        assert_eq!(o.username, "jdoe");
        assert_eq!((o.session_id, o.session_version), (3724394400, 3724394405));
        assert_eq!(
            o.address,
            Address::ip(Ipv4Addr::new(198, 51, 100, 1).into())
        );
    }

    #[test]
    fn origin_errors() {
        let err = complete("- x 1 IN IP4 1.2.3.4", POS, "o", origin).unwrap_err();
        assert_eq!(err, POS.malformed(2, "a numeric session id"));
        let err = complete("- 1 2", POS, "o", origin).unwrap_err();
        assert_eq!(err, POS.malformed(5, "a space"));
        let too_big = "- 99999999999999999999 1 IN IP4 1.2.3.4";
        let err = complete(too_big, POS, "o", origin).unwrap_err();
        assert_eq!(err, POS.malformed(2, "a numeric session id"));
    }

    #[test]
    fn bandwidth_and_timing() {
        let b = complete("AS:64", POS, "b", bandwidth).unwrap();
        assert_eq!(b.to_string(), "AS:64");
        let err = complete("AS 64", POS, "b", bandwidth).unwrap_err();
        assert_eq!(err, POS.malformed(2, "':'"));
        let t = complete("3724394400 3724398000", POS, "t", timing).unwrap();
        assert_eq!((t.start, t.stop), (3724394400, 3724398000));
        let err = complete("0", POS, "t", timing).unwrap_err();
        assert_eq!(err, POS.malformed(1, "a space"));
    }

    #[test]
    fn media_falls_back_to_session_level_values() {
        let origin = Origin {
            username: "-".into(),
            session_id: 1,
            session_version: 1,
            address: Address::ip(Ipv4Addr::LOCALHOST.into()),
        };
        let mut sdp = SessionDescription::new(origin, "-");
        sdp.connection = Some(Connection::ip(Ipv4Addr::new(192, 0, 2, 1).into()));
        sdp.attributes
            .push(Attribute::Direction(Direction::SendOnly));
        sdp.attributes
            .push(Attribute::Ptime(Duration::from_millis(30)));
        sdp.media.push(MediaDescription::new(
            "audio",
            4000,
            "RTP/AVP",
            vec!["0".into()],
        ));
        assert_eq!(sdp.media_direction(0), Direction::SendOnly);
        assert_eq!(sdp.media_ptime(0), Some(Duration::from_millis(30)));
        assert_eq!(sdp.media_connection(0), sdp.connection.as_ref());
        let own = Connection::ip(Ipv4Addr::new(192, 0, 2, 2).into());
        sdp.media[0].connections.push(own.clone());
        sdp.media[0]
            .attributes
            .push(Attribute::Direction(Direction::Inactive));
        assert_eq!(sdp.media_connection(0), Some(&own));
        assert_eq!(sdp.media_direction(0), Direction::Inactive);
    }
}
