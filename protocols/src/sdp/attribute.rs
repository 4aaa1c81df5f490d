//! `a=` lines: the attributes callbackd reads typed, and every other kept verbatim.
//!
//! ```text
//! attribute-fields = *(%s"a" "=" attribute CRLF)
//! attribute        = (attribute-name ":" attribute-value) / attribute-name
//! attribute-name   = token
//! attribute-value  = byte-string
//! ```
//! (RFC 8866 §5.13.) The typed ones, each with the grammar of its RFC:
//!
//! ```text
//! a=rtpmap:<payload type> <encoding name>/<clock rate> [/<encoding parameters>]
//! a=fmtp:<format> <format specific parameters>
//! a=ptime:<packet time>           ; ms, non-zero-int-or-real (RFC 8866 §6.4)
//! a=maxptime:<maximum packet time>
//! a=sendrecv / a=sendonly / a=recvonly / a=inactive
//! a=rtcp:<port> [<nettype> <addrtype> <connection-address>]   ; RFC 3605 §2.1
//! a=rtcp-mux                                                  ; RFC 5761 §5.1.1
//! ```
//! A flag written with a value (`a=sendrecv:x`) is not the flag and stays
//! [`Attribute::Other`]; a typed attribute whose value does not follow its grammar is an
//! error.

use std::fmt;
use std::time::Duration;

use nom::Parser;
use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{char, u8 as dec_u8, u16 as dec_u16, u32 as dec_u32};
use nom::combinator::{cut, opt, rest as remainder};
use nom::error::context;
use nom::sequence::preceded;

use super::connection::{Address, address};
use super::error::SdpError;
use super::field::{Position, Res, complete, expected, sp, sp0, token};
use super::payload::EventSet;

/// One `a=` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribute {
    Rtpmap(Rtpmap),
    Fmtp(Fmtp),
    Ptime(Duration),
    MaxPtime(Duration),
    Direction(Direction),
    Rtcp(Rtcp),
    RtcpMux,
    /// Any other attribute, exactly as received: the name and, after the first `:`, the
    /// value.
    Other {
        name: String,
        value: Option<String>,
    },
}

/// `a=rtpmap`: what a dynamic (or restated static) payload type carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rtpmap {
    pub payload_type: u8,
    pub encoding: String,
    pub clock_rate: u32,
    /// The encoding parameters, which for audio are the number of channels.
    pub channels: Option<u16>,
}

/// `a=fmtp`: format-specific parameters of a payload type, kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fmtp {
    pub payload_type: u8,
    pub params: String,
}

impl Fmtp {
    /// The RFC 4733 events listed, when this is the `a=fmtp` of a telephone-event payload
    /// type (`0-15`, `0-16,32`); `None` if the parameters are no such list.
    pub fn events(&self) -> Option<EventSet> {
        EventSet::parse(&self.params)
    }
}

/// The media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1), from the point of view
/// of the side that wrote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    #[default]
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

impl Direction {
    /// Whether the writer sends media.
    pub fn sends(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::SendOnly)
    }

    /// Whether the writer receives media.
    pub fn receives(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::RecvOnly)
    }

    /// The direction with the given sending and receiving.
    pub fn from_flags(sends: bool, receives: bool) -> Direction {
        match (sends, receives) {
            (true, true) => Direction::SendRecv,
            (true, false) => Direction::SendOnly,
            (false, true) => Direction::RecvOnly,
            (false, false) => Direction::Inactive,
        }
    }

    /// The same stream seen from the other side: `sendonly` ↔ `recvonly`.
    pub fn reversed(self) -> Direction {
        Direction::from_flags(self.receives(), self.sends())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::SendRecv => "sendrecv",
            Direction::SendOnly => "sendonly",
            Direction::RecvOnly => "recvonly",
            Direction::Inactive => "inactive",
        }
    }

    fn from_name(name: &str) -> Option<Direction> {
        match name {
            "sendrecv" => Some(Direction::SendRecv),
            "sendonly" => Some(Direction::SendOnly),
            "recvonly" => Some(Direction::RecvOnly),
            "inactive" => Some(Direction::Inactive),
            _ => None,
        }
    }
}

