//! The hub's officers on PostgreSQL, and their sessions: the same answers as a box's
//! facilitators on SQLite (`super::super::facilitators`), through `Accounts`. The first
//! officer is made with the set-up code, once, whichever process is asked first.

use super::{Postgres, SETUP_CODE};
use crate::store::facilitators::role_change;
use crate::store::{
    Error, Facilitator, Granting, NewFacilitator, OfficerRole, Roles, Scope, SetupRefused,
    format_time,
};

/// The columns a `Facilitator` is read from, in `officer_of`'s order.
const OFFICER_COLUMNS: &str = "o.id, o.name, o.province, o.see_names, o.administrator";

fn officer_of(r: &tokio_postgres::Row) -> Facilitator {
    Facilitator {
        id: r.get(0),
        name: r.get(1),
        province: r.get(2),
        roles: Roles {
            see_names: r.get(3),
            administrator: r.get(4),
        },
    }
}

impl Postgres {
    pub async fn set_up(
        &self,
        code: &str,
        new: NewFacilitator,
        commune: &str,
        session: [u8; 32],
    ) -> Result<Result<Facilitator, SetupRefused>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // One set-up at a time, across processes.
        tx.execute("LOCK TABLE officers IN EXCLUSIVE MODE", &[])
            .await?;
        let officers: i64 = tx
            .query_one("SELECT COUNT(*) FROM officers", &[])
            .await?
            .get(0);
        if officers > 0 {
            return Ok(Err(SetupRefused::AlreadyDone));
        }
        let stored: Option<String> = tx
            .query_opt(
                "SELECT value FROM hub_settings WHERE key = $1",
                &[&SETUP_CODE],
            )
            .await?
            .map(|r| r.get(0));
        if stored.as_deref().map(crate::store::facilitators::digits)
            != Some(crate::store::facilitators::digits(code))
        {
            return Ok(Err(SetupRefused::WrongCode));
        }
        let Some(officer) = insert_officer(&tx, &new).await? else {
            return Ok(Err(SetupRefused::AlreadyDone));
        };
        tx.execute(
            "INSERT INTO hub_settings (key, value) VALUES ('commune_name', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&commune],
        )
        .await?;
        tx.execute(
            "INSERT INTO officer_sessions (token_hash, officer_id, created_at) VALUES ($1, $2, $3)",
            &[&&session[..], &officer.id, &self.now()],
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(officer))
    }

    pub async fn is_set_up(&self) -> Result<bool, Error> {
        let row = self
            .client()
            .await?
            .query_one("SELECT EXISTS (SELECT 1 FROM officers)", &[])
            .await?;
        Ok(row.get(0))
    }

    /// Adds an officer; `None` if the name is taken (by another process at the same moment
    /// too: the name's unique key decides).
    pub async fn add_facilitator(&self, new: NewFacilitator) -> Result<Option<Facilitator>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let officer = insert_officer(&tx, &new).await?;
        tx.commit().await?;
        Ok(officer)
    }

    pub async fn reset_facilitator_password(
        &self,
        name_key: &str,
        password_hash: &str,
    ) -> Result<bool, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let id: Option<String> = tx
            .query_opt(
                "UPDATE officers SET password_hash = $2 WHERE name_key = $1 RETURNING id",
                &[&name_key, &password_hash],
            )
            .await?
            .map(|r| r.get(0));
        let Some(id) = id else { return Ok(false) };
        tx.execute("DELETE FROM officer_sessions WHERE officer_id = $1", &[&id])
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn facilitator_login(
        &self,
        name_key: &str,
    ) -> Result<Option<(Facilitator, String)>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("SELECT {OFFICER_COLUMNS}, o.password_hash FROM officers o WHERE o.name_key = $1"),
                &[&name_key],
            )
            .await?;
        Ok(row.map(|r| (officer_of(&r), r.get(5))))
    }

    pub async fn start_facilitator_session(
        &self,
        token_hash: [u8; 32],
        facilitator_id: &str,
    ) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                "INSERT INTO officer_sessions (token_hash, officer_id, created_at) VALUES ($1, $2, $3)",
                &[&&token_hash[..], &facilitator_id, &self.now()],
            )
            .await?;
        Ok(())
    }

    pub async fn session_facilitator(
        &self,
        token_hash: [u8; 32],
    ) -> Result<Option<Facilitator>, Error> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!(
                    "SELECT {OFFICER_COLUMNS} FROM officer_sessions s JOIN officers o ON o.id = s.officer_id
                     WHERE s.token_hash = $1"
                ),
                &[&&token_hash[..]],
            )
            .await?;
        Ok(row.map(|r| officer_of(&r)))
    }

    pub async fn officers(&self, scope: &Scope) -> Result<Vec<Facilitator>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {OFFICER_COLUMNS} FROM officers o
                     WHERE ($1::text IS NULL OR o.province = $1) ORDER BY o.name_key"
                ),
                &[&scope.province()],
            )
            .await?;
        Ok(rows.iter().map(officer_of).collect())
    }

    /// As SQLite's: the officer's row held while the role changes, so two administrators at
    /// once log each change once.
    pub async fn set_role(
        &self,
        scope: &Scope,
        id: &str,
        granting: Granting<'_>,
    ) -> Result<Option<Facilitator>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let row = tx
            .query_opt(
                &format!(
                    "SELECT {OFFICER_COLUMNS} FROM officers o
                     WHERE o.id = $1 AND ($2::text IS NULL OR o.province = $2) FOR UPDATE"
                ),
                &[&id, &scope.province()],
            )
            .await?;
        let Some(mut officer) = row.as_ref().map(officer_of) else {
            return Ok(None);
        };
        let held = match granting.role {
            OfficerRole::SeeNames => &mut officer.roles.see_names,
            OfficerRole::Administrator => &mut officer.roles.administrator,
        };
        if *held == granting.on {
            return Ok(Some(officer));
        }
        *held = granting.on;
        tx.execute(
            &format!(
                "UPDATE officers SET {} = $2 WHERE id = $1",
                granting.role.column()
            ),
            &[&id, &granting.on],
        )
        .await?;
        let line = role_change(granting.by, &officer, granting.role, granting.on);
        super::audit::insert_audit(&tx, &self.now(), &line).await?;
        tx.commit().await?;
        Ok(Some(officer))
    }

    pub async fn end_facilitator_session(&self, token_hash: [u8; 32]) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                "DELETE FROM officer_sessions WHERE token_hash = $1",
                &[&&token_hash[..]],
            )
            .await?;
        Ok(())
    }
}

/// A new officer, and the set-up code gone; `None` if the name is taken.
async fn insert_officer(
    tx: &deadpool_postgres::Transaction<'_>,
    new: &NewFacilitator,
) -> Result<Option<Facilitator>, Error> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = format_time(time::OffsetDateTime::now_utc());
    let inserted = tx
        .execute(
            "INSERT INTO officers (id, name, name_key, password_hash, created_at, province, see_names, administrator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (name_key) DO NOTHING",
            &[
                &id,
                &new.name,
                &new.name_key,
                &new.password_hash,
                &now,
                &new.province,
                &new.roles.see_names,
                &new.roles.administrator,
            ],
        )
        .await?;
    if inserted == 0 {
        return Ok(None);
    }
    tx.execute("DELETE FROM hub_settings WHERE key = $1", &[&SETUP_CODE])
        .await?;
    Ok(Some(Facilitator {
        id,
        name: new.name.clone(),
        province: new.province.clone(),
        roles: new.roles,
    }))
}
