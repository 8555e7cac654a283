//! Learners and what they learn: joining and its rules, secrets (PIN or picture code) and the
//! throttle on wrong tries, session tokens, quiz grading, and each learner's progress through
//! the catalogue. No axum, no SQL text: it uses `store` and `content`.

mod profile;
mod progress;
mod quiz;
mod secret;

pub use profile::{ETHNIC_GROUPS, GENDERS, Invalid, JoinRequest, fold, join_request};
pub use progress::{LessonState, ModuleState, Overview};
pub use quiz::{Graded, grade, passes};
pub use secret::{PICTURES, SecretInput, Throttle, hash_secret, verify_secret};
