//! Learners on their phones: joining (`/join`, then `/joined` to show the new code and go on
//! to the page the learner was opening when sent to sign in, `web::return_to`), and the
//! picture code both joining and signing in (`signin`) ask for.
//!
//! A picture code is tapped on one grid of nine pictures (`picture_picker`). Each picture is a
//! submit button, so without JavaScript a tap posts the form, which comes back with the code
//! one picture longer (`picking`), nothing stored; `assets/pictures.js` does the same on the
//! phone without a round trip. The code so far travels in hidden `p1`–`p3`.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Extras, page, page_with};
use super::signin::{signed_in_going_on, signed_in_redirect};
use crate::learn::rights::{self, BY_LEARNER};
use crate::learn::{self, ETHNIC_GROUPS, GENDERS, Invalid, JoinRequest, PICTURES, SecretInput};
use crate::store::{Learner, NewLearner, Village};
use crate::token;
use crate::web::extract::AppForm;
use crate::web::i18n::{Ui, ui};
use crate::web::return_to::{self, Who};
use crate::web::session::{SignedIn, Visitor, cookie, session_hash, set_cookie};
use crate::web::{AppState, Error, complete};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/join", get(join_form).post(join))
        .route("/joined", get(joined))
}

/// The join form as sent; every field is text until `learn::join_request` judges it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct JoinForm {
    pub(super) display_name: String,
    /// A village picked from those already known.
    pub(super) village: String,
    /// A village typed because it is not in the list yet; wins over `village`.
    pub(super) village_new: String,
    pub(super) birth_year: String,
    pub(super) gender: String,
    pub(super) ethnic_group: String,
    /// `none`, `pin` or `picture`.
    pub(super) secret_kind: String,
    pub(super) pin: String,
    pub(super) p1: String,
    pub(super) p2: String,
    pub(super) p3: String,
    /// A picture tapped (its place in `PICTURES`), sent without script.
    pub(super) tap: String,
    /// The last picture taken back, sent without script.
    pub(super) undo: String,
    /// `1` when the box "I agree that my birth year, gender and ethnic group are kept" is ticked.
    pub(super) optional_consent: String,
}

/// Who fills the profile fields, which decides their words and the secret offered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Filling {
    /// A villager joining on their own phone: a picture code unless they choose otherwise.
    Joining,
    /// A facilitator registering someone: no secret unless one is chosen.
    Registering,
    /// A facilitator correcting someone's details: no secret here.
    Editing,
    /// A learner correcting their own details ("Thông tin của tôi"): no secret here.
    Correcting,
}

/// A tap on the picture grid or its undo, sent without script: the code so far in `code`
/// grows or shrinks by one picture. True when the form was sent for that (draw it again,
/// store nothing); false when it was sent to be used.
pub(super) fn picking(code: [&mut String; 3], tap: &str, undo: &str) -> bool {
    if !undo.is_empty() {
        if let Some(last) = code.into_iter().rev().find(|p| !p.is_empty()) {
            last.clear();
        }
        return true;
    }
    if tap.is_empty() {
        return false;
    }
    if let Ok(i) = tap.parse::<usize>()
        && i < PICTURES.len()
        && let Some(next) = code.into_iter().find(|p| p.is_empty())
    {
        *next = i.to_string();
    }
    true
}

impl JoinForm {
    /// `picking` on this form; a tap also chooses the picture code.
    pub(super) fn picking(&mut self) -> bool {
        let picking = picking(
            [&mut self.p1, &mut self.p2, &mut self.p3],
            &self.tap,
            &self.undo,
        );
        if picking {
            self.secret_kind = "picture".to_string();
        }
        picking
    }

    pub(super) fn request(&self) -> JoinRequest {
        let village = match self.village_new.trim() {
            "" => self.village.clone(),
            typed => typed.to_string(),
        };
        JoinRequest {
            display_name: self.display_name.clone(),
            village,
            birth_year: Some(self.birth_year.clone()),
            gender: Some(self.gender.clone()),
            ethnic_group: Some(self.ethnic_group.clone()),
            secret: secret_input(&self.secret_kind, &self.pin, [&self.p1, &self.p2, &self.p3]),
            optional_consent: self.optional_consent == "1",
        }
    }
}

