//! Joining: what a new learner gives, the rules it must meet, and how village names converge.

use super::secret::SecretInput;
use crate::store::Village;
use crate::text::{self, NameInvalid, fold};

/// Vietnam's ethnic groups, the Central Highlands' first, as villagers name them. "Khác"
/// (other) closes the list.
pub const ETHNIC_GROUPS: &[&str] = &[
    "Ê Đê",
    "M'nông",
    "Gia Rai",
    "Ba Na",
    "Xơ Đăng",
    "Cơ Ho",
    "Mạ",
    "Giẻ Triêng",
    "Brâu",
    "Rơ Măm",
    "Chu Ru",
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Sán Chay",
    "Chăm",
    "Cơ Tu",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Xtiêng",
    "Bru - Vân Kiều",
    "Thổ",
    "Giáy",
    "Khơ Mú",
    "Tà Ôi",
    "Co",
    "Chơ Ro",
    "Kháng",
    "Xinh Mun",
    "Hà Nhì",
    "La Chí",
    "La Ha",
    "Phù Lá",
    "La Hủ",
    "Lào",
    "Lự",
    "Mảng",
    "Pà Thẻn",
    "Cơ Lao",
    "Cống",
    "Bố Y",
    "Si La",
    "Pu Péo",
    "Ơ Đu",
    "Lô Lô",
    "Ngái",
    "Khác",
];

/// Gender codes kept in records, in the order the form offers them.
pub const GENDERS: &[&str] = &["nu", "nam", "khac"];

/// The most characters a learner's name or village may have.
pub const MAX_NAME: usize = 60;

/// Whether `year` can be a learner's birth year when the clock says `this_year` (which may be
/// wrong: a year up to 2026 is always allowed).
pub fn birth_year_allowed(year: i64, this_year: i32) -> bool {
    (1900..=i64::from(this_year.max(2026))).contains(&year)
}

/// What a person typed to join, before any rule is applied.
#[derive(Clone, Debug, Default)]
pub struct JoinRequest {
    pub display_name: String,
    pub village: String,
    pub birth_year: Option<String>,
    pub gender: Option<String>,
    pub ethnic_group: Option<String>,
    pub secret: SecretInput,
    /// The learner agreed that the optional fields be kept (a box ticked, or the API's
    /// `consent_optional`); without it, none may be given.
    pub optional_consent: bool,
}

/// A rule a join request broke; `web` puts it in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    NameEmpty,
    NameTooLong,
    /// The name holds a control character or one that reorders text.
    NameHidden,
    VillageEmpty,
    VillageTooLong,
    VillageHidden,
    BirthYear,
    Gender,
    EthnicGroup,
    Pin,
    Pictures,
    /// A birth year, gender or ethnic group given without consent to keep them.
    OptionalConsent,
}

/// Whether `secret` is well formed; the problem with it if not.
pub fn check_secret(secret: &SecretInput) -> Result<(), Invalid> {
    match secret {
        _ if secret.is_well_formed() => Ok(()),
        SecretInput::Pictures(_) => Err(Invalid::Pictures),
        _ => Err(Invalid::Pin),
    }
}

/// A join request that met every rule: tidied text, the village spelled as others spelled
/// it, the secret still in clear (hashing is slow, so the caller does it off the async threads).
#[derive(Clone, Debug, PartialEq)]
pub struct Joining {
    pub display_name: String,
    pub village: String,
    pub birth_year: Option<i32>,
    pub gender: Option<String>,
    pub ethnic_group: Option<String>,
    pub secret: SecretInput,
    /// Whether the learner consented to the optional fields.
    pub optional_consent: bool,
}

