//! `m=` media descriptions and what callbackd asks of them.
//!
//! ```text
//! media-description = media-field
//!                     information-field
//!                     *connection-field
//!                     bandwidth-fields
//!                     key-field
//!                     attribute-fields
//! media-field =       %s"m" "=" media SP port ["/" integer]
//!                         SP proto 1*(SP fmt) CRLF
//! media =             token
//! fmt =               token
//! proto  =            token *("/" token)
//! ```
//! (RFC 8866 §5.14 and §9.) For RTP profiles each `fmt` is a payload type; its meaning
//! comes from an `a=rtpmap` or, for static types, from [`static_codec`].

use std::time::Duration;

use nom::Parser;
use nom::bytes::complete::take_while1;
use nom::character::complete::{char, u16 as dec_u16};
use nom::combinator::{cut, opt};
use nom::error::context;
use nom::multi::many0;
use nom::sequence::preceded;

use super::attribute::{Attribute, Direction, Fmtp, Rtcp, Rtpmap};
use super::connection::Connection;
use super::field::{Res, is_token_char, sp, token};
use super::payload::{Codec, static_codec};
use super::session::Bandwidth;

/// One `m=` section with the lines that follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDescription {
    /// `audio`, `video`, `image`, …
    pub media: String,
    /// The transport port; 0 rejects (in an answer) or disables (in an offer) the stream.
    pub port: u16,
    /// The number of consecutive ports, from `port/count`.
    pub port_count: Option<u16>,
    /// The transport protocol, e.g. `RTP/AVP`, `RTP/SAVP`, `udptl`.
    pub proto: String,
    /// The media formats: RTP payload types for the RTP profiles.
    pub formats: Vec<String>,
    pub information: Option<String>,
    pub connections: Vec<Connection>,
    pub bandwidths: Vec<Bandwidth>,
    pub encryption_key: Option<String>,
    pub attributes: Vec<Attribute>,
}

impl MediaDescription {
    /// A media description with no `i=`, `c=`, `b=`, `k=` or `a=` lines.
    pub fn new(media: &str, port: u16, proto: &str, formats: Vec<String>) -> MediaDescription {
        MediaDescription {
            media: media.to_owned(),
            port,
            port_count: None,
            proto: proto.to_owned(),
            formats,
            information: None,
            connections: Vec::new(),
            bandwidths: Vec::new(),
            encryption_key: None,
            attributes: Vec::new(),
        }
    }

    /// Whether the media is audio over plain RTP/AVP, the profile callbackd speaks.
    pub fn is_rtp_avp_audio(&self) -> bool {
        self.media == "audio" && self.proto.eq_ignore_ascii_case("RTP/AVP")
    }

    /// The formats that are RTP payload types (0–127 in plain decimal, so that `08` or
    /// `+8` is not mistaken for `8`), in order.
    pub fn payload_types(&self) -> impl Iterator<Item = u8> + '_ {
        self.formats.iter().filter_map(|f| {
            let pt = f.parse::<u8>().ok().filter(|&pt| pt <= 127)?;
            (pt.to_string() == *f).then_some(pt)
        })
    }

    /// What payload type `pt` carries: its `a=rtpmap`, else the RFC 3551 static meaning.
    pub fn codec(&self, pt: u8) -> Option<Codec<'_>> {
        match self.rtpmap(pt) {
            Some(map) => Some(Codec {
                encoding: &map.encoding,
                clock_rate: map.clock_rate,
                channels: map.channels,
            }),
            None => static_codec(pt),
        }
    }

    /// The first `a=rtpmap` for `pt`.
    pub fn rtpmap(&self, pt: u8) -> Option<&Rtpmap> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::Rtpmap(map) if map.payload_type == pt => Some(map),
            _ => None,
        })
    }

    /// The first `a=fmtp` for `pt`.
    pub fn fmtp(&self, pt: u8) -> Option<&Fmtp> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::Fmtp(fmtp) if fmtp.payload_type == pt => Some(fmtp),
            _ => None,
        })
    }

    /// The first offered payload type (in `m=` order) that is `encoding`/`clock_rate` mono.
    pub fn find_codec(&self, encoding: &str, clock_rate: u32) -> Option<u8> {
        self.payload_types()
            .find(|&pt| self.codec(pt).is_some_and(|c| c.is(encoding, clock_rate)))
    }

    /// The media-level direction attribute, if any (the last one wins).
    pub fn direction(&self) -> Option<Direction> {
        self.attributes.iter().rev().find_map(|a| match a {
            Attribute::Direction(d) => Some(*d),
            _ => None,
        })
    }

    /// The media-level `a=ptime`.
    pub fn ptime(&self) -> Option<Duration> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::Ptime(t) => Some(*t),
            _ => None,
        })
    }

    /// The media-level `a=maxptime`.
    pub fn maxptime(&self) -> Option<Duration> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::MaxPtime(t) => Some(*t),
            _ => None,
        })
    }

    /// The `a=rtcp` attribute.
    pub fn rtcp(&self) -> Option<&Rtcp> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::Rtcp(rtcp) => Some(rtcp),
            _ => None,
        })
    }

    /// Whether `a=rtcp-mux` is present.
    pub fn rtcp_mux(&self) -> bool {
        self.attributes.contains(&Attribute::RtcpMux)
    }
}

