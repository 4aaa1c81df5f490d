//! Line framing of the modem's output (ITU-T V.250 §5.7.1).
//!
//! A modem frames every result as `<S3><S4>text<S3><S4>` (CR LF by default) and echoes a
//! command line as `command<S3>` while echo is on. The framer turns any split of the byte
//! stream (down to one byte at a time) into complete lines:
//!
//! * a line ends at S3 or S4; empty lines between them are skipped;
//! * the SMS / data prompt `> ` has no line end and is reported as [`Frame::Prompt`] when it
//!   opens a line;
//! * a line still missing its end is held: [`LineFramer::next_frame`] returns `Ok(None)`
//!   ("need more"), never an error;
//! * a line longer than the limit is an error ([`FrameError::Overlong`]); the rest of it is
//!   skipped and framing resumes after the next line end;
//! * bytes that are not UTF-8 are replaced (U+FFFD), never a panic;
//! * the echo of the command line in flight, announced with [`LineFramer::expect_echo`],
//!   is recognised and dropped once.

use thiserror::Error;

/// The default longest line accepted, in bytes (ample for `+CLCC` with an alpha tag).
pub const DEFAULT_MAX_LINE: usize = 512;

/// One framed unit of modem output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A complete line without its terminator.
    Line(String),
    /// The `> ` prompt asking for SMS or data text.
    Prompt,
}

/// Why the modem's output could not be framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FrameError {
    /// A line grew past the limit without a line end; it is discarded.
    #[error("line longer than {max} bytes")]
    Overlong { max: usize },
}

/// Splits the modem's byte stream into lines.
#[derive(Debug, Clone)]
pub struct LineFramer {
    buf: Vec<u8>,
    s3: u8,
    s4: u8,
    max_line: usize,
    discarding: bool,
    echo: Option<String>,
}

impl Default for LineFramer {
    fn default() -> Self {
        LineFramer::new(DEFAULT_MAX_LINE)
    }
}

impl LineFramer {
    /// A framer with the V.250 default terminators (S3 = CR, S4 = LF).
    pub fn new(max_line: usize) -> Self {
        LineFramer {
            buf: Vec::new(),
            s3: b'\r',
            s4: b'\n',
            max_line: max_line.max(2),
            discarding: false,
            echo: None,
        }
    }

    /// Uses other S3 / S4 characters (after `ATS3=` / `ATS4=`).
    pub fn with_terminators(mut self, s3: u8, s4: u8) -> Self {
        self.s3 = s3;
        self.s4 = s4;
        self
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete frame: `Ok(None)` when more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        loop {
            if self.discarding && !self.skip_to_line_end() {
                return Ok(None);
            }
            self.skip_terminators();
            if self.buf.is_empty() {
                return Ok(None);
            }
            if let Some(prompt) = self.take_prompt() {
                return Ok(prompt);
            }
            let Some(end) = self.buf.iter().position(|&b| self.is_terminator(b)) else {
                return self.hold_partial();
            };
            let raw: Vec<u8> = self.buf.drain(..=end).take(end).collect();
            if raw.len() > self.max_line {
                return Err(FrameError::Overlong { max: self.max_line });
            }
            let line = String::from_utf8_lossy(&raw).into_owned();
            if self.is_echo(&line) {
                self.echo = None;
                continue;
            }
            return Ok(Some(Frame::Line(line)));
        }
    }

    /// Announces the command line just sent, whose echo is to be dropped.
    pub fn expect_echo(&mut self, command: &str) {
        self.echo = Some(command.to_owned());
    }

    /// Forgets the announced echo (its command has completed).
    pub fn clear_echo(&mut self) {
        self.echo = None;
    }

    /// Drops everything held, e.g. after the serial link was reopened.
    pub fn reset(&mut self) {
        self.buf.clear();
        self.discarding = false;
        self.echo = None;
    }

