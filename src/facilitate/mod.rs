//! Facilitators' rules and tools: accounts (names, passwords hashed with argon2), the box's
//! settings (commune name, Wi-Fi for the poster, hub address, language), lessons and
//! readings made in the commune (`authoring`), a live group
//! lesson's rules and the events its end records (`live`), QR codes (`qr`) and reports'
//! arithmetic and CSV (`report`). No HTTP and no SQL text: it uses `learn`, `store` and
//! `content`, and knows nothing of sync.

mod account;
pub mod authoring;
pub mod live;
pub mod qr;
pub mod report;
mod settings;

pub use account::{
    AccountInvalid, MIN_PASSWORD, check_password, decoy_hash, describe, hash_password,
    new_facilitator, verify_password,
};
pub use settings::{SettingInvalid, Settings, hub_address};
