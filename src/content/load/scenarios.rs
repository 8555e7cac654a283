//! Loading a module's practice scenarios: each file read with its facts filled in, and the
//! translations held to the Vietnamese file's paths.

use super::*;

impl Loader<'_> {
    /// A module's scenarios, in their numbers' order: each with a Vietnamese file, for a lesson
    /// of the module, its translations the same steps leading the same way.
    pub(super) fn practice(
        &mut self,
        module: &str,
        scenarios: BTreeMap<&str, (u32, ScenarioFiles)>,
        lessons: &[(u32, Lesson)],
    ) -> Vec<Practice> {
        let mut out = Vec::new();
        for (slug, (order, versions)) in scenarios {
            let Some((vi_path, vi)) = versions.get(&Lang::Vi) else {
                let (path, _) = versions.values().next().expect("a scenario has a file");
                self.problem(path, None, format!("scenario `{slug}` has no Vietnamese file (`{order:02}-{slug}.vi.toml`); every scenario needs one"));
                continue;
            };
            let Some((_, lesson)) = lessons.iter().find(|(_, l)| l.slug == vi.lesson) else {
                self.problem(
                    vi_path,
                    Some(2),
                    format!(
                        "`lesson = \"{}\"` is not a lesson of this module",
                        vi.lesson
                    ),
                );
                continue;
            };
            if lessons.iter().any(|(_, l)| l.slug == slug) {
                self.problem(
                    vi_path,
                    None,
                    format!("`{slug}` is a lesson's name too; give the scenario its own"),
                );
            }
            for (lang, (path, scenario)) in &versions {
                if *lang != Lang::Vi && !same_paths(vi, scenario) {
                    self.problem(path, Some(1), format!("a translation of `{}` has the same kind, lesson, steps, choices and ends, leading the same way", vi_path.rsplit('/').next().unwrap_or(vi_path)));
                }
            }
            let lesson_id = lesson.id.clone();
            let by_lang = versions
                .into_iter()
                .map(|(lang, (_, s))| (lang, s))
                .collect();
            out.push((
                order,
                Practice {
                    id: format!("{module}/{slug}"),
                    slug: slug.to_string(),
                    module_id: module.to_string(),
                    lesson_id,
                    source: Source::Embedded,
                    versions: Localized::new(by_lang).expect("Vietnamese checked above"),
                },
            ));
        }
        out.sort_by_key(|(order, _)| *order);
        out.into_iter().map(|(_, p)| p).collect()
    }

    /// One scenario file, its facts filled in; `None` (and its problems said) if it cannot be
    /// read.
    pub(super) fn scenario_file(
        &mut self,
        path: &str,
        lang: Lang,
        bytes: &[u8],
    ) -> Option<Scenario> {
        let raw = self.utf8(path, bytes)?;
        self.warn_written_out(path, raw);
        let (filled, fact_problems) = self.facts.fill(raw, lang, &mut self.used);
        for (offset, message) in fact_problems {
            self.problem(path, Some(line_of(raw, offset)), message);
        }
        match crate::content::practice::parse(&filled) {
            Ok(scenario) => Some(scenario),
            Err(problems) => {
                for (line, message) in problems {
                    self.problem(path, Some(line), message);
                }
                None
            }
        }
    }
}

/// Whether two scenarios lead the same way: kind, lesson, steps and ends by id, each step's
/// choices to the same places, each end's outcome.
fn same_paths(a: &Scenario, b: &Scenario) -> bool {
    a.kind == b.kind
        && a.lesson == b.lesson
        && a.steps.len() == b.steps.len()
        && a.steps.iter().zip(&b.steps).all(|(x, y)| {
            x.id == y.id
                && x.tap == y.tap
                && x.choices.len() == y.choices.len()
                && x.choices
                    .iter()
                    .zip(&y.choices)
                    .all(|(c, d)| c.next == d.next && c.right == d.right)
                && x.input.as_ref().map(|i| &i.next) == y.input.as_ref().map(|i| &i.next)
        })
        && a.ends.len() == b.ends.len()
        && a.ends
            .iter()
            .zip(&b.ends)
            .all(|(x, y)| x.id == y.id && x.win == y.win)
}
