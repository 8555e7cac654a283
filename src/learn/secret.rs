//! Secrets a learner may set (a 4-digit PIN, or three of nine pictures in order), hashed with
//! argon2; the throttle that slows down wrong tries; and the random tokens of sessions.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::store::Secret;

/// The nine pictures of a picture code: file under `assets/pictures/`, and Vietnamese name.
pub const PICTURES: [(&str, &str); 9] = [
    ("mat-troi", "Mặt trời"),
    ("con-ga", "Con gà"),
    ("con-ca", "Con cá"),
    ("ngoi-nha", "Ngôi nhà"),
    ("bong-lua", "Bông lúa"),
    ("ca-phe", "Cà phê"),
    ("con-trau", "Con trâu"),
    ("cai-cong", "Cái cồng"),
    ("bong-hoa", "Bông hoa"),
];

/// Pictures in a picture code.
const PICTURE_CODE_LEN: usize = 3;

/// A secret as typed or tapped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SecretInput {
    #[default]
    None,
    Pin(String),
    /// Indexes into `PICTURES`, in the order tapped.
    Pictures(Vec<usize>),
}

impl SecretInput {
    /// A PIN of four digits, or `PICTURE_CODE_LEN` of the `PICTURES`; no secret is well
    /// formed too.
    pub fn is_well_formed(&self) -> bool {
        match self {
            SecretInput::None => true,
            SecretInput::Pin(pin) => pin.len() == 4 && pin.bytes().all(|b| b.is_ascii_digit()),
            SecretInput::Pictures(p) => {
                p.len() == PICTURE_CODE_LEN && p.iter().all(|&i| i < PICTURES.len())
            }
        }
    }

    fn kind_and_text(&self) -> Option<(Secret, String)> {
        match self {
            SecretInput::None => None,
            SecretInput::Pin(pin) => Some((Secret::Pin, format!("pin:{pin}"))),
            SecretInput::Pictures(p) => {
                let code = p.iter().map(usize::to_string).collect::<Vec<_>>().join("-");
                Some((Secret::Picture, format!("pictures:{code}")))
            }
        }
    }
}

/// The stored form of a checked secret: its kind and an argon2 PHC string. Slow on purpose:
/// call it off the async threads.
pub fn hash_secret(secret: &SecretInput) -> Option<(Secret, String)> {
    let (kind, text) = secret.kind_and_text()?;
    let hash = Argon2::default()
        .hash_password(text.as_bytes())
        .expect("argon2 with default params hashes")
        .to_string();
    Some((kind, hash))
}