/// The secret a form carries: its kind, then the PIN or the three pictures.
pub(super) fn secret_input(kind: &str, pin: &str, pictures: [&str; 3]) -> SecretInput {
    match kind {
        "pin" => SecretInput::Pin(pin.trim().to_string()),
        "picture" => SecretInput::Pictures(
            pictures
                .iter()
                .map(|p| p.parse::<usize>().unwrap_or(usize::MAX))
                .collect(),
        ),
        _ => SecretInput::None,
    }
}

/// Villages known on this box, the busiest first, so the likely one is near the top.
pub(super) async fn known_villages(state: &AppState) -> Result<Vec<Village>, Error> {
    let mut villages = state.store.villages().await?;
    villages.sort_by(|a, b| b.learners.cmp(&a.learners).then(a.name.cmp(&b.name)));
    Ok(villages)
}

async fn join_form(State(state): State<AppState>, visitor: Visitor) -> Result<Markup, Error> {
    let villages = known_villages(&state).await?;
    let names = super::rights::names_shared(&state).await?;
    Ok(join_page(
        &state,
        &visitor,
        &villages,
        &JoinForm::default(),
        &[],
        names,
    ))
}

fn join_page(
    state: &AppState,
    visitor: &Visitor,
    villages: &[Village],
    form: &JoinForm,
    problems: &[Invalid],
    names: bool,
) -> Markup {
    let lang = visitor.lang;
    let ui = ui(lang);
    page_with(
        state,
        lang,
        visitor.learner.as_ref(),
        ui.join_title(),
        html! {
            h1 { (ui.join_title()) }
            @if problems.is_empty() {
                p.lead { (ui.join_intro()) }
            } @else {
                p.note.error role="alert" { (ui.form_has_problems()) }
            }
            (super::rights::notice(ui, names))
            form.stack method="post" action="/join" {
                // Enter in a text field presses a form's first button: this one, not a
                // picture's or the undo.
                button.default-submit type="submit" tabindex="-1" aria-hidden="true" { (ui.join_button()) }
                (profile_fields(state, ui, villages, form, problems, Filling::Joining, "/join"))
                button.button type="submit" { (ui.join_button()) }
            }
            p { (ui.already_joined()) " " a href="/signin" { (ui.sign_in()) } }
        },
        &with_picker(),
    )
}

