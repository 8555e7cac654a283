//! What the province (or the nation) reports: learners reached, lessons finished, practice
//! scenarios done, modules completed and live-lesson attendance, in total and broken down by
//! province, commune, village, age group, gender and ethnic group; for a national officer
//! each line of a breakdown is of one province. A module counts for a learner when every
//! lesson of it is finished and every practice scenario of it done (some run won), the
//! certificate's rule; a module without scenarios asks only its lessons. The store keeps
//! each learner's tallies as batches arrive and sums them by what the hub holds (a birth
//! year, a gender's code); this names the lines as pages show them. No HTTP, no SQL.

use std::collections::BTreeMap;

use crate::content::Catalogue;
use crate::store::{Dimension, Tally};

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

    /// What the store sums learners by for this breakdown.
    pub fn dimension(self) -> Dimension {
        match self {
            By::Province => Dimension::Province,
            By::Commune => Dimension::Commune,
            By::Village => Dimension::Village,
            By::Age => Dimension::BirthYear,
            By::Gender => Dimension::Gender,
            By::Ethnic => Dimension::Ethnic,
        }
    }

    /// A line's name from what the hub holds (`None`: the learner did not say).
    pub fn name(self, key: Option<&str>, year: i32) -> String {
        match self {
            By::Province => province_name(key.unwrap_or_default()).to_string(),
            By::Commune | By::Village => key.unwrap_or_default().to_string(),
            By::Age => age_group(key.and_then(|y| y.parse().ok()), year).to_string(),
            By::Gender => match key {
                Some("nu") => "Nữ",
                Some("nam") => "Nam",
                Some(_) => "Khác",
                None => "Không rõ",
            }
            .to_string(),
            By::Ethnic => key
                .filter(|e| !e.trim().is_empty())
                .unwrap_or("Không rõ")
                .to_string(),
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

const AGE_ORDER: [&str; 6] = [
    "Dưới 15",
    "15–24",
    "25–39",
    "40–59",
    "60 trở lên",
    "Không rõ",
];

/// The breakdown `by` from the store's `tallies` (asked per province when `per_province`):
/// each line named as pages show it, lines of one name merged (the birth years of an age
/// group), in the order a Vietnamese reader expects (Đắk Lắk before Tuyên Quang; age groups
/// youngest first).
pub fn lines(by: By, tallies: &[Tally], year: i32, per_province: bool) -> Vec<Line> {
    let mut lines: BTreeMap<(String, String), Line> = BTreeMap::new();
    for t in tallies {
        let province = match per_province {
            true => province_name(&t.province).to_string(),
            false => String::new(),
        };
        let key = by.name(t.key.as_deref(), year);
        let line = lines
            .entry((province.clone(), key.clone()))
            .or_insert_with(|| Line {
                province,
                key,
                ..Line::default()
            });
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        line.learners = line.learners.saturating_add(count(t.learners));
        line.lessons = line.lessons.saturating_add(count(t.lessons));
        line.practices = line.practices.saturating_add(count(t.practices));
        line.modules = line.modules.saturating_add(count(t.modules));
        line.attended = line.attended.saturating_add(count(t.attended));
    }
    let mut lines: Vec<Line> = lines.into_values().collect();
    lines.sort_by_cached_key(|l| {
        let (age, key) = match by {
            By::Age => (AGE_ORDER.iter().position(|o| *o == l.key), String::new()),
            _ => (None, crate::text::fold(&l.key)),
        };
        (crate::text::fold(&l.province), age, key)
    });
    lines
}

/// Every learner once: the sum of a breakdown's lines, named `key`.
pub fn total(lines: &[Line], key: &str) -> Line {
    lines.iter().fold(
        Line {
            key: key.to_string(),
            ..Line::default()
        },
        |mut sum, l| {
            sum.learners += l.learners;
            sum.lessons += l.lessons;
            sum.practices += l.practices;
            sum.modules += l.modules;
            sum.attended += l.attended;
            sum
        },
    )
}

/// What completes each module of `catalogue`, as the store keeps it: `(module, "lesson",
/// lesson id)` for each lesson and `(module, "scenario", scenario id)` for each practice
/// scenario. A module without lessons completes nothing and is left out.
pub fn module_items(catalogue: &Catalogue) -> Vec<(String, String, String)> {
    catalogue
        .modules
        .iter()
        .filter(|m| !m.lessons.is_empty())
        .flat_map(|m| {
            let lessons = m
                .lessons
                .iter()
                .map(|l| (m.id.clone(), "lesson".to_string(), l.id.clone()));
            let scenarios = m
                .practice
                .iter()
                .map(|p| (m.id.clone(), "scenario".to_string(), p.id.clone()));
            lessons.chain(scenarios).collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(province: &str, key: Option<&str>, learners: i64, lessons: i64) -> Tally {
        Tally {
            province: province.into(),
            key: key.map(Into::into),
            learners,
            lessons,
            practices: 1,
            modules: 0,
            attended: 2,
        }
    }

    #[test]
    fn birth_years_merge_into_age_groups_youngest_first() {
        let tallies = [
            tally("", Some("1950"), 1, 3),
            tally("", Some("1990"), 2, 4),
            tally("", Some("1995"), 1, 1),
            tally("", None, 1, 0),
            tally("", Some("2015"), 1, 2),
        ];
        let lines = lines(By::Age, &tallies, 2026, false);
        assert_eq!(
            lines
                .iter()
                .map(|l| (l.key.as_str(), l.learners, l.lessons, l.attended))
                .collect::<Vec<_>>(),
            [
                ("Dưới 15", 1, 2, 2),
                ("25–39", 3, 5, 4),
                ("60 trở lên", 1, 3, 2),
                ("Không rõ", 1, 0, 2)
            ]
        );
        let sum = total(&lines, "Cả tỉnh");
        assert_eq!((sum.learners, sum.lessons, sum.practices), (6, 10, 5));
    }

    #[test]
    fn names_are_words_and_provinces_read_in_vietnamese_order() {
        let genders = lines(
            By::Gender,
            &[
                tally("", Some("nu"), 2, 0),
                tally("", Some("nam"), 1, 0),
                tally("", Some("khac"), 1, 0),
                tally("", None, 1, 0),
            ],
            2026,
            false,
        );
        let names: Vec<&str> = genders.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(names, ["Khác", "Không rõ", "Nam", "Nữ"]);
        let communes = lines(
            By::Commune,
            &[
                tally("Tuyên Quang", Some("Xã Nà Hang"), 1, 1),
                tally("Đắk Lắk", Some("Xã Ea Sol"), 1, 1),
                tally("", Some("Xã Cũ"), 1, 1),
            ],
            2026,
            true,
        );
        let names: Vec<(&str, &str)> = communes
            .iter()
            .map(|l| (l.province.as_str(), l.key.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Chưa ghi tỉnh", "Xã Cũ"),
                ("Đắk Lắk", "Xã Ea Sol"),
                ("Tuyên Quang", "Xã Nà Hang")
            ]
        );
        let ethnic = lines(By::Ethnic, &[tally("", Some(" "), 1, 0)], 2026, false);
        assert_eq!(ethnic[0].key, "Không rõ");
    }

    #[test]
    fn a_module_is_its_lessons_and_scenarios() {
        let catalogue =
            crate::content::load(&crate::content::LessonTree::embedded(), &|n| n.to_string()).0;
        let items = module_items(&catalogue);
        let with = catalogue
            .modules
            .iter()
            .find(|m| !m.practice.is_empty())
            .unwrap();
        let of: Vec<&(String, String, String)> =
            items.iter().filter(|(m, ..)| *m == with.id).collect();
        assert_eq!(of.len(), with.lessons.len() + with.practice.len());
        assert!(
            of.iter()
                .any(|(_, kind, id)| kind == "scenario" && *id == with.practice[0].id)
        );
    }
}
