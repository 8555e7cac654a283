//! A practice scenario run live (`facilitate::live::Room`). On the projector: the simulated
//! screen, big, beside the question and its choices lettered A, B, C… with how many picked
//! each; on "Xem lớp chọn", how the room chose (bars of shares) and the consequence, the
//! feedback of the room's choice; at an end, the end. On phones: the same screen and the
//! choices as buttons of a plain form, one decision a turn. The facilitator's buttons move
//! the room along its choice, or along the one they pick (`follow`). The rules and the events
//! are `facilitate::live`'s.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::control::back_to;
use super::letter;
use crate::content::practice::{Scenario, Step as ScenarioStep};
use crate::content::{Lang, Practice};
use crate::facilitate::live::{AnswerRefused, Live, Standing, room_choice, room_next};
use crate::store::{Learner, LiveAnswer};
use crate::web::extract::AppForm;
use crate::web::i18n::ui;
use crate::web::i18n::{current, t, t_args, v};
use crate::web::pages::layout::csrf_field;
use crate::web::pages::practice::screen;
use crate::web::session::Facilitating;
use crate::web::{AppState, Error};

/// The scenario a session runs, if it runs one, in Vietnamese (the room's language).
pub(super) fn scenario_of<'a>(
    state: &'a AppState,
    live: &Live,
) -> Option<(&'a Practice, &'a Scenario)> {
    let room = live.practice.as_ref()?;
    let practice = state.catalogue.practice(&room.scenario_id)?;
    Some((practice, practice.versions.get(Lang::Vi)))
}

/// How many chose each of the current step's choices, and the room's choice.
fn tally(live: &Live, step: &ScenarioStep) -> (Vec<u32>, Option<usize>) {
    let counts = live.counts(live.step, step.choices.len());
    let chosen = room_choice(step, &counts);
    (counts, chosen)
}

/// The projector's part of a scenario run live.
pub(super) fn projector(live: &Live, practice: &Practice, scenario: &Scenario) -> Markup {
    let p = &ui(current()).practice;
    let present = live.present.len();
    html! {
        @match live.standing(scenario) {
            Standing::Step(step) => {
                @let (counts, chosen) = tally(live, step);
                @let answered: u32 = counts.iter().sum();
                div.q-head {
                    p.meta { (t("live-practice")) ": " (scenario.title) " · " (ui(current()).live_turn(live.step + 1)) }
                    p.answered { strong { (answered) "/" (present) } " " (t("room-chosen")) }
                }
                div.room {
                    div.room-screen { (screen(scenario.kind, step, p, None)) }
                    div.room-ask {
                        h1 { (step.ask) }
                        @if live.revealed {
                            @if !step.choices.is_empty() {
                                @let of = answered.max(1);
                                ol.room-choices.shown aria-label=(t("room-class-chose")) {
                                    @for (c, choice) in step.choices.iter().enumerate() {
                                        @let share = counts[c] * 100 / of;
                                        li.right[choice.right].chosen[chosen == Some(c)] {
                                            span.letter { (letter(c)) }
                                            span.text {
                                                (choice.text)
                                                @if choice.right { " " span.mark { "✓ " (p.right()) } }
                                            }
                                            span.count { span.n { (counts[c]) } " " (t("present-people")) " · " (share) "%" }
                                            svg.share viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" {
                                                rect width=(share.max(1)) height="6" {}
                                            }
                                        }
                                    }
                                }
                            }
                            @if let Some(c) = chosen {
                                @let choice = &step.choices[c];
                                div.feedback.right[choice.right].wrong[!choice.right] role="status" {
                                    p.mark { (t_args("room-class-chose-letter", [("letter", v(letter(c).to_string()))])) ": " (if choice.right { p.right() } else { p.wrong() }) }
                                    p { (choice.feedback) }
                                }
                            } @else if !step.choices.is_empty() {
                                p.note { (t("room-nobody-chose")) }
                            }
                            @if let Some(input) = &step.input {
                                div.feedback.right {
                                    p.mark { (input.label) ": " strong.expect { (input.expect) } }
                                }
                            }
                        } @else {
                            @if !step.choices.is_empty() {
                                ol.room-choices {
                                    @for (c, choice) in step.choices.iter().enumerate() {
                                        li {
                                            span.letter { (letter(c)) }
                                            span.text { (choice.text) }
                                            span.count { span.n { (counts[c]) } }
                                        }
                                    }
                                }
                            }
                            @if let Some(input) = &step.input {
                                p.typed-box { (t("room-input")) ": " strong { (input.label) } " · " (t("room-input-say")) }
                            }
                        }
                    }
                }
            }
            Standing::End(end) => {
                p.meta { (t("live-practice")) ": " (scenario.title) " · " (t("live-end")) }
                div.end.won[end.win].lost[!end.win] role="status" {
                    h1.end-title { (if end.win { p.won() } else { p.lost() }) }
                    p { (end.text) }
                }
                p.meta { (t_args("room-end-recorded", [("n", v(present))])) }
            }
            Standing::Gone => {
                p.meta { (t("live-practice")) ": " (scenario.title) }
                p.lead { (t("room-step-gone")) }
            }
        }
        @let _ = practice;
    }
}