/// The fields of a learner's details: name, village (picked or typed), and the optional birth
/// year, gender and ethnic group with the consent that keeping them needs (what they are
/// for, said beside them); joining and registering, the choice of a secret too (a picture code
/// first). Used by `/join` and by the facilitator's register and edit pages; `action` is the
/// form's, where a tap on the pictures posts without script.
pub(super) fn profile_fields(
    state: &AppState,
    ui: &Ui,
    villages: &[Village],
    form: &JoinForm,
    problems: &[Invalid],
    filling: Filling,
    action: &str,
) -> Markup {
    let has = |i: Invalid| problems.contains(&i);
    let error = |i: Invalid| html! { @if has(i) { p.error-text id={ "e-" (i as u8) } { "⚠ " (invalid_text(ui, i)) } } };
    let kind = match form.secret_kind.as_str() {
        "pin" | "picture" | "none" => form.secret_kind.as_str(),
        // A form not sent yet: a villager gets a picture code unless they choose otherwise.
        "" if filling == Filling::Joining => "picture",
        _ => "none",
    };
    let name_label = match filling {
        Filling::Joining | Filling::Correcting => ui.your_name(),
        Filling::Registering | Filling::Editing => ui.learner_name(),
    };
    let consent_label = match filling {
        Filling::Joining | Filling::Correcting => ui.t("rights-optional-consent"),
        Filling::Registering | Filling::Editing => ui.t("rights-optional-consent-f"),
    };
    let none = html! {
        label.choice { input #k-none type="radio" name="secret_kind" value="none" checked[kind == "none"]; span { (ui.secret_none()) } }
    };
    html! {
        label for="display_name" { (name_label) }
        (error(Invalid::NameEmpty)) (error(Invalid::NameTooLong)) (error(Invalid::NameHidden))
        input #display_name type="text" name="display_name" value=(form.display_name)
            maxlength="60" autocomplete="off" required;

        @if villages.is_empty() {
            label for="village_new" { (ui.your_village()) }
            (error(Invalid::VillageEmpty)) (error(Invalid::VillageTooLong)) (error(Invalid::VillageHidden))
            input #village_new type="text" name="village_new" value=(form.village_new) maxlength="60" required;
        } @else {
            fieldset {
                legend { (ui.your_village()) }
                (error(Invalid::VillageEmpty)) (error(Invalid::VillageTooLong)) (error(Invalid::VillageHidden))
                @for village in villages {
                    label.choice {
                        input type="radio" name="village" value=(village.name) checked[form.village == village.name];
                        span { (village.name) }
                    }
                }
                label for="village_new" { (ui.other_village()) }
                input #village_new type="text" name="village_new" value=(form.village_new) maxlength="60";
            }
        }

        p.meta { (ui.optional_below()) " " (ui.t("rights-optional-why")) }
        (error(Invalid::OptionalConsent))
        label.choice.consent {
            input #optional_consent type="checkbox" name="optional_consent" value="1" checked[form.optional_consent == "1"];
            span { (consent_label) }
        }
        label for="birth_year" { (ui.birth_year()) }
        (error(Invalid::BirthYear))
        input #birth_year type="text" name="birth_year" value=(form.birth_year)
            inputmode="numeric" pattern="[0-9]{4}" maxlength="4";

        fieldset {
            legend { (ui.gender()) }
            (error(Invalid::Gender))
            @for (code, label) in GENDERS.iter().zip(ui.genders()) {
                label.choice {
                    input type="radio" name="gender" value=(code) checked[form.gender == *code];
                    span { (label) }
                }
            }
        }

        label for="ethnic_group" { (ui.ethnic_group()) }
        (error(Invalid::EthnicGroup))
        select #ethnic_group name="ethnic_group" {
            option value="" { "—" }
            @for group in ETHNIC_GROUPS {
                option value=(group) selected[form.ethnic_group == *group] {
                    @if *group == "Khác" { (ui.ethnic_other()) } @else { (group) }
                }
            }
        }

        @if matches!(filling, Filling::Joining | Filling::Registering) {
            fieldset.secret {
                legend { (ui.secret_heading()) }
                p.meta { (ui.secret_intro()) }
                (error(Invalid::Pin)) (error(Invalid::Pictures))
                @if filling == Filling::Registering { (none) }
                label.choice { input #k-picture type="radio" name="secret_kind" value="picture" checked[kind == "picture"]; span { (ui.secret_picture()) } }
                div.picture-box {
                    (picture_picker(state, ui, [&form.p1, &form.p2, &form.p3], action))
                }
                label.choice { input #k-pin type="radio" name="secret_kind" value="pin" checked[kind == "pin"]; span { (ui.secret_pin()) } }
                div.pin-box {
                    label for="pin" { (ui.pin_label()) }
                    input #pin type="password" name="pin" inputmode="numeric" pattern="[0-9]{4}"
                        maxlength="4" autocomplete="off" value=(form.pin);
                }
                @if filling == Filling::Joining { (none) }
            }
        }
    }
}

/// A page with the picture grid loads its script (it works without).
pub(super) fn with_picker() -> Extras<'static> {
    Extras {
        script: Some("pictures.js"),
        ..Extras::default()
    }
}

/// The picture at `place` of a code as a form carries it, if it is one of `PICTURES`.
fn picture_at(place: &str) -> Option<usize> {
    place.parse::<usize>().ok().filter(|&i| i < PICTURES.len())
}

/// One picture of a code, drawn `size` pixels wide, named in its alt text.
fn picture_img(state: &AppState, i: usize, size: u32) -> Markup {
    let (file, name) = PICTURES[i];
    html! { img src=(state.assets.url(&format!("pictures/{file}.svg"))) alt=(name) width=(size) height=(size); }
}

/// The picture code as tapped: the code so far (three places, filled in order) with a way to
/// take back the last picture, then one grid of the nine pictures. Each picture and the undo
/// are submit buttons posting to `action` (back to this grid) and skipping the form's checks,
/// so the grid works without script; `assets/pictures.js` keeps the taps on the phone.
pub(super) fn picture_picker(state: &AppState, ui: &Ui, chosen: [&str; 3], action: &str) -> Markup {
    let code: Vec<Option<usize>> = chosen.iter().map(|p| picture_at(p)).collect();
    let full = code.iter().all(Option::is_some);
    let empty = code.iter().all(Option::is_none);
    let back = format!("{action}#picker");
    html! {
        div.picker #picker data-picker {
            @for (place, picked) in chosen.iter().enumerate() {
                input type="hidden" name={ "p" (place + 1) } value=(picked);
            }
            p.meta { (ui.picture_how()) }
            div.so-far {
                span { (ui.code_so_far()) }
                ol.code aria-live="polite" {
                    @for (place, picked) in code.iter().enumerate() {
                        @match picked {
                            Some(i) => li.filled { (picture_img(state, *i, 40)) },
                            None => li { span.place { (place + 1) } },
                        }
                    }
                }
                button.undo type="submit" name="undo" value="1" formaction=(back) formnovalidate disabled[empty] {
                    "↩ " (ui.undo_picture())
                }
            }
            div.grid {
                @for (i, (file, name)) in PICTURES.iter().enumerate() {
                    button.pic type="submit" name="tap" value=(i) formaction=(back) formnovalidate disabled[full] {
                        img src=(state.assets.url(&format!("pictures/{file}.svg"))) alt="" width="72" height="72";
                        span { (name) }
                    }
                }
            }
        }
    }
}

