//! What a hub's officer may see of a learner: their name only with the `see_names` role and
//! only where the commune sent one, else a pseudonym that stays the same for the learner
//! (so lines can be told apart and followed) and says nothing of who they are. The store
//! reads no name for an officer without the role; this only decides what stands in its
//! place.

use sha2::{Digest, Sha256};

use crate::store::HubLearner;

/// The pseudonym of learner `id`: `NH-` and eight letters and digits drawn from a hash of
/// the id, as `NH-3F2A-91C0`.
pub fn pseudonym(id: &str) -> String {
    let digest = Sha256::digest(format!("hocso learner {id}").as_bytes());
    let hex: String = digest[..4].iter().map(|b| format!("{b:02X}")).collect();
    format!("NH-{}-{}", &hex[..4], &hex[4..])
}

/// The name an officer is shown for `learner`: the name the store gave (it gives one only
/// to an officer who may see it), else the pseudonym.
pub fn shown_name(learner: &HubLearner) -> String {
    learner
        .name
        .clone()
        .unwrap_or_else(|| pseudonym(&learner.id))
}

#[cfg(test)]
mod tests {
    use super::pseudonym;
    use proptest::prelude::*;

    #[test]
    fn a_pseudonym_is_short_and_steady() {
        let a = pseudonym("0190f1a2-0000-7000-8000-000000000001");
        assert_eq!(a, pseudonym("0190f1a2-0000-7000-8000-000000000001"));
        assert_ne!(a, pseudonym("0190f1a2-0000-7000-8000-000000000002"));
        assert_eq!(a.len(), "NH-0000-0000".len());
    }

    proptest! {
        /// Whatever id a box sent, the pseudonym is `NH-XXXX-XXXX`.
        #[test]
        fn any_id_gives_a_pseudonym_of_hex_digits(id in ".{0,80}") {
            let p = pseudonym(&id);
            prop_assert!(p.starts_with("NH-"));
            prop_assert_eq!(p.len(), 12);
            prop_assert!(p[3..].chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        }
    }
}
