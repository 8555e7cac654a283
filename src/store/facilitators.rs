//! Facilitators, their sessions, and the one-time set-up that creates the first of them.

use rusqlite::{Connection, OptionalExtension};

use super::learners::{get_setting, put_setting};
use super::{Error, Store, now};

/// A facilitator as pages show them; the password hash never leaves this module's queries
/// except through `password_hash`.
/// The dashboard's numbers of a day: learners the box has, events of each kind since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayCounts {
    pub learners: i64,
    /// Kind (`lesson_finished`, …) → how many.
    pub events: std::collections::HashMap<String, i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facilitator {
    pub id: String,
    pub name: String,
    /// A hub's officer who sees only this province's records; `None` sees every one (and a
    /// box's facilitators, who have none).
    pub province: Option<String>,
    /// What a hub's officer may do beyond reading sums; a box's facilitators have no role.
    pub roles: Roles,
}

/// A hub officer's roles, each off unless given (`hocso hub officer --administrator`,
/// `hocso hub grant`, or an administrator's page).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Roles {
    /// May see learners' names (where the commune sent them); others see a pseudonym.
    pub see_names: bool,
    /// Reads the audit log and grants or revokes `see_names`.
    pub administrator: bool,
}

/// One of an officer's roles, as a grant or revocation names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficerRole {
    SeeNames,
    Administrator,
}

impl OfficerRole {
    pub const ALL: [OfficerRole; 2] = [OfficerRole::SeeNames, OfficerRole::Administrator];

    /// Its name in the command line and the audit log: `names`, `administrator`.
    pub fn as_str(self) -> &'static str {
        match self {
            OfficerRole::SeeNames => "names",
            OfficerRole::Administrator => "administrator",
        }
    }

    pub fn parse(text: &str) -> Option<OfficerRole> {
        OfficerRole::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The column that keeps it, on either engine.
    pub(super) fn column(self) -> &'static str {
        match self {
            OfficerRole::SeeNames => "see_names",
            OfficerRole::Administrator => "administrator",
        }
    }
}

/// Who grants or revokes a role: an administrator, or the hub's command line (`None`).
pub struct Granting<'a> {
    pub by: Option<&'a Facilitator>,
    pub role: OfficerRole,
    pub on: bool,
}

/// Why `/setup` wrote nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupRefused {
    /// The box already has a facilitator: set-up happens once.
    AlreadyDone,
    WrongCode,
}

const SETUP_CODE: &str = "setup_code";

/// Makes sure a box without facilitators has a set-up code, and returns it; `None` once a
/// facilitator exists. Runs at open, before the writer starts.
pub(super) fn ensure_setup_code(conn: &Connection) -> Result<Option<String>, Error> {
    if facilitator_count(conn)? > 0 {
        return Ok(None);
    }
    if let Some(code) = get_setting(conn, SETUP_CODE)? {
        return Ok(Some(code));
    }
    let code = new_setup_code();
    put_setting(conn, SETUP_CODE, &code)?;
    Ok(Some(code))
}

/// Eight random digits, shown as `1234-5678`.
pub(super) fn new_setup_code() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    let digits: String = bytes.iter().map(|b| char::from(b'0' + b % 10)).collect();
    format!("{}-{}", &digits[..4], &digits[4..])
}

/// Only the digits of a typed code, so `1234 5678` and `12345678` match `1234-5678`.
pub(super) fn digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

fn facilitator_count(conn: &Connection) -> Result<i64, Error> {
    Ok(conn.query_row("SELECT COUNT(*) FROM facilitators", [], |row| row.get(0))?)
}

fn insert_facilitator(conn: &Connection, new: &NewFacilitator) -> Result<Facilitator, Error> {
    let id = uuid::Uuid::now_v7().to_string();
    conn.execute(
        "INSERT INTO facilitators (id, name, name_key, password_hash, created_at, province, see_names, administrator)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        (
            &id,
            &new.name,
            &new.name_key,
            &new.password_hash,
            now(),
            &new.province,
            new.roles.see_names,
            new.roles.administrator,
        ),
    )?;
    conn.execute("DELETE FROM settings WHERE key = ?1", [SETUP_CODE])?;
    Ok(Facilitator {
        id,
        name: new.name.clone(),
        province: new.province.clone(),
        roles: new.roles,
    })
}

