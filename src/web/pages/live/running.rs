//! Running live group lessons: one `Running` a session, holding its `facilitate::Live` and
//! two version counters that wake the server-sent event streams: `phones` moves when the
//! class moves (a step, a reveal, the end), `projector` also when someone joins or answers.
//! Sessions are loaded from the store on first use, so a restart picks them up, and
//! let go of when they end.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::watch;

use super::{AppState, Error};
use crate::facilitate::live::{Followed, How, Live, Room};
use crate::protocol::live::Total;
use crate::store::LiveRecord;

/// Every live session this box has touched since it started, by id.
#[derive(Default)]
pub struct LiveHub {
    sessions: Mutex<HashMap<String, Arc<Running>>>,
}

pub struct Running {
    live: Mutex<Live>,
    /// Facilitators' actions on one session happen one at a time, each checked against the
    /// state the one before left.
    pub control: tokio::sync::Mutex<()>,
    phones: watch::Sender<u64>,
    projector: watch::Sender<u64>,
    /// The whole province's answers to the question on now, when the province shows them.
    total: Mutex<Option<Total>>,
}

impl Running {
    /// A copy of the session as it is now.
    pub fn now(&self) -> Live {
        self.live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Reads the session without copying it.
    pub fn read<T>(&self, read: impl FnOnce(&Live) -> T) -> T {
        read(&self.live.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Changes the session with `change`; when it says something changed, wakes the
    /// projector, and the phones too when `phones_see_it`.
    pub fn change(&self, phones_see_it: bool, change: impl FnOnce(&mut Live) -> bool) -> bool {
        let changed = change(&mut self.live.lock().unwrap_or_else(PoisonError::into_inner));
        if changed {
            self.projector.send_modify(|v| *v += 1);
            if phones_see_it {
                self.phones.send_modify(|v| *v += 1);
            }
        }
        changed
    }

    /// The province's answers the projector shows, if any.
    pub fn total(&self) -> Option<Total> {
        self.total
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Keeps the province's answers to show; wakes the projector if they changed.
    pub fn set_total(&self, total: Option<Total>) {
        let mut kept = self.total.lock().unwrap_or_else(PoisonError::into_inner);
        if *kept != total {
            *kept = total;
            self.projector.send_modify(|v| *v += 1);
        }
    }

    pub fn phones(&self) -> watch::Receiver<u64> {
        self.phones.subscribe()
    }

    pub fn projector(&self) -> watch::Receiver<u64> {
        self.projector.subscribe()
    }

    /// The versions pages embed, so their script knows whether a message is news.
    pub fn versions(&self) -> (u64, u64) {
        (*self.phones.borrow(), *self.projector.borrow())
    }
}

impl LiveHub {
    /// The session `id`, loaded from the store if this box has not touched it since it
    /// started. `NotFound` if there is no such session, or its lesson is gone.
    pub async fn get(&self, state: &AppState, id: &str) -> Result<Arc<Running>, Error> {
        if let Some(running) = self
            .sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
        {
            return Ok(running.clone());
        }
        let record = state.store.live_session(id).await?.ok_or(Error::NotFound)?;
        let live = from_record(state, &record).ok_or(Error::NotFound)?;
        let mut sessions = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        let running = sessions
            .entry(id.to_string())
            .or_insert_with(|| {
                Arc::new(Running {
                    live: Mutex::new(live),
                    control: tokio::sync::Mutex::new(()),
                    phones: watch::Sender::new(0),
                    projector: watch::Sender::new(0),
                    total: Mutex::new(None),
                })
            })
            .clone();
        Ok(running)
    }

    /// Lets go of an ended session: its phones' next fetch reads it, ended, from the store.
    pub fn forget(&self, id: &str) {
        self.sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
    }

    /// The open session a join code names, if any.
    pub async fn by_code(
        &self,
        state: &AppState,
        code: &str,
    ) -> Result<Option<Arc<Running>>, Error> {
        match state.store.open_live_session(code).await? {
            Some(id) => Ok(Some(self.get(state, &id).await?)),
            None => Ok(None),
        }
    }
}

/// A session as kept, with its lesson's shape from the catalogue (a scenario's room has no
/// slides nor questions: its steps are the scenario's).
fn from_record(state: &AppState, record: &LiveRecord) -> Option<Live> {
    let lesson = state.catalogue.lesson(&record.lesson_id)?;
    let practice = match &record.scenario_id {
        Some(scenario) => Some(Room {
            scenario_id: state.catalogue.practice(scenario)?.id.clone(),
            at: record.practice_at.clone().unwrap_or_default(),
        }),
        None => None,
    };
    let version = lesson.versions.get(crate::content::Lang::Vi);
    let (slides, choices): (usize, Vec<usize>) = match practice {
        Some(_) => (0, Vec::new()),
        None => (
            version.slides.len(),
            version.quiz.iter().map(|q| q.choices.len()).collect(),
        ),
    };
    // The lesson may have fewer steps now than when the step was kept (a content pack
    // changed it): the class stays on its last step, never past the end. A room's turns
    // only count up.
    let last = match practice {
        Some(_) => record.step,
        None => (slides + choices.len()).saturating_sub(1),
    };
    Some(Live {
        id: record.id.clone(),
        code: record.code.clone(),
        group_id: record.group_id.clone(),
        lesson_id: record.lesson_id.clone(),
        slides,
        choices,
        step: record.step.min(last),
        revealed: record.revealed,
        present: record
            .present
            .iter()
            .filter_map(|(learner, how)| Some((learner.clone(), How::from_code(how)?)))
            .collect(),
        answers: record
            .answers
            .iter()
            .map(|a| ((a.learner_id.clone(), a.question), a.choice))
            .collect(),
        ended: record.ended_at.is_some(),
        practice,
        province: record.province_session.as_ref().map(|session| Followed {
            session: session.clone(),
            by_province: record.led_by_province,
        }),
    })
}
