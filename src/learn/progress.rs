//! One learner's progress through the catalogue: what each lesson's state is, how far each
//! module is, which modules are finished, and where to continue.

use std::collections::HashMap;

use crate::content::{Catalogue, Lang, Source};
use crate::store::{LessonProgress, PracticeState, QuizScore};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonState {
    pub opened: bool,
    /// When the learner pressed "Tôi đã học xong", by the box's clock.
    pub finished_at: Option<String>,
    pub quiz: Option<QuizScore>,
    /// Whether the lesson has a quiz at all.
    pub has_quiz: bool,
}

impl LessonState {
    /// Read to the end, and its quiz (if any) passed.
    pub fn complete(&self) -> bool {
        self.finished_at.is_some() && (!self.has_quiz || self.quiz_passed())
    }

    pub fn quiz_passed(&self) -> bool {
        self.quiz.as_ref().is_some_and(|q| q.passed_at.is_some())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ModuleState {
    /// Lessons complete, of `total`.
    pub complete: usize,
    pub total: usize,
    /// Practice scenarios done (kept safe once), of `practices`.
    pub practised: usize,
    pub practices: usize,
    /// Set when every lesson is complete and every scenario done: the latest of the finishes,
    /// the passes and the successes.
    pub finished_on: Option<String>,
}

impl ModuleState {
    pub fn percent(&self) -> usize {
        (self.complete * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// A learner's progress, built from the box's records and the catalogue.
#[derive(Clone, Debug, Default)]
pub struct Overview {
    lessons: HashMap<String, LessonState>,
    modules: HashMap<String, ModuleState>,
    practice: HashMap<String, PracticeState>,
    /// The first lesson, in teaching order, that is not complete.
    pub next: Option<String>,
    /// The first scenario, in teaching order, not done whose lesson is complete.
    pub next_practice: Option<String>,
}

impl Overview {
    pub fn build(
        catalogue: &Catalogue,
        progress: Vec<LessonProgress>,
        scores: Vec<QuizScore>,
        practice: Vec<PracticeState>,
    ) -> Overview {
        let practice: HashMap<String, PracticeState> = practice
            .into_iter()
            .map(|p| (p.scenario_id.clone(), p))
            .collect();
        let mut lessons: HashMap<String, LessonState> = HashMap::new();
        for p in progress {
            let state = lessons.entry(p.lesson_id).or_default();
            state.opened = true;
            state.finished_at = p.finished_at;
        }
        for s in scores {
            let id = s.lesson_id.clone();
            lessons.entry(id).or_default().quiz = Some(s);
        }
        let mut modules = HashMap::new();
        let mut next = None;
        let mut next_practice = None;
        for module in &catalogue.modules {
            let mut complete = 0;
            let mut last: Option<String> = None;
            // The commune's own lessons count for the learner but not for the module's
            // certificate, until the province adopts them.
            let mut total = 0;
            for lesson in &module.lessons {
                let counted = lesson.source != Source::Local;
                total += usize::from(counted);
                let state = lessons.entry(lesson.id.clone()).or_default();
                state.has_quiz = !lesson.versions.get(Lang::Vi).quiz.is_empty();
                if state.complete() && !counted {
                    continue;
                }
                if state.complete() {
                    complete += 1;
                    let dates = [
                        state.finished_at.clone(),
                        state.quiz.as_ref().and_then(|q| q.passed_at.clone()),
                    ];
                    last = dates.into_iter().flatten().chain(last).max();
                } else if next.is_none() {
                    next = Some(lesson.id.clone());
                }
            }
            let mut practised = 0;
            // The commune's wording of a scenario, likewise: there to play, not for the
            // certificate.
            for scenario in &module.practice {
                let counted = scenario.source != Source::Local;
                match practice.get(&scenario.id).and_then(|p| p.won_at.clone()) {
                    Some(_) if !counted => {}
                    Some(won_at) => {
                        practised += 1;
                        last = last.max(Some(won_at));
                    }
                    None => {
                        let ready = lessons
                            .get(&scenario.lesson_id)
                            .is_some_and(|l| l.complete());
                        if ready && next_practice.is_none() {
                            next_practice = Some(scenario.id.clone());
                        }
                    }
                }
            }
            let practices = module
                .practice
                .iter()
                .filter(|p| p.source != Source::Local)
                .count();
            let finished_on =
                (complete == total && practised == practices && total + practices > 0)
                    .then_some(last)
                    .flatten();
            modules.insert(
                module.id.clone(),
                ModuleState {
                    complete,
                    total,
                    practised,
                    practices,
                    finished_on,
                },
            );
        }
        Overview {
            lessons,
            modules,
            practice,
            next,
            next_practice,
        }
    }

    /// Where the learner stands in scenario `id`, if they began it.
    pub fn practice(&self, id: &str) -> Option<&PracticeState> {
        self.practice.get(id)
    }

    /// Whether the learner kept safe in scenario `id` at least once.
    pub fn practice_done(&self, id: &str) -> bool {
        self.practice(id).is_some_and(|p| p.won_at.is_some())
    }

    pub fn lesson(&self, id: &str) -> LessonState {
        self.lessons.get(id).cloned().unwrap_or_default()
    }

    pub fn module(&self, id: &str) -> Option<&ModuleState> {
        self.modules.get(id)
    }

    /// The first lesson of `module_id` that is not complete.
    pub fn next_in(&self, catalogue: &Catalogue, module_id: &str) -> Option<String> {
        let module = catalogue.module(module_id)?;
        module
            .lessons
            .iter()
            .find(|l| !self.lesson(&l.id).complete())
            .map(|l| l.id.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::content::LessonTree;

    /// The built-in lessons with two of the commune's own: one in `dien-thoai`, one in its
    /// own module.
    fn with_local() -> Catalogue {
        let tree = LessonTree::embedded();
        let text = String::from_utf8(tree.files["01-dien-thoai/01-bat-dau.vi.md"].clone()).unwrap();
        let files = BTreeMap::from([
            ("90-dien-thoai/600-cua-xa.vi.md".to_string(), text.clone()),
            ("90-bai-cua-xa/600-cho-phien.vi.md".to_string(), text),
            (
                "90-bai-cua-xa/module.toml".to_string(),
                "[vi]\ntitle = \"Bài của xã\"\nsummary = \"x\"\n".to_string(),
            ),
        ]);
        let (catalogue, problems) = crate::content::catalogue_from(
            &[(crate::content::LOCAL, &files)],
            &BTreeMap::new(),
            &|n| n.to_string(),
        );
        assert_eq!(problems, []);
        catalogue
    }

    fn done(catalogue: &Catalogue, ids: &[&str]) -> Overview {
        done_but(catalogue, ids, &[])
    }

    /// Lessons `ids` complete and every scenario won but those of `not_won`.
    fn done_but(catalogue: &Catalogue, ids: &[&str], not_won: &[&str]) -> Overview {
        let at = "2026-12-04T10:00:00+07:00".to_string();
        let progress = ids
            .iter()
            .map(|id| LessonProgress {
                lesson_id: id.to_string(),
                opened_at: at.clone(),
                finished_at: Some(at.clone()),
            })
            .collect();
        let scores = ids
            .iter()
            .map(|id| QuizScore {
                lesson_id: id.to_string(),
                best: 3,
                total: 3,
                attempts: 1,
                passed_at: Some(at.clone()),
            })
            .collect();
        let practice = catalogue
            .practices()
            .filter(|p| !not_won.contains(&p.id.as_str()))
            .map(|p| PracticeState {
                scenario_id: p.id.clone(),
                run_id: "r".into(),
                at: "end".into(),
                runs: 1,
                first_win: Some(true),
                won_at: Some(at.clone()),
            })
            .collect();
        Overview::build(catalogue, progress, scores, practice)
    }

    #[test]
    fn the_communes_own_lessons_count_for_the_learner_not_for_a_certificate() {
        let catalogue = with_local();
        let built_in: Vec<&str> = catalogue
            .module("dien-thoai")
            .unwrap()
            .lessons
            .iter()
            .filter(|l| l.source != Source::Local)
            .map(|l| l.id.as_str())
            .collect();
        let overview = done(&catalogue, &built_in);
        let phone = &overview.modules["dien-thoai"];
        assert!(
            phone.finished_on.is_some(),
            "the built-in lessons finish the module"
        );
        assert_eq!(phone.complete, phone.total);
        assert!(
            !overview.lesson("dien-thoai/cua-xa").complete(),
            "its own lesson is still there to read"
        );

        let own = done(&catalogue, &["bai-cua-xa/cho-phien"]);
        assert!(own.lesson("bai-cua-xa/cho-phien").complete());
        assert_eq!(
            own.modules["bai-cua-xa"].finished_on, None,
            "no certificate for the commune's own module"
        );
    }

    #[test]
    fn the_communes_wording_of_a_scenario_is_not_needed_for_a_certificate() {
        let tree = LessonTree::embedded();
        let text =
            String::from_utf8(tree.files["03-an-toan/01-cong-an-gia.vi.toml"].clone()).unwrap();
        let files = BTreeMap::from([(
            "90-an-toan/600-cong-an-gia-cua-xa.vi.toml".to_string(),
            text,
        )]);
        let (catalogue, problems) = crate::content::catalogue_from(
            &[(crate::content::LOCAL, &files)],
            &BTreeMap::new(),
            &|n| n.to_string(),
        );
        assert_eq!(problems, []);
        let lessons: Vec<&str> = catalogue.lessons().map(|l| l.id.as_str()).collect();
        let overview = done_but(&catalogue, &lessons, &["an-toan/cong-an-gia-cua-xa"]);
        let safety = &overview.modules["an-toan"];
        assert!(safety.finished_on.is_some(), "{safety:?}");
        assert_eq!(safety.practised, safety.practices);
        assert_eq!(
            overview.next_practice.as_deref(),
            Some("an-toan/cong-an-gia-cua-xa"),
            "still there to play"
        );
    }
}
