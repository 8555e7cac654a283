//! Any bytes as a facilitator's upload (a picture, a recording): never a panic, a recording
//! never longer than the limit, a picture never over its target size.
#![no_main]

use hocso::media::{self, MAX_SECONDS, TARGET_PICTURE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(recording) = media::probe_recording(bytes) {
        assert!(recording.seconds <= MAX_SECONDS);
    }
    if let Ok(picture) = media::shrink_picture(bytes) {
        assert!(picture.bytes.len() < TARGET_PICTURE);
        assert!(picture.width <= 800 && picture.height <= 800);
    }
});
