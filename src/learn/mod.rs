//! Learners' rules: joining and its checks (`profile`), secrets (PIN or picture code, kept
//! as argon2 hashes) and the throttle on wrong tries (`secret`: three free tries, then from
//! 5 s doubling to 10 minutes, in memory, so a restart forgives), grading and the pass mark
//! (`quiz`), a run through a practice scenario (`practice`: what an answer leads to and the
//! events it records), and each learner's progress through the catalogue (`progress`: a
//! module is finished when its lessons are complete and its scenarios done), and the
//! learner's data rights (`rights`: the notice's version, how long names of learners not
//! seen are kept, and the timer that erases them). No HTTP and no
//! SQL text: it uses `store`'s rows and `content`'s catalogue, and knows nothing of
//! facilitators or of sync.

pub mod practice;
mod profile;
mod progress;
mod quiz;
pub mod rights;
mod secret;

pub use profile::{
    ETHNIC_GROUPS, GENDERS, Invalid, JoinRequest, MAX_NAME, NameSearch, birth_year_allowed,
    check_secret, join_request, sort_by_name,
};
pub use progress::{LessonState, ModuleState, Overview};
pub use quiz::{Attempt, Graded, Shown, grade, grade_asked, passes};
pub use secret::{PICTURES, SecretInput, Throttle, hash_secret, verify_secret};