    /// The bytes held while waiting for a line end.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    fn is_terminator(&self, b: u8) -> bool {
        b == self.s3 || b == self.s4
    }

    fn skip_terminators(&mut self) {
        let n = self
            .buf
            .iter()
            .take_while(|&&b| self.is_terminator(b))
            .count();
        self.buf.drain(..n);
    }

    /// Skips the rest of an overlong line; `false` while its end has not arrived yet.
    fn skip_to_line_end(&mut self) -> bool {
        match self.buf.iter().position(|&b| self.is_terminator(b)) {
            Some(end) => {
                self.buf.drain(..=end);
                self.discarding = false;
                true
            }
            None => {
                self.buf.clear();
                false
            }
        }
    }

    /// `Some(frame)` when the buffer opens with the prompt, `Some(None)` when it might.
    fn take_prompt(&mut self) -> Option<Option<Frame>> {
        match self.buf.as_slice() {
            [b'>'] => Some(None),
            [b'>', b' ', ..] => {
                self.buf.drain(..2);
                Some(Some(Frame::Prompt))
            }
            _ => None,
        }
    }

    fn hold_partial(&mut self) -> Result<Option<Frame>, FrameError> {
        if self.buf.len() > self.max_line {
            self.buf.clear();
            self.discarding = true;
            return Err(FrameError::Overlong { max: self.max_line });
        }
        Ok(None)
    }

    fn is_echo(&self, line: &str) -> bool {
        self.echo
            .as_deref()
            .is_some_and(|echo| echo.eq_ignore_ascii_case(line.trim_end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(framer: &mut LineFramer) -> Vec<Result<Frame, FrameError>> {
        let mut out = Vec::new();
        loop {
            match framer.next_frame() {
                Ok(Some(frame)) => out.push(Ok(frame)),
                Ok(None) => return out,
                Err(err) => out.push(Err(err)),
            }
        }
    }

    fn line(s: &str) -> Result<Frame, FrameError> {
        Ok(Frame::Line(s.into()))
    }

    const STREAM: &[u8] =
        b"ATE0\r\r\nOK\r\n\r\nRING\r\n\r\n+CLIP: \"+48601111222\",145,,,,0\r\n\r\n> ";

    fn expected() -> Vec<Result<Frame, FrameError>> {
        vec![
            line("OK"),
            line("RING"),
            line("+CLIP: \"+48601111222\",145,,,,0"),
            Ok(Frame::Prompt),
        ]
    }

    #[test]
    fn whole_stream() {
        let mut f = LineFramer::default();
        f.expect_echo("ATE0");
        f.push(STREAM);
        assert_eq!(frames(&mut f), expected());
        assert_eq!(f.pending(), 0);
    }

    #[test]
    fn split_at_every_byte() {
        for cut in 0..=STREAM.len() {
            let mut f = LineFramer::default();
            f.expect_echo("ATE0");
            f.push(&STREAM[..cut]);
            let mut got = frames(&mut f);
            f.push(&STREAM[cut..]);
            got.extend(frames(&mut f));
            assert_eq!(got, expected(), "split at {cut}");
        }
    }

    #[test]
    fn one_byte_at_a_time() {
        let mut f = LineFramer::default();
        f.expect_echo("ATE0");
        let mut got = Vec::new();
        for b in STREAM {
            f.push(std::slice::from_ref(b));
            got.extend(frames(&mut f));
        }
        assert_eq!(got, expected());
    }

    #[test]
    fn partial_line_is_need_more_not_an_error() {
        let mut f = LineFramer::default();
        f.push(b"\r\n+CLCC: 1,0,2");
        assert_eq!(f.next_frame(), Ok(None));
        f.push(b",0,0\r\n");
        assert_eq!(frames(&mut f), vec![line("+CLCC: 1,0,2,0,0")]);
    }

    #[test]
    fn lone_gt_waits_for_the_space() {
        let mut f = LineFramer::default();
        f.push(b"\r\n>");
        assert_eq!(f.next_frame(), Ok(None));
        f.push(b" ");
        assert_eq!(f.next_frame(), Ok(Some(Frame::Prompt)));
    }

    #[test]
    fn gt_without_space_is_a_line() {
        let mut f = LineFramer::default();
        f.push(b">x\r\n");
        assert_eq!(frames(&mut f), vec![line(">x")]);
    }

    #[test]
    fn overlong_line_is_an_error_and_resyncs() {
        let mut f = LineFramer::new(8);
        f.push(b"0123456789abcdef");
        assert_eq!(f.next_frame(), Err(FrameError::Overlong { max: 8 }));
        f.push(b"more garbage\r\nOK\r\n");
        assert_eq!(frames(&mut f), vec![line("OK")]);
    }

    #[test]
    fn overlong_complete_line_is_an_error() {
        let mut f = LineFramer::new(4);
        f.push(b"\r\n0123456\r\nOK\r\n");
        assert_eq!(
            frames(&mut f),
            vec![Err(FrameError::Overlong { max: 4 }), line("OK")]
        );
    }

    #[test]
    fn non_utf8_is_replaced() {
        let mut f = LineFramer::default();
        f.push(b"\xff\xfeOK\r\n");
        assert_eq!(frames(&mut f), vec![line("\u{fffd}\u{fffd}OK")]);
    }

    #[test]
    fn echo_dropped_once_case_insensitively() {
        let mut f = LineFramer::default();
        f.expect_echo("AT+CLCC");
        f.push(b"at+clcc\r\r\nOK\r\nAT+CLCC\r\n");
        assert_eq!(frames(&mut f), vec![line("OK"), line("AT+CLCC")]);
    }

    #[test]
    fn custom_terminators() {
        let mut f = LineFramer::default().with_terminators(b'\r', b'\r');
        f.push(b"\r\rOK\r\r\nX\r");
        // With S4 = CR, LF is ordinary text.
        assert_eq!(frames(&mut f), vec![line("OK"), line("\nX")]);
    }
}