/// The buttons that move the room: reveal its choice, go on along it, or along a choice the
/// facilitator picks; each names the turn it was pressed on.
pub(super) fn controls(f: &Facilitating, live: &Live, scenario: &Scenario, back: &str) -> Markup {
    let Standing::Step(step) = live.standing(scenario) else {
        return html! {};
    };
    if live.ended {
        return html! {};
    }
    let (_, chosen) = tally(live, step);
    let form = |action: &str,
                choice: Option<String>,
                label: String,
                key: Option<&str>,
                quiet: bool,
                enabled: bool| {
        html! {
            form method="post" action={ "/f/live/" (live.id) "/" (action) } {
                (csrf_field(&f.csrf))
                input type="hidden" name="from" value=(live.step);
                @if let Some(choice) = &choice { input type="hidden" name="choice" value=(choice); }
                input type="hidden" name="back" value=(back);
                button.button.quiet[quiet] type="submit" data-key=[key] disabled[!enabled] { (label) }
            }
        }
    };
    let next = match (chosen, &step.input) {
        (Some(c), _) => t_args("room-next-letter", [("letter", v(letter(c).to_string()))]),
        (None, Some(_)) => t("room-next-value").to_string(),
        (None, None) => t("live-next").to_string(),
    };
    html! {
        div.controls.no-print {
            @if !step.choices.is_empty() && !live.revealed {
                (form("reveal", None, t("room-reveal").into(), Some("reveal"), true, true))
            }
            (form("follow", None, next, Some("next"), false, true))
        }
        @if step.choices.len() + usize::from(step.input.is_some()) > 1 {
            div.controls.follow-one.no-print {
                span.meta { (t("room-or-follow")) }
                @for (c, _) in step.choices.iter().enumerate() {
                    (form("follow", Some(c.to_string()), t_args("room-follow-letter", [("letter", v(letter(c).to_string()))]), None, true, true))
                }
                @if step.input.is_some() {
                    (form("follow", Some("input".into()), t("room-follow-value").into(), None, true, true))
                }
            }
        }
    }
}

/// The phone's part of a scenario run live.
pub(super) fn phone(live: &Live, scenario: &Scenario, lang: Lang, learner: &Learner) -> Markup {
    let ui = ui(lang);
    let p = &ui.practice;
    match live.standing(scenario) {
        Standing::Step(step) => {
            let mine = live.answers.get(&(learner.id.clone(), live.step)).copied();
            let (_, chosen) = tally(live, step);
            html! {
                p.meta { (p.heading()) ": " (scenario.title) " · " (ui.live_turn(live.step + 1)) }
                (screen(scenario.kind, step, p, None))
                div.ask { p.q { (step.ask) } }
                @if live.revealed {
                    ul.choices {
                        @for (c, choice) in step.choices.iter().enumerate() {
                            li.right[choice.right].mine[mine == Some(c)] {
                                @if choice.right { "✓ " }
                                span.letter { (letter(c)) } " " (choice.text)
                                @if mine == Some(c) { " · " (ui.live_your_answer()) }
                            }
                        }
                    }
                    @if let Some(c) = chosen {
                        @let choice = &step.choices[c];
                        div.feedback.right[choice.right].wrong[!choice.right] {
                            p.mark { (ui.live_room_chose()) " " (letter(c)) ": " (if choice.right { p.right() } else { p.wrong() }) }
                            p { (choice.feedback) }
                        }
                    }
                    @if let Some(input) = &step.input {
                        p { (input.label) ": " strong { (input.expect) } }
                    }
                } @else if step.choices.is_empty() {
                    p.note { (ui.live_look_up()) }
                } @else if let Some(c) = mine {
                    p.note role="status" { "✓ " (ui.live_your_answer()) " " (letter(c)) ". " (step.choices[c].text) " · " (ui.live_wait_room()) }
                } @else {
                    p { (ui.live_pick()) }
                    form method="post" action={ "/live/" (live.id) "/answer" } data-answer {
                        input type="hidden" name="q" value=(live.step);
                        @for (c, choice) in step.choices.iter().enumerate() {
                            button.choice-button type="submit" name="choice" value=(c) { span.letter { (letter(c)) } " " (choice.text) }
                        }
                    }
                }
            }
        }
        Standing::End(end) => html! {
            p.meta { (p.heading()) ": " (scenario.title) }
            div.end.won[end.win].lost[!end.win] {
                p.end-title { (if end.win { p.won() } else { p.lost() }) }
                p { (end.text) }
            }
            p { (ui.live_follow()) }
        },
        Standing::Gone => html! { p.meta { (ui.live_follow()) } },
    }
}