/// Checks `request` against the rules; `villages` lets a typed village match one already
/// known ("buon don" is "Buôn Đôn"). `this_year` comes from the box's clock, which may be off.
pub fn join_request(
    request: JoinRequest,
    villages: &[Village],
    this_year: i32,
) -> Result<Joining, Vec<Invalid>> {
    let mut invalid = Vec::new();
    let display_name = text::name(&request.display_name, MAX_NAME).unwrap_or_else(|e| {
        invalid.push(match e {
            NameInvalid::Empty => Invalid::NameEmpty,
            NameInvalid::TooLong => Invalid::NameTooLong,
            NameInvalid::Hidden => Invalid::NameHidden,
        });
        String::new()
    });
    let village = match text::name(&request.village, MAX_NAME) {
        Ok(typed) => villages
            .iter()
            .find(|v| fold(&v.name) == fold(&typed))
            .map_or(typed, |v| v.name.clone()),
        Err(e) => {
            invalid.push(match e {
                NameInvalid::Empty => Invalid::VillageEmpty,
                NameInvalid::TooLong => Invalid::VillageTooLong,
                NameInvalid::Hidden => Invalid::VillageHidden,
            });
            String::new()
        }
    };
    let birth_year = match request
        .birth_year
        .as_deref()
        .map(str::trim)
        .filter(|y| !y.is_empty())
    {
        None => None,
        Some(year) => match year.parse::<i32>() {
            Ok(y) if birth_year_allowed(i64::from(y), this_year) => Some(y),
            _ => {
                invalid.push(Invalid::BirthYear);
                None
            }
        },
    };
    let gender = match request.gender.as_deref().filter(|g| !g.is_empty()) {
        None => None,
        Some(g) if GENDERS.contains(&g) => Some(g.to_string()),
        Some(_) => {
            invalid.push(Invalid::Gender);
            None
        }
    };
    let ethnic_group = match request.ethnic_group.as_deref().filter(|g| !g.is_empty()) {
        None => None,
        Some(g) if ETHNIC_GROUPS.contains(&g) => Some(g.to_string()),
        Some(_) => {
            invalid.push(Invalid::EthnicGroup);
            None
        }
    };
    let given = |field: &Option<String>| field.as_deref().is_some_and(|f| !f.trim().is_empty());
    if !request.optional_consent
        && (given(&request.birth_year) || given(&request.gender) || given(&request.ethnic_group))
    {
        invalid.push(Invalid::OptionalConsent);
    }
    if let Err(e) = check_secret(&request.secret) {
        invalid.push(e);
    }
    if invalid.is_empty() {
        Ok(Joining {
            display_name,
            village,
            birth_year,
            gender,
            ethnic_group,
            secret: request.secret,
            optional_consent: request.optional_consent,
        })
    } else {
        Err(invalid)
    }
}

/// Sorts learners as people read names: folded, so "Đinh" stands among the D's, not after
/// "Z"; the same folded names keep their spelling's order.
pub fn sort_by_name<T>(learners: &mut [T], name: impl Fn(&T) -> &str) {
    learners.sort_by_cached_key(|l| (fold(name(l)), name(l).to_string()));
}

/// What a learner types to find their name in a list: found when, without accents or case,
/// it begins the name or one of its words.
pub struct NameSearch {
    wanted: String,
}

impl NameSearch {
    pub fn new(typed: &str) -> NameSearch {
        NameSearch {
            wanted: fold(typed),
        }
    }

