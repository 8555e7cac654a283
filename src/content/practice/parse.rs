//! Reading one scenario file: its TOML with each value's place (`Raw…`), the checks a file
//! must pass (words, steps, each kind's screen, ids), and the way its steps lead
//! (`graph_problems`: nothing leads nowhere, every step is reached and ends, a path wins),
//! every problem said by line.

use super::*;

/// The most words a screen's text, a question, a choice or a feedback may have: a step is read
/// on a small phone.
const MAX_WORDS: usize = 60;
/// The most words a whole scenario may have, every branch counted (a learner reads one path
/// of it, about as much as a lesson).
const MAX_TOTAL_WORDS: usize = 1500;
/// The most steps a scenario may have.
const MAX_STEPS: usize = 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    kind: Spanned<Kind>,
    lesson: Spanned<String>,
    title: Spanned<String>,
    intro: Spanned<String>,
    #[serde(default)]
    step: Vec<Spanned<RawStep>>,
    #[serde(default)]
    end: Vec<Spanned<RawEnd>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: String,
    ask: String,
    #[serde(default)]
    tap: bool,
    #[serde(default)]
    choice: Vec<Spanned<RawChoice>>,
    input: Option<RawInput>,
    // The screen, by kind.
    from: Option<String>,
    message: Option<String>,
    caller: Option<String>,
    says: Option<String>,
    form: Option<String>,
    shop: Option<String>,
    account: Option<String>,
    amount: Option<String>,
    asked: Option<String>,
    reply: Option<String>,
    screen: Option<String>,
    items: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    text: String,
    #[serde(default)]
    right: bool,
    feedback: String,
    next: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    label: String,
    expect: String,
    error: String,
    next: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnd {
    id: String,
    win: bool,
    text: String,
}

/// A problem in a scenario file: its 1-based line and what is wrong.
pub type PracticeProblem = (usize, String);