pub(super) fn invalid_text(ui: &Ui, invalid: Invalid) -> &'static str {
    match invalid {
        Invalid::NameEmpty => ui.err_name_empty(),
        Invalid::NameTooLong => ui.err_name_long(),
        Invalid::NameHidden => ui.err_name_hidden(),
        Invalid::VillageEmpty => ui.err_village_empty(),
        Invalid::VillageTooLong => ui.err_village_long(),
        Invalid::VillageHidden => ui.err_village_hidden(),
        Invalid::BirthYear => ui.err_birth_year(),
        Invalid::Gender | Invalid::EthnicGroup => ui.err_choice(),
        Invalid::Pin => ui.err_pin(),
        Invalid::Pictures => ui.err_pictures(),
        Invalid::OptionalConsent => ui.t("err-optional-consent"),
    }
}

/// The current year by the box's clock (which may be wrong; the rules allow for that).
pub(in crate::web) fn this_year(state: &AppState) -> i32 {
    state.store.clock().now().year()
}

/// Checks a join request, hashes its secret off the async threads and creates the learner
/// with a `consent` event of what they agreed to (asked `by` the learner or a facilitator);
/// with `sign_in`, also a session whose token is returned (the joining phone's cookie).
/// `Err(problems)` when a rule is broken; nothing is stored then.
pub(crate) async fn create_learner(
    state: &AppState,
    request: JoinRequest,
    sign_in: bool,
    by: &'static str,
) -> Result<Result<(Learner, Option<String>), Vec<Invalid>>, Error> {
    let villages = state.store.villages().await?;
    let joining = match learn::join_request(request, &villages, this_year(state)) {
        Ok(joining) => joining,
        Err(problems) => return Ok(Err(problems)),
    };
    let secret = joining.secret.clone();
    let hashed = match secret {
        SecretInput::None => None,
        secret => state.hash(move || learn::hash_secret(&secret)).await?,
    };
    let token = sign_in.then(token::new);
    let hash = token
        .as_deref()
        .map(|t| token::hash(t).expect("a new token is a token"));
    let learner = state
        .store
        .create_learner(
            NewLearner {
                display_name: joining.display_name,
                village: joining.village,
                birth_year: joining.birth_year,
                gender: joining.gender,
                ethnic_group: joining.ethnic_group,
                secret: hashed,
                consent: Some(rights::consent(joining.optional_consent, by)),
            },
            hash,
        )
        .await?;
    Ok(Ok((learner, token)))
}

