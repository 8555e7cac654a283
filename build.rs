//! Stamps the binary with when it was built: a box whose clock reads earlier than this (a
//! Raspberry Pi without a battery clock wakes up in 1970) knows its clock is wrong.

use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    println!("cargo:rustc-env=HOCSO_BUILT_AT={now}");
    println!("cargo:rerun-if-changed=build.rs");
}
