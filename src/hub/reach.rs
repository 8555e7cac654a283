//! What the province (or the nation) reports: learners reached, lessons finished, practice
//! scenarios done, modules completed and live-lesson attendance, in total and broken down by
//! province, commune, village, age group, gender and ethnic group; for a national officer
//! each line of a breakdown is of one province. A module counts for a learner when every
//! lesson of it is finished and every practice scenario of it done (some run won), the
//! certificate's rule; a module without scenarios asks only its lessons. Arithmetic over what
//! the hub holds; no HTTP, no SQL.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::content::Catalogue;
use crate::store::{Finished, HubLearner, Practised};

/// One row of a breakdown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    /// The province of the line's learners (`province_name`), when a breakdown is by
    /// province too; empty otherwise.
    pub province: String,
    pub key: String,
    pub learners: u32,
    pub lessons: u32,
    /// Practice scenarios done, each learner and scenario once.
    pub practices: u32,
    pub modules: u32,
    pub attended: u32,
}

/// How a breakdown groups learners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Province,
    Commune,
    Village,
    Age,
    Gender,
    Ethnic,
}

impl By {
    pub const ALL: [By; 6] = [
        By::Province,
        By::Commune,
        By::Village,
        By::Age,
        By::Gender,
        By::Ethnic,
    ];

