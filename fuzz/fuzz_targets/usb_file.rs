//! Any bytes as a USB sync file: never a panic; what reads, written again, reads the same.
#![no_main]

use hocso::protocol::file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(parts) = file::read(bytes) {
        let parts: Vec<Vec<u8>> = parts.into_iter().map(<[u8]>::to_vec).collect();
        let again = file::write(&parts);
        let reread: Vec<Vec<u8>> = file::read(&again)
            .expect("a file just written reads")
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect();
        assert_eq!(reread, parts);
    }
});
