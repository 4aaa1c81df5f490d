//! Framing a session description into `<type>=<value>` lines and reading them in the
//! order RFC 8866 §5 gives.
//!
//! ```text
//! ; each line:
//! <type>=<value>CRLF           ; type = one lower-case letter (%x61-7A)
//! byte-string = 1*(%x01-09/%x0B-0C/%x0E-FF)   ; RFC 8866 §9: no NUL, CR or LF
//! ```
//! RFC 8866 §5 lets a receiver accept a bare LF as a line end, and so does this reader;
//! line ends at the very end of the input may be missing or doubled. `v=`, `o=` and `s=`
//! must come first, in that order, and at least one `t=` must precede the first `m=`; the
//! other session-level lines are accepted in any order (a peer that writes `a=` before
//! `t=` is wrong but harmless), and a media description takes `i=`, `c=`, `b=`, `k=` and
//! `a=` lines. A line type the RFC does not define is refused, as RFC 8866 §5 allows.

use nom::bytes::complete::tag;
use nom::error::context;

use super::attribute::attribute;
use super::connection::connection;
use super::error::SdpError;
use super::field::{Position, complete};
use super::media::{MediaDescription, media_field};
use super::session::{Origin, SessionDescription, bandwidth, origin, timing};

/// The largest session description accepted, in bytes. An audio offer is well under 2 KiB;
/// anything near this limit is not meant for callbackd.
pub const MAX_LEN: usize = 16 * 1024;

/// Reads one session description from a complete buffer (a SIP body).
pub fn parse(input: &[u8]) -> Result<SessionDescription, SdpError> {
    if input.len() > MAX_LEN {
        return Err(SdpError::TooLarge {
            len: input.len(),
            max: MAX_LEN,
        });
    }
    let mut reader = Reader::new(utf8(input)?);
    let mut sdp = reader.session()?;
    while let Some(m) = reader.next()? {
        sdp.media.push(reader.media(m)?);
    }
    Ok(sdp)
}

/// The input as text, or where it stops being UTF-8 (RFC 8866 §5: the default charset).
fn utf8(input: &[u8]) -> Result<&str, SdpError> {
    std::str::from_utf8(input).map_err(|e| {
        let offset = e.valid_up_to();
        let line = 1 + input[..offset].iter().filter(|&&b| b == b'\n').count();
        SdpError::Malformed {
            offset,
            line,
            expected: "UTF-8 text",
        }
    })
}

/// One framed line: its type letter, its value and where that value starts.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    kind: char,
    value: &'a str,
    pos: Position,
}

impl Line<'_> {
    /// The position of the line's first byte (the type letter).
    fn start(&self) -> Position {
        Position {
            offset: self.pos.offset - 2,
            line: self.pos.line,
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    /// Where the content ends: trailing line ends are not lines.
    end: usize,
    offset: usize,
    line: usize,
    peeked: Option<Line<'a>>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            end: text.trim_end_matches(['\r', '\n']).len(),
            offset: 0,
            line: 1,
            peeked: None,
        }
    }

    /// Where the next line starts (or the input ends).
    fn here(&self) -> Position {
        match self.peeked {
            Some(line) => line.start(),
            None => Position {
                offset: self.offset.min(self.text.len()),
                line: self.line,
            },
        }
    }

    fn next(&mut self) -> Result<Option<Line<'a>>, SdpError> {
        if let Some(line) = self.peeked.take() {
            return Ok(Some(line));
        }
        if self.offset >= self.end {
            return Ok(None);
        }
        let rest = &self.text[self.offset..self.end];
        let raw = rest.split('\n').next().unwrap_or_default();
        let pos = Position {
            offset: self.offset,
            line: self.line,
        };
        self.offset += raw.len() + 1;
        self.line += 1;
        frame(raw.strip_suffix('\r').unwrap_or(raw), pos).map(Some)
    }

    /// The next line of the current section: `None` at the end of the input or when the
    /// next line is an `m=`, which stays for [`Reader::next`].
    fn next_in_section(&mut self) -> Result<Option<Line<'a>>, SdpError> {
        match self.next()? {
            Some(line) if line.kind == 'm' => {
                self.peeked = Some(line);
                Ok(None)
            }
            other => Ok(other),
        }
    }

    /// The next line, which must be of type `kind`.
    fn expect(&mut self, kind: char, expected: &'static str) -> Result<Line<'a>, SdpError> {
        let here = self.here();
        match self.next()? {
            Some(line) if line.kind == kind => Ok(line),
            Some(line) => Err(line.start().malformed(0, expected)),
            None => Err(here.malformed(0, expected)),
        }
    }

    /// `v=`, `o=`, `s=` and the session-level lines up to the first `m=`.
    fn session(&mut self) -> Result<SessionDescription, SdpError> {
        let v = self.expect('v', "v=0 as the first line")?;
        complete(v.value, v.pos, "version 0", context("version 0", tag("0")))?;
        let o = self.expect('o', "an o= line after v=")?;
        let origin: Origin = complete(o.value, o.pos, "an origin", origin)?;
        let s = self.expect('s', "an s= line after o=")?;
        let mut sdp = SessionDescription::new(origin, s.value);
        sdp.timings.clear();
        while let Some(line) = self.next_in_section()? {
            session_line(&mut sdp, line)?;
        }
        if sdp.timings.is_empty() {
            return Err(self
                .here()
                .malformed(0, "a t= line before the media descriptions"));
        }
        Ok(sdp)
    }

    /// The `m=` line `m` and the media-level lines after it.
    fn media(&mut self, m: Line<'a>) -> Result<MediaDescription, SdpError> {
        let mut media = complete(m.value, m.pos, "a media description", media_field)?;
        while let Some(line) = self.next_in_section()? {
            media_line(&mut media, line)?;
        }
        Ok(media)
    }
}