fn start_session(conn: &Connection, token_hash: &[u8; 32], id: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO facilitator_sessions (token_hash, facilitator_id, created_at) VALUES (?1, ?2, ?3)",
        (&token_hash[..], id, now()),
    )?;
    Ok(())
}

/// A new facilitator from the set-up form or the command line.
pub struct NewFacilitator {
    pub name: String,
    /// The name folded (lowercase, no accents): two facilitators cannot share it.
    pub name_key: String,
    pub password_hash: String,
    /// A hub's officer kept to one province (`hocso hub officer --province`).
    pub province: Option<String>,
    /// A hub's officer's roles from the start (none unless said).
    pub roles: Roles,
}

/// The columns a `Facilitator` is read from, in `facilitator_of`'s order.
const FACILITATOR_COLUMNS: &str = "f.id, f.name, f.province, f.see_names, f.administrator";

fn facilitator_of(row: &rusqlite::Row) -> rusqlite::Result<Facilitator> {
    Ok(Facilitator {
        id: row.get(0)?,
        name: row.get(1)?,
        province: row.get(2)?,
        roles: Roles {
            see_names: row.get(3)?,
            administrator: row.get(4)?,
        },
    })
}

impl Store {
    /// The first facilitator, the commune's name and a signed-in session, in one transaction,
    /// only if `code` is the box's set-up code and nobody has set the box up yet.
    pub async fn set_up(
        &self,
        code: &str,
        new: NewFacilitator,
        commune: &str,
        session: [u8; 32],
    ) -> Result<Result<Facilitator, SetupRefused>, Error> {
        let (code, commune) = (digits(code), commune.to_string());
        self.write(move |conn| {
            if facilitator_count(conn)? > 0 {
                return Ok(Err(SetupRefused::AlreadyDone));
            }
            if get_setting(conn, SETUP_CODE)?.as_deref().map(digits) != Some(code) {
                return Ok(Err(SetupRefused::WrongCode));
            }
            let facilitator = insert_facilitator(conn, &new)?;
            put_setting(conn, "commune_name", &commune)?;
            start_session(conn, &session, &facilitator.id)?;
            Ok(Ok(facilitator))
        })
        .await
    }

    /// Whether the box has been set up (a facilitator exists).
    pub async fn is_set_up(&self) -> Result<bool, Error> {
        self.read(|conn| Ok(facilitator_count(conn)? > 0)).await
    }

