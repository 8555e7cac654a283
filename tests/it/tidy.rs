//! Tidiness the compiler does not check: every file says what it owns, HTTP stays in `web`,
//! imports point one way (down ARCHITECTURE.md's layer order), and ARCHITECTURE.md names
//! every module and only modules and paths that exist.

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
            for sql in ["rusqlite", "tokio_postgres", "deadpool_postgres"] {
                assert!(
                    !text.contains(sql),
                    "{rel} uses {sql}: only `store` knows SQL"
                );
            }
        }
    }
}

/// The lines of ARCHITECTURE.md's section `heading`, up to the next section.
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("ARCHITECTURE.md has a `## {heading}` section"));
    let rest = &doc[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

/// Whether `path` (`web::pages::f`) is a module file of `src/`.
fn module_exists(path: &str) -> bool {
    let rel = path.replace("::", "/");
    let src = Path::new(ROOT).join("src");
    src.join(format!("{rel}.rs")).exists() || src.join(&rel).join("mod.rs").exists()
}

#[test]
fn architecture_names_every_module_and_only_real_paths() {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap();
    assert!(
        doc.lines().count() <= 220,
        "ARCHITECTURE.md is a short map: {} lines (details go in module comments)",
        doc.lines().count()
    );
    let map = section(&doc, "Code map");
    // The modules the map gives a line of their own: `- `name`` at the start of a line.
    let listed: Vec<&str> = map
        .lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    for entry in std::fs::read_dir(Path::new(ROOT).join("src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "lib" || name == "main" {
            continue;
        }
        assert!(
            listed.contains(&name.as_str()),
            "ARCHITECTURE.md's code map has no line for the module `{name}`"
        );
    }
    for name in &listed {
        assert!(
            module_exists(name),
            "ARCHITECTURE.md's code map names `{name}`, which is not a module of src/"
        );
    }
    // Every module path the map names (`web::pages::f`) exists.
    for token in map.split('`').skip(1).step_by(2) {
        let is_path = token.contains("::")
            && token.split("::").all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
        if is_path {
            assert!(
                module_exists(token),
                "ARCHITECTURE.md's code map names `{token}`, which is not a module of src/"
            );
        }
    }
    let roots = [
        "src/", "tests/", "lessons/", "assets/", "i18n/", "benches/", "bench/", "deploy/", ".ci/",
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

/// ARCHITECTURE.md's layer order, top first: the lines of the fenced block under
/// "## Layers", each one or more modules separated by commas.
fn layers(doc: &str) -> Vec<Vec<String>> {
    let section = doc
        .split("\n## Layers")
        .nth(1)
        .expect("ARCHITECTURE.md has a `## Layers` section");
    let block = section
        .split("```")
        .nth(1)
        .expect("the Layers section holds a fenced block");
    block
        .lines()
        .skip(1) // the fence's own line (its language)
        .map(|line| {
            line.split(',')
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|layer| !layer.is_empty())
        .collect()
}

/// The top-level module a file of `src/` belongs to: `src/web/pages/x.rs` → `web`. The
/// binary (`src/main.rs`, `src/cli/`) is `cli`; the crate root (`src/lib.rs`) is `None`.
fn module_of(rel: &str) -> Option<String> {
    let inside = rel.strip_prefix("src/")?;
    match inside {
        "lib.rs" => None,
        "main.rs" => Some("cli".into()),
        _ => Some(
            inside
                .split('/')
                .next()?
                .trim_end_matches(".rs")
                .to_string(),
        ),
    }
}

/// Every `crate::` path in `text` as (line, the top-level module it names), comments left
/// out; `use crate::{a::x, b}` names `a` and `b`. A path to the crate root's own items
/// (`crate::Config`) names the root as `""`.
fn crate_imports(text: &str, modules: &[String]) -> Vec<(usize, String)> {
    let code: String = text
        .lines()
        .map(|line| match line.trim_start().starts_with("//") {
            true => "",
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let named = |name: String| match modules.contains(&name) {
        true => name,
        false => String::new(),
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group, split at commas outside nested braces.
            let (mut depth, mut item) = (0, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push((line_of(at), named(ident(item.trim()))));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            if !item.trim().is_empty() {
                found.push((line_of(at), named(ident(item.trim()))));
            }
        } else {
            found.push((line_of(at), named(ident(rest))));
        }
    }
    found
}

#[test]
fn imports_point_down_the_layer_order() {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap();
    let layers = layers(&doc);
    let rank = |module: &str| layers.iter().position(|l| l.iter().any(|m| m == module));
    let modules: Vec<String> = layers.iter().flatten().cloned().collect();
    let mut wrong = Vec::new();
    for path in all_rust_files() {
        let rel = path
            .strip_prefix(ROOT)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(module) = module_of(&rel) else {
            continue;
        };
        let Some(own) = rank(&module) else {
            wrong.push(format!(
                "{rel}: module `{module}` is not in ARCHITECTURE.md's layer order"
            ));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, target) in crate_imports(&text, &modules) {
            if target == module || (module == "cli" && rel != "src/main.rs") {
                continue; // inside itself; `crate::` in the binary's own files is the binary
            }
            match rank(&target) {
                Some(theirs) if theirs > own => {}
                Some(theirs) if theirs == own => wrong.push(format!(
                    "{rel}:{line}: `{module}` imports `{target}`, beside it in the layer order"
                )),
                Some(_) => wrong.push(format!(
                    "{rel}:{line}: `{module}` imports `{target}`, above it in the layer order"
                )),
                None => wrong.push(format!(
                    "{rel}:{line}: `{module}` imports from the crate root, above every module"
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against ARCHITECTURE.md's layer order:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_import_check_reads_paths_and_groups() {
    let modules: Vec<String> = ["web", "store", "learn"].map(String::from).to_vec();
    let text = "//! doc with crate::web in it\nuse crate::{\n    learn::fold,\n    store::{self, Store},\n};\nfn f() { crate::web::x(); $crate::no; hocso::crate::no; crate::Config }\n";
    assert_eq!(
        crate_imports(text, &modules),
        [
            (2, "learn".to_string()),
            (2, "store".to_string()),
            (6, "web".to_string()),
            (6, String::new()),
        ]
    );
    assert_eq!(module_of("src/web/pages/x.rs").as_deref(), Some("web"));
    assert_eq!(module_of("src/clock.rs").as_deref(), Some("clock"));
    assert_eq!(module_of("src/main.rs").as_deref(), Some("cli"));
    assert_eq!(module_of("src/lib.rs"), None);
    let doc = "x\n## Layers\n\ntext\n```text\ncli\nweb\nsync, hub\n```\n";
    assert_eq!(layers(doc), [vec!["cli"], vec!["web"], vec!["sync", "hub"]]);
}