/// `a=rtcp`: where RTCP goes when it is not the RTP port + 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rtcp {
    pub port: u16,
    pub address: Option<Address>,
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attribute::Rtpmap(map) => {
                write!(
                    f,
                    "rtpmap:{} {}/{}",
                    map.payload_type, map.encoding, map.clock_rate
                )?;
                match map.channels {
                    Some(channels) => write!(f, "/{channels}"),
                    None => Ok(()),
                }
            }
            Attribute::Fmtp(fmtp) if fmtp.params.is_empty() => {
                write!(f, "fmtp:{}", fmtp.payload_type)
            }
            Attribute::Fmtp(fmtp) => write!(f, "fmtp:{} {}", fmtp.payload_type, fmtp.params),
            Attribute::Ptime(time) => write!(f, "ptime:{}", Millis(*time)),
            Attribute::MaxPtime(time) => write!(f, "maxptime:{}", Millis(*time)),
            Attribute::Direction(direction) => f.write_str(direction.as_str()),
            Attribute::Rtcp(Rtcp { port, address }) => match address {
                Some(address) => write!(f, "rtcp:{port} {address}"),
                None => write!(f, "rtcp:{port}"),
            },
            Attribute::RtcpMux => f.write_str("rtcp-mux"),
            Attribute::Other { name, value: None } => f.write_str(name),
            Attribute::Other {
                name,
                value: Some(value),
            } => write!(f, "{name}:{value}"),
        }
    }
}

/// A duration written in milliseconds, with up to three decimals.
struct Millis(Duration);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = self.0.as_micros();
        let (ms, frac) = (micros / 1000, micros % 1000);
        if frac == 0 {
            write!(f, "{ms}")
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{ms}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// Parses the value of an `a=` line that starts at `pos`.
pub(super) fn attribute(value: &str, pos: Position) -> Result<Attribute, SdpError> {
    let Ok((after, name)) = token(value) else {
        return Err(pos.malformed(0, "an attribute name"));
    };
    let at = value.len() - after.len();
    match after.strip_prefix(':') {
        Some(text) => {
            let text_pos = Position {
                offset: pos.offset + at + 1,
                line: pos.line,
            };
            valued(name, text, text_pos)
        }
        None if after.trim_start_matches([' ', '\t']).is_empty() => {
            flag(name, pos.malformed(at, "':' and a value"))
        }
        None => Err(pos.malformed(at, "':' or end of line")),
    }
}

/// `a=<name>` without a value.
fn flag(name: &str, needs_value: SdpError) -> Result<Attribute, SdpError> {
    if let Some(direction) = Direction::from_name(name) {
        return Ok(Attribute::Direction(direction));
    }
    match name {
        "rtcp-mux" => Ok(Attribute::RtcpMux),
        "rtpmap" | "fmtp" | "ptime" | "maxptime" | "rtcp" => Err(needs_value),
        _ => Ok(Attribute::Other {
            name: name.to_owned(),
            value: None,
        }),
    }
}

/// `a=<name>:<value>`.
fn valued(name: &str, text: &str, pos: Position) -> Result<Attribute, SdpError> {
    const RTPMAP: &str = "rtpmap value: <payload type> <encoding>/<clock rate>[/<channels>]";
    match name {
        "rtpmap" => complete(text, pos, RTPMAP, rtpmap).map(Attribute::Rtpmap),
        "fmtp" => complete(text, pos, "fmtp value: <payload type> <parameters>", fmtp)
            .map(Attribute::Fmtp),
        "ptime" => complete(text, pos, "a packet time in ms", millis).map(Attribute::Ptime),
        "maxptime" => complete(text, pos, "a packet time in ms", millis).map(Attribute::MaxPtime),
        "rtcp" => complete(
            text,
            pos,
            "rtcp value: <port> [IN <addrtype> <address>]",
            rtcp,
        )
        .map(Attribute::Rtcp),
        _ => Ok(Attribute::Other {
            name: name.to_owned(),
            value: Some(text.to_owned()),
        }),
    }
}

/// An RTP payload type, 0–127.
pub(super) fn payload_type(input: &str) -> Res<'_, u8> {
    let (rest, pt) = context("a payload type (0-127)", dec_u8).parse(input)?;
    if pt > 127 {
        return expected(input, "a payload type (0-127)");
    }
    Ok((rest, pt))
}

