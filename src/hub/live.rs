//! The rules of a live lesson the province leads, without HTTP or SQL: starting one for a
//! lesson the halls hold and the communes invited, moving it (next, back, reveal, the
//! province's answers shown in the halls, the end) by the same rules as a hall's own live
//! lesson (`facilitate::live::Live`), which halls a session covers, what each hall is told
//! (`now_for`), a hall's signed report checked (`open_report`), and the province's figures
//! summed from the halls' last reports (`Figures`): a hall's report replaces its last, so
//! nothing is counted twice.

use time::OffsetDateTime;

use crate::clock::format;
use crate::content::{Catalogue, Lang};
use crate::facilitate::live::{Live, Step};
use crate::protocol::envelope::{self, Kind};
use crate::protocol::live::{LiveNow, LiveReport, LiveStep, MAX_REPORT, Total};
use crate::store::{self, BoxPlace, HubHall, HubLive, HubStore, LiveMove, NewHubLive, Scope};
use crate::text;

/// A hall not heard from for this long has lost its link (a following hall reports at least
/// every `HEARTBEAT`).
pub const LOST_AFTER: time::Duration = time::Duration::seconds(30);
/// How often a following hall reports when nothing changed.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);

/// What an officer (or `hocso hub live`) asks of a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// To the step after `from` (the step the officer saw when pressing).
    Next {
        from: Option<usize>,
    },
    Back {
        from: Option<usize>,
    },
    /// Shows the current question's answer.
    Reveal {
        at: Option<usize>,
    },
    /// Shows (or hides) the province's answers on every hall's projector.
    ShowTotal(bool),
    End,
}

/// Why a session was not started.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StartRefused {
    #[error("no lesson {0} on this hub: choose one the boxes hold")]
    NoLesson(String),
    #[error("no box of commune {0} is enrolled here")]
    NoCommune(String),
    #[error("a live lesson is already running for these communes: end it first")]
    Running,
}

/// A lesson's shape: how many slides, then how many choices each question has.
pub fn shape(catalogue: &Catalogue, lesson_id: &str) -> Option<(usize, Vec<usize>)> {
    let lesson = catalogue.lesson(lesson_id)?;
    let version = lesson.versions.get(Lang::Vi);
    Some((
        version.slides.len(),
        version.quiz.iter().map(|q| q.choices.len()).collect(),
    ))
}

/// The session's place as a hall's own live lesson keeps it, to move it by the same rules.
pub fn as_live(session: &HubLive, (slides, choices): (usize, Vec<usize>)) -> Live {
    let last = (slides + choices.len()).saturating_sub(1);
    Live {
        id: session.id.clone(),
        code: String::new(),
        group_id: None,
        lesson_id: session.lesson_id.clone(),
        slides,
        choices,
        step: session.step.min(last),
        revealed: session.revealed,
        present: Default::default(),
        answers: Default::default(),
        ended: session.ended_at.is_some(),
        practice: None,
        province: None,
    }
}

/// Starts a session of `lesson_id` for `province` (`None`: every province of the hub) and
/// the `communes` named (`None`: all of them), checked against the boxes enrolled.
pub async fn start(
    hub: &HubStore,
    catalogue: &Catalogue,
    lesson_id: &str,
    province: Option<&str>,
    communes: Option<Vec<String>>,
    started_by: &str,
) -> Result<Result<HubLive, StartRefused>, store::Error> {
    if shape(catalogue, lesson_id).is_none() {
        return Ok(Err(StartRefused::NoLesson(lesson_id.to_string())));
    }
    let communes = match communes {
        Some(names) => {
            let boxes = hub.boxes(&Scope::of(province)).await?;
            let mut chosen = Vec::new();
            for name in names {
                let folded = text::fold(&name);
                match boxes.iter().find(|b| text::fold(&b.commune) == folded) {
                    Some(b) if !chosen.contains(&b.commune) => chosen.push(b.commune.clone()),
                    Some(_) => {}
                    None => return Ok(Err(StartRefused::NoCommune(name))),
                }
            }
            Some(chosen)
        }
        None => None,
    };
    let new = NewHubLive {
        province: province.map(str::to_string),
        communes,
        lesson_id: lesson_id.to_string(),
        started_by: started_by.to_string(),
    };
    Ok(hub.live_start(new).await?.ok_or(StartRefused::Running))
}

