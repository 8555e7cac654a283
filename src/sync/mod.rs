//! Sync with the province, without HTTP or SQL: the signed, compressed envelopes
//! (`envelope`), what they carry (`wire`), the file a USB stick carries (`file`), and the
//! fingerprint of the machine a box runs on (`machine`). The box's side of talking to a hub
//! is `client`; the hub's answers are in `web::hub`.

pub mod background;
pub mod client;
pub mod envelope;
pub mod file;
pub mod hub;
pub mod machine;
pub mod packs;
pub mod reach;
pub mod wire;

pub use envelope::{Keys, Kind, Refused};