fn rtpmap(input: &str) -> Res<'_, Rtpmap> {
    let encoding_name = take_while1(|c| c != '/' && super::field::is_token_char(c));
    let (rest, (_, payload_type, _, encoding)) = (
        sp0,
        payload_type,
        context("a space", sp),
        context("an encoding name", encoding_name),
    )
        .parse(input)?;
    let (rest, clock_rate) = preceded(
        context("'/'", char('/')),
        context("a clock rate", cut(dec_u32)),
    )
    .parse(rest)?;
    let (rest, channels) = opt(preceded(
        char('/'),
        cut(context("a channel count", dec_u16)),
    ))
    .parse(rest)?;
    let map = Rtpmap {
        payload_type,
        encoding: encoding.to_owned(),
        clock_rate,
        channels,
    };
    Ok((rest, map))
}

fn fmtp(input: &str) -> Res<'_, Fmtp> {
    let (rest, (_, payload_type)) = (sp0, payload_type).parse(input)?;
    let (rest, params) = opt(preceded(sp, remainder)).parse(rest)?;
    let fmtp = Fmtp {
        payload_type,
        params: params.unwrap_or_default().to_owned(),
    };
    Ok((rest, fmtp))
}

/// `1*DIGIT ["." *DIGIT]` milliseconds; digits past the microsecond are dropped.
fn millis(input: &str) -> Res<'_, Duration> {
    let (rest, (_, ms)) = (sp0, context("a packet time in ms", dec_u32)).parse(input)?;
    let (rest, frac) = opt(preceded(
        char('.'),
        take_while(|c: char| c.is_ascii_digit()),
    ))
    .parse(rest)?;
    let micros = frac
        .unwrap_or_default()
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3);
    let micros = micros.fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
    Ok((rest, Duration::from_micros(u64::from(ms) * 1000 + micros)))
}

