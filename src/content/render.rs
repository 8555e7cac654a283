//! Markdown → HTML, once, at start-up: a lesson body becomes its slides, with every image and
//! link pointed at its place on the box, and raw HTML shown as text.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// What a link or image in a lesson points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Image,
    Link,
}

/// The slides of a body, and the problems found, each at a byte offset into the body.
pub(super) struct Rendered {
    pub slides: Vec<String>,
    pub problems: Vec<(usize, String)>,
    /// Words of text a reader reads: headings, paragraphs and lists, not pictures' alt text.
    pub words: usize,
    pub pictures: usize,
}

/// Renders `body`; `resolve` maps each image or link destination to its URL on the box, or
/// says why it cannot (the problem is reported and the destination left out).
pub(super) fn render(
    body: &str,
    resolve: &dyn Fn(Target, &str) -> Result<String, String>,
) -> Rendered {
    let mut problems = Vec::new();
    let mut slides: Vec<Vec<Event<'_>>> = vec![Vec::new()];
    let mut slide_starts = vec![0usize];
    let mut image_alt: Option<(usize, bool)> = None;
    let mut raw_html_reported = false;
    let (mut words, mut pictures) = (0, 0);

    for (event, range) in Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter() {
        let event = match event {
            Event::Rule => {
                slides.push(Vec::new());
                slide_starts.push(range.start);
                continue;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                image_alt = Some((range.start, false));
                pictures += 1;
                let dest_url = rewrite(
                    Target::Image,
                    &dest_url,
                    range.start,
                    resolve,
                    &mut problems,
                );
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, false)) = image_alt.take() {
                    problems.push((at, "an image needs alt text: a short sentence in the lesson's language saying what it shows".into()));
                }
                Event::End(TagEnd::Image)
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url =
                    rewrite(Target::Link, &dest_url, range.start, resolve, &mut problems);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => {
                problems.push((range.start, "use `##` for a slide's heading: `#` is the lesson title, which the page shows already".into()));
                event
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if !std::mem::replace(&mut raw_html_reported, true) {
                    problems.push((
                        range.start,
                        "raw HTML is not allowed in a lesson; write Markdown (it is shown as text)"
                            .into(),
                    ));
                }
                Event::Text(html)
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                match image_alt.as_mut() {
                    Some((_, seen)) => *seen |= !text.trim().is_empty(),
                    None => words += count_words(text),
                }
                event
            }
            other => other,
        };
        slides.last_mut().expect("one slide at least").push(event);
    }

    let mut html = Vec::with_capacity(slides.len());
    let count = slides.len();
    for (events, start) in slides.into_iter().zip(slide_starts) {
        if events.is_empty() {
            // A body with no text at all is one problem, which the caller reports.
            if count > 1 {
                let message = if start == 0 {
                    "the lesson has no text before its first `---`"
                } else {
                    "an empty slide: nothing between this `---` and the next"
                };
                problems.push((start, message.into()));
            }
            continue;
        }
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        html.push(out);
    }
    Rendered {
        slides: html,
        problems,
        words,
        pictures,
    }
}

/// Words as a reader counts them: runs between spaces that hold a letter or a digit, so a
/// dash or a bullet is no word. A Vietnamese syllable counts as one, as writers count.
pub(super) fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn rewrite<'a>(
    target: Target,
    dest: &str,
    at: usize,
    resolve: &dyn Fn(Target, &str) -> Result<String, String>,
    problems: &mut Vec<(usize, String)>,
) -> CowStr<'a> {
    match resolve(target, dest) {
        Ok(url) => url.into(),
        Err(message) => {
            problems.push((at, message));
            CowStr::Borrowed("")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(_: Target, dest: &str) -> Result<String, String> {
        Ok(format!("/x/{dest}"))
    }

    #[test]
    fn thematic_breaks_split_slides() {
        let r = render("## Một\n\nA\n\n---\n\n## Hai\n\nB\n", &ok);
        assert_eq!(r.slides.len(), 2);
        assert!(r.slides[0].contains("<h2>Một</h2>"));
        assert!(r.slides[1].contains("<p>B</p>"));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn images_and_links_are_rewritten() {
        let r = render("![Điện thoại](a.svg) [bài](b.md)", &ok);
        assert!(r.slides[0].contains(r#"src="/x/a.svg""#), "{}", r.slides[0]);
        assert!(r.slides[0].contains(r#"href="/x/b.md""#));
    }

    #[test]
    fn words_and_pictures_are_counted_without_alt_text() {
        let r = render(
            "## Hai từ\n\n- Ba từ nữa – nhé\n\n![Năm chữ không được đếm](a.svg)\n",
            &ok,
        );
        assert_eq!((r.words, r.pictures), (6, 1));
    }

    #[test]
    fn raw_html_is_escaped_and_reported() {
        let r = render("Hi <script>alert(1)</script>\n", &ok);
        assert!(r.slides[0].contains("&lt;script&gt;"));
        assert!(!r.slides[0].contains("<script>"));
        assert_eq!(r.problems.len(), 1);
    }

    #[test]
    fn empty_slides_and_missing_alt_are_reported() {
        let r = render("A\n\n---\n\n---\n\n![](a.svg)\n", &ok);
        let messages: Vec<&str> = r.problems.iter().map(|(_, m)| m.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("empty slide")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("alt text")),
            "{messages:?}"
        );
    }
}
