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
    let out = hocso()
        .args(["lessons", "check", "--stats"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    // No warning, but for facts that have gone a year without a check (which only the
    // calendar decides).
    let warnings: Vec<&str> = text
        .lines()
        .filter(|l| l.ends_with("(warning)") && !l.contains("was last checked"))
        .collect();
    assert_eq!(warnings, Vec::<&str>::new());
    assert!(text.contains("longest  at A, B, C, D"), "{text}");
    for module in ["01-dien-thoai", "06-tri-tue-nhan-tao", "all "] {
        assert!(
            text.lines().any(|l| l.starts_with(module)),
            "{module}: {text}"
        );
    }
    assert!(text.lines().last().unwrap().starts_with("ok: "), "{text}");

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let out = hocso().args(["lessons", "check", dir]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Copies the folder `from` into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn lessons_check_warns_when_the_right_answer_is_the_longest_but_does_not_fail() {
    let root = tempfile::tempdir().unwrap();
    let lessons = root.path().join("lessons");
    copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons")),
        &lessons,
    );
    // Every right answer in the AI module made the longest, as a hurried writer might.
    let module = lessons.join("06-tri-tue-nhan-tao");
    for entry in std::fs::read_dir(&module).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".vi.md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, right_made_longest(&text)).unwrap();
    }
    let out = hocso()
        .args(["lessons", "check"])
        .arg(&lessons)
        .arg("--assets")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "warnings do not fail: {text}");
    let warning = text
        .lines()
        .find(|l| l.contains("longest choice"))
        .unwrap_or_else(|| panic!("no warning: {text}"));
    assert!(
        warning.starts_with(&format!(
            "{}: the right answer is the longest choice in 24 of 24 questions",
            module.display()
        )),
        "{warning}"
    );
    assert!(warning.ends_with("(warning)"), "{warning}");
    assert!(
        text.lines().last().unwrap().contains("1 warning(s)"),
        "{text}"
    );
}

