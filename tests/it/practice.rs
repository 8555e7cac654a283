//! Practice scenarios on a phone without JavaScript: every choice of every step of every
//! scenario the box ships, followed by plain forms and links to its feedback and on, every end
//! reached, typed values refused and taken as a form would; each decision recorded once for a
//! signed-in learner, nothing for a visitor; the tools' list and the learner's record in the
//! API; and a module finished only with its scenarios done.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use scraper::Html;
use serde_json::{Value, json};

use crate::support::{Phone, TestBox, attrs, catalogue, location, text, texts};
use hocso::content::Lang;
use hocso::content::practice::{Kind, Scenario};

/// The id a step page drew for its form.
fn form_id(page: &Html) -> String {
    attrs(page, "input[name=id][form]", "value")
        .into_iter()
        .next()
        .expect("a step page has a form with an id")
}

/// Walks every step reachable in `scenario` from `first` (`/p/{id}/{run}/{step}`): each
/// choice posted and its feedback read, each typed box refused and then taken, each end
/// opened. Returns the decisions posted and how many of them reached an end.
async fn walk(phone: &mut Phone<'_>, base: &str, scenario: &Scenario) -> (usize, usize) {
    let ends: BTreeSet<&str> = scenario.ends.iter().map(|e| e.id.as_str()).collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo = vec![scenario.steps[0].id.clone()];
    let (mut decisions, mut ended) = (0, 0);
    let mut ends_seen = BTreeSet::new();
    while let Some(id) = todo.pop() {
        if ends.contains(id.as_str()) {
            let page = phone.page(&format!("{base}/{id}"), StatusCode::OK).await;
            let end = scenario.ends.iter().find(|e| e.id == id).unwrap();
            let class = if end.win {
                "div.end.won"
            } else {
                "div.end.lost"
            };
            assert!(text(&page, class).contains(&end.text), "{base}/{id}");
            ends_seen.insert(id);
            continue;
        }
        if !seen.insert(id.clone()) {
            continue;
        }
        let step = scenario.steps.iter().find(|s| s.id == id).unwrap();
        let url = format!("{base}/{id}");
        let page = phone.page(&url, StatusCode::OK).await;
        assert!(text(&page, ".ask .q").contains(&step.ask), "{url}");
        // Read aloud as a lesson is: the button, and the screen's words, the question and the
        // choices marked for it.
        assert_eq!(attrs(&page, "#read-aloud", "data-lang"), ["vi"], "{url}");
        let read = texts(&page, "article [data-read]").join(" ");
        assert!(read.contains(&step.ask), "{url}");
        for choice in &step.choices {
            assert!(read.contains(&choice.text), "{url}: {}", choice.text);
        }
        let mut values = attrs(&page, "button[name=choice]", "value");
        values.sort();
        assert_eq!(
            values,
            (0..step.choices.len())
                .map(|i| i.to_string())
                .collect::<Vec<_>>(),
            "{url}: every choice is a button, once"
        );
        if step.tap {
            assert_eq!(
                attrs(&page, ".phone button[name=choice]", "value").len(),
                step.choices.len(),
                "{url}: a tap step's choices are parts of the screen"
            );
        }
        // Each form that records has the decision's id (drawn outside it, `form=`).
        let mut forms = attrs(&page, "form[data-kind=practice_step]", "id");
        let mut with_id = attrs(&page, "input[name=id][form]", "form");
        forms.sort();
        with_id.sort();
        assert_eq!(forms, with_id, "{url}");
        let first_id = form_id(&page);
        for (i, choice) in step.choices.iter().enumerate() {
            let event = if i == 0 {
                first_id.clone()
            } else {
                uuid::Uuid::now_v7().to_string()
            };
            let response = phone
                .post_form(&url, &[("id", &event), ("choice", &i.to_string())])
                .await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{url} choice {i}");
            let feedback = location(&response);
            assert_eq!(feedback, format!("{url}/{i}"));
            decisions += 1;
            let page = phone.page(&feedback, StatusCode::OK).await;
            let class = if choice.right {
                ".feedback.right"
            } else {
                ".feedback.wrong"
            };
            assert!(text(&page, class).contains(&choice.feedback), "{feedback}");
            let on = attrs(&page, "a.button", "href");
            // Relative to the feedback's address, `{base}/{step}/{i}`: `{base}/{next}`.
            assert_eq!(on, [format!("../{}", choice.next)], "{feedback}");
            if ends.contains(choice.next.as_str()) {
                ended += 1;
            }
            todo.push(choice.next.clone());
        }
        if let Some(input) = &step.input {
            let event = uuid::Uuid::now_v7().to_string();
            let response = phone
                .post_form(&url, &[("id", &event), ("typed", "không phải")])
                .await;
            assert_eq!(location(&response), format!("{url}?sai=1"));
            decisions += 1;
            let page = phone.page(&format!("{url}?sai=1"), StatusCode::OK).await;
            assert_eq!(text(&page, ".field-error"), input.error);
            // Typed as a person would: other case, spaces around.
            let typed = format!("  {} ", input.expect.to_lowercase());
            let event = uuid::Uuid::now_v7().to_string();
            let response = phone
                .post_form(&url, &[("id", &event), ("typed", &typed)])
                .await;
            assert_eq!(location(&response), format!("{base}/{}", input.next));
            decisions += 1;
            if ends.contains(input.next.as_str()) {
                ended += 1;
            }
            todo.push(input.next.clone());
        }
    }
    assert_eq!(
        seen.len(),
        scenario.steps.len(),
        "{base}: every step reached"
    );
    assert_eq!(ends_seen.len(), ends.len(), "{base}: every end reached");
    (decisions, ended)
}

