//! Any bytes as a sealed envelope (a sync batch, an ack, a pack): never a panic, and never
//! opened without the signer's key.
#![no_main]

use hocso::protocol::envelope::{self, Keys, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = envelope::peek(bytes);
    let key = Keys::generate().public_hex();
    for kind in [Kind::Batch, Kind::Ack, Kind::Pack] {
        let opened = envelope::open::<serde_json::Value>(bytes, kind, |_| Some(key.clone()));
        assert!(opened.is_err(), "opened with a key that signed nothing");
    }
});
