//! Any bytes as a lesson file beside the embedded lessons: the loader says a problem or
//! loads it, never panics.
#![no_main]

use hocso::content::{self, LessonTree};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut tree = LessonTree::embedded();
    tree.files
        .insert("01-dien-thoai/99-thu.vi.md".to_string(), bytes.to_vec());
    let _ = content::load(&tree, &|name| format!("/assets/{name}"));
});