/// Every right answer of `text`'s quiz made the longest choice, as a hurried writer might.
fn right_made_longest(text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for i in 0..lines.len() {
        if let Some(answer) = lines[i].strip_prefix("answer = ") {
            let answer: usize = answer.trim().parse().unwrap();
            let choices = &mut lines[i - 1];
            let table: toml::Table = toml::from_str(choices).unwrap();
            let mut list = table["choices"].as_array().unwrap().clone();
            let right = list[answer - 1].as_str().unwrap();
            list[answer - 1] = toml::Value::from(format!("{right}, như bài đã dạy kỹ càng"));
            *choices = format!("choices = {}", toml::Value::Array(list));
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn a_province_pack_is_checked_with_the_built_in_lessons_and_warned_about_too() {
    let root = tempfile::tempdir().unwrap();
    let pack = root.path().join("tin-moi");
    let built_in = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/03-an-toan"));
    write(
        &pack,
        "09-tin-moi/module.toml",
        &std::fs::read_to_string(built_in.join("module.toml")).unwrap(),
    );
    for (from, to) in [
        ("01-mat-khau-otp", "01-mat-khau-moi"),
        ("02-cuoc-goi-lua-dao", "02-cuoc-goi-moi"),
    ] {
        let text = std::fs::read_to_string(built_in.join(format!("{from}.vi.md"))).unwrap();
        let text = right_made_longest(&text).replace("](0", "](../03-an-toan/0");
        write(&pack, &format!("09-tin-moi/{to}.vi.md"), &text);
    }
    let lesson = pack.join("09-tin-moi/02-cuoc-goi-moi.vi.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(
        &lesson,
        text.replacen("{{tong-dai-bao-lua-dao}}", "{{tong-dai-moi}}", 1),
    )
    .unwrap();

    let run = || {
        let out = hocso()
            .args(["lessons", "check", "--pack"])
            .arg(&pack)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    // A fact the box does not have fails; the built-in ones are there.
    let (ok, text) = run();
    assert!(!ok, "{text}");
    let problems: Vec<&str> = text.lines().filter(|l| !l.ends_with("(warning)")).collect();
    assert!(
        problems[0].starts_with("lessons/09-tin-moi/02-cuoc-goi-moi.vi.md:"),
        "{text}"
    );
    assert!(
        problems[0].contains("`{{tong-dai-moi}}` is not a fact"),
        "{text}"
    );
    assert_eq!(problems.len(), 2, "{text}");

    // Fixed, it passes, with the guessable quizzes warned about.
    std::fs::write(
        &lesson,
        text_of(&lesson).replace("{{tong-dai-moi}}", "{{tong-dai-bao-lua-dao}}"),
    )
    .unwrap();
    let (ok, text) = run();
    assert!(ok, "{text}");
    assert!(
        text.lines().any(|l| l.starts_with(
            "lessons/09-tin-moi: the right answer is the longest choice in 8 of 8 questions"
        ) && l.ends_with("(warning)")),
        "{text}"
    );
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("ok: 7 modules, 31 lessons"),
        "{text}"
    );
}

fn text_of(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
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
            crate::support::http()
                .build()
                .unwrap()
                .get(format!("{url}/api/v1/health"))
                .send()
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

/// `hocso hub SUBCOMMAND …` on `hub`'s records, on its engine (`--database` when it has one).
pub(crate) fn hub_command(
    hub: &crate::support::TestBox,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut command = hocso();
    command
        .arg("hub")
        .args(args)
        .arg("--data-dir")
        .arg(&hub.data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(database) = &hub.database {
        command.args(["--database", database]);
    }
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Every `hocso hub` subcommand on the hub's own records, on SQLite and on PostgreSQL: a
/// code made, an officer added who then signs in, a pack published, status and a reply.
async fn the_hub_commands_work_on_either_engine(engine: crate::postgres::Engine) {
    use crate::facilitators::{PASSWORD, csrf};
    use crate::support::{Phone, TestBox};
    use reqwest::StatusCode;

    let hub = TestBox::start_hub_on(&engine).await;
    let made = hub_command(&hub, &["code", "Xã Ea Sol"], "");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let code = String::from_utf8(made.stdout).unwrap().trim().to_string();
    assert_eq!(code.len(), 9, "{code}");
    assert_eq!(
        hub.records()
            .await
            .codes(&hocso::store::Scope::All)
            .await
            .unwrap()[0]
            .code,
        code
    );

    let password = format!("{PASSWORD}\n{PASSWORD}\n");
    let added = hub_command(&hub, &["officer", "Nguyễn Văn An"], &password);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let twice = hub_command(&hub, &["officer", "nguyen van an"], &password);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already exists"));
    let mut laptop = Phone::new(&hub);
    let token = csrf(&mut laptop, "/f/signin").await;
    let signed_in = laptop
        .post_form(
            "/f/signin",
            &[
                ("csrf", &token),
                ("name", "Nguyễn Văn An"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let dashboard = laptop.get("/hub").await;
    assert_eq!(dashboard.status(), StatusCode::OK);

    let box_ = TestBox::start().await;
    hocso::sync::client::enroll(&box_.store(), &hub.base, &code, None)
        .await
        .unwrap();
    let status = hub_command(&hub, &["status", "--json"], "");
    let boxes: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(boxes[0]["box_id"], box_.store().box_id());
    assert_eq!(boxes[0]["commune"], "Xã Ea Sol");

    let lessons = tempfile::tempdir().unwrap();
    let dir = lessons.path().join("tin-moi");
    for (path, text) in crate::sync::new_lessons("Lừa đảo mới") {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let published = hub_command(&hub, &["publish", dir.to_str().unwrap()], "");
    assert!(
        published.status.success(),
        "{}{}",
        String::from_utf8_lossy(&published.stdout),
        String::from_utf8_lossy(&published.stderr)
    );
    assert_eq!(
        hub.records().await.packs().await.unwrap()[0].name,
        "tin-moi"
    );

    let file = lessons.path().join("reply.hocso");
    let replied = hub_command(
        &hub,
        &["reply", box_.store().box_id(), file.to_str().unwrap()],
        "",
    );
    assert!(
        replied.status.success(),
        "{}",
        String::from_utf8_lossy(&replied.stderr)
    );
    let imported = box_.store();
    hocso::sync::client::import_reply(&imported, &std::fs::read(&file).unwrap())
        .await
        .unwrap();
    assert_eq!(imported.pack_versions().await.unwrap()[0].name, "tin-moi");
}

crate::postgres::on_both_engines!(the_hub_commands_work_on_either_engine);