fn rtcp(input: &str) -> Res<'_, Rtcp> {
    let (rest, (_, port)) = (sp0, context("a port", dec_u16)).parse(input)?;
    let (rest, address) = opt(preceded(sp, address)).parse(rest)?;
    Ok((rest, Rtcp { port, address }))
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    const POS: Position = Position {
        offset: 10,
        line: 2,
    };

    fn parse(value: &str) -> Result<Attribute, SdpError> {
        attribute(value, POS)
    }

    fn round_trip(value: &str) -> Attribute {
        let attr = parse(value).unwrap();
        assert_eq!(attr.to_string(), value);
        attr
    }

    #[test]
    fn rtpmap_rfc_8866_section_6_6() {
        let table: &[(&str, u8, &str, u32, Option<u16>)] = &[
            ("rtpmap:0 PCMU/8000", 0, "PCMU", 8000, None),
            ("rtpmap:8 PCMA/8000/1", 8, "PCMA", 8000, Some(1)),
            (
                "rtpmap:101 telephone-event/8000",
                101,
                "telephone-event",
                8000,
                None,
            ),
            ("rtpmap:98 L16/16000/2", 98, "L16", 16000, Some(2)),
        ];
        for &(text, pt, encoding, rate, channels) in table {
            let expected = Rtpmap {
                payload_type: pt,
                encoding: encoding.into(),
                clock_rate: rate,
                channels,
            };
            assert_eq!(round_trip(text), Attribute::Rtpmap(expected), "{text}");
        }
    }

    #[test]
    fn rtpmap_errors_name_the_missing_part() {
        let table: &[(&str, usize, &str)] = &[
            ("rtpmap:x PCMU/8000", 7, "a payload type (0-127)"),
            ("rtpmap:128 PCMU/8000", 7, "a payload type (0-127)"),
            ("rtpmap:0 PCMU", 13, "'/'"),
            ("rtpmap:0 PCMU/", 14, "a clock rate"),
            ("rtpmap:0 PCMU/8000/", 19, "a channel count"),
            ("rtpmap", 6, "':' and a value"),
        ];
        for &(text, at, what) in table {
            assert_eq!(parse(text), Err(POS.malformed(at, what)), "{text}");
        }
    }

    #[test]
    fn fmtp_keeps_parameters_verbatim() {
        let attr = round_trip("fmtp:101 0-15");
        let expected = Fmtp {
            payload_type: 101,
            params: "0-15".into(),
        };
        assert_eq!(attr, Attribute::Fmtp(expected));
        assert_eq!(
            match &attr {
                Attribute::Fmtp(fmtp) => fmtp.events(),
                _ => None,
            },
            Some(EventSet::DTMF)
        );
        round_trip("fmtp:18 annexb=no");
        round_trip("fmtp:96 mode-set=0,2,4,7; octet-align=1");
        assert_eq!(
            parse("fmtp:101"),
            Ok(Attribute::Fmtp(Fmtp {
                payload_type: 101,
                params: String::new()
            }))
        );
    }

    #[test]
    fn ptime_accepts_integer_and_real_milliseconds() {
        assert_eq!(
            round_trip("ptime:20"),
            Attribute::Ptime(Duration::from_millis(20))
        );
        assert_eq!(
            round_trip("maxptime:22.5"),
            Attribute::MaxPtime(Duration::from_micros(22_500))
        );
        assert_eq!(
            parse("ptime:20.000"),
            Ok(Attribute::Ptime(Duration::from_millis(20)))
        );
        assert_eq!(
            parse("ptime:"),
            Err(POS.malformed(6, "a packet time in ms"))
        );
    }

    #[test]
    fn direction_flags() {
        for direction in [
            Direction::SendRecv,
            Direction::SendOnly,
            Direction::RecvOnly,
            Direction::Inactive,
        ] {
            assert_eq!(
                round_trip(direction.as_str()),
                Attribute::Direction(direction)
            );
            assert_eq!(direction.reversed().reversed(), direction);
        }
        assert_eq!(Direction::SendOnly.reversed(), Direction::RecvOnly);
        assert_eq!(Direction::Inactive.reversed(), Direction::Inactive);
        // A flag with a value is some other attribute.
        assert!(matches!(round_trip("sendrecv:x"), Attribute::Other { .. }));
    }

    #[test]
    fn rtcp_rfc_3605_and_rtcp_mux() {
        assert_eq!(
            round_trip("rtcp:53020"),
            Attribute::Rtcp(Rtcp {
                port: 53020,
                address: None
            })
        );
        let with_address = round_trip("rtcp:53020 IN IP4 126.16.64.4");
        let expected = Attribute::Rtcp(Rtcp {
            port: 53020,
            address: Some(Address::ip(Ipv4Addr::new(126, 16, 64, 4).into())),
        });
        assert_eq!(with_address, expected);
        assert_eq!(round_trip("rtcp-mux"), Attribute::RtcpMux);
    }

    #[test]
    fn unknown_attributes_are_kept_verbatim() {
        let attr = round_trip("X-nat:0 some  odd :: text ");
        assert_eq!(
            attr,
            Attribute::Other {
                name: "X-nat".into(),
                value: Some("0 some  odd :: text ".into())
            }
        );
        round_trip("ice-lite");
        round_trip("silenceSupp:off - - - -");
    }

    #[test]
    fn malformed_attribute_lines() {
        assert_eq!(parse(":x"), Err(POS.malformed(0, "an attribute name")));
        assert_eq!(
            parse("foo bar"),
            Err(POS.malformed(3, "':' or end of line"))
        );
        assert_eq!(
            parse("sendrecv \t"),
            Ok(Attribute::Direction(Direction::SendRecv))
        );
    }
}
