//! Facilitators and their tools: accounts (names, passwords, the set-up code), the box's
//! settings (commune name, Wi-Fi for the poster, hub address, language), live group lessons'
//! rules (`live`), QR codes (`qr`) and reports' arithmetic and CSV (`report`). No axum, no SQL text:
//! it uses `store` and `learn`.

mod account;
pub mod live;
pub mod qr;
pub mod report;
mod settings;

pub use account::{
    AccountInvalid, MIN_PASSWORD, check_password, describe, hash_password, new_facilitator,
    verify_password,
};
pub use settings::{SettingInvalid, Settings, is_hub_url};