/// Whether `input` is the secret stored as `stored`. Slow on purpose, like `hash_secret`.
pub fn verify_secret(stored: &(Secret, String), input: &SecretInput) -> bool {
    let Some((kind, text)) = input.kind_and_text() else {
        return false;
    };
    if kind != stored.0 {
        return false;
    }
    match PasswordHash::new(&stored.1) {
        Ok(hash) => Argon2::default()
            .verify_password(text.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// Wrong tries per learner: after three in a row, each next try must wait longer (5 s,
/// 10 s, 20 s, … up to 10 minutes). Kept in memory: a restart forgives, which is fine for
/// a 4-digit PIN on a hall's Wi-Fi. Bounded: at most `MAX_KEPT` keys, a key cut to
/// `MAX_KEY` bytes, and when full, keys whose last wrong try is older than the longest wait
/// go first, then the oldest; so nobody on the hotspot can grow it without end.
#[derive(Default)]
pub struct Throttle {
    /// Key → wrong tries in a row, the time before which the next is refused, the last one.
    failures: Mutex<HashMap<String, (u32, Instant, Instant)>>,
}

const FREE_TRIES: u32 = 3;
const FIRST_WAIT: Duration = Duration::from_secs(5);
const LONGEST_WAIT: Duration = Duration::from_secs(600);
/// Most keys the throttle keeps.
pub const MAX_KEPT: usize = 10_000;
/// Longest key kept, in bytes (a key is a learner's id, or a typed name).
const MAX_KEY: usize = 200;

/// `key` cut to `MAX_KEY` bytes, at a character's edge.
fn kept_key(key: &str) -> &str {
    let mut end = key.len().min(MAX_KEY);
    while !key.is_char_boundary(end) {
        end -= 1;
    }
    &key[..end]
}

impl Throttle {
    /// `Err(wait)` if this learner must wait before trying again.
    pub fn check(&self, learner_id: &str) -> Result<(), Duration> {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        match failures.get(kept_key(learner_id)) {
            Some(&(_, until, _)) if until > Instant::now() => Err(until - Instant::now()),
            _ => Ok(()),
        }
    }

    pub fn failed(&self, learner_id: &str) {
        let key = kept_key(learner_id);
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() >= MAX_KEPT && !failures.contains_key(key) {
            failures.retain(|_, &mut (_, until, last)| {
                until > now || now.duration_since(last) < LONGEST_WAIT
            });
            if failures.len() >= MAX_KEPT
                && let Some(oldest) = failures
                    .iter()
                    .min_by_key(|(_, (_, _, last))| *last)
                    .map(|(k, _)| k.clone())
            {
                failures.remove(&oldest);
            }
        }
        let entry = failures.entry(key.to_string()).or_insert((0, now, now));
        entry.0 += 1;
        entry.2 = now;
        if entry.0 >= FREE_TRIES {
            let doublings = (entry.0 - FREE_TRIES).min(16);
            entry.1 = now + (FIRST_WAIT * 2u32.pow(doublings)).min(LONGEST_WAIT);
        }
    }

    pub fn succeeded(&self, learner_id: &str) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(kept_key(learner_id));
    }

    /// How many keys are kept now.
    pub fn kept(&self) -> usize {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_verifies_only_itself() {
        let pin = SecretInput::Pin("0427".into());
        let stored = hash_secret(&pin).unwrap();
        assert_eq!(stored.0, Secret::Pin);
        assert!(!stored.1.contains("0427"));
        assert!(verify_secret(&stored, &pin));
        assert!(!verify_secret(&stored, &SecretInput::Pin("0428".into())));
        assert!(!verify_secret(
            &stored,
            &SecretInput::Pictures(vec![0, 4, 2])
        ));
        assert!(!verify_secret(&stored, &SecretInput::None));

        let pictures = SecretInput::Pictures(vec![3, 3, 8]);
        let stored = hash_secret(&pictures).unwrap();
        assert!(verify_secret(&stored, &pictures));
        assert!(!verify_secret(
            &stored,
            &SecretInput::Pictures(vec![3, 8, 3])
        ));
    }

    #[test]
    fn three_wrong_tries_make_the_next_wait() {
        let throttle = Throttle::default();
        for _ in 0..2 {
            throttle.failed("a");
            assert!(throttle.check("a").is_ok());
        }
        throttle.failed("a");
        let wait = throttle.check("a").unwrap_err();
        assert!(wait > Duration::from_secs(3) && wait <= FIRST_WAIT);
        assert!(throttle.check("b").is_ok());
        throttle.succeeded("a");
        assert!(throttle.check("a").is_ok());
    }

    #[test]
    fn the_throttle_stays_bounded_whoever_fails() {
        let throttle = Throttle::default();
        for n in 0..MAX_KEPT + 500 {
            throttle.failed(&format!("f:{n}"));
        }
        assert_eq!(throttle.kept(), MAX_KEPT);
        // A long typed name is kept by its first bytes, so it cannot grow memory either.
        let long = "ă".repeat(10_000);
        for _ in 0..FREE_TRIES {
            throttle.failed(&long);
        }
        assert!(throttle.check(&long).is_err());
        assert!(throttle.check(kept_key(&long)).is_err());
        assert!(kept_key(&long).len() <= MAX_KEY);
    }
}