/// Splits `raw` (without its line end) into type and value.
fn frame(raw: &str, pos: Position) -> Result<Line<'_>, SdpError> {
    if let Some(at) = raw.find(['\r', '\0']) {
        return Err(pos.malformed(at, "a line end (CRLF or LF), no NUL or bare CR"));
    }
    let mut chars = raw.chars();
    match (chars.next(), chars.next()) {
        (Some(kind @ 'a'..='z'), Some('=')) => Ok(Line {
            kind,
            value: &raw[2..],
            pos: Position {
                offset: pos.offset + 2,
                line: pos.line,
            },
        }),
        _ => Err(pos.malformed(0, "a <type>=<value> line")),
    }
}

fn session_line(sdp: &mut SessionDescription, line: Line<'_>) -> Result<(), SdpError> {
    let (value, pos) = (line.value, line.pos);
    match line.kind {
        'i' => once(
            &mut sdp.information,
            value.to_owned(),
            line,
            "a single i= line",
        )?,
        'u' => once(&mut sdp.uri, value.to_owned(), line, "a single u= line")?,
        'e' => sdp.emails.push(value.to_owned()),
        'p' => sdp.phones.push(value.to_owned()),
        'c' => {
            let c = complete(value, pos, "a connection address", connection)?;
            once(
                &mut sdp.connection,
                c,
                line,
                "a single session-level c= line",
            )?;
        }
        'b' => sdp
            .bandwidths
            .push(complete(value, pos, "a bandwidth", bandwidth)?),
        't' => sdp.timings.push(complete(value, pos, "a timing", timing)?),
        'r' => match sdp.timings.last_mut() {
            Some(timing) => timing.repeats.push(value.to_owned()),
            None => return Err(line.start().malformed(0, "r= only after a t= line")),
        },
        'z' => once(
            &mut sdp.time_zones,
            value.to_owned(),
            line,
            "a single z= line",
        )?,
        'k' => once(
            &mut sdp.encryption_key,
            value.to_owned(),
            line,
            "a single k= line",
        )?,
        'a' => sdp.attributes.push(attribute(value, pos)?),
        'v' | 'o' | 's' => {
            return Err(line.start().malformed(0, "v=, o= and s= only at the start"));
        }
        _ => return Err(line.start().unsupported(0, "line type")),
    }
    Ok(())
}

fn media_line(media: &mut MediaDescription, line: Line<'_>) -> Result<(), SdpError> {
    let (value, pos) = (line.value, line.pos);
    match line.kind {
        'i' => once(
            &mut media.information,
            value.to_owned(),
            line,
            "a single i= line",
        )?,
        'c' => media
            .connections
            .push(complete(value, pos, "a connection address", connection)?),
        'b' => media
            .bandwidths
            .push(complete(value, pos, "a bandwidth", bandwidth)?),
        'k' => once(
            &mut media.encryption_key,
            value.to_owned(),
            line,
            "a single k= line",
        )?,
        'a' => media.attributes.push(attribute(value, pos)?),
        'v' | 'o' | 's' | 'u' | 'e' | 'p' | 't' | 'r' | 'z' => {
            let expected = "a media-level line (i=, c=, b=, k=, a=) or m=";
            return Err(line.start().malformed(0, expected));
        }
        _ => return Err(line.start().unsupported(0, "line type")),
    }
    Ok(())
}