/// Moves session `id` as `action` asks; the session as it is then (`None`: no such session,
/// or it has ended). A press made on a step the session has left does nothing: two officers
/// pressing "next" on one step move it once.
pub async fn act(
    hub: &HubStore,
    catalogue: &Catalogue,
    id: &str,
    action: Action,
) -> Result<Option<HubLive>, store::Error> {
    // Another process may move the session between the read and the write: read again.
    for _ in 0..5 {
        let Some(session) = hub.live_session(id).await? else {
            return Ok(None);
        };
        if session.ended_at.is_some() {
            return Ok(None);
        }
        let mut live = as_live(
            &session,
            shape(catalogue, &session.lesson_id).unwrap_or_default(),
        );
        let mut to = LiveMove {
            step: live.step,
            revealed: live.revealed,
            show_total: session.show_total,
            end: false,
        };
        let at = live.step;
        let changed = match action {
            Action::Next { from } => {
                let from = from.unwrap_or(at);
                from.checked_add(1).is_some_and(|to| live.go(from, to))
            }
            Action::Back { from } => {
                let from = from.unwrap_or(at);
                from > 0 && live.go(from, from - 1)
            }
            Action::Reveal { at: pressed } => live.reveal(pressed.unwrap_or(at)),
            Action::ShowTotal(on) => {
                to.show_total = on;
                on != session.show_total
            }
            Action::End => {
                to.end = true;
                true
            }
        };
        if !changed {
            return Ok(Some(session));
        }
        (to.step, to.revealed) = (live.step, live.revealed);
        if let Some(moved) = hub.live_move(id, session.version, to).await? {
            return Ok(Some(moved));
        }
    }
    hub.live_session(id).await
}

/// Whether `session` invites the hall of a box enrolled at `place`.
pub fn covers(session: &HubLive, place: &BoxPlace) -> bool {
    let province = session
        .province
        .as_deref()
        .is_none_or(|p| p == place.province);
    let commune = session.communes.as_ref().is_none_or(|names| {
        let folded = text::fold(&place.commune);
        names.iter().any(|n| text::fold(n) == folded)
    });
    province && commune
}

/// The session a hall at `place` is in, of `current` (the open sessions and the last that
/// ended): the open one that covers it, else the last that ended of those that covered it.
pub fn session_for<'a>(current: &'a [HubLive], place: &BoxPlace) -> Option<&'a HubLive> {
    let covering = current.iter().filter(|s| covers(s, place));
    covering
        .clone()
        .find(|s| s.ended_at.is_none())
        .or_else(|| covering.max_by(|a, b| a.id.cmp(&b.id)))
}

/// What a hall is told of `session` (`None`: nothing), with the province's answers to the
/// current question when the officer shows them (`total`).
pub fn step_of(session: Option<&HubLive>, total: Option<Total>) -> LiveNow {
    LiveNow {
        session: session.map(|s| LiveStep {
            id: s.id.clone(),
            lesson: s.lesson_id.clone(),
            step: s.step,
            reveal: s.revealed,
            ended: s.ended_at.is_some(),
            version: s.version,
            total: if s.show_total && s.ended_at.is_none() {
                total
            } else {
                None
            },
        }),
    }
}

/// Why a hall's report is not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReportProblem {
    #[error("the report is larger than {MAX_REPORT} bytes")]
    TooLarge,
    #[error("{0}")]
    Malformed(String),
    #[error("box {0} is not enrolled with this hub")]
    UnknownBox(String),
    #[error("{0}")]
    BadSignature(String),
}

/// Checks a hall's sealed report against the key of the box that signed it, then its own
/// rules; with where the box is. Nothing is stored.
pub async fn open_report(
    hub: &HubStore,
    sealed: &[u8],
) -> Result<Result<(BoxPlace, LiveReport), ReportProblem>, store::Error> {
    if sealed.len() > MAX_REPORT {
        return Ok(Err(ReportProblem::TooLarge));
    }
    let signer = match envelope::peek(sealed) {
        Ok((Kind::LiveReport, signer)) => signer,
        Ok((kind, _)) => {
            return Ok(Err(ReportProblem::Malformed(format!(
                "expected a live report, got a {kind:?}"
            ))));
        }
        Err(e) => return Ok(Err(ReportProblem::Malformed(e.to_string()))),
    };
    let Some(place) = hub.box_place(&signer).await? else {
        return Ok(Err(ReportProblem::UnknownBox(signer)));
    };
    let key = place.key.clone();
    let report: LiveReport = match envelope::open(sealed, Kind::LiveReport, |_| Some(key)) {
        Ok((_, report)) => report,
        Err(envelope::Refused::BadSignature(e)) => {
            return Ok(Err(ReportProblem::BadSignature(format!(
                "the signature does not match box {e}'s key"
            ))));
        }
        Err(e) => return Ok(Err(ReportProblem::Malformed(e.to_string()))),
    };
    if report.box_id != signer {
        return Ok(Err(ReportProblem::Malformed(
            "the report names another box than its signer".into(),
        )));
    }
    if let Err(e) = report.check() {
        return Ok(Err(ReportProblem::Malformed(e)));
    }
    Ok(Ok((place, report)))
}

/// A hall as the officer's screen lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hall {
    pub report: HubHall,
    /// Heard from within `LOST_AFTER`.
    pub following: bool,
}

