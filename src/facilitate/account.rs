//! A facilitator's name and password: the rules a form or the command line must meet, and the
//! argon2 hash the box keeps instead of the password.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::store::NewFacilitator;
use crate::text::{self, NameInvalid, fold};

const MAX_NAME: usize = 60;
/// Long enough that guessing on the hall's Wi-Fi, slowed by the throttle, gets nowhere.
pub const MIN_PASSWORD: usize = 8;
const MAX_PASSWORD: usize = 128;

/// What is wrong with a facilitator's name or password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountInvalid {
    NameEmpty,
    NameTooLong,
    /// The name holds a control character or one that reorders text.
    NameHidden,
    PasswordTooShort,
    PasswordTooLong,
    PasswordsDiffer,
}

/// What is wrong, in English for the command line (pages say it in the learner's language).
pub fn describe(invalid: AccountInvalid) -> &'static str {
    match invalid {
        AccountInvalid::NameEmpty => "the name is empty",
        AccountInvalid::NameTooLong => "the name is longer than 60 characters",
        AccountInvalid::NameHidden => "the name holds control characters or ones that reorder text",
        AccountInvalid::PasswordTooShort => "the password is shorter than 8 characters",
        AccountInvalid::PasswordTooLong => "the password is longer than 128 characters",
        AccountInvalid::PasswordsDiffer => "the two passwords differ",
    }
}

/// Checks a new password typed twice.
pub fn check_password(password: &str, again: &str) -> Result<(), AccountInvalid> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        Err(AccountInvalid::PasswordTooShort)
    } else if length > MAX_PASSWORD {
        Err(AccountInvalid::PasswordTooLong)
    } else if password != again {
        Err(AccountInvalid::PasswordsDiffer)
    } else {
        Ok(())
    }
}

/// A facilitator ready to store, or every rule the name and password break. Hashing is slow
/// on purpose: call it off the async threads.
pub fn new_facilitator(
    name: &str,
    password: &str,
    again: &str,
) -> Result<NewFacilitator, Vec<AccountInvalid>> {
    let mut invalid = Vec::new();
    let name = text::name(name, MAX_NAME).unwrap_or_else(|e| {
        invalid.push(match e {
            NameInvalid::Empty => AccountInvalid::NameEmpty,
            NameInvalid::TooLong => AccountInvalid::NameTooLong,
            NameInvalid::Hidden => AccountInvalid::NameHidden,
        });
        String::new()
    });
    if let Err(e) = check_password(password, again) {
        invalid.push(e);
    }
    if !invalid.is_empty() {
        return Err(invalid);
    }
    Ok(NewFacilitator {
        name_key: fold(&name),
        name,
        password_hash: hash_password(password),
        province: None,
        roles: Default::default(),
    })
}

/// The argon2 PHC string of `password`.
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 with default params hashes")
        .to_string()
}

/// A hash no password matches (it is of random bytes), made once with the same parameters
/// as real ones: a sign-in with an unknown name checks against it, and takes as long.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&crate::token::new()))
}

/// Whether `password` is the one hashed as `stored`.
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facilitator_needs_a_name_and_a_long_enough_password_typed_twice() {
        let ok = new_facilitator("  Lê   Thị Hoa ", "cà phê sữa đá", "cà phê sữa đá").unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.name_key.as_str()),
            ("Lê Thị Hoa", "le thi hoa")
        );
        assert!(verify_password(&ok.password_hash, "cà phê sữa đá"));
        assert!(!verify_password(&ok.password_hash, "ca phe sua da"));
        assert!(!ok.password_hash.contains("phê"));

        assert_eq!(
            new_facilitator(" ", "ngắn", "ngắn").err().unwrap(),
            vec![AccountInvalid::NameEmpty, AccountInvalid::PasswordTooShort]
        );
        assert_eq!(
            new_facilitator("Hoa", "mật khẩu dài", "mật khẩu khác")
                .err()
                .unwrap(),
            vec![AccountInvalid::PasswordsDiffer]
        );
        assert_eq!(
            new_facilitator(&"a".repeat(61), &"b".repeat(129), "")
                .err()
                .unwrap(),
            vec![AccountInvalid::NameTooLong, AccountInvalid::PasswordTooLong]
        );
    }

    #[test]
    fn an_unknown_name_costs_what_a_known_one_does() {
        // The decoy is an argon2 hash with the same parameters as a real password's, so
        // checking against it takes as long; no password matches it.
        let decoy = PasswordHash::new(decoy_hash()).unwrap();
        let real = hash_password("cà phê buôn Ea Sol");
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!(decoy.algorithm, real.algorithm);
        assert_eq!(decoy.params, real.params);
        assert!(!verify_password(decoy_hash(), ""));
        assert!(!verify_password(decoy_hash(), "cà phê buôn Ea Sol"));
    }
}
