//! Tidiness the compiler does not check: every file says what it owns, HTTP stays in `web`,
//! and ARCHITECTURE.md names every module and only paths that exist.

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    rust_files(&Path::new(ROOT).join("tests"), &mut files);
    files
}

#[test]
fn every_file_starts_with_a_doc_line() {
    for path in all_rust_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("//! "),
            "{} must start with a `//!` line saying what it owns",
            path.display()
        );
    }
}

#[test]
fn http_stays_in_web_and_sql_in_store() {
    for path in all_rust_files() {
        let rel = path
            .strip_prefix(ROOT)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.starts_with("src/") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if !rel.starts_with("src/web/") {
            for web in ["axum::", "use axum", "maud::", "use maud", "tower_http::"] {
                assert!(
                    !text.contains(web),
                    "{rel} uses `{web}`: only `web` knows HTTP"
                );
            }
        }
        if !rel.starts_with("src/store/") {
            assert!(
                !text.contains("rusqlite"),
                "{rel} uses rusqlite: only `store` knows SQL"
            );
        }
    }
}

#[test]
fn architecture_names_every_module_and_only_real_paths() {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap();
    for entry in std::fs::read_dir(Path::new(ROOT).join("src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "lib" || name == "main" {
            continue;
        }
        assert!(
            doc.contains(&format!("`{name}`")),
            "ARCHITECTURE.md's code map lacks `{name}`"
        );
    }
    let roots = [
        "src/", "tests/", "lessons/", "assets/", "benches/", "deploy/",
    ];
    for token in doc.split('`').skip(1).step_by(2) {
        if roots.iter().any(|r| token.starts_with(r)) && !token.contains(' ') {
            assert!(
                Path::new(ROOT).join(token).exists(),
                "ARCHITECTURE.md names `{token}`, which does not exist"
            );
        }
    }
}
