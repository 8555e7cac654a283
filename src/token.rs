//! Tokens: 32 random bytes as hex, handed out once (a session cookie, a printed card, a
//! CSRF cookie), and the SHA-256 the box keeps of them instead. A leaf: it uses no other
//! module of the crate.

use sha2::{Digest, Sha256};

/// A new token: 32 random bytes as hex.
pub fn new() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    hex::encode(bytes)
}

/// The hash the box keeps of a token; `None` for anything that is not a token.
pub fn hash(token: &str) -> Option<[u8; 32]> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(Sha256::digest(token.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hash_stably() {
        let (a, b) = (new(), new());
        assert_ne!(a, b);
        assert_eq!(hash(&a), hash(&a));
        assert!(hash(&a).is_some());
        assert_eq!(hash("forged"), None);
        assert_eq!(hash(&"z".repeat(64)), None);
    }
}