    /// Adds a facilitator (`hocso facilitator add`); `None` if the name is taken. The first one
    /// added this way also ends the set-up code.
    pub async fn add_facilitator(&self, new: NewFacilitator) -> Result<Option<Facilitator>, Error> {
        self.write(move |conn| {
            let taken: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM facilitators WHERE name_key = ?1)",
                [&new.name_key],
                |row| row.get(0),
            )?;
            if taken {
                return Ok(None);
            }
            insert_facilitator(conn, &new).map(Some)
        })
        .await
    }

    /// Sets a new password and ends every session of that facilitator; `false` if no
    /// facilitator has the name.
    pub async fn reset_facilitator_password(
        &self,
        name_key: &str,
        password_hash: &str,
    ) -> Result<bool, Error> {
        let (name_key, password_hash) = (name_key.to_string(), password_hash.to_string());
        self.write(move |conn| {
            let id: Option<String> = conn
                .query_row(
                    "SELECT id FROM facilitators WHERE name_key = ?1",
                    [&name_key],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(id) = id else { return Ok(false) };
            conn.execute(
                "UPDATE facilitators SET password_hash = ?2 WHERE id = ?1",
                (&id, &password_hash),
            )?;
            conn.execute(
                "DELETE FROM facilitator_sessions WHERE facilitator_id = ?1",
                [&id],
            )?;
            Ok(true)
        })
        .await
    }

    /// The facilitator with this folded name and their password hash, for signing in.
    pub async fn facilitator_login(
        &self,
        name_key: &str,
    ) -> Result<Option<(Facilitator, String)>, Error> {
        let name_key = name_key.to_string();
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {FACILITATOR_COLUMNS}, f.password_hash FROM facilitators f WHERE f.name_key = ?1"),
                    [name_key],
                    |row| Ok((facilitator_of(row)?, row.get(5)?)),
                )
                .optional()?)
        })
        .await
    }

    pub async fn start_facilitator_session(
        &self,
        token_hash: [u8; 32],
        facilitator_id: &str,
    ) -> Result<(), Error> {
        let id = facilitator_id.to_string();
        self.write(move |conn| start_session(conn, &token_hash, &id))
            .await
    }

    /// The facilitator a session token's hash belongs to.
    pub async fn session_facilitator(
        &self,
        token_hash: [u8; 32],
    ) -> Result<Option<Facilitator>, Error> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {FACILITATOR_COLUMNS} FROM facilitator_sessions s JOIN facilitators f ON f.id = s.facilitator_id WHERE s.token_hash = ?1"),
                    [&token_hash[..]],
                    facilitator_of,
                )
                .optional()?)
        })
        .await
    }

    /// How many learners the box has, and how many events of each kind it recorded since
    /// `since` (RFC 3339, by the box's clock): the dashboard's numbers of the day.
    pub async fn counts_since(&self, since: &str) -> Result<DayCounts, Error> {
        let since = since.to_string();
        self.read(move |conn| {
            let learners = conn.query_row("SELECT COUNT(*) FROM learners", [], |row| row.get(0))?;
            let mut stmt = conn.prepare_cached(
                "SELECT kind, COUNT(*) FROM events WHERE recorded_at >= ?1 GROUP BY kind",
            )?;
            let rows = stmt.query_map([since], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(DayCounts {
                learners,
                events: rows.collect::<Result<_, _>>()?,
            })
        })
        .await
    }

    /// A hub's officers in `scope` (a province's, or every one), by name.
    pub async fn officers(&self, scope: &super::Scope) -> Result<Vec<Facilitator>, Error> {
        let province = scope.province().map(str::to_string);
        self.read(move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {FACILITATOR_COLUMNS} FROM facilitators f
                 WHERE (?1 IS NULL OR f.province = ?1) ORDER BY f.name_key"
            ))?;
            let rows = stmt.query_map([province], facilitator_of)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Gives or takes a role of officer `id` in `scope`, and logs it in the same transaction
    /// when it changed; the officer then, or `None` if no officer of `scope` has the id.
    pub async fn set_role(
        &self,
        scope: &super::Scope,
        id: &str,
        granting: Granting<'_>,
    ) -> Result<Option<Facilitator>, Error> {
        let (province, id) = (scope.province().map(str::to_string), id.to_string());
        let (by, role, on) = (granting.by.cloned(), granting.role, granting.on);
        self.write(move |conn| {
            let found = conn
                .query_row(
                    &format!(
                        "SELECT {FACILITATOR_COLUMNS} FROM facilitators f
                         WHERE f.id = ?1 AND (?2 IS NULL OR f.province = ?2)"
                    ),
                    (&id, &province),
                    facilitator_of,
                )
                .optional()?;
            let Some(mut officer) = found else {
                return Ok(None);
            };
            let held = match role {
                OfficerRole::SeeNames => &mut officer.roles.see_names,
                OfficerRole::Administrator => &mut officer.roles.administrator,
            };
            if *held == on {
                return Ok(Some(officer));
            }
            *held = on;
            conn.execute(
                &format!(
                    "UPDATE facilitators SET {} = ?2 WHERE id = ?1",
                    role.column()
                ),
                (&id, on),
            )?;
            super::hub::insert_audit(conn, &role_change(by.as_ref(), &officer, role, on))?;
            Ok(Some(officer))
        })
        .await
    }

    pub async fn end_facilitator_session(&self, token_hash: [u8; 32]) -> Result<(), Error> {
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM facilitator_sessions WHERE token_hash = ?1",
                [&token_hash[..]],
            )?;
            Ok(())
        })
        .await
    }
}

/// The log's line for `role` given to (`on`) or taken from `officer` by `by` (`None`: the
/// hub's command line), in the province of the officer changed.
pub(super) fn role_change(
    by: Option<&Facilitator>,
    officer: &Facilitator,
    role: OfficerRole,
    on: bool,
) -> super::NewAudit {
    super::NewAudit {
        officer_id: by.map(|b| b.id.clone()),
        officer: by.map_or_else(|| COMMAND_LINE.to_string(), |b| b.name.clone()),
        province: officer.province.clone(),
        action: match on {
            true => super::AuditAction::Grant,
            false => super::AuditAction::Revoke,
        },
        subject: officer.name.clone(),
        detail: role.as_str().to_string(),
        names: false,
    }
}

/// Who the log names for a role given or taken on the server (`hocso hub grant|revoke`).
pub const COMMAND_LINE: &str = "hocso hub";