/// The `m=` line's fields; the caller adds the lines that follow.
pub(super) fn media_field(input: &str) -> Res<'_, MediaDescription> {
    let proto = take_while1(|c| c == '/' || is_token_char(c));
    let (rest, (media, _, port)) = (
        context("a media type", token),
        context("a space", sp),
        context("a port", dec_u16),
    )
        .parse(input)?;
    let (rest, port_count) =
        opt(preceded(char('/'), cut(context("a port count", dec_u16)))).parse(rest)?;
    let (rest, (_, proto)) = (
        context("a space", sp),
        context("a transport protocol", proto),
    )
        .parse(rest)?;
    let (rest, formats) = many0(preceded(sp, token)).parse(rest)?;
    let mut media = MediaDescription::new(media, port, proto, Vec::new());
    media.port_count = port_count;
    media.formats = formats.into_iter().map(str::to_owned).collect();
    Ok((rest, media))
}

#[cfg(test)]
mod tests {
    use super::super::field::{Position, complete};
    use super::super::{SdpError, attribute::Attribute};
    use super::*;

    const POS: Position = Position { offset: 2, line: 5 };

    fn parse(value: &str) -> Result<MediaDescription, SdpError> {
        complete(value, POS, "a media description", media_field)
    }

    #[test]
    fn rfc_8866_media_fields() {
        let m = parse("audio 49170 RTP/AVP 0 8 101").unwrap();
        assert_eq!(
            (m.media.as_str(), m.port, m.proto.as_str()),
            ("audio", 49170, "RTP/AVP")
        );
        assert_eq!(m.formats, ["0", "8", "101"]);
        let m = parse("video 49170/2 RTP/AVP 31").unwrap();
        assert_eq!(m.port_count, Some(2));
        let m = parse("image 0 udptl t38").unwrap();
        assert_eq!(m.formats, ["t38"]);
        let m = parse("audio 5004 UDP/TLS/RTP/SAVPF 111").unwrap();
        assert_eq!(m.proto, "UDP/TLS/RTP/SAVPF");
    }

    #[test]
    fn media_field_errors() {
        assert_eq!(parse("audio x RTP/AVP 0"), Err(POS.malformed(6, "a port")));
        assert_eq!(
            parse("audio 70000 RTP/AVP 0"),
            Err(POS.malformed(6, "a port"))
        );
        assert_eq!(
            parse("audio 1/ RTP/AVP 0"),
            Err(POS.malformed(8, "a port count"))
        );
        assert_eq!(parse("audio 1"), Err(POS.malformed(7, "a space")));
        assert_eq!(
            parse("audio 1 RTP/AVP 0 \u{7f}"),
            Err(POS.malformed(17, "end of line"))
        );
    }

    #[test]
    fn codecs_resolve_through_rtpmap_then_static_table() {
        let mut m = parse("audio 1 RTP/AVP 8 96 0").unwrap();
        m.attributes.push(Attribute::Rtpmap(Rtpmap {
            payload_type: 96,
            encoding: "pcmu".into(),
            clock_rate: 8000,
            channels: None,
        }));
        assert_eq!(m.find_codec("PCMU", 8000), Some(96));
        assert_eq!(m.find_codec("PCMA", 8000), Some(8));
        assert_eq!(m.find_codec("G729", 8000), None);
        assert_eq!(m.payload_types().collect::<Vec<_>>(), [8, 96, 0]);
        let odd = parse("audio 1 RTP/AVP 08 +0 128 t38 18").unwrap();
        assert_eq!(odd.payload_types().collect::<Vec<_>>(), [18]);
    }
}
