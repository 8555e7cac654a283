//! Facilitators and their tools: accounts (names, passwords, the set-up code), and the box's
//! settings (commune name, Wi-Fi for the poster, hub address, language). No axum, no SQL text:
//! it uses `store` and `learn`.

mod account;
mod settings;

pub use account::{
    AccountInvalid, MIN_PASSWORD, check_password, describe, hash_password, new_facilitator,
    verify_password,
};
pub use settings::{SettingInvalid, Settings};