/// Reads a scenario file's `text` (its facts already filled in). `Err` holds every problem.
pub fn parse(text: &str) -> Result<Scenario, Vec<PracticeProblem>> {
    let raw: RawScenario = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            return Err(vec![(
                line,
                format!("not a scenario: {}", e.message().trim()),
            )]);
        }
    };
    let mut problems = Vec::new();
    let mut say = |at: usize, message: String| problems.push((line_of(text, at), message));
    let kind = *raw.kind.get_ref();
    let mut words = 0;
    let mut text_of = |at: usize, what: &str, value: &str, say: &mut dyn FnMut(usize, String)| {
        let value = value.trim();
        let count = value.split_whitespace().count();
        words += count;
        if value.is_empty() {
            say(at, format!("{what} is empty"));
        } else if count > MAX_WORDS {
            say(
                at,
                format!("{what} has {count} words; a phone's screen holds {MAX_WORDS} at most"),
            );
        }
        value.to_string()
    };
    let title = text_of(
        raw.title.span().start,
        "`title`",
        raw.title.get_ref(),
        &mut say,
    );
    let intro = text_of(
        raw.intro.span().start,
        "`intro`",
        raw.intro.get_ref(),
        &mut say,
    );

    let mut ends = Vec::new();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    // Where each step and end begins, for messages about the way they lead to each other.
    let mut places = BTreeMap::new();
    for end in &raw.end {
        let at = end.span().start;
        let e = end.get_ref();
        if !valid_id(&e.id) || !ids.insert(e.id.clone()) {
            say(
                at,
                format!(
                    "end `{}`: an id is lowercase letters, digits and dashes, and used once",
                    e.id
                ),
            );
        }
        let text = text_of(at, &format!("end `{}`'s `text`", e.id), &e.text, &mut say);
        places.insert(e.id.clone(), at);
        ends.push(End {
            id: e.id.clone(),
            win: e.win,
            text,
        });
    }
    let mut steps = Vec::new();
    for step in &raw.step {
        let at = step.span().start;
        let s = step.get_ref();
        if !valid_id(&s.id) || !ids.insert(s.id.clone()) {
            say(
                at,
                format!(
                    "step `{}`: an id is lowercase letters, digits and dashes, and used once",
                    s.id
                ),
            );
        }
        places.insert(s.id.clone(), at);
        let screen = screen_of(s);
        for need in kind.needs() {
            let given = screen.contains_key(*need) || (*need == "items" && s.items.is_some());
            if !given {
                say(
                    at,
                    format!("step `{}`: a `{}` step needs `{need}`", s.id, kind.code()),
                );
            }
        }
        for given in screen.keys() {
            if !kind.needs().contains(&given.as_str()) && !optional(kind).contains(&given.as_str())
            {
                say(
                    at,
                    format!(
                        "step `{}`: `{given}` is not part of a `{}` screen (it has {})",
                        s.id,
                        kind.code(),
                        kind.needs().join(", ")
                    ),
                );
            }
        }
        if s.items.is_some() && !matches!(kind, Kind::Form | Kind::Settings) {
            say(
                at,
                format!(
                    "step `{}`: `items` belong to a form or a settings screen",
                    s.id
                ),
            );
        }
        let mut screen_text = BTreeMap::new();
        for (key, value) in &screen {
            let value = text_of(at, &format!("step `{}`'s `{key}`", s.id), value, &mut say);
            screen_text.insert(key.clone(), value);
        }
        let mut items: Vec<String> = Vec::new();
        for item in s.items.iter().flatten() {
            let item = text_of(at, &format!("step `{}`: an item", s.id), item, &mut say);
            if items.contains(&item) {
                say(
                    at,
                    format!("step `{}`: the item `{item}` is there twice", s.id),
                );
            }
            items.push(item);
        }
        let ask = text_of(at, &format!("step `{}`'s `ask`", s.id), &s.ask, &mut say);
        let input = s.input.as_ref().map(|i| {
            let what = format!("step `{}`'s `input`", s.id);
            Input {
                label: text_of(at, &format!("{what}: `label`"), &i.label, &mut say),
                expect: text_of(at, &format!("{what}: `expect`"), &i.expect, &mut say),
                error: text_of(at, &format!("{what}: `error`"), &i.error, &mut say),
                next: i.next.trim().to_string(),
            }
        });
        if let Some(input) = &input {
            if kind != Kind::Form {
                say(
                    at,
                    format!(
                        "step `{}`: only a form's step has an `input` to type in",
                        s.id
                    ),
                );
            }
            let exists = |id: &str| {
                raw.step.iter().any(|st| st.get_ref().id == id)
                    || raw.end.iter().any(|e| e.get_ref().id == id)
            };
            if !exists(&input.next) {
                say(
                    at,
                    format!(
                        "step `{}`'s `input`: `next = \"{}\"` is neither a step nor an end",
                        s.id, input.next
                    ),
                );
            }
            if s.choice.len() == 1 {
                say(
                    at,
                    format!(
                        "step `{}`: beside an `input`, give no choice or 2 and more",
                        s.id
                    ),
                );
            }
        } else if s.choice.len() < 2 {
            say(
                at,
                format!(
                    "step `{}` needs 2 choices or more (one is no decision), or an `input`",
                    s.id
                ),
            );
        }
        let mut choices = Vec::new();
        let mut seen = BTreeSet::new();
        for choice in &s.choice {
            let c_at = choice.span().start;
            let c = choice.get_ref();
            let what = format!("step `{}`, choice `{}`", s.id, c.text.trim());
            let text = text_of(c_at, &format!("{what}: `text`"), &c.text, &mut say);
            let feedback = text_of(c_at, &format!("{what}: `feedback`"), &c.feedback, &mut say);
            if !seen.insert(text.clone()) {
                say(c_at, format!("{what} is there twice"));
            }
            if s.tap {
                let tappable = screen_text
                    .get("message")
                    .is_some_and(|m| m.contains(&text))
                    || items.iter().any(|i| i.trim() == text);
                if !tappable {
                    say(
                        c_at,
                        format!(
                            "{what}: with `tap = true` a choice is a part of the screen to tap: words of `message`, or one of `items`"
                        ),
                    );
                }
            }
            choices.push((
                c_at,
                Choice {
                    text,
                    right: c.right,
                    feedback,
                    next: c.next.trim().to_string(),
                },
            ));
        }
        if input.is_none() && !choices.is_empty() && !choices.iter().any(|(_, c)| c.right) {
            say(
                at,
                format!(
                    "step `{}`: no choice is marked `right = true` (what a careful person does here)",
                    s.id
                ),
            );
        }
        for (c_at, c) in &choices {
            if c.right
                && raw
                    .end
                    .iter()
                    .any(|e| e.get_ref().id == c.next && !e.get_ref().win)
            {
                say(
                    *c_at,
                    format!(
                        "step `{}`, choice `{}`: a right choice leads to `{}`, an end that is not a success",
                        s.id, c.text, c.next
                    ),
                );
            }
        }
        steps.push(Step {
            id: s.id.clone(),
            screen: screen_text,
            items: items.iter().map(|i| i.trim().to_string()).collect(),
            ask,
            tap: s.tap,
            choices: choices.iter().map(|(_, c)| c.clone()).collect(),
            input,
        });
        for (c_at, c) in choices {
            if !raw.step.iter().any(|st| st.get_ref().id == c.next)
                && !raw.end.iter().any(|e| e.get_ref().id == c.next)
            {
                say(
                    c_at,
                    format!(
                        "step `{}`, choice `{}`: `next = \"{}\"` is neither a step nor an end",
                        s.id, c.text, c.next
                    ),
                );
            }
        }
    }
    if steps.is_empty() {
        say(0, "a scenario needs steps (`[[step]]`)".into());
    }
    if steps.len() > MAX_STEPS {
        say(
            0,
            format!("{} steps; a scenario has {MAX_STEPS} at most", steps.len()),
        );
    }
    if !ends.iter().any(|e| e.win) {
        say(
            0,
            "no end is a success (`win = true`): a learner must be able to get it right".into(),
        );
    }
    if words > MAX_TOTAL_WORDS {
        say(
            0,
            format!("{words} words; a scenario has {MAX_TOTAL_WORDS} at most"),
        );
    }
    if problems.is_empty() {
        for (id, message) in graph_problems(&steps, &ends) {
            let at = places.get(&id).copied().unwrap_or(0);
            problems.push((line_of(text, at), message));
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    Ok(Scenario {
        kind,
        lesson: raw.lesson.get_ref().trim().to_string(),
        title,
        intro,
        steps,
        ends,
    })
}

/// The screen fields a kind's step may give besides those it needs.
fn optional(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Form => &["message", "from"],
        Kind::Pay => &["message", "from"],
        _ => &[],
    }
}

