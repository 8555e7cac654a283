//! The interface in the language a browser chose (`?lang=`, then its cookie): the
//! facilitator's pages, the projector's and the hub's officers' pages speak English as the
//! learner's do, and Vietnamese stays the default; no message's key ever shows as text.

use reqwest::StatusCode;
use scraper::Html;

use crate::facilitators::set_up;
use crate::support::{Phone, TestBox, text, texts};

/// Every message key of `i18n/vi.ftl` with two hyphens or more (`f-nav-dashboard`): words no
/// page says, so one seen as text is a key shown raw.
fn keys() -> Vec<String> {
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/i18n/vi.ftl"))
        .expect("i18n/vi.ftl");
    file.lines()
        .filter_map(|line| line.split_once(" = ").map(|(key, _)| key))
        .filter(|key| key.matches('-').count() >= 2 && !key.contains(' '))
        .map(String::from)
        .collect()
}

fn no_raw_keys(page: &Html, keys: &[String]) {
    let words = texts(page, "body").join(" ");
    for key in keys {
        assert!(
            !words.contains(key.as_str()),
            "`{key}` shows raw in: {words}"
        );
    }
}

async fn page(browser: &mut Phone<'_>, path: &str, keys: &[String]) -> Html {
    let page = browser.page(path, StatusCode::OK).await;
    no_raw_keys(&page, keys);
    page
}

#[tokio::test]
async fn a_facilitator_reads_their_pages_in_english_once_chosen() {
    let tb = TestBox::start().await;
    let keys = keys();
    let mut facilitator = set_up(&tb).await;
    let dashboard = page(&mut facilitator, "/f", &keys).await;
    assert!(texts(&dashboard, "h2").contains(&"Hôm nay".to_string()));

    let dashboard = page(&mut facilitator, "/f?lang=en", &keys).await;
    assert!(
        texts(&dashboard, "h2").contains(&"Today".to_string()),
        "{:?}",
        texts(&dashboard, "h2")
    );
    assert!(texts(&dashboard, ".fbar a").contains(&"Learners".to_string()));
    assert_eq!(text(&dashboard, ".fbar button"), "Sign out");
    // The choice is remembered: the next page is English without asking again.
    let learners = page(&mut facilitator, "/f/learners", &keys).await;
    assert_eq!(text(&learners, "h1"), "Learners");
    assert_eq!(text(&learners, "label[for=q]"), "Search by name");
    let live = page(&mut facilitator, "/f/live", &keys).await;
    assert_eq!(text(&live, "h1"), "Group lessons");
    let settings = page(&mut facilitator, "/f/settings", &keys).await;
    let offered = texts(&settings, "select[name=lang] option");
    assert_eq!(
        offered,
        ["Tiếng Việt", "English"],
        "the languages present, each in itself"
    );
    let print = page(&mut facilitator, "/f/print/poster", &keys).await;
    assert_eq!(
        text(&print, ".poster .lead"),
        "Learn digital skills for free on your phone."
    );
    // The language switch is on the facilitator's pages too.
    assert!(texts(&learners, "footer a").contains(&"Tiếng Việt".to_string()));

    let back = page(&mut facilitator, "/f/learners?lang=vi", &keys).await;
    assert_eq!(text(&back, "h1"), "Người học");
}

#[tokio::test]
async fn the_communes_own_lessons_and_readings_speak_english_once_chosen() {
    let tb = TestBox::start().await;
    let keys = keys();
    let mut facilitator = set_up(&tb).await;
    let own = page(&mut facilitator, "/f/bai-hoc", &keys).await;
    assert_eq!(text(&own, "h1"), "Bài của xã");

    let own = page(&mut facilitator, "/f/bai-hoc?lang=en", &keys).await;
    assert_eq!(text(&own, "h1"), "Commune lessons");
    assert!(
        texts(&own, "h2").contains(&"The commune's lessons".to_string()),
        "{:?}",
        texts(&own, "h2")
    );
    let new = page(&mut facilitator, "/f/bai-hoc/moi", &keys).await;
    assert_eq!(text(&new, "h1"), "Write a new lesson");
    assert!(texts(&new, "legend").contains(&"Page 1".to_string()));
    assert_eq!(text(&new, "button[value=xuat-ban]"), "Save and publish");
    let readings = page(&mut facilitator, "/f/bai-doc/an-toan/mat-khau-otp", &keys).await;
    assert!(
        text(&readings, "h1").starts_with("Readings: "),
        "{}",
        text(&readings, "h1")
    );
    assert_eq!(text(&readings, "h2#ghi"), "Add a reading");
    assert_eq!(
        text(&readings, "form.stack button[type=submit]"),
        "Save reading"
    );
}

#[tokio::test]
async fn an_officer_reads_the_hub_in_english_once_chosen() {
    let hub = TestBox::start_hub().await;
    let keys = keys();
    let mut officer = set_up(&hub).await;
    let overview = page(&mut officer, "/hub", &keys).await;
    assert!(text(&overview, "h1").contains("Tổng quan"));

    let overview = page(&mut officer, "/hub?lang=en", &keys).await;
    assert!(
        text(&overview, "h1").contains("overview"),
        "{}",
        text(&overview, "h1")
    );
    assert!(texts(&overview, ".fbar a").contains(&"Enrolment codes".to_string()));
    assert!(texts(&overview, "h2").contains(&"Communes".to_string()));
    let codes = page(&mut officer, "/hub/codes", &keys).await;
    assert_eq!(text(&codes, "h1"), "Enrolment codes for the communes");
    let usb = page(&mut officer, "/hub/usb", &keys).await;
    assert_eq!(text(&usb, "h1"), "A commune's USB file");
    let live = page(&mut officer, "/hub/live", &keys).await;
    assert_eq!(text(&live, "h1"), "Province-wide online lessons");
    let proposals = page(&mut officer, "/hub/de-xuat", &keys).await;
    assert_eq!(text(&proposals, "h1"), "Communes' proposals");
    assert_eq!(
        text(&proposals, "main p:not(.lead):not(.actions)"),
        "No proposal yet."
    );
}