#[tokio::test]
async fn every_branch_of_every_scenario_walks_without_javascript_and_counts_once() {
    let tb = TestBox::start().await;
    let catalogue = catalogue();
    let practices: Vec<_> = catalogue.practices().collect();
    assert!(practices.len() >= 6);
    let kinds: BTreeSet<&str> = practices
        .iter()
        .map(|p| p.versions.get(Lang::Vi).kind.code())
        .collect();
    assert_eq!(kinds.len(), Kind::ALL.len(), "every kind is used");
    let mut phone = Phone::new(&tb);
    phone.join("H'Hen Niê", "Buôn Ea Sol").await;
    let mut total = 0;
    for practice in &practices {
        let scenario = practice.versions.get(Lang::Vi);
        let start = phone
            .page(&format!("/p/{}", practice.id), StatusCode::OK)
            .await;
        assert_eq!(text(&start, "h1"), scenario.title);
        assert!(text(&start, ".practice-intro").contains(&scenario.intro));
        let begin = attrs(&start, ".actions a.button", "href")[0].clone();
        let prefix = format!("/p/{}/", practice.id);
        let rest = begin.strip_prefix(&prefix).expect("begins a run");
        let (run, first) = rest.split_once('/').unwrap();
        assert_eq!(first, scenario.steps[0].id);
        let (decisions, ended) =
            walk(&mut phone, &format!("/p/{}/{run}", practice.id), scenario).await;
        total += decisions;
        // Recorded: one decision event each, and an end for each that ended the run.
        let me: Value = phone.get("/api/v1/me").await.json().await.unwrap();
        let mine = me["practice"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == practice.id.as_str())
            .unwrap()
            .clone();
        assert_eq!(mine["runs"], ended, "{}", practice.id);
        assert_eq!(mine["done"], true, "{}", practice.id);
        // The start page now says it is done.
        let start = phone
            .page(&format!("/p/{}", practice.id), StatusCode::OK)
            .await;
        assert!(!texts(&start, ".tick").is_empty());
    }
    let store = tb.store();
    let events = store.event_ids().await.unwrap().len();
    // Joined and its consent + lessons opened (none) + every decision + every end.
    let me: Value = phone.get("/api/v1/me").await.json().await.unwrap();
    let runs: u64 = me["practice"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["runs"].as_u64().unwrap())
        .sum();
    assert_eq!(events as u64, 2 + total as u64 + runs);
}