/// Sets a field that may appear once per level.
fn once<T>(
    slot: &mut Option<T>,
    value: T,
    line: Line<'_>,
    expected: &'static str,
) -> Result<(), SdpError> {
    if slot.is_some() {
        return Err(line.start().malformed(0, expected));
    }
    *slot = Some(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n";

    fn malformed(offset: usize, line: usize, expected: &'static str) -> SdpError {
        SdpError::Malformed {
            offset,
            line,
            expected,
        }
    }

    #[test]
    fn minimal_description() {
        let sdp = parse(MINIMAL.as_bytes()).unwrap();
        assert_eq!(sdp.session_name, "-");
        assert_eq!(sdp.timings.len(), 1);
        assert!(sdp.media.is_empty());
        assert_eq!(sdp.encode(), MINIMAL);
    }

    #[test]
    fn lf_only_and_missing_or_doubled_final_line_end() {
        let lf = MINIMAL.replace("\r\n", "\n");
        let expected = parse(MINIMAL.as_bytes()).unwrap();
        assert_eq!(parse(lf.as_bytes()), Ok(expected.clone()));
        assert_eq!(parse(lf.trim_end().as_bytes()), Ok(expected.clone()));
        assert_eq!(parse(format!("{MINIMAL}\r\n").as_bytes()), Ok(expected));
    }

    #[test]
    fn framing_errors() {
        let table: &[(&str, SdpError)] = &[
            ("", malformed(0, 1, "v=0 as the first line")),
            ("v=1\r\n", malformed(2, 1, "version 0")),
            (
                "o=- 1 1 IN IP4 1.2.3.4\r\n",
                malformed(0, 1, "v=0 as the first line"),
            ),
            ("v=0\r\ns=-\r\n", malformed(5, 2, "an o= line after v=")),
            ("v=0\r\nV=0\r\n", malformed(5, 2, "a <type>=<value> line")),
            (
                "v=0\r\n\r\no=x\r\n",
                malformed(5, 2, "a <type>=<value> line"),
            ),
            (
                "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=a\rb\r\n",
                malformed(32, 3, "a line end (CRLF or LF), no NUL or bare CR"),
            ),
        ];
        for (text, err) in table {
            assert_eq!(parse(text.as_bytes()).as_ref(), Err(err), "{text:?}");
        }
    }

    #[test]
    fn structure_errors() {
        let no_t = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\n";
        assert_eq!(
            parse(no_t.as_bytes()),
            Err(malformed(34, 4, "a t= line before the media descriptions"))
        );
        let two_c = format!("{MINIMAL}c=IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.5\r\n");
        assert_eq!(
            parse(two_c.as_bytes()),
            Err(malformed(61, 6, "a single session-level c= line"))
        );
        let t_in_media = format!("{MINIMAL}m=audio 1 RTP/AVP 0\r\nt=0 0\r\n");
        assert_eq!(
            parse(t_in_media.as_bytes()),
            Err(malformed(
                64,
                6,
                "a media-level line (i=, c=, b=, k=, a=) or m="
            ))
        );
        let unknown = format!("{MINIMAL}x=1\r\n");
        assert_eq!(
            parse(unknown.as_bytes()),
            Err(SdpError::Unsupported {
                offset: 43,
                line: 5,
                what: "line type"
            })
        );
    }

    #[test]
    fn errors_inside_values_point_at_the_byte() {
        let bad_port = format!("{MINIMAL}m=audio port RTP/AVP 0\r\n");
        assert_eq!(parse(bad_port.as_bytes()), Err(malformed(51, 5, "a port")));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut bytes = MINIMAL.as_bytes().to_vec();
        bytes[33] = 0xff;
        assert_eq!(parse(&bytes), Err(malformed(33, 3, "UTF-8 text")));
    }

    #[test]
    fn oversized_input_is_refused_unread() {
        let big = vec![b'v'; MAX_LEN + 1];
        assert_eq!(
            parse(&big),
            Err(SdpError::TooLarge {
                len: MAX_LEN + 1,
                max: MAX_LEN
            })
        );
    }
}
