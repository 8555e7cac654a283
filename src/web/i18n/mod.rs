//! The interface's words in every language the box has: the messages of `i18n/{code}.ftl`
//! (Project Fluent's files, one a language, embedded by `lang`), read once into a Fluent bundle
//! a language the first time a page needs one.
//!
//! Callers hold a `Ui` (`ui(lang)`): `ui.t("key")` for a message without placeholders (resolved
//! once, so a page pays a hash lookup and no allocation), `ui.t_args("key", [("n", n.into())])`
//! for one with placeholders (plurals and numbers as Fluent does them), and for the learner's
//! pages named methods over both (`words`: `ui.home_title()`, `ui.lessons(n)`). A key missing
//! from a language panics in debug builds and tests, and in a release build is logged and
//! shown in Vietnamese; the tests (`tests`) check that every language has every key with the
//! same placeholders, and that every key the code names exists.
//!
//! The facilitators', projector's, print and hub pages take the language of the request being
//! answered, as `web::frame` settled it (`?lang=`, its cookie, or the box's default), from a
//! task-local like `Display::current`'s: `t("key")` and `t_args("key", …)` here, with no
//! language passed down; outside a request they speak Vietnamese.
//!
//! Lesson text is not here: it lives in the lesson files, one file a language (`content`).

mod words;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};

use crate::content::Lang;

pub use words::PracticeUi;

/// One language's messages: the bundle, and those without placeholders already resolved.
struct Messages {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    plain: HashMap<String, String>,
}

/// The interface's words in one language: a small handle, copied freely.
#[derive(Clone, Copy)]
pub struct Ui {
    messages: &'static Messages,
    /// The words of a practice scenario's pages.
    pub practice: PracticeUi,
}

/// Every language's messages, in `Lang::all`'s order (Vietnamese first), parsed on first use.
static MESSAGES: LazyLock<Vec<Messages>> = LazyLock::new(|| {
    Lang::all()
        .iter()
        .map(|&lang| Messages::read(lang))
        .collect()
});

static UIS: LazyLock<Vec<Ui>> = LazyLock::new(|| {
    MESSAGES
        .iter()
        .map(|messages| Ui {
            messages,
            practice: PracticeUi { messages },
        })
        .collect()
});

tokio::task_local! {
    static CURRENT: Lang;
}

/// Runs `work` (the rest of the request) with `lang` as the current language.
pub async fn scope<F: Future>(lang: Lang, work: F) -> F::Output {
    CURRENT.scope(lang, work).await
}

/// The language of the request being answered (Vietnamese outside one).
pub fn current() -> Lang {
    CURRENT.try_with(|l| *l).unwrap_or(Lang::Vi)
}

/// A message without placeholders in the current request's language.
pub fn t(key: &str) -> &'static str {
    ui(current()).t(key)
}

/// A message with placeholders in the current request's language.
pub fn t_args<'a>(key: &str, args: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>) -> String {
    ui(current()).t_args(key, args)
}

/// A number or a text for a placeholder: `t_args("key", [("n", v(3))])`.
pub fn v<'a>(value: impl Into<FluentValue<'a>>) -> FluentValue<'a> {
    value.into()
}

/// The interface's words in `lang`.
pub fn ui(lang: Lang) -> &'static Ui {
    let at = Lang::all().iter().position(|l| *l == lang).unwrap_or(0);
    &UIS[at]
}

/// A language's `.ftl` parsed: the bundle, its messages' keys, and what a parse or the bundle
/// left out.
fn parse(lang: Lang) -> (FluentBundle<FluentResource>, Vec<String>, Vec<String>) {
    let mut problems = Vec::new();
    let resource =
        FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(resource, errors)| {
            problems.extend(errors.iter().map(|e| format!("i18n/{lang}.ftl: {e:?}")));
            resource
        });
    let keys = resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect();
    let id = lang
        .code()
        .parse()
        .unwrap_or_else(|_| panic!("i18n/{lang}.ftl: `{lang}` is not a language code"));
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around placeables: the words go into HTML and plain text.
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        problems.extend(errors.iter().map(|e| format!("i18n/{lang}.ftl: {e:?}")));
    }
    (bundle, keys, problems)
}

impl Messages {
    fn read(lang: Lang) -> Messages {
        let (bundle, keys, problems) = parse(lang);
        if !problems.is_empty() {
            // Tests parse every file (`tests`), so a shipped file never gets here.
            tracing::error!(?problems, "a language file has problems");
            debug_assert!(false, "{problems:?}");
        }
        let mut plain = HashMap::new();
        for id in keys {
            let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors);
            if errors.is_empty() {
                let text = text.into_owned();
                plain.insert(id, text);
            }
        }
        Messages {
            lang,
            bundle,
            plain,
        }
    }

    fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }
}

/// A key missing, or a message that could not be formatted: a bug, so it fails tests; a
/// release build logs it and shows what it can.
fn missing(lang: Lang, key: &str, what: &str) {
    tracing::error!(%lang, key, what, "an interface message is wrong");
    debug_assert!(false, "i18n/{lang}.ftl: `{key}`: {what}");
}

impl Ui {
    /// The language these are the words of.
    pub fn lang(&self) -> Lang {
        self.messages.lang
    }

    /// A message without placeholders, resolved when the file was read.
    pub fn t(&self, key: &str) -> &'static str {
        let messages: &'static Messages = self.messages;
        if let Some(text) = messages.plain.get(key) {
            return text;
        }
        let what = match messages.has(key) {
            true => "has placeholders: use `t_args`",
            false => "missing",
        };
        missing(messages.lang, key, what);
        match MESSAGES[0].plain.get(key) {
            Some(text) if messages.lang != Lang::Vi => text,
            _ => "…",
        }
    }

    /// A message with its placeholders filled in: `t_args("lessons", [("n", 3.into())])`.
    pub fn t_args<'a>(
        &self,
        key: &str,
        args: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>,
    ) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(name, value);
        }
        let mut messages: &Messages = self.messages;
        if !messages.has(key) {
            missing(messages.lang, key, "missing");
            messages = &MESSAGES[0];
        }
        let Some(pattern) = messages.bundle.get_message(key).and_then(|m| m.value()) else {
            return "…".to_string();
        };
        let mut errors: Vec<FluentError> = Vec::new();
        let text = messages
            .bundle
            .format_pattern(pattern, Some(&fluent), &mut errors)
            .into_owned();
        if !errors.is_empty() {
            missing(messages.lang, key, &format!("{errors:?}"));
        }
        text
    }
}