fn screen_of(s: &RawStep) -> BTreeMap<String, String> {
    [
        ("from", &s.from),
        ("message", &s.message),
        ("caller", &s.caller),
        ("says", &s.says),
        ("form", &s.form),
        ("shop", &s.shop),
        ("account", &s.account),
        ("amount", &s.amount),
        ("asked", &s.asked),
        ("reply", &s.reply),
        ("screen", &s.screen),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_string(), v.clone())))
    .collect()
}

/// What is wrong with the way steps lead to each other: a step no path reaches, a step from
/// which no end can be reached (a loop with no way out), an end no path reaches, no path to a
/// success. `(step or end id, message)`.
fn graph_problems(steps: &[Step], ends: &[End]) -> Vec<(String, String)> {
    let next: BTreeMap<&str, Vec<&str>> = steps
        .iter()
        .map(|s| {
            let choices = s.choices.iter().map(|c| c.next.as_str());
            let typed = s.input.iter().map(|i| i.next.as_str());
            (s.id.as_str(), choices.chain(typed).collect())
        })
        .collect();
    let is_end = |id: &str| ends.iter().any(|e| e.id == id);
    // Reached from the first step.
    let mut reached = BTreeSet::new();
    let mut todo = vec![steps[0].id.as_str()];
    while let Some(id) = todo.pop() {
        if reached.insert(id) {
            todo.extend(next.get(id).into_iter().flatten().copied());
        }
    }
    let mut problems = Vec::new();
    for step in steps {
        if !reached.contains(step.id.as_str()) {
            problems.push((
                step.id.clone(),
                format!("step `{}`: no path from the first step reaches it", step.id),
            ));
        }
    }
    for end in ends {
        if !reached.contains(end.id.as_str()) {
            problems.push((
                end.id.clone(),
                format!("end `{}`: no path reaches it", end.id),
            ));
        }
    }
    // Steps from which some end, and some success, can be reached.
    let ends_from = |goal: &dyn Fn(&str) -> bool| -> BTreeSet<&str> {
        let mut good: BTreeSet<&str> = BTreeSet::new();
        loop {
            let before = good.len();
            for (id, nexts) in &next {
                if nexts.iter().any(|n| goal(n) || good.contains(n)) {
                    good.insert(id);
                }
            }
            if good.len() == before {
                return good;
            }
        }
    };
    let ending = ends_from(&|id| is_end(id));
    for step in steps {
        if reached.contains(step.id.as_str()) && !ending.contains(step.id.as_str()) {
            problems.push((
                step.id.clone(),
                format!(
                    "step `{}`: no path from it ever ends (a loop with no way out)",
                    step.id
                ),
            ));
        }
    }
    let winning = ends_from(&|id| ends.iter().any(|e| e.id == id && e.win));
    if !winning.contains(steps[0].id.as_str()) {
        problems.push((
            steps[0].id.clone(),
            "no path from the first step reaches a success".into(),
        ));
    }
    problems
}

/// An id: lowercase ASCII letters, digits and dashes, beginning with a letter.
fn valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
