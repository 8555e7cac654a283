//! `hocso hub migrate-to`: a SQLite hub's records copied into PostgreSQL, so a province that
//! started alone moves to its IT centre's database (or the nation's) and its boxes sync on
//! without noticing: the hub's identity (id and signing key, which every box pinned) moves
//! with them. Every step is idempotent and events are copied box by box from what
//! PostgreSQL holds already, so a copy cut short (a closed laptop, a lost connection) is run
//! again and resumes. At the end each table's rows are counted on both sides.

use super::Postgres;
use crate::store::{Error, Store};

/// Events read and written at a time.
const CHUNK: i64 = 5_000;

/// One table's rows on both sides after the copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counted {
    pub table: &'static str,
    pub sqlite: i64,
    pub postgres: i64,
}

type Row<T> = Vec<T>;
type OfficerRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    bool,
    bool,
);
type AuditRow = (
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    String,
    bool,
);
type CodeRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// Copies every record of the SQLite hub `from` into `to`; `progress(done, total)` is told
/// as events go. Refused, with nothing written, when `to` holds another hub's records.
pub async fn migrate(
    from: &Store,
    to: &Postgres,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Vec<Counted>, Error> {
    let mut client = to.client().await?;

    // The hub's identity: the key every box pinned.
    let tx = client.transaction().await?;
    let (id, key) = (from.box_id().to_string(), from.keys().secret());
    let theirs: String = tx
        .query_one("SELECT hub_id FROM hub_identity", &[])
        .await?
        .get(0);
    if theirs != id {
        let boxes: i64 = tx
            .query_one("SELECT COUNT(*) FROM hub_boxes", &[])
            .await?
            .get(0);
        if boxes > 0 {
            return Err(Error::Invalid(
                "the PostgreSQL database holds another hub's records; give an empty database (or this hub's own)".into(),
            ));
        }
        tx.execute(
            "UPDATE hub_identity SET hub_id = $1, secret_key = $2",
            &[&id, &&key[..]],
        )
        .await?;
    }

    // Officers and their sessions, settings, codes, boxes, learners, packs.
    let officers: Row<OfficerRow> = from
        .read(|c| {
            let mut s = c.prepare(
                "SELECT id, name, name_key, password_hash, created_at, province, see_names, administrator
                 FROM facilitators",
            )?;
            let rows = s.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (id, name, name_key, hash, at, province, see_names, administrator) in &officers {
        tx.execute(
            "INSERT INTO officers (id, name, name_key, password_hash, created_at, province, see_names, administrator)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            &[id, name, name_key, hash, at, province, see_names, administrator],
        )
        .await?;
    }
    // The audit log, every line under its own number (so a copy run again adds none twice),
    // then the numbering goes on after the last.
    let lines: Row<AuditRow> = from
        .read(|c| {
            let mut s = c.prepare(
                "SELECT id, at, officer_id, officer, province, action, subject, detail, names
                 FROM hub_audit ORDER BY id",
            )?;
            let rows = s.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (id, at, officer_id, officer, province, action, subject, detail, names) in &lines {
        tx.execute(
            "INSERT INTO hub_audit (id, at, officer_id, officer, province, action, subject, detail, names)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
            &[id, at, officer_id, officer, province, action, subject, detail, names],
        )
        .await?;
    }
    tx.execute(
        "SELECT setval(pg_get_serial_sequence('hub_audit', 'id'), GREATEST((SELECT MAX(id) FROM hub_audit), 1))",
        &[],
    )
    .await?;
    let sessions: Row<(Vec<u8>, String, String)> = from
        .read(|c| {
            let mut s = c.prepare(
                "SELECT token_hash, facilitator_id, created_at FROM facilitator_sessions",
            )?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (hash, officer, at) in &sessions {
        tx.execute(
            "INSERT INTO officer_sessions (token_hash, officer_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[hash, officer, at],
        )
        .await?;
    }
    if !officers.is_empty() {
        tx.execute("DELETE FROM hub_settings WHERE key = 'setup_code'", &[])
            .await?;
    }
    if let Some(name) = from.setting("commune_name").await? {
        tx.execute(
            "INSERT INTO hub_settings (key, value) VALUES ('commune_name', $1) ON CONFLICT DO NOTHING",
            &[&name],
        )
        .await?;
    }
    let codes: Row<CodeRow> = from
        .read(|c| {
            let mut s = c.prepare(
                "SELECT code, province, commune, created_at, used_by, used_at FROM hub_codes",
            )?;
            let rows = s.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (code, province, commune, at, used_by, used_at) in &codes {
        tx.execute(
            "INSERT INTO hub_codes (code, province, commune, created_at, used_by, used_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (code) DO UPDATE SET used_by = excluded.used_by, used_at = excluded.used_at",
            &[code, province, commune, at, used_by, used_at],
        )
        .await?;
    }
    type RelayRow = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    type BoxRow = (
        String,
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let boxes: Row<BoxRow> = from
        .read(|c| {
            let mut s = c.prepare(
                "SELECT box_id, province, commune, public_key, first_seq, enrolled_at, last_sync_at,
                        vouched_by, conflict, relayed_by FROM hub_boxes",
            )?;
            let rows = s.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    // Join codes and the province hubs that used them, before the boxes they introduced.
    let relays: Row<RelayRow> = from
        .read(|c| {
            let mut s = c.prepare(
                "SELECT code, province, created_at, hub_id, public_key, joined_at FROM hub_relays",
            )?;
            let rows = s.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (code, province, at, hub_id, key, joined_at) in &relays {
        tx.execute(
            "INSERT INTO hub_relays (code, province, created_at, hub_id, public_key, joined_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (code) DO UPDATE SET hub_id = excluded.hub_id, public_key = excluded.public_key,
                 joined_at = excluded.joined_at",
            &[code, province, at, hub_id, key, joined_at],
        )
        .await?;
    }
    for (box_id, province, commune, key, first, enrolled, last, vouched, conflict, relayed) in
        &boxes
    {
        // `held` is set from the events copied, at the end.
        tx.execute(
            "INSERT INTO hub_boxes (box_id, province, commune, public_key, first_seq, held, enrolled_at,
                                    last_sync_at, vouched_by, conflict, relayed_by)
             VALUES ($1, $2, $3, $4, $5::bigint, $5::bigint - 1, $6, $7, $8, $9, $10)
             ON CONFLICT (box_id) DO UPDATE SET last_sync_at = excluded.last_sync_at, conflict = excluded.conflict",
            &[box_id, province, commune, key, first, enrolled, last, vouched, conflict, relayed],
        )
        .await?;
    }
    type LearnerRow = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let learners: Row<LearnerRow> = from
        .read(|c| {
            let mut s = c.prepare(
                "SELECT id, box_id, province, commune, name, village, birth_year, gender, ethnic_group, erased_at
                 FROM hub_learners",
            )?;
            let rows = s.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    // An erased learner stays erased: no batch sent later brings their profile back.
    for (id, box_id, province, commune, name, village, born, gender, ethnic, erased) in &learners {
        tx.execute(
            "INSERT INTO hub_learners (id, box_id, province, commune, name, village, birth_year, gender, ethnic_group, erased_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, village = excluded.village,
                 birth_year = excluded.birth_year, gender = excluded.gender, ethnic_group = excluded.ethnic_group,
                 erased_at = excluded.erased_at",
            &[id, box_id, province, commune, name, village, born, gender, ethnic, erased],
        )
        .await?;
    }
    let packs: Row<(String, i64, Vec<u8>, String)> = from
        .read(|c| {
            let mut s = c.prepare("SELECT name, version, sealed, published_at FROM hub_packs")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (name, version, sealed, at) in &packs {
        tx.execute(
            "INSERT INTO hub_packs (name, version, sealed, published_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[name, version, sealed, at],
        )
        .await?;
    }
    copy_proposals(from, &tx).await?;
    let items: Row<(String, String, String)> = from
        .read(|c| {
            let mut s = c.prepare("SELECT module, kind, item FROM hub_module_items")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (module, kind, item) in &items {
        tx.execute(
            "INSERT INTO hub_module_items (module, kind, item) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[module, kind, item],
        )
        .await?;
    }
    tx.commit().await?;

    // Events, box by box, from what PostgreSQL holds on; each chunk its own transaction.
    let total: i64 = from
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM hub_events", [], |r| r.get(0))?))
        .await?;
    let held: i64 = client
        .query_one("SELECT COUNT(*) FROM hub_events", &[])
        .await?
        .get(0);
    let (total, mut done) = (total.max(0) as u64, held.max(0) as u64);
    progress(done.min(total), total);
    type EventRow = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        String,
    );
    for (box_id, ..) in &boxes {
        loop {
            let after: i64 = client
                .query_one(
                    "SELECT COALESCE(MAX(seq), 0) FROM hub_events WHERE box_id = $1",
                    &[box_id],
                )
                .await?
                .get(0);
            let id = box_id.clone();
            let chunk: Row<EventRow> = from
                .read(move |c| {
                    let mut s = c.prepare_cached(
                        "SELECT seq, id, kind, learner_id, lesson_id, payload, at, recorded_at, received_at
                         FROM hub_events WHERE box_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                    )?;
                    let rows = s.query_map((id, after, CHUNK), |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                            r.get(8)?,
                        ))
                    })?;
                    Ok(rows.collect::<Result<_, _>>()?)
                })
                .await?;
            if chunk.is_empty() {
                break;
            }
            let column =
                |f: fn(&EventRow) -> Option<String>| chunk.iter().map(f).collect::<Vec<_>>();
            let seqs: Vec<i64> = chunk.iter().map(|e| e.0).collect();
            let (ids, kinds) = (column(|e| Some(e.1.clone())), column(|e| Some(e.2.clone())));
            let (learners, lessons) = (column(|e| e.3.clone()), column(|e| e.4.clone()));
            let (payloads, ats) = (column(|e| Some(e.5.clone())), column(|e| Some(e.6.clone())));
            let (recorded, received) =
                (column(|e| Some(e.7.clone())), column(|e| Some(e.8.clone())));
            client
                .execute(
                    "INSERT INTO hub_events (box_id, seq, id, kind, learner_id, lesson_id, payload, at, recorded_at, received_at)
                     SELECT $1::text, * FROM UNNEST($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
                                                  $7::text[], $8::text[], $9::text[], $10::text[])
                     ON CONFLICT DO NOTHING",
                    &[
                        box_id, &seqs, &ids, &kinds, &learners, &lessons, &payloads, &ats, &recorded,
                        &received,
                    ],
                )
                .await?;
            done += chunk.len() as u64;
            progress(done.min(total), total);
        }
    }

    // What each box holds with no gap, and the dashboard's counts and each learner's tallies,
    // from the events copied.
    let tx = client.transaction().await?;
    tx.execute(
        "UPDATE hub_boxes b SET held = COALESCE((SELECT MAX(seq) FROM hub_events e WHERE e.box_id = b.box_id), b.first_seq - 1)",
        &[],
    )
    .await?;
    tx.batch_execute(super::RECOUNT).await?;
    tx.batch_execute(&crate::store::hub::resum()).await?;
    tx.commit().await?;

    // Counted on both sides.
    let mut counted = Vec::new();
    for (table, sqlite_table) in [
        ("hub_events", "hub_events"),
        ("hub_boxes", "hub_boxes"),
        ("hub_learners", "hub_learners"),
        ("hub_codes", "hub_codes"),
        ("hub_relays", "hub_relays"),
        ("hub_packs", "hub_packs"),
        ("hub_proposals", "hub_proposals"),
        ("hub_media", "hub_media"),
        ("officers", "facilitators"),
        ("hub_audit", "hub_audit"),
    ] {
        let sqlite: i64 = from
            .read(move |c| {
                Ok(
                    c.query_row(&format!("SELECT COUNT(*) FROM {sqlite_table}"), [], |r| {
                        r.get(0)
                    })?,
                )
            })
            .await?;
        let postgres: i64 = client
            .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])
            .await?
            .get(0);
        counted.push(Counted {
            table,
            sqlite,
            postgres,
        });
    }
    Ok(counted)
}

/// The communes' proposals, their media (one file at a time: recordings are megabytes) and
/// which carries which; each kept once, so a copy run again adds nothing twice.
async fn copy_proposals(from: &Store, tx: &tokio_postgres::Transaction<'_>) -> Result<(), Error> {
    type ProposalRow = ([String; 11], Option<String>, Option<String>, Option<String>);
    let proposals: Row<ProposalRow> = from
        .read(|c| {
            let mut s = c.prepare(
                "SELECT id, box_id, province, commune, kind, lesson_id, sent_by, sent_at, body,
                   received_at, status, decided_by, decided_at, pack FROM hub_proposals",
            )?;
            let rows = s.query_map([], |r| {
                let text = |i| r.get::<_, String>(i);
                Ok((
                    [
                        text(0)?,
                        text(1)?,
                        text(2)?,
                        text(3)?,
                        text(4)?,
                        text(5)?,
                        text(6)?,
                        text(7)?,
                        text(8)?,
                        text(9)?,
                        text(10)?,
                    ],
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (
        [
            id,
            box_id,
            province,
            commune,
            kind,
            lesson,
            by,
            sent,
            body,
            received,
            status,
        ],
        decided_by,
        decided_at,
        pack,
    ) in &proposals
    {
        tx.execute(
            "INSERT INTO hub_proposals (id, box_id, province, commune, kind, lesson_id, sent_by,
               sent_at, body, received_at, status, decided_by, decided_at, pack)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING",
            &[id, box_id, province, commune, kind, lesson, by, sent, body, received, status, decided_by, decided_at, pack],
        )
        .await?;
    }
    let names: Row<String> = from
        .read(|c| {
            let mut s = c.prepare("SELECT name FROM hub_media")?;
            let rows = s.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for name in names {
        let (mime, size, bytes): (String, i64, Vec<u8>) = from
            .read({
                let name = name.clone();
                move |c| {
                    Ok(c.query_row(
                        "SELECT mime, size, bytes FROM hub_media WHERE name = ?1",
                        [&name],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )?)
                }
            })
            .await?;
        tx.execute(
            "INSERT INTO hub_media (name, mime, size, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[&name, &mime, &size, &bytes],
        )
        .await?;
    }
    let links: Row<(String, String)> = from
        .read(|c| {
            let mut s = c.prepare("SELECT proposal_id, name FROM hub_proposal_media")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (id, name) in &links {
        tx.execute(
            "INSERT INTO hub_proposal_media (proposal_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[id, name],
        )
        .await?;
    }
    Ok(())
}
