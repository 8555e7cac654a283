//! The `hocso` command as a box keeper and a lesson author run it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn hocso() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hocso"))
}

#[test]
fn every_command_explains_itself() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["lessons", "--help"],
        &["lessons", "check", "--help"],
    ] {
        let out = hocso().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: hocso"), "{args:?}: {text}");
    }
    let serve =
        String::from_utf8(hocso().args(["serve", "--help"]).output().unwrap().stdout).unwrap();
    for flag in [
        "--bind",
        "--data-dir",
        "HOCSO_BIND",
        "HOCSO_DATA_DIR",
        "0.0.0.0:8080",
        "hocso-data",
    ] {
        assert!(serve.contains(flag), "serve --help lacks {flag}");
    }
}

#[test]
fn lessons_check_passes_on_the_embedded_lessons_and_the_lessons_folder() {
    let out = hocso().args(["lessons", "check"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.starts_with("ok: "), "{text}");

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let out = hocso().args(["lessons", "check", dir]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn lessons_check_prints_every_problem_with_file_and_line() {
    let root = tempfile::tempdir().unwrap();
    let lessons = root.path().join("lessons");
    write(
        root.path(),
        "assets/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(
        &lessons,
        "01-mot/module.toml",
        "icon = \"a.svg\"\n[vi]\ntitle = \"Một\"\nsummary = \"S\"\n",
    );
    write(
        &lessons,
        "01-mot/01-a.vi.md",
        "+++\ntitle = \"A\"\nminutes = 5\nobjective = \"O\"\n\n[[quiz]]\nquestion = \"Q\"\nchoices = [\"x\", \"y\"]\nanswer = 4\nexplain = \"E\"\n+++\n![](../../assets/none.svg)\n",
    );
    write(&lessons, "01-mot/02-b.vi.md", "title = \"B\"\n");
    write(
        &lessons,
        "02-mot/module.toml",
        "[vi]\ntitle = \"Hai\"\nsummary = \"S\"\n",
    );

    let out = hocso()
        .args(["lessons", "check"])
        .arg(&lessons)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let label = lessons.display().to_string();
    for expected in [
        format!("{label}/01-mot/01-a.vi.md:9: `answer = 4` is out of range"),
        format!("{label}/01-mot/01-a.vi.md:12: `assets/none.svg` does not exist"),
        format!("{label}/01-mot/01-a.vi.md:12: an image needs alt text"),
        format!(
            "{label}/01-mot/01-a.vi.md:2: the quiz has 1 question(s); a lesson needs at least 3"
        ),
        format!("{label}/01-mot/01-a.vi.md:12: the text has 0 words; a lesson has 300 to 700"),
        format!("{label}/01-mot/02-b.vi.md:1: the file must begin with a line `+++`"),
        format!("{label}/02-mot: module id `mot` is used by `01-mot` too"),
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(&expected)),
            "expected {expected:?} in:\n{text}"
        );
    }
    assert!(
        text.trim_end()
            .ends_with(&format!("9 problem(s) in {label}")),
        "{text}"
    );
}

#[test]
fn lessons_check_refuses_a_missing_folder() {
    let out = hocso()
        .args(["lessons", "check", "/nonexistent/lessons"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a folder"));
}

#[test]
fn serve_creates_its_data_folder_prints_addresses_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("box-data");
    let mut child = hocso()
        .args(["serve", "--mdns", "off"])
        .env("HOCSO_BIND", "127.0.0.1:0")
        .env("HOCSO_DATA_DIR", &data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut url, mut code) = (None, None);
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(u) = line.trim().strip_prefix("http://127.0.0.1:") {
            url = Some(format!("http://127.0.0.1:{u}"));
        }
        if let Some(rest) = line.strip_prefix("Set-up code / Mã cài đặt: ") {
            code = rest.split('.').next().map(str::to_string);
            break;
        }
    }
    let url = url.expect("serve prints the address to open");
    assert!(data.is_dir(), "the data folder is created on first start");
    let store = hocso::store::Store::open(&data).unwrap();
    assert_eq!(
        code.as_deref(),
        store.setup_code(),
        "a new box prints its set-up code"
    );

    let body = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            reqwest::get(format!("{url}/api/v1/health"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        })
    })
    .join()
    .unwrap();
    assert!(body.contains("\"status\":\"ok\""));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "a clean stop on SIGTERM, got {status:?}");
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert_eq!(rest, vec!["Stopped."]);
}