    pub fn finds(&self, name: &str) -> bool {
        let name = fold(name);
        name.starts_with(&self.wanted) || name.split(' ').any(|w| w.starts_with(&self.wanted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, village: &str) -> JoinRequest {
        JoinRequest {
            display_name: name.into(),
            village: village.into(),
            optional_consent: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_typed_village_takes_the_known_spelling() {
        let known = [Village {
            name: "Buôn Đôn".into(),
            learners: 3,
        }];
        let joining = join_request(request("Y Sơn", "buon don"), &known, 2026).unwrap();
        assert_eq!(joining.village, "Buôn Đôn");
        let joining = join_request(request("Y Sơn", "Buôn Ma"), &known, 2026).unwrap();
        assert_eq!(joining.village, "Buôn Ma");
    }

    #[test]
    fn every_rule_is_reported() {
        let cases: Vec<(JoinRequest, Vec<Invalid>)> = vec![
            (
                request("", " "),
                vec![Invalid::NameEmpty, Invalid::VillageEmpty],
            ),
            (
                request(&"a".repeat(500), &"b".repeat(61)),
                vec![Invalid::NameTooLong, Invalid::VillageTooLong],
            ),
            (
                JoinRequest {
                    birth_year: Some("19x0".into()),
                    ..request("A", "B")
                },
                vec![Invalid::BirthYear],
            ),
            (
                JoinRequest {
                    birth_year: Some("1850".into()),
                    ..request("A", "B")
                },
                vec![Invalid::BirthYear],
            ),
            (
                JoinRequest {
                    gender: Some("x".into()),
                    ..request("A", "B")
                },
                vec![Invalid::Gender],
            ),
            (
                JoinRequest {
                    ethnic_group: Some("<script>".into()),
                    ..request("A", "B")
                },
                vec![Invalid::EthnicGroup],
            ),
            (
                JoinRequest {
                    gender: Some("nu".into()),
                    birth_year: Some(" ".into()),
                    optional_consent: false,
                    ..request("A", "B")
                },
                vec![Invalid::OptionalConsent],
            ),
            (
                JoinRequest {
                    secret: SecretInput::Pin("12a4".into()),
                    ..request("A", "B")
                },
                vec![Invalid::Pin],
            ),
            (
                JoinRequest {
                    secret: SecretInput::Pin("12345".into()),
                    ..request("A", "B")
                },
                vec![Invalid::Pin],
            ),
            (
                JoinRequest {
                    secret: SecretInput::Pictures(vec![1, 2]),
                    ..request("A", "B")
                },
                vec![Invalid::Pictures],
            ),
            (
                JoinRequest {
                    secret: SecretInput::Pictures(vec![1, 2, 9]),
                    ..request("A", "B")
                },
                vec![Invalid::Pictures],
            ),
        ];
        for (request, expected) in cases {
            assert_eq!(
                join_request(request.clone(), &[], 2026).unwrap_err(),
                expected,
                "{request:?}"
            );
        }
    }

    proptest::proptest! {
        /// Whatever the optional fields hold, the request is refused for want of consent
        /// exactly when one of them is filled in and the consent is not given; refusing
        /// them all joins like anyone.
        #[test]
        fn the_optional_fields_need_consent_and_only_they(
            birth_year in proptest::option::of("[0-9 ]{0,5}|\\PC{0,6}"),
            gender in proptest::option::of("nu|nam|khac| |\\PC{0,4}"),
            ethnic_group in proptest::option::of("Ê Đê|Kinh| |\\PC{0,6}"),
            optional_consent: bool,
        ) {
            let given = [&birth_year, &gender, &ethnic_group]
                .iter()
                .any(|f| f.as_deref().is_some_and(|f| !f.trim().is_empty()));
            let request = JoinRequest {
                birth_year,
                gender,
                ethnic_group,
                optional_consent,
                ..request("Y Sơn", "Buôn Đôn")
            };
            let refused = match join_request(request, &[], 2026) {
                Ok(joining) => {
                    proptest::prop_assert_eq!(joining.optional_consent, optional_consent);
                    false
                }
                Err(problems) => problems.contains(&Invalid::OptionalConsent),
            };
            proptest::prop_assert_eq!(refused, given && !optional_consent);
        }
    }

    #[test]
    fn names_are_tidied_not_rejected() {
        let joining = join_request(request("  Nguyễn\tVăn   A ", "Thôn 3"), &[], 2026).unwrap();
        assert_eq!(joining.display_name, "Nguyễn Văn A");
        // Decomposed accents (as some keyboards send) are composed.
        let joining = join_request(request("Nguye\u{302}\u{303}n", "Thôn 3"), &[], 2026).unwrap();
        assert_eq!(joining.display_name, "Nguyễn");
    }

    #[test]
    fn a_name_is_found_by_the_start_of_any_word_without_accents() {
        let search = NameSearch::new("  VAN ");
        assert!(search.finds("Nguyễn Văn An"));
        assert!(search.finds("Vân"));
        assert!(!search.finds("Nguyễn Thị Hoa"));
        assert!(NameSearch::new("").finds("H'Hen Niê"));
    }
}