    /// The name in URLs and CSV files.
    pub fn slug(self) -> &'static str {
        match self {
            By::Province => "province",
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
            By::Province => "Theo tỉnh",
            By::Commune => "Theo xã",
            By::Village => "Theo thôn, bản",
            By::Age => "Theo nhóm tuổi",
            By::Gender => "Theo giới tính",
            By::Ethnic => "Theo dân tộc",
        }
    }

    fn key(self, learner: &HubLearner, year: i32) -> String {
        match self {
            By::Province => province_name(&learner.province).to_string(),
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

/// A province as pages and CSV files name it: a record made without one is the hub's own.
pub fn province_name(province: &str) -> &str {
    match province {
        "" => "Chưa ghi tỉnh",
        named => named,
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

/// Per learner: lessons finished, scenarios done, modules completed, live lessons attended.
#[derive(Default)]
struct Tally {
    lessons: u32,
    practices: u32,
    modules: u32,
    attended: u32,
}

/// Everything the dashboard shows, computed once.
pub struct Reach {
    pub total: Line,
    tallies: HashMap<String, Tally>,
}

impl Reach {
    /// `finished` holds each (learner, lesson) once, `practised` each (learner, scenario) done
    /// once; `attendance` each learner's attendances.
    pub fn new(
        learners: &[HubLearner],
        finished: &[Finished],
        practised: &[Practised],
        attendance: &[(String, i64)],
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
        let mut won: HashMap<&str, HashSet<&str>> = HashMap::new();
        for Practised {
            learner_id: learner,
            scenario_id: scenario,
        } in practised
        {
            tallies.entry(learner.clone()).or_default().practices += 1;
            won.entry(learner).or_default().insert(scenario);
        }
        let none = HashSet::new();
        for (learner, lessons) in &done {
            let scenarios = won.get(learner).unwrap_or(&none);
            let modules = catalogue
                .modules
                .iter()
                .filter(|m| {
                    !m.lessons.is_empty()
                        && m.lessons.iter().all(|l| lessons.contains(l.id.as_str()))
                        && m.practice.iter().all(|p| scenarios.contains(p.id.as_str()))
                })
                .count() as u32;
            tallies.entry(learner.to_string()).or_default().modules = modules;
        }
        for (learner, times) in attendance {
            tallies.entry(learner.clone()).or_default().attended +=
                u32::try_from(*times).unwrap_or(u32::MAX);
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
            province: String::new(),
            key: String::new(),
            learners: 1,
            lessons: tally.map_or(0, |t| t.lessons),
            practices: tally.map_or(0, |t| t.practices),
            modules: tally.map_or(0, |t| t.modules),
            attended: tally.map_or(0, |t| t.attended),
        }
    }

    /// The breakdown `by`, its keys in order.
    /// The breakdown `by`; with `per_province`, a line for each province and key.
    pub fn by(&self, by: By, learners: &[HubLearner], year: i32, per_province: bool) -> Vec<Line> {
        let mut lines: BTreeMap<(String, String), Line> = BTreeMap::new();
        for learner in learners {
            let key = by.key(learner, year);
            let province = match per_province {
                true => province_name(&learner.province).to_string(),
                false => String::new(),
            };
            let line = lines
                .entry((province.clone(), key.clone()))
                .or_insert_with(|| Line {
                    province,
                    key,
                    ..Line::default()
                });
            add(line, &self.line_of(&learner.id));
        }
        let mut lines: Vec<Line> = lines.into_values().collect();
        // As a Vietnamese reader orders names: Đắk Lắk before Tuyên Quang.
        lines.sort_by_cached_key(|l| (crate::text::fold(&l.province), crate::text::fold(&l.key)));
        if by == By::Age {
            let order = [
                "Dưới 15",
                "15–24",
                "25–39",
                "40–59",
                "60 trở lên",
                "Không rõ",
            ];
            lines.sort_by_key(|l| (l.province.clone(), order.iter().position(|o| *o == l.key)));
        }
        lines
    }
}

fn add(to: &mut Line, line: &Line) {
    to.learners += line.learners;
    to.lessons += line.lessons;
    to.practices += line.practices;
    to.modules += line.modules;
    to.attended += line.attended;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Module;

    fn learner(id: &str, commune: &str, born: Option<i64>, gender: &str) -> HubLearner {
        HubLearner {
            id: id.into(),
            province: String::new(),
            commune: commune.into(),
            name: None,
            village: "Buôn A".into(),
            birth_year: born,
            gender: Some(gender.into()),
            ethnic_group: None,
        }
    }

    fn catalogue() -> Catalogue {
        crate::content::load(&crate::content::LessonTree::embedded(), &|n| n.to_string()).0
    }

    /// Every lesson of `module` finished by `learner`.
    fn read_all(learner: &str, module: &Module) -> Vec<Finished> {
        module
            .lessons
            .iter()
            .map(|l| Finished {
                learner_id: learner.into(),
                lesson_id: l.id.clone(),
            })
            .collect()
    }

    /// Every scenario of `module` done by `learner`.
    fn practised_all(learner: &str, module: &Module) -> Vec<Practised> {
        module
            .practice
            .iter()
            .map(|p| Practised {
                learner_id: learner.into(),
                scenario_id: p.id.clone(),
            })
            .collect()
    }

    #[test]
    fn lines_count_learners_lessons_practices_modules_and_attendance() {
        let catalogue = catalogue();
        let first = &catalogue.modules[0];
        let mut finished = read_all("a", first);
        finished.push(Finished {
            learner_id: "b".into(),
            lesson_id: first.lessons[0].id.clone(),
        });
        let practised = practised_all("a", first);
        let learners = vec![
            learner("a", "Ea Sol", Some(1990), "nu"),
            learner("b", "Ea Sol", Some(1950), "nam"),
            learner("c", "Cư Prao", None, "nu"),
        ];
        let reach = Reach::new(
            &learners,
            &finished,
            &practised,
            &[("b".into(), 2)],
            &catalogue,
        );
        let lessons = first.lessons.len() as u32;
        assert_eq!(
            reach.total,
            Line {
                province: String::new(),
                key: "Cả tỉnh".into(),
                learners: 3,
                lessons: lessons + 1,
                practices: first.practice.len() as u32,
                modules: 1,
                attended: 2
            }
        );
        let communes = reach.by(By::Commune, &learners, 2026, false);
        assert_eq!(
            communes
                .iter()
                .map(|l| (l.key.as_str(), l.learners))
                .collect::<Vec<_>>(),
            [("Cư Prao", 1), ("Ea Sol", 2)]
        );
        let ages = reach.by(By::Age, &learners, 2026, false);
        assert_eq!(
            ages.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(),
            ["25–39", "60 trở lên", "Không rõ"]
        );
        let genders = reach.by(By::Gender, &learners, 2026, false);
        assert_eq!(genders.iter().find(|l| l.key == "Nữ").unwrap().learners, 2);
    }

    #[test]
    fn a_module_counts_only_with_its_scenarios_done_and_practices_count_per_commune() {
        let mut catalogue = catalogue();
        let with = catalogue
            .modules
            .iter()
            .position(|m| !m.practice.is_empty())
            .expect("a module with a scenario");
        // Another module, made one without scenarios: its lessons alone complete it.
        let plain = (with + 1) % catalogue.modules.len();
        catalogue.modules[plain].practice.clear();
        let (with, plain) = (&catalogue.modules[with], &catalogue.modules[plain]);
        let scenario = |learner: &str, scenario: &str| Practised {
            learner_id: learner.into(),
            scenario_id: scenario.into(),
        };

        // a: every lesson of both modules, no scenario done: only the plain module counts.
        let mut finished = read_all("a", with);
        finished.extend(read_all("a", plain));
        // b: every lesson and every scenario of `with`: it counts.
        finished.extend(read_all("b", with));
        let mut practised = practised_all("b", with);
        // c: a scenario done, no lesson: practice counts, no module.
        practised.push(scenario("c", &with.practice[0].id));
        let learners = vec![
            learner("a", "Ea Sol", Some(1990), "nu"),
            learner("b", "Ea Sol", Some(1985), "nam"),
            learner("c", "Cư Prao", Some(2001), "nu"),
        ];
        let reach = Reach::new(&learners, &finished, &practised, &[], &catalogue);
        let of = |id: &str| reach.line_of(id);
        assert_eq!((of("a").modules, of("a").practices), (1, 0));
        assert_eq!(
            (of("b").modules, of("b").practices),
            (1, with.practice.len() as u32)
        );
        assert_eq!((of("c").modules, of("c").practices), (0, 1));
        assert_eq!(reach.total.modules, 2);
        assert_eq!(reach.total.practices, with.practice.len() as u32 + 1);
        let communes = reach.by(By::Commune, &learners, 2026, false);
        assert_eq!(
            communes
                .iter()
                .map(|l| (l.key.as_str(), l.learners, l.practices, l.modules))
                .collect::<Vec<_>>(),
            [
                ("Cư Prao", 1, 1, 0),
                ("Ea Sol", 2, with.practice.len() as u32, 2)
            ]
        );
    }
}
