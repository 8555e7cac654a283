//! Recorded readings on a lesson's page: the languages the part shown can be heard in, each
//! a plain link ("Nghe bằng tiếng Ê Đê"), and the chosen language's recordings (of the whole
//! lesson, and of the slide shown) as `<audio>` players. No script: the choice is in the
//! address (`nghe=ede`), so back, reload and a shared link keep it. And who made a lesson,
//! when it is the commune or a commune the province credits.

use maud::{Markup, html};

use crate::content::{Heading, Lang, Lesson, Reading, Source};
use crate::web::i18n::ui;

/// A language's name without a leading "Tiếng" (the link says it).
fn bare(name: &str) -> &str {
    ["Tiếng ", "tiếng "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

/// The readings of `lesson` that the part shown (`slide`, from 1; `None`: the whole lesson)
/// can be heard in, with `chosen`'s players; `here` is the part's address.
pub(super) fn readings(
    all: &[Reading],
    slide: Option<usize>,
    chosen: Option<&str>,
    here: &str,
    lang: Lang,
) -> Markup {
    let w = ui(lang);
    let shown: Vec<&Reading> = all
        .iter()
        .filter(|r| match (r.slide, slide) {
            (None, _) | (_, None) => true,
            (Some(s), Some(k)) => s as usize == k,
        })
        .collect();
    let mut langs: Vec<(&str, &str)> = shown
        .iter()
        .map(|r| (r.lang.as_str(), r.lang_name.as_str()))
        .collect();
    langs.sort();
    langs.dedup_by(|a, b| a.0 == b.0);
    let chosen = match (chosen, langs.as_slice()) {
        (Some(c), _) if langs.iter().any(|(l, _)| *l == c) => Some(c),
        (_, [(only, _)]) => Some(*only),
        _ => None,
    };
    let join = if here.contains('?') { '&' } else { '?' };
    html! {
        @if !langs.is_empty() {
            div.readings #nghe {
                @if langs.len() > 1 || chosen.is_none() {
                    ul.langs {
                        @for (code, name) in &langs {
                            li {
                                @if Some(*code) == chosen {
                                    strong aria-current="true" { "🔊 " (w.listen_in(bare(name))) }
                                } @else {
                                    a href={ (here) (join) "nghe=" (code) "#nghe" } hreflang=(code) { "🔊 " (w.listen_in(bare(name))) }
                                }
                            }
                        }
                    }
                }
                @if let Some(code) = chosen {
                    @for r in shown.iter().filter(|r| r.lang == code) {
                        p {
                            span { (w.listen_in(bare(&r.lang_name))) " · " @match r.slide { Some(n) => { (w.reading_slide(n as usize)) }, None => { (w.reading_whole()) } } }
                            br;
                            audio controls preload="none" src=(r.audio_url) {}
                        }
                    }
                }
            }
        }
    }
}

/// "Bài của xã" for the commune's own lesson, "Bài của Xã Ea Tu" for one credited.
pub(super) fn made_by(lesson: &Lesson, heading: &Heading, lang: Lang) -> Markup {
    let w = ui(lang);
    html! {
        @if lesson.source == Source::Local {
            p.meta.own { span.badge { (w.made_here()) } }
        } @else if let Some(who) = &heading.credit {
            p.meta.own { (w.made_by(who)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(lang: &str, name: &str, slide: Option<u32>) -> Reading {
        Reading {
            id: None,
            lesson_id: "a/b".into(),
            slide,
            lang: lang.into(),
            lang_name: name.into(),
            audio: format!("{lang}.ogg"),
            audio_url: format!("/media/{lang}{}.ogg", slide.unwrap_or(0)),
            seconds: 30,
            credit: None,
        }
    }

    #[test]
    fn a_part_offers_its_languages_and_plays_the_chosen_one() {
        let all = [
            reading("ede", "Ê Đê", None),
            reading("ede", "Ê Đê", Some(2)),
            reading("jra", "J'rai", Some(3)),
            reading("vie", "Tiếng Việt", Some(2)),
        ];
        let html = readings(&all, Some(2), None, "/m/a/b?phan=2", Lang::Vi).into_string();
        assert!(html.contains("Nghe bằng tiếng Ê Đê") && html.contains("Nghe bằng tiếng Việt"));
        assert!(
            !html.contains("J&#39;rai") && !html.contains("J'rai"),
            "slide 3's reading is not offered on slide 2"
        );
        assert!(
            !html.contains("<audio"),
            "nothing plays before a language is chosen"
        );
        let html = readings(&all, Some(2), Some("ede"), "/m/a/b?phan=2", Lang::Vi).into_string();
        assert!(html.contains("/media/ede0.ogg") && html.contains("/media/ede2.ogg"));
        assert!(!html.contains("/media/vie2.ogg"));
        let one = readings(&all[2..3], Some(3), None, "/m/a/b", Lang::En).into_string();
        assert!(
            one.contains("Listen in J")
                && one.contains("slide 3")
                && one.contains("/media/jra3.ogg"),
            "{one}"
        );
    }
}
