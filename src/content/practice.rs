//! Practice scenarios: a simulated phone screen a learner acts on, step by step, where every
//! choice has feedback and leads to the next step or to an end (kept safe, or what the mistake
//! cost). A scenario is a TOML file in a module folder (`01-cong-an-gia.vi.toml`) that names
//! the lesson it belongs to; `parse` (its own file) reads one and says everything wrong with it, by line.
//!
//! Six kinds share the shape (steps, choices, ends) and differ in what a step's screen shows:
//! an inbox's message, a call's caller, a form, a payment, a chat, a settings screen. What a
//! kind's step must give is `Kind::needs`. Pages, recording and grading are not here.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use toml::Spanned;

use super::front_matter::line_of;

/// What a scenario simulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Hộp tin nhắn: one message a step, to mark safe or scam, and to tap what gives it away.
    Inbox,
    /// Cuộc gọi: a call, turn by turn.
    Call,
    /// Biểu mẫu: a public-service form, field by field.
    Form,
    /// Thanh toán QR: a QR code scanned, its name and amount to check.
    Pay,
    /// Hỏi chatbot: a practice chat whose answers are to trust, check, or refuse.
    Chat,
    /// Cài đặt: a phone's settings screens.
    Settings,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Inbox,
        Kind::Call,
        Kind::Form,
        Kind::Pay,
        Kind::Chat,
        Kind::Settings,
    ];

    /// The name in files and the API: `inbox`, `call`, …
    pub fn code(self) -> &'static str {
        match self {
            Kind::Inbox => "inbox",
            Kind::Call => "call",
            Kind::Form => "form",
            Kind::Pay => "pay",
            Kind::Chat => "chat",
            Kind::Settings => "settings",
        }
    }

    /// The screen fields a step of this kind must give.
    pub fn needs(self) -> &'static [&'static str] {
        match self {
            Kind::Inbox => &["from", "message"],
            Kind::Call => &["caller", "says"],
            Kind::Form => &["form"],
            Kind::Pay => &["shop", "account", "amount"],
            Kind::Chat => &["asked", "reply"],
            Kind::Settings => &["screen", "items"],
        }
    }
}

/// A scenario as the box shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub kind: Kind,
    /// The slug of the lesson it belongs to, in the same module.
    pub lesson: String,
    pub title: String,
    /// What the learner is told before the first step.
    pub intro: String,
    /// In order; the first is where the scenario starts.
    pub steps: Vec<Step>,
    pub ends: Vec<End>,
}

impl Scenario {
    /// The way a careful person goes, for a handout: from the first step, the first choice
    /// marked right, else the typed value's way on, to an end. No step is taken twice; if a
    /// careful way would loop, the next way at hand is taken (the other choices, in file order)
    /// so that the path still reaches a success when one can be reached, else any end. `None`
    /// as the end only for a scenario `parse` refuses (no end can be reached).
    pub fn careful_path(&self) -> (Vec<&Step>, Option<&End>) {
        let win = self.path_to(|e| e.win);
        match win.or_else(|| self.path_to(|_| true)) {
            Some((steps, end)) => (steps, Some(end)),
            None => (self.steps.first().into_iter().collect(), None),
        }
    }

    /// A path without repeats from the first step to an end for which `goal` holds: a depth-
    /// first walk taking each step's ways in the careful order (`Step::careful_order`). A
    /// step once left behind is never entered again, so the walk is as long as the scenario.
    fn path_to(&self, goal: impl Fn(&End) -> bool) -> Option<(Vec<&Step>, &End)> {
        let first = self.steps.first()?;
        let mut seen: BTreeSet<&str> = BTreeSet::from([first.id.as_str()]);
        // Each step on the path, and how many of its ways were tried.
        let mut stack: Vec<(&Step, usize)> = vec![(first, 0)];
        while let Some(&(step, tried)) = stack.last() {
            let Some(next) = step.careful_order().get(tried).copied() else {
                stack.pop();
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            if let Some(end) = self.ends.iter().find(|e| e.id == next) {
                if goal(end) {
                    return Some((stack.iter().map(|(s, _)| *s).collect(), end));
                }
            } else if let Some(step) = self.steps.iter().find(|s| s.id == next)
                && seen.insert(step.id.as_str())
            {
                stack.push((step, 0));
            }
        }
        None
    }
}

impl Step {
    /// Where this step's ways lead, a careful person's first: the right choices, then the
    /// typed value's way on, then the other choices, each in file order.
    pub fn careful_order(&self) -> Vec<&str> {
        let right = self.choices.iter().filter(|c| c.right);
        let typed = self.input.iter().map(|i| i.next.as_str());
        let other = self.choices.iter().filter(|c| !c.right);
        right
            .map(|c| c.next.as_str())
            .chain(typed)
            .chain(other.map(|c| c.next.as_str()))
            .collect()
    }
}

/// One screen and what the learner does on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub id: String,
    /// What the simulated screen shows, by field (`caller`, `says`, `message`, …).
    pub screen: BTreeMap<String, String>,
    /// A list the screen shows: a form's fields, a settings screen's items.
    pub items: Vec<String>,
    /// The question put to the learner.
    pub ask: String,
    /// Whether the choices are parts of the screen to tap (`message` or `items`).
    pub tap: bool,
    pub choices: Vec<Choice>,
    /// A box to type in (a form's field, a code from a message), instead of or beside the
    /// choices.
    pub input: Option<Input>,
}

/// A box the learner types in, and what the box says to what is typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub label: String,
    /// What is right, compared without case and spaces at the ends: a value the story gives
    /// (a date on a paper, the code in a message).
    pub expect: String,
    /// What a real form says to anything else: "Mã OTP không đúng. Vui lòng nhập lại."
    pub error: String,
    /// Where the right value leads.
    pub next: String,
}

impl Input {
    /// Whether `typed` is the value expected.
    pub fn accepts(&self, typed: &str) -> bool {
        fold(typed) == fold(&self.expect)
    }
}

/// Text compared as a form compares it: case and spaces at the ends aside, inner runs of
/// spaces as one.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub text: String,
    /// What a careful person does here (`right = true` in the file): what reports count as
    /// got right, and what no losing end follows.
    pub right: bool,
    /// Shown once chosen, right or wrong.
    pub feedback: String,
    /// A step's or an end's id.
    pub next: String,
}

/// Where a path ends: kept safe (`win`), or what the mistake cost.
#[derive(Clone, Debug, PartialEq)]
pub struct End {
    pub id: String,
    pub win: bool,
    pub text: String,
}

mod parse;

pub use parse::parse;

#[cfg(test)]
mod tests;
