//! A live lesson the province leads, as it crosses the link: a few hundred bytes a change,
//! never a slide. The hub tells each box's hall where the session stands (`LiveNow`, signed by
//! the hub: lesson id, step, reveal); the box shows its own copy of the lesson and sends back
//! its room (`LiveReport`, signed by the box: how many are there and how many chose each
//! answer, no names). A report is the hall's whole room each time, so a report sent twice, or
//! again after a cut, replaces the one before and is never counted twice.
//!
//! Over HTTP the box opens the connection (boxes sit behind mobile NAT): `POST
//! /hub/v1/live/follow` with a sealed report answers an event stream whose every `data:` line
//! is a sealed `LiveNow` in base64 (`encode_event`, `decode_event`), with a comment line as a
//! keep-alive; `POST /hub/v1/live/report` answers one sealed `LiveNow`, so reporting is also
//! polling where a stream cannot live.

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::envelope::{self, Keys, Kind, Refused};

/// Most bytes a sealed report may have on the wire.
pub const MAX_REPORT: usize = 8 * 1024;
/// Most questions a report counts, and choices a question.
pub const MAX_QUESTIONS: usize = 64;
pub const MAX_CHOICES: usize = 26;
/// Most people one hall can report (a commune hall, not a stadium).
pub const MAX_PRESENT: u32 = 5_000;

/// Where the province's live lesson stands for one box's hall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveNow {
    /// The session the hall is invited to now, or the one it asked about if that ended;
    /// `None`: nothing for this hall. `None` never ends a session the hall follows: only a
    /// session said `ended` does.
    pub session: Option<LiveStep>,
}

/// A province session's place, as every invited hall sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveStep {
    pub id: String,
    /// The lesson's id (`module/slug`), which the box holds.
    pub lesson: String,
    /// Slides first, then one step a quiz question, as in a hall's own live lesson.
    pub step: usize,
    pub reveal: bool,
    pub ended: bool,
    /// Grows with every change of the session: a box keeps the newest it has seen, whichever
    /// way (stream or answer to a report) it came.
    pub version: i64,
    /// The whole province's answers to the current question, when the officer shows them in
    /// the halls; with how many halls and people follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Total>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Total {
    pub counts: Vec<u32>,
    pub halls: u32,
    pub people: u32,
}

/// A hall's room in the province's session, from the box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveReport {
    pub box_id: String,
    /// The province session the hall follows; `None` when it only asks what is on.
    pub session: Option<String>,
    /// The step the hall's projector shows.
    pub step: usize,
    /// The hall's facilitator has taken over: the hall moves on its own.
    pub led_here: bool,
    /// The box does not hold the lesson (an old box, a pack not arrived): it cannot follow.
    pub missing: bool,
    /// People counted present in the hall (joined on a phone, or ticked).
    pub present: u32,
    /// How many chose each choice of each question, in the lesson's order.
    pub answers: Vec<Vec<u32>>,
}

impl LiveReport {
    /// The report's own rules; a report breaking them is refused whole.
    pub fn check(&self) -> Result<(), String> {
        if uuid::Uuid::parse_str(&self.box_id).is_err() {
            return Err("box_id is not a UUID".into());
        }
        if let Some(session) = &self.session
            && uuid::Uuid::parse_str(session).is_err()
        {
            return Err("session is not a UUID".into());
        }
        if self.present > MAX_PRESENT {
            return Err(format!("more than {MAX_PRESENT} people in one hall"));
        }
        if self.answers.len() > MAX_QUESTIONS {
            return Err(format!("more than {MAX_QUESTIONS} questions"));
        }
        for counts in &self.answers {
            if counts.len() > MAX_CHOICES {
                return Err(format!("more than {MAX_CHOICES} choices to a question"));
            }
            let answered: u64 = counts.iter().map(|&n| u64::from(n)).sum();
            if answered > u64::from(self.present) {
                return Err("more answers to a question than people present".into());
            }
        }
        Ok(())
    }

    /// Seals the report as box `box_id` with its keys.
    pub fn seal(&self, keys: &Keys) -> Vec<u8> {
        envelope::seal(Kind::LiveReport, &self.box_id, keys, self)
    }
}

impl LiveNow {
    pub fn seal(&self, hub_id: &str, keys: &Keys) -> Vec<u8> {
        envelope::seal(Kind::LiveNow, hub_id, keys, self)
    }

    /// Opens a sealed `LiveNow` with the key of the hub the box pinned.
    pub fn open(sealed: &[u8], hub_key: &str) -> Result<LiveNow, Refused> {
        let key = hub_key.to_string();
        envelope::open(sealed, Kind::LiveNow, |_| Some(key)).map(|(_, now)| now)
    }
}

/// One event of the stream: `data:` and the sealed message in base64, then a blank line.
pub fn encode_event(sealed: &[u8]) -> String {
    format!("data:{}\n\n", encode_data(sealed))
}

/// A sealed message as an event's `data:` value: base64.
pub fn encode_data(sealed: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(sealed)
}

/// The sealed message of one `data:` line's value (`None` if it is not base64).
pub fn decode_event(data: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .ok()
}

/// Reads an event stream as its bytes come, in any pieces: `feed` takes a piece and gives
/// the `data:` values of the events it completed. A comment line (a keep-alive) completes
/// nothing; a line longer than `MAX_LINE` is dropped rather than kept growing.
#[derive(Default)]
pub struct EventReader {
    line: Vec<u8>,
    data: String,
    overlong: bool,
}