/// A phone's decision on the room's turn `turn`: kept once, with its `practice_step`.
pub(super) async fn decide(
    state: &AppState,
    running: &super::running::Running,
    learner: &Learner,
    turn: usize,
    choice: usize,
) -> Result<(), Error> {
    let live = running.now();
    let (practice, scenario) = scenario_of(state, &live).ok_or(Error::NotFound)?;
    match live.check_decision(scenario, &learner.id, turn, choice) {
        Ok(()) => {}
        // The room moved on, or its choice was shown, just before this phone sent, or this is
        // a resend: the page shows where the room is now.
        Err(
            AnswerRefused::NotNow
            | AnswerRefused::Revealed
            | AnswerRefused::Ended
            | AnswerRefused::Decided,
        ) => return Ok(()),
        Err(AnswerRefused::NoSuchChoice | AnswerRefused::NotPresent) => {
            return Err(Error::BadRequest);
        }
    }
    let events = live.decision_events(
        practice,
        scenario,
        &learner.id,
        turn,
        choice,
        &state.store.now(),
    );
    let kept = LiveAnswer {
        learner_id: learner.id.clone(),
        question: turn,
        choice,
    };
    if state.store.live_decision(&live.id, kept, events).await? {
        running.change(false, |live| {
            live.answers
                .entry((learner.id.clone(), turn))
                .or_insert(choice);
            true
        });
    }
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct FollowForm {
    from: usize,
    /// A choice's number, `input` for the value a form's box expects, or empty for the
    /// room's choice.
    choice: String,
    back: String,
}

/// Moves the room on from turn `from`, and records the end it reaches for everyone present.
pub(super) async fn follow(
    State(state): State<AppState>,
    _: Facilitating,
    Path(id): Path<String>,
    AppForm(form): AppForm<FollowForm>,
) -> Result<Response, Error> {
    let running = state.live.get(&state, &id).await?;
    let _one_at_a_time = running.control.lock().await;
    let live = running.now();
    let (practice, scenario) = scenario_of(&state, &live).ok_or(Error::NotFound)?;
    let Standing::Step(step) = live.standing(scenario) else {
        return Ok(back_to(&id, &form.back));
    };
    let to = match form.choice.as_str() {
        "" => room_next(step, tally(&live, step).1),
        "input" => step.input.as_ref().map(|i| i.next.as_str()),
        c => {
            let c: usize = c.parse().map_err(|_| Error::BadRequest)?;
            Some(step.choices.get(c).ok_or(Error::BadRequest)?.next.as_str())
        }
    };
    let Some(to) = to else {
        return Err(Error::BadRequest);
    };
    let mut moved = live.clone();
    if moved.move_to(scenario, form.from, to) {
        let events = match moved.standing(scenario) {
            Standing::End(end) => moved.end_events_of(practice, end, &state.store.now()),
            _ => Vec::new(),
        };
        if state
            .store
            .live_practice_move(&id, moved.step, to, events)
            .await?
        {
            running.change(true, |live| live.move_to(scenario, form.from, to));
        }
    }
    Ok(back_to(&id, &form.back))
}
