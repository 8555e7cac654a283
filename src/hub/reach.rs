//! What the province reports: learners reached, lessons finished, modules completed and
//! live-lesson attendance, in total and broken down by commune, village, age group, gender
//! and ethnic group. Arithmetic over what the hub holds; no HTTP, no SQL.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::content::Catalogue;
use crate::store::{Finished, HubLearner};

/// One row of a breakdown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub key: String,
    pub learners: u32,
    pub lessons: u32,
    pub modules: u32,
    pub attended: u32,
}

/// How a breakdown groups learners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Commune,
    Village,
    Age,
    Gender,
    Ethnic,
}

impl By {
    pub const ALL: [By; 5] = [By::Commune, By::Village, By::Age, By::Gender, By::Ethnic];

    /// The name in URLs and CSV files.
    pub fn slug(self) -> &'static str {
        match self {
            By::Commune => "commune",
            By::Village => "village",
            By::Age => "age",
            By::Gender => "gender",
            By::Ethnic => "ethnic",
        }
    }

    pub fn from_slug(slug: &str) -> Option<By> {
        By::ALL.into_iter().find(|b| b.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            By::Commune => "Theo xã",
            By::Village => "Theo thôn, bản",
            By::Age => "Theo nhóm tuổi",
            By::Gender => "Theo giới tính",
            By::Ethnic => "Theo dân tộc",
        }
    }

    fn key(self, learner: &HubLearner, year: i32) -> String {
        match self {
            By::Commune => learner.commune.clone(),
            By::Village => format!("{} · {}", learner.commune, learner.village),
            By::Age => age_group(learner.birth_year, year).to_string(),
            By::Gender => match learner.gender.as_deref() {
                Some("nu") => "Nữ",
                Some("nam") => "Nam",
                Some(_) => "Khác",
                None => "Không rõ",
            }
            .to_string(),
            By::Ethnic => learner
                .ethnic_group
                .clone()
                .filter(|e| !e.trim().is_empty())
                .unwrap_or_else(|| "Không rõ".into()),
        }
    }
}

/// The age groups reports use, by the year a learner was born.
pub fn age_group(birth_year: Option<i64>, year: i32) -> &'static str {
    match birth_year.map(|b| i64::from(year) - b) {
        None => "Không rõ",
        Some(..15) => "Dưới 15",
        Some(15..=24) => "15–24",
        Some(25..=39) => "25–39",
        Some(40..=59) => "40–59",
        Some(_) => "60 trở lên",
    }
}

/// Per learner: lessons finished, modules completed, live lessons attended.
#[derive(Default)]
struct Tally {
    lessons: u32,
    modules: u32,
    attended: u32,
}

/// Everything the dashboard shows, computed once.
pub struct Reach {
    pub total: Line,
    tallies: HashMap<String, Tally>,
}

impl Reach {
    /// `finished` holds each (learner, lesson) once; `attendance` a learner per attendance.
    pub fn new(
        learners: &[HubLearner],
        finished: &[Finished],
        attendance: &[String],
        catalogue: &Catalogue,
    ) -> Reach {
        let mut tallies: HashMap<String, Tally> = HashMap::new();
        let mut done: HashMap<&str, HashSet<&str>> = HashMap::new();
        for Finished {
            learner_id: learner,
            lesson_id: lesson,
        } in finished
        {
            tallies.entry(learner.clone()).or_default().lessons += 1;
            done.entry(learner).or_default().insert(lesson);
        }
        for (learner, lessons) in &done {
            let modules = catalogue
                .modules
                .iter()
                .filter(|m| {
                    !m.lessons.is_empty()
                        && m.lessons.iter().all(|l| lessons.contains(l.id.as_str()))
                })
                .count() as u32;
            tallies.entry(learner.to_string()).or_default().modules = modules;
        }
        for learner in attendance {
            tallies.entry(learner.clone()).or_default().attended += 1;
        }
        let mut reach = Reach {
            total: Line {
                key: "Cả tỉnh".into(),
                ..Line::default()
            },
            tallies,
        };
        for learner in learners {
            let line = reach.line_of(&learner.id);
            add(&mut reach.total, &line);
        }
        reach
    }

    fn line_of(&self, learner: &str) -> Line {
        let tally = self.tallies.get(learner);
        Line {
            key: String::new(),
            learners: 1,
            lessons: tally.map_or(0, |t| t.lessons),
            modules: tally.map_or(0, |t| t.modules),
            attended: tally.map_or(0, |t| t.attended),
        }
    }

    /// The breakdown `by`, its keys in order.
    pub fn by(&self, by: By, learners: &[HubLearner], year: i32) -> Vec<Line> {
        let mut lines: BTreeMap<String, Line> = BTreeMap::new();
        for learner in learners {
            let key = by.key(learner, year);
            let line = lines.entry(key.clone()).or_insert_with(|| Line {
                key,
                ..Line::default()
            });
            add(line, &self.line_of(&learner.id));
        }
        let mut lines: Vec<Line> = lines.into_values().collect();
        if by == By::Age {
            let order = [
                "Dưới 15",
                "15–24",
                "25–39",
                "40–59",
                "60 trở lên",
                "Không rõ",
            ];
            lines.sort_by_key(|l| order.iter().position(|o| *o == l.key));
        }
        lines
    }
}

fn add(to: &mut Line, line: &Line) {
    to.learners += line.learners;
    to.lessons += line.lessons;
    to.modules += line.modules;
    to.attended += line.attended;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learner(id: &str, commune: &str, born: Option<i64>, gender: &str) -> HubLearner {
        HubLearner {
            id: id.into(),
            commune: commune.into(),
            name: None,
            village: "Buôn A".into(),
            birth_year: born,
            gender: Some(gender.into()),
            ethnic_group: None,
        }
    }

    #[test]
    fn lines_count_learners_lessons_modules_and_attendance() {
        let catalogue =
            crate::content::load(&crate::content::LessonTree::embedded(), &|n| n.to_string()).0;
        let first = &catalogue.modules[0];
        let done = |learner: &str, lesson: &str| Finished {
            learner_id: learner.into(),
            lesson_id: lesson.into(),
        };
        let mut finished: Vec<Finished> = first.lessons.iter().map(|l| done("a", &l.id)).collect();
        finished.push(done("b", &first.lessons[0].id));
        let learners = vec![
            learner("a", "Ea Sol", Some(1990), "nu"),
            learner("b", "Ea Sol", Some(1950), "nam"),
            learner("c", "Cư Prao", None, "nu"),
        ];
        let reach = Reach::new(&learners, &finished, &["b".into(), "b".into()], &catalogue);
        let lessons = first.lessons.len() as u32;
        assert_eq!(
            reach.total,
            Line {
                key: "Cả tỉnh".into(),
                learners: 3,
                lessons: lessons + 1,
                modules: 1,
                attended: 2
            }
        );
        let communes = reach.by(By::Commune, &learners, 2026);
        assert_eq!(
            communes
                .iter()
                .map(|l| (l.key.as_str(), l.learners))
                .collect::<Vec<_>>(),
            [("Cư Prao", 1), ("Ea Sol", 2)]
        );
        let ages = reach.by(By::Age, &learners, 2026);
        assert_eq!(
            ages.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(),
            ["25–39", "60 trở lên", "Không rõ"]
        );
        let genders = reach.by(By::Gender, &learners, 2026);
        assert_eq!(genders.iter().find(|l| l.key == "Nữ").unwrap().learners, 2);
    }
}