/// The longest line an event stream of sealed messages needs, with room to spare.
const MAX_LINE: usize = 64 * 1024;

impl EventReader {
    pub fn feed(&mut self, piece: &[u8]) -> Vec<String> {
        let mut events = Vec::new();
        for &byte in piece {
            if byte != b'\n' {
                if self.line.len() < MAX_LINE {
                    self.line.push(byte);
                } else {
                    self.overlong = true;
                }
                continue;
            }
            let mut line = std::mem::take(&mut self.line);
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if std::mem::take(&mut self.overlong) {
                continue;
            }
            if line.is_empty() {
                if !self.data.is_empty() {
                    events.push(std::mem::take(&mut self.data));
                }
                continue;
            }
            let Ok(line) = std::str::from_utf8(&line) else {
                continue;
            };
            if let Some(value) = line.strip_prefix("data:") {
                if !self.data.is_empty() {
                    self.data.push('\n');
                }
                self.data.push_str(value.strip_prefix(' ').unwrap_or(value));
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn report() -> LiveReport {
        LiveReport {
            box_id: uuid::Uuid::now_v7().to_string(),
            session: Some(uuid::Uuid::now_v7().to_string()),
            step: 3,
            led_here: false,
            missing: false,
            present: 12,
            answers: vec![vec![3, 5, 1, 0], vec![0, 0]],
        }
    }

    #[test]
    fn a_report_keeps_to_its_rules() {
        assert_eq!(report().check(), Ok(()));
        let mut r = report();
        r.answers[0][1] = 9;
        assert!(r.check().is_err(), "13 answers from 12 people");
        let mut r = report();
        r.answers = vec![vec![0; 27]];
        assert!(r.check().is_err());
        let mut r = report();
        r.session = Some("not-a-session".into());
        assert!(r.check().is_err());
        let mut r = report();
        r.present = MAX_PRESENT + 1;
        r.answers.clear();
        assert!(r.check().is_err());
    }

    #[test]
    fn a_step_crosses_in_a_few_hundred_bytes_and_opens_only_with_the_hubs_key() {
        let keys = Keys::generate();
        let now = LiveNow {
            session: Some(LiveStep {
                id: uuid::Uuid::now_v7().to_string(),
                lesson: "03-an-toan/01-lua-dao-qua-dien-thoai".into(),
                step: 7,
                reveal: true,
                ended: false,
                version: 12,
                total: Some(Total {
                    counts: vec![120, 4031, 17, 2],
                    halls: 3300,
                    people: 41_250,
                }),
            }),
        };
        let hub_id = uuid::Uuid::now_v7().to_string();
        let event = encode_event(&now.seal(&hub_id, &keys));
        assert!(event.len() < 400, "{} bytes", event.len());
        let mut reader = EventReader::default();
        let (a, b) = event.as_bytes().split_at(50);
        assert!(reader.feed(a).is_empty());
        let data = reader.feed(b);
        assert_eq!(data.len(), 1);
        let sealed = decode_event(&data[0]).unwrap();
        assert_eq!(LiveNow::open(&sealed, &keys.public_hex()), Ok(now));
        let other = Keys::generate();
        assert!(LiveNow::open(&sealed, &other.public_hex()).is_err());
    }

    #[test]
    fn keep_alives_and_other_lines_complete_no_event() {
        let mut reader = EventReader::default();
        assert!(reader.feed(b": keep-alive\n\n").is_empty());
        assert_eq!(
            reader.feed(b"event: x\r\ndata: a\r\ndata:b\r\n\r\n"),
            vec!["a\nb"]
        );
        let mut long = vec![b'x'; MAX_LINE + 10];
        long.extend_from_slice(b"\ndata:ok\n\n");
        assert_eq!(reader.feed(&long), vec!["ok"]);
    }

    proptest! {
        #[test]
        fn any_bytes_in_any_pieces_neither_panic_nor_pass_as_a_step(
            bytes in proptest::collection::vec(any::<u8>(), 0..2000),
            cut in 0usize..2000,
        ) {
            let keys = Keys::generate();
            let mut reader = EventReader::default();
            let cut = cut.min(bytes.len());
            let mut data = reader.feed(&bytes[..cut]);
            data.extend(reader.feed(&bytes[cut..]));
            for value in data {
                if let Some(sealed) = decode_event(&value) {
                    prop_assert!(LiveNow::open(&sealed, &keys.public_hex()).is_err());
                }
            }
            prop_assert!(envelope::open::<LiveReport>(&bytes, Kind::LiveReport, |_| Some(keys.public_hex())).is_err());
        }

        #[test]
        fn a_sealed_report_opens_as_it_was(
            present in 0u32..100,
            answers in proptest::collection::vec(proptest::collection::vec(0u32..5, 0..6), 0..10),
            step in 0usize..100,
            led_here in any::<bool>(),
        ) {
            let keys = Keys::generate();
            let report = LiveReport { present, answers, step, led_here, ..report() };
            let sealed = report.seal(&keys);
            prop_assert!(sealed.len() <= MAX_REPORT);
            let (signer, opened): (String, LiveReport) =
                envelope::open(&sealed, Kind::LiveReport, |_| Some(keys.public_hex())).unwrap();
            prop_assert_eq!(signer, report.box_id.clone());
            prop_assert_eq!(opened, report);
        }
    }
}
