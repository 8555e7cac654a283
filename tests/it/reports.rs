//! Reports: the numbers on the pages and in the CSV files are the ones the events say.

use reqwest::StatusCode;

use crate::facilitators::set_up;
use crate::quiz::{answer, right_answers, wrong_answers};
use crate::support::{Phone, TestBox, location, text, texts};

/// Parses a CSV download: the BOM, then rows of fields, quoted where they hold commas.
pub async fn csv(f: &mut Phone<'_>, path: &str) -> Vec<Vec<String>> {
    let response = f.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let body = response.text().await.unwrap();
    let body = body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first");
    body.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(fields)
        .collect()
}

fn fields(line: &str) -> Vec<String> {
    let (mut out, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cell)),
            (c, _) => cell.push(c),
        }
    }
    out.push(cell);
    out
}

#[tokio::test]
async fn reports_count_what_the_events_say() {
    let tb = TestBox::start().await;
    let mut f = set_up(&tb).await;
    let lesson = "dien-thoai/bat-dau";
    let mut an = Phone::new(&tb);
    an.join("Nguyễn Văn An", "Buôn Đôn").await;
    let mut hen = Phone::new(&tb);
    hen.join("H'Hen Niê", "Buôn Trấp").await;
    Phone::new(&tb).join("Y Sơn", "Buôn Đôn").await;
    for (phone, answers) in [
        (&mut an, right_answers(lesson)),
        (&mut hen, wrong_answers(lesson)),
    ] {
        phone.post_form(&format!("/m/{lesson}/xong"), &[]).await;
        answer(phone, lesson, &answers).await;
    }
    let ids: Vec<(String, String)> = tb
        .store()
        .all_learners()
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.display_name, l.id))
        .collect();
    let id = |name: &str| ids.iter().find(|(n, _)| n == name).unwrap().1.clone();

    // A live lesson for the group: An on a phone, H'Hen ticked by hand.
    let group = location(&f.post_f("/f/groups", &[("name", "Lớp tối")]).await);
    let group_id = group.trim_start_matches("/f/groups/").to_string();
    f.post_f(
        &format!("{group}/members"),
        &[("add", &id("Nguyễn Văn An")), ("add", &id("H'Hen Niê"))],
    )
    .await;
    let started = f
        .post_f(
            "/f/live",
            &[
                ("group", &group_id),
                ("lesson", "dien-thoai/man-hinh-cam-ung"),
            ],
        )
        .await;
    let live = location(&started)
        .trim_start_matches("/f/live/")
        .to_string();
    let code = text(
        &f.page(&format!("/f/live/{live}"), StatusCode::OK).await,
        ".big-code",
    );
    an.post_form("/live", &[("code", &code)]).await;
    f.post_f(
        &format!("/f/live/{live}/tick"),
        &[("learner", &id("H'Hen Niê")), ("on", "1")],
    )
    .await;
    f.post_f(&format!("/f/live/{live}/end"), &[("sure", "1")])
        .await;

    let rows = csv(&mut f, "/f/reports/learners/csv").await;
    assert_eq!(rows[0][0], "Tên");
    let row = |name: &str| rows.iter().find(|r| r[0] == name).unwrap().clone();
    // Name, village, year, gender, group, finished, passed, average, attended.
    assert_eq!(row("Nguyễn Văn An")[5..], ["2", "1", "100%", "1"]);
    assert_eq!(row("H'Hen Niê")[5..], ["2", "0", "0%", "1"]);
    assert_eq!(row("Y Sơn")[5..], ["0", "0", "", "0"]);

    let group_rows = csv(&mut f, &format!("/f/reports/groups/{group_id}/csv")).await;
    assert_eq!(group_rows.len(), 3, "the header and the two members");
    let page = f
        .page(&format!("/f/reports/groups/{group_id}"), StatusCode::OK)
        .await;
    assert_eq!(texts(&page, "table.list tbody tr").len(), 2);
    assert_eq!(texts(&page, ".chart").len(), 2);

    let lessons = csv(&mut f, "/f/reports/lessons/csv").await;
    let first = lessons.iter().find(|r| r[2] == lesson).unwrap();
    // Opened, finished, answered, passed, attended.
    assert_eq!(first[3..], ["2", "2", "2", "1", "0"]);
    let second = lessons
        .iter()
        .find(|r| r[2] == "dien-thoai/man-hinh-cam-ung")
        .unwrap();
    assert_eq!(second[3..], ["2", "2", "0", "0", "2"]);

    // Two attempts asked 3 of the 4 questions each: one got all right, one all wrong.
    let questions = csv(&mut f, &format!("/f/reports/lessons/{lesson}/csv")).await;
    assert_eq!(questions.len(), 1 + right_answers(lesson).len());
    let sum = |column: usize| -> u32 {
        questions[1..]
            .iter()
            .map(|q| q[column].parse::<u32>().unwrap())
            .sum()
    };
    assert_eq!((sum(1), sum(2)), (6, 3), "{questions:?}");
    assert!(
        questions[1..]
            .iter()
            .all(|q| q[2].parse::<u32>().unwrap() <= q[1].parse().unwrap()),
        "{questions:?}"
    );
    let page = f
        .page(&format!("/f/reports/lessons/{lesson}"), StatusCode::OK)
        .await;
    assert!(text(&page, "ul.figures").contains("2 người đã học xong"));

    let page = f
        .page(
            &format!("/f/reports/learners/{}", id("Nguyễn Văn An")),
            StatusCode::OK,
        )
        .await;
    assert_eq!(texts(&page, "table.list tbody tr").len(), 2);
    let overview = f.page("/f/reports", StatusCode::OK).await;
    assert!(text(&overview, "ul.figures").contains("2 lượt có mặt ở buổi học nhóm"));

    // Reports are for facilitators only.
    assert_eq!(
        location(&an.get("/f/reports/learners/csv").await),
        "/f/signin"
    );
    f.page("/f/reports/lessons/nope/nope", StatusCode::NOT_FOUND)
        .await;
}