#[tokio::test]
async fn a_decision_sent_twice_counts_once_and_a_visitor_records_nothing() {
    let tb = TestBox::start().await;
    let catalogue = catalogue();
    let practice = catalogue.practice("an-toan/cong-an-gia").unwrap();
    let scenario = practice.versions.get(Lang::Vi);
    let step = &scenario.steps[0];
    let losing = step
        .choices
        .iter()
        .position(|c| scenario.ends.iter().any(|e| e.id == c.next && !e.win))
        .map(|i| (i, &step.choices[i]));
    let run = uuid::Uuid::now_v7();
    let url = format!("/p/{}/{run}/{}", practice.id, step.id);

    // A visitor walks, and nothing is kept.
    let mut visitor = Phone::new(&tb);
    let page = visitor.page(&url, StatusCode::OK).await;
    let id = form_id(&page);
    let response = visitor
        .post_form(&url, &[("id", &id), ("choice", "0")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(tb.store().event_ids().await.unwrap().len(), 0);

    let mut phone = Phone::new(&tb);
    phone.join("Ama Khuê", "Buôn Ea Sol").await;
    let before = tb.store().event_ids().await.unwrap().len();
    let page = phone.page(&url, StatusCode::OK).await;
    let id = form_id(&page);
    let choice = losing.map_or(0, |(i, _)| i).to_string();
    for _ in 0..2 {
        let response = phone
            .post_form(&url, &[("id", &id), ("choice", &choice)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let after = tb.store().event_ids().await.unwrap().len();
    let chosen = &step.choices[choice.parse::<usize>().unwrap()];
    let ends = usize::from(scenario.ends.iter().any(|e| e.id == chosen.next));
    assert_eq!(after - before, 1 + ends, "a double tap counts once");

    // Continuing: the start page offers the step the run stands at.
    let start = phone
        .page(&format!("/p/{}", practice.id), StatusCode::OK)
        .await;
    let links = attrs(&start, ".actions a.button", "href");
    if ends == 0 {
        assert_eq!(
            links[0],
            format!("/p/{}/{run}/{}", practice.id, chosen.next)
        );
    }

    // Bad input: a choice the step lacks, no choice, a step that is not there.
    for form in [
        vec![("id", id.as_str()), ("choice", "9")],
        vec![("id", id.as_str()), ("choice", "x")],
        vec![("id", id.as_str())],
    ] {
        let response = phone.post_form(&url, &form).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{form:?}");
    }
    let response = phone
        .post_form(
            &format!("/p/{}/{run}/khong-co", practice.id),
            &[("id", &id), ("choice", "0")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    for path in [
        format!("/p/{}/not-a-run/{}", practice.id, step.id),
        format!("/p/{}/{run}/khong-co", practice.id),
        format!("/p/{}/{run}/{}/9", practice.id, step.id),
        "/p/an-toan/khong-co".to_string(),
    ] {
        assert_eq!(
            phone.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(tb.store().event_ids().await.unwrap().len(), after);
}

#[tokio::test]
async fn tools_list_every_scenario_and_the_api_records_decisions() {
    let tb = TestBox::start().await;
    let catalogue = catalogue();
    let list: Vec<Value> = tb.get("/api/v1/practice").await.json().await.unwrap();
    let ids: Vec<&str> = list.iter().map(|p| p["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = catalogue
        .practices()
        .flat_map(|p| p.versions.iter().map(move |_| p.id.as_str()))
        .collect();
    assert_eq!(ids, expected, "in teaching order");
    for entry in &list {
        let practice = catalogue.practice(entry["id"].as_str().unwrap()).unwrap();
        let scenario = practice.versions.get(Lang::Vi);
        assert_eq!(entry["kind"], scenario.kind.code());
        assert_eq!(entry["lesson"], practice.lesson_id.as_str());
        assert_eq!(entry["module"], practice.module_id.as_str());
        assert_eq!(entry["steps"], scenario.steps.len());
        assert_eq!(entry["lang"], "vi");
        assert_eq!(entry["title"], scenario.title.as_str());
        let url = entry["url"].as_str().unwrap();
        assert_eq!(tb.get(url).await.status(), StatusCode::OK, "{url}");
    }

    let mut phone = Phone::new(&tb);
    phone.join("Y Sơn", "Buôn Ea Sol").await;
    let practice = catalogue.practice("an-toan/cong-an-gia").unwrap();
    let scenario = practice.versions.get(Lang::Vi);
    let step = &scenario.steps[0];
    let (right, choice) = step
        .choices
        .iter()
        .enumerate()
        .find(|(_, c)| c.right)
        .unwrap();
    let run = uuid::Uuid::now_v7().to_string();
    let event = |id: &str, payload: Value| json!({ "id": id, "kind": "practice_step", "lesson": practice.lesson_id, "payload": payload });
    let id = uuid::Uuid::now_v7().to_string();
    let good = event(
        &id,
        json!({ "scenario": practice.id, "run": run, "step": step.id, "choice": right }),
    );
    let bad = [
        event(
            &uuid::Uuid::now_v7().to_string(),
            json!({ "scenario": "an-toan/khong-co", "run": run, "step": step.id, "choice": 0 }),
        ),
        event(
            &uuid::Uuid::now_v7().to_string(),
            json!({ "scenario": practice.id, "run": run, "step": "khong-co", "choice": 0 }),
        ),
        event(
            &uuid::Uuid::now_v7().to_string(),
            json!({ "scenario": practice.id, "run": run, "step": step.id, "choice": 99 }),
        ),
        event(
            &uuid::Uuid::now_v7().to_string(),
            json!({ "scenario": practice.id, "run": "x", "step": step.id, "choice": 0 }),
        ),
        event(
            &uuid::Uuid::now_v7().to_string(),
            json!({ "scenario": practice.id, "run": run, "step": step.id, "choice": 0, "typed": "a" }),
        ),
        json!({ "id": uuid::Uuid::now_v7().to_string(), "kind": "practice_step", "lesson": "dien-thoai/bat-dau",
                "payload": { "scenario": practice.id, "run": run, "step": step.id, "choice": 0 } }),
    ];
    let mut events = vec![good.clone()];
    events.extend(bad.iter().cloned());
    let answer: Value = phone
        .post_json("/api/v1/events", &json!({ "events": events }))
        .await
        .json()
        .await
        .unwrap();
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "stored", "{answer}");
    assert_eq!(results[0]["right"], true);
    assert_eq!(results[0]["next"], choice.next.as_str());
    for result in &results[1..] {
        assert_eq!(result["status"], "refused", "{result}");
        assert!(
            result["reason"].as_str().unwrap().starts_with("payload"),
            "{result}"
        );
    }
    let again: Value = phone
        .post_json("/api/v1/events", &json!({ "events": [good] }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["results"][0]["status"], "already_held");
    let me: Value = phone.get("/api/v1/me").await.json().await.unwrap();
    let mine = me["practice"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == practice.id.as_str())
        .unwrap()
        .clone();
    let ends_now = scenario.ends.iter().find(|e| e.id == choice.next);
    assert_eq!(mine["runs"], u32::from(ends_now.is_some()));
    assert_eq!(mine["at"], choice.next.as_str());
    assert_eq!(mine["done"], ends_now.is_some_and(|e| e.win));
}

/// Keeps safe in scenario `id` through the API: the first right choice at each step (or the
/// value a typed box expects), from the first step to a success.
pub async fn win(phone: &mut Phone<'_>, id: &str) {
    let catalogue = catalogue();
    let practice = catalogue.practice(id).expect("a scenario");
    let scenario = practice.versions.get(Lang::Vi);
    let run = uuid::Uuid::now_v7().to_string();
    let mut at = scenario.steps[0].id.clone();
    let mut events = Vec::new();
    while let Some(step) = scenario.steps.iter().find(|s| s.id == at) {
        let (decision, next) = match step
            .choices
            .iter()
            .position(|c| c.right && c.next != step.id)
        {
            Some(i) => (json!({ "choice": i }), step.choices[i].next.clone()),
            None => {
                let input = step
                    .input
                    .as_ref()
                    .expect("a step with no right choice has a box");
                (json!({ "typed": input.expect }), input.next.clone())
            }
        };
        let mut payload = json!({ "scenario": id, "run": run, "step": step.id });
        payload
            .as_object_mut()
            .unwrap()
            .extend(decision.as_object().unwrap().clone());
        events.push(json!({
            "id": uuid::Uuid::now_v7().to_string(),
            "kind": "practice_step",
            "lesson": practice.lesson_id,
            "payload": payload,
        }));
        at = next;
        assert!(
            events.len() <= scenario.steps.len(),
            "{id}: the careful path loops"
        );
    }
    assert!(
        scenario.ends.iter().any(|e| e.id == at && e.win),
        "{id}: ends at {at}"
    );
    let answer: Value = phone
        .post_json("/api/v1/events", &json!({ "events": events }))
        .await
        .json()
        .await
        .unwrap();
    for result in answer["results"].as_array().unwrap() {
        assert_eq!(result["status"], "stored", "{answer}");
    }
}

#[tokio::test]
async fn the_facilitator_sees_each_scenario_done_first_tries_and_the_step_most_got_wrong() {
    let tb = TestBox::start().await;
    let mut f = crate::facilitators::set_up(&tb).await;
    let catalogue = catalogue();
    let practice = catalogue.practice("internet/doc-ten-mien").unwrap();
    let scenario = practice.versions.get(Lang::Vi);
    // The second step: a fake link; two learners take the same wrong choice.
    let step = &scenario.steps[1];
    let wrong = step.choices.iter().position(|c| !c.right).unwrap();
    let right = step.choices.iter().position(|c| c.right).unwrap();
    let decide = |run: &str, step: &str, choice: usize| {
        json!({ "id": uuid::Uuid::now_v7().to_string(), "kind": "practice_step", "lesson": practice.lesson_id,
                "payload": { "scenario": practice.id, "run": run, "step": step, "choice": choice } })
    };
    for (name, choice) in [("A Lê", wrong), ("B Lò", wrong), ("C Hà", right)] {
        let mut phone = Phone::new(&tb);
        phone.join(name, "Buôn Ea Sol").await;
        let run = uuid::Uuid::now_v7().to_string();
        let first = scenario.steps[0]
            .choices
            .iter()
            .position(|c| c.right)
            .unwrap();
        let events = vec![
            decide(&run, &scenario.steps[0].id, first),
            decide(&run, &step.id, choice),
        ];
        let answer: Value = phone
            .post_json("/api/v1/events", &json!({ "events": events }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(answer["results"][1]["status"], "stored", "{answer}");
        if name == "C Hà" {
            win(&mut phone, &practice.id).await;
        }
    }
    let page = f.page("/f/reports", StatusCode::OK).await;
    let row = texts(&page, "table.practice-report tbody tr")
        .into_iter()
        .find(|r| r.starts_with(&scenario.title))
        .expect("a row for the scenario");
    // Over each run's first answer at the step: two wrong of four (C Hà's winning run too).
    let worst = format!("50% chọn «{}»", step.choices[wrong].text);
    assert!(row.contains(&worst), "{row}");
    let rows = crate::reports::csv(&mut f, "/f/reports/practice/csv").await;
    assert_eq!(rows[0][0], "Bài thực hành");
    let line = rows.iter().find(|r| r[1] == practice.id).unwrap();
    // Three began and reached an end (the wrong choice opens the fake page: lost); one kept
    // safe, at the first run.
    assert_eq!(&line[4..8], ["3", "3", "1", "1"]);
    assert!(line[8].starts_with(&worst), "{line:?}");
    assert_eq!(line[9], "50");
    assert_eq!(rows.len(), 1 + catalogue.practices().count());
    // Each learner's own page says what they practised.
    for learner in tb.store().all_learners().await.unwrap() {
        let page = f
            .page(
                &format!("/f/reports/learners/{}", learner.id),
                StatusCode::OK,
            )
            .await;
        let row = text(&page, "table.learner-practice tbody tr");
        assert!(row.starts_with(&scenario.title), "{row}");
        let kept = learner.display_name == "C Hà";
        assert_eq!(row.contains("✓"), kept, "{}: {row}", learner.display_name);
    }
}