async fn join(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    AppForm(mut form): AppForm<JoinForm>,
) -> Result<Response, Error> {
    let names = super::rights::names_shared(&state).await?;
    if form.picking() {
        let villages = known_villages(&state).await?;
        return Ok(join_page(&state, &visitor, &villages, &form, &[], names).into_response());
    }
    let request = form.request();
    let reminder = code_reminder(&request.secret);
    match create_learner(&state, request, true, BY_LEARNER).await? {
        Ok((_, token)) => {
            let token = token.expect("asked to sign in");
            if let Some(old) = session_hash(&headers) {
                state.store.end_session(old).await?;
            }
            let Some(reminder) = reminder else {
                return Ok(signed_in_going_on(&headers, "/", &token));
            };
            let mut response = signed_in_redirect("/joined", &token);
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(CODE_COOKIE, &reminder, Some(CODE_SHOWN_FOR), "Strict"),
            );
            Ok(response)
        }
        Err(problems) => {
            let villages = known_villages(&state).await?;
            let page = join_page(&state, &visitor, &villages, &form, &problems, names);
            Ok(complete(StatusCode::BAD_REQUEST, page))
        }
    }
}

/// The cookie that carries a new learner's code from `/join` to `/joined`, where it is shown
/// once more as a reminder; short-lived, out of scripts' reach, and cleared at sign-out.
pub(super) const CODE_COOKIE: &str = "hocso_code";
/// Seconds the code stays to be shown after joining.
const CODE_SHOWN_FOR: u32 = 600;

/// A secret as `CODE_COOKIE` carries it: `pictures:6-0-8` or `pin:0427`; none for no secret.
fn code_reminder(secret: &SecretInput) -> Option<String> {
    match secret {
        SecretInput::None => None,
        SecretInput::Pin(pin) => Some(format!("pin:{pin}")),
        SecretInput::Pictures(p) => Some(format!(
            "pictures:{}",
            p.iter().map(usize::to_string).collect::<Vec<_>>().join("-")
        )),
    }
}

/// After joining with a secret: "Mã của bạn: …, hãy nhớ", then on to learning (or to the page
/// the learner was opening when sent to sign in). The code comes from `CODE_COOKIE` (only
/// well-formed pictures or digits are drawn); without it, home.
async fn joined(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let reminder = cookie(&headers, CODE_COOKIE).unwrap_or_default();
    let pictures: Option<Vec<usize>> = reminder
        .strip_prefix("pictures:")
        .map(|code| code.split('-').filter_map(picture_at).collect::<Vec<_>>());
    let pin = reminder
        .strip_prefix("pin:")
        .filter(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()));
    if pictures.as_ref().is_none_or(|p| p.len() != 3) && pin.is_none() {
        return Ok(Redirect::to("/").into_response());
    }
    let lang = signed_in.lang;
    let ui = ui(lang);
    let wanted = return_to::wanted(Who::Learner, &headers);
    let (on_to, go_on) = match &wanted {
        Some(page) if page.starts_with("/live") => (page.as_str(), ui.go_to_live()),
        Some(page) => (page.as_str(), ui.go_to_page()),
        None => ("/", ui.start_learning()),
    };
    let mut response = page(
        &state,
        lang,
        Some(&signed_in.learner),
        ui.joined_title(),
        html! {
            h1 { "✓ " (ui.joined_title()) }
            section.reminder {
                p.lead { (ui.your_code()) }
                @if let Some(pictures) = &pictures {
                    ol.code.big {
                        @for i in pictures {
                            li {
                                img src=(state.assets.url(&format!("pictures/{}.svg", PICTURES[*i].0))) alt="" width="88" height="88";
                                span { (PICTURES[*i].1) }
                            }
                        }
                    }
                }
                @if let Some(pin) = pin {
                    p.pin-code { (pin) }
                }
                p { strong { (ui.remember_code()) } }
            }
            p { a.button href=(on_to) { (go_on) " →" } }
        },
    )
    .into_response();
    if wanted.is_some() {
        response
            .headers_mut()
            .append(header::SET_COOKIE, return_to::forget());
    }
    Ok(response)
}
