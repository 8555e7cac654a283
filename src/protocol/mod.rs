//! What crosses the link between a box and the hub, and nothing else: a hub's address, the
//! hosts plain HTTP may reach and a certificate's fingerprint (`address`), the wire types
//! (`wire`), the signed, compressed envelopes and the keys that sign them (`envelope`), the
//! file a USB stick carries (`file`), a province's live lesson as it crosses (`live`), a commune's lesson or recording offered to the province (`proposal`), and the fingerprint of the machine a box runs on
//! (`machine`). A leaf: it uses no other module of the crate, so the store, the box's sync
//! and the hub can all speak it.

pub mod address;
pub mod envelope;
pub mod file;
pub mod live;
pub mod machine;
pub mod proposal;
pub mod wire;

pub use envelope::{Keys, Kind, Refused};
