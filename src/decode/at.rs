//! `decode at`: a modem transcript decoded into what each line means.
//!
//! The input has one line per line on the wire: `> ` before what the host sent, `< ` (or
//! nothing) before what the modem sent. Blank lines, `#` comments (including the `#!`
//! directives of the replay tests) and `@+5s` time marks are skipped. Each remaining
//! line becomes one JSON object:
//!
//! ```json
//! {"line": 12, "dir": "host",  "kind": "command", "text": "AT+CLCC", "command": "list_calls"}
//! {"line": 13, "dir": "modem", "kind": "info",    "text": "+CLCC: …", "result": "clcc", …}
//! ```
//!
//! `kind` is `command` for the host, and for the modem `echo` (the command line repeated),
//! `prompt` (`> `), `final`, `info` (part of the pending command's answer) or `urc`
//! (unsolicited), as [`protocols::at::classify`] decides given the pending command.

use protocols::at::{Class, Command, Response, classify};
use serde_json::{Map, Value, json};

use super::{DecodeFailure, Location};

/// Decodes a transcript; the first malformed line is reported with its number.
pub fn decode(input: &[u8]) -> Result<serde_json::Value, DecodeFailure> {
    let mut transcript = Transcript::default();
    let mut out = Vec::new();
    for (index, raw) in input.split(|&b| b == b'\n').enumerate() {
        let number = index + 1;
        let failure = |reason: String| DecodeFailure {
            location: Location::Line(number),
            reason,
        };
        let text = std::str::from_utf8(raw).map_err(|_| failure("not UTF-8".into()))?;
        let text = text.trim_end_matches(['\r', ' ', '\t']);
        if let Some(entry) = transcript.line(text).map_err(failure)? {
            out.push(with_line(number, entry));
        }
    }
    Ok(Value::Array(out))
}

/// What is known while reading: the command awaiting its final result.
#[derive(Default)]
struct Transcript {
    pending: Option<(String, Command)>,
    echo_seen: bool,
}

impl Transcript {
    fn line(&mut self, text: &str) -> Result<Option<Map<String, Value>>, String> {
        if text.is_empty() || text.starts_with('#') || text.starts_with('@') {
            return Ok(None);
        }
        if let Some(sent) = text.strip_prefix("> ") {
            return self.host(sent).map(Some);
        }
        let received = text.strip_prefix("< ").unwrap_or(text);
        let received = received.strip_prefix('<').unwrap_or(received);
        self.modem(received.trim_start()).map(Some)
    }

    fn host(&mut self, sent: &str) -> Result<Map<String, Value>, String> {
        let command = Command::parse(sent).map_err(|e| e.to_string())?;
        let mut entry = entry("host", "command", sent);
        merge(&mut entry, serde_json::to_value(&command));
        self.pending = Some((sent.to_owned(), command));
        self.echo_seen = false;
        Ok(entry)
    }

    fn modem(&mut self, received: &str) -> Result<Map<String, Value>, String> {
        if received == ">" {
            return Ok(entry("modem", "prompt", "> "));
        }
        if self.is_echo(received) {
            self.echo_seen = true;
            return Ok(entry("modem", "echo", received));
        }
        let response = Response::parse(received).map_err(|e| e.to_string())?;
        let class = classify(&response, self.pending.as_ref().map(|(_, c)| c));
        let kind = match class {
            Class::Final => {
                self.pending = None;
                "final"
            }
            Class::Information => "info",
            Class::Unsolicited => "urc",
        };
        let mut entry = entry("modem", kind, received);
        merge(&mut entry, serde_json::to_value(&response));
        Ok(entry)
    }

    fn is_echo(&self, received: &str) -> bool {
        !self.echo_seen
            && self
                .pending
                .as_ref()
                .is_some_and(|(sent, _)| sent.eq_ignore_ascii_case(received))
    }
}

fn entry(dir: &str, kind: &str, text: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("dir".into(), json!(dir));
    map.insert("kind".into(), json!(kind));
    map.insert("text".into(), json!(text));
    map
}

/// Adds the typed fields of a serialised value; the common fields stay first.
fn merge(entry: &mut Map<String, Value>, typed: Result<Value, serde_json::Error>) {
    if let Ok(Value::Object(fields)) = typed {
        for (key, value) in fields {
            entry.entry(key).or_insert(value);
        }
    }
}

fn with_line(number: usize, entry: Map<String, Value>) -> Value {
    let mut map = Map::new();
    map.insert("line".into(), json!(number));
    map.extend(entry);
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<(String, String)> {
        let value = decode(input.as_bytes()).unwrap();
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["dir"].as_str().unwrap().to_owned(),
                    e["kind"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn classes_follow_the_pending_command() {
        let input = "> AT+CLCC\n< AT+CLCC\n< +CLCC: 1,1,4,0,0\nRING\n< OK\n< NO CARRIER\n";
        let got = kinds(input);
        let want = [
            ("host", "command"),
            ("modem", "echo"),
            ("modem", "info"),
            ("modem", "urc"),
            ("modem", "final"),
            ("modem", "urc"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(d, k)| (d.to_string(), k.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn typed_fields() {
        let value = decode(b"# c\n@+1s\n< +CLIP: \"+48601111222\",145,,,,0\n").unwrap();
        let clip = &value[0];
        assert_eq!(clip["line"], 3);
        assert_eq!(clip["result"], "clip");
        assert_eq!(clip["number"], "+48601111222");
        assert_eq!(clip["number_type"], 145);
        let fin = decode(b"< +CME ERROR: 10\n").unwrap();
        assert_eq!(fin[0]["code"], "cme_error");
        assert_eq!(fin[0]["detail"], 10);
        let cmd = decode(b"> ATD+48601234567;\n").unwrap();
        assert_eq!(cmd[0]["command"], "dial");
        assert_eq!(cmd[0]["number"], "+48601234567");
    }

    #[test]
    fn malformed_lines_name_their_number() {
        let err = decode(b"> ATE0\n< OK\n< +CLCC: 1,9\n").unwrap_err();
        assert_eq!(err.location, Location::Line(3));
        let err = decode(b"> hello\n").unwrap_err();
        assert_eq!(err.location, Location::Line(1));
        let err = decode(b"< OK\n\xff\n").unwrap_err();
        assert_eq!(err.location, Location::Line(2));
    }
}