/// The province's figures of a session, from its halls' last reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub halls: Vec<Hall>,
    /// Halls heard from lately, and the people in them.
    pub following: u32,
    pub people: u32,
    /// Halls heard from once that fell silent.
    pub lost: u32,
    /// Halls whose facilitator took over.
    pub led_here: u32,
    /// Per question, how many in the province chose each choice (every hall that reported,
    /// silent ones included: their answers were given).
    pub answers: Vec<Vec<u32>>,
}

impl Figures {
    /// Sums `halls` (each once: its last report) for a lesson whose questions have `choices`.
    pub fn of(halls: Vec<HubHall>, choices: &[usize], now: OffsetDateTime) -> Figures {
        let mut figures = Figures {
            answers: choices.iter().map(|&n| vec![0; n]).collect(),
            ..Figures::default()
        };
        for report in halls {
            let following = format::parse(&report.last_seen).is_some_and(|t| now - t < LOST_AFTER);
            if following {
                figures.following += 1;
                figures.people += report.present;
                figures.led_here += u32::from(report.led_here);
            } else {
                figures.lost += 1;
            }
            for (sum, counts) in figures.answers.iter_mut().zip(&report.answers) {
                for (s, n) in sum.iter_mut().zip(counts) {
                    *s += n;
                }
            }
            figures.halls.push(Hall { report, following });
        }
        figures
    }

    /// What a hall's projector shows of the province on the question at `step`, if it is one.
    pub fn total(&self, live: &Live) -> Option<Total> {
        match live.current() {
            Step::Question(q) => Some(Total {
                counts: self.answers.get(q)?.clone(),
                halls: self.following,
                people: self.people,
            }),
            Step::Slide(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(province: Option<&str>, communes: Option<&[&str]>) -> HubLive {
        HubLive {
            id: uuid::Uuid::now_v7().to_string(),
            province: province.map(str::to_string),
            communes: communes.map(|c| c.iter().map(|s| s.to_string()).collect()),
            lesson_id: "m/l".into(),
            step: 0,
            revealed: false,
            show_total: false,
            version: 1,
            started_by: "o".into(),
            started_at: "2026-12-04T10:00:00Z".into(),
            ended_at: None,
        }
    }

    fn place(province: &str, commune: &str) -> BoxPlace {
        BoxPlace {
            key: String::new(),
            province: province.into(),
            commune: commune.into(),
        }
    }

    #[test]
    fn a_session_covers_its_province_and_the_communes_named_as_typed_or_not() {
        let all = session(None, None);
        let dak_lak = session(Some("Đắk Lắk"), Some(&["Xã Ea Tu", "Xã Hòa Phú"]));
        assert!(covers(&all, &place("Gia Lai", "Xã Ia Ka")));
        assert!(covers(&dak_lak, &place("Đắk Lắk", "xã ea tu")));
        assert!(!covers(&dak_lak, &place("Đắk Lắk", "Xã Cư Êbur")));
        assert!(!covers(&dak_lak, &place("Gia Lai", "Xã Ea Tu")));
    }

    #[test]
    fn a_hall_is_told_the_open_session_else_the_last_that_ended() {
        let here = place("", "Xã A");
        let mut old = session(None, None);
        old.ended_at = Some("x".into());
        let elsewhere = session(None, Some(&["Xã B"]));
        assert_eq!(
            session_for(&[old.clone(), elsewhere.clone()], &here),
            Some(&old)
        );
        let open = session(None, Some(&["Xã A"]));
        assert_eq!(
            session_for(&[old, open.clone(), elsewhere], &here),
            Some(&open)
        );
        assert_eq!(session_for(&[], &here), None);
    }

    #[test]
    fn the_province_sums_each_halls_last_report_and_names_the_silent_ones() {
        let now = OffsetDateTime::now_utc();
        let seen = |ago: i64| {
            (now - time::Duration::seconds(ago))
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        };
        let hall = |commune: &str, ago, present, answers: Vec<Vec<u32>>| HubHall {
            box_id: commune.into(),
            province: String::new(),
            commune: commune.into(),
            step: 2,
            led_here: commune == "B",
            missing: false,
            present,
            answers,
            first_seen: seen(600),
            last_seen: seen(ago),
            reports: 3,
        };
        let figures = Figures::of(
            vec![
                hall("A", 2, 10, vec![vec![1, 6, 0], vec![]]),
                hall("B", 5, 4, vec![vec![0, 3, 1], vec![2, 2]]),
                hall("C", 120, 7, vec![vec![2, 2, 2]]),
            ],
            &[3, 2],
            now,
        );
        assert_eq!(
            (
                figures.following,
                figures.people,
                figures.lost,
                figures.led_here
            ),
            (2, 14, 1, 1)
        );
        assert_eq!(figures.answers, vec![vec![3, 11, 3], vec![2, 2]]);
        let mut live = as_live(&session(None, None), (2, vec![3, 2]));
        assert_eq!(figures.total(&live), None, "a slide has no answers");
        live.step = 3;
        assert_eq!(
            figures.total(&live),
            Some(Total {
                counts: vec![2, 2],
                halls: 2,
                people: 14
            })
        );
    }
}
