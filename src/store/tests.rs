//! Store tests: migrations from empty and refusal of a newer database, the box's id kept
//! across restarts, group commit under concurrent writers, one failing job alone undone.

use super::*;

fn learner(name: &str) -> NewLearner {
    NewLearner {
        display_name: name.into(),
        village: "Buôn Đôn".into(),
        birth_year: Some(1970),
        gender: None,
        ethnic_group: Some("Ê Đê".into()),
        secret: None,
        consent: None,
    }
}

#[tokio::test]
async fn a_new_database_is_migrated_and_keeps_its_box_id() {
    let dir = tempfile::tempdir().unwrap();
    let first = Store::open(dir.path()).unwrap();
    let id = first.box_id().to_string();
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 7);
    drop(first);
    let again = Store::open(dir.path()).unwrap();
    assert_eq!(again.box_id(), id);
    let version: i64 = again
        .read(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
    let (journal, sync, fk): (String, i64, i64) = again
        .write(|c| {
            Ok((
                c.pragma_query_value(None, "journal_mode", |r| r.get(0))?,
                c.pragma_query_value(None, "synchronous", |r| r.get(0))?,
                c.pragma_query_value(None, "foreign_keys", |r| r.get(0))?,
            ))
        })
        .await
        .unwrap();
    assert_eq!((journal.as_str(), sync, fk), ("wal", 2, 1));
}

#[tokio::test]
async fn a_database_from_a_newer_binary_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let path = dir.path().join(DB_FILE);
    // The dropped store's writer closes on its own thread, checkpointing its WAL into the
    // file as it goes: wait until it has (the last connection removes the WAL).
    let wal = dir.path().join(format!("{DB_FILE}-wal"));
    for _ in 0..500 {
        if !wal.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let error = Store::open(dir.path()).err().expect("refused");
    assert!(matches!(error, Error::TooNew { found: 99, .. }), "{error}");
    assert!(error.to_string().contains("newer Hocso"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn an_older_database_with_rows_is_migrated_in_place() {
    // A database at every earlier schema version, made by applying the migrations up to it
    // as that version's binary did, with a learner and an event in it: each opens migrated
    // to the newest version with its rows, its box id and its events kept.
    for version in 1..MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..version] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", version as i64)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO box (id, box_id, created_at) VALUES (1, 'old-box', '2026-01-01T00:00:00Z');
                 INSERT INTO learners (id, display_name, village, created_at)
                     VALUES ('0190a5c1-0000-7000-8000-000000000001', 'Y Sơn', 'Buôn Đôn', '2026-01-01T00:00:00Z');
                 INSERT INTO events (id, box_id, kind, learner_id, lesson_id, payload, at, recorded_at)
                     VALUES ('0190a5c1-0000-7000-8000-0000000000e1', 'old-box', 'lesson_finished',
                             '0190a5c1-0000-7000-8000-000000000001', 'dien-thoai/bat-dau', '{}',
                             '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
            )
            .unwrap();
        }
        let store = Store::open_on(dir.path(), None).unwrap();
        let schema: i64 = store
            .read(|conn| Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(schema, MIGRATIONS.len() as i64, "from version {version}");
        let learner = store
            .learner("0190a5c1-0000-7000-8000-000000000001")
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("the learner survives migrating from version {version}"));
        assert_eq!(
            (learner.display_name.as_str(), learner.village.as_str()),
            ("Y Sơn", "Buôn Đôn")
        );
        assert_eq!(
            store.event_count().await.unwrap().events,
            1,
            "from version {version}"
        );
        assert_eq!(
            store.event_ids().await.unwrap(),
            ["0190a5c1-0000-7000-8000-0000000000e1"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_are_each_committed_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let someone = store.create_learner(learner("H'Hen"), None).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..200u32 {
        let store = store.clone();
        let learner_id = someone.id.clone();
        tasks.push(tokio::spawn(async move {
            let event = NewEvent {
                id: uuid::Uuid::now_v7(),
                learner_id,
                lesson_id: Some(format!("m/l{}", i % 7)),
                at: now(),
                payload: serde_json::json!({}),
                change: if i % 2 == 0 {
                    Change::Opened
                } else {
                    Change::Quiz {
                        score: i % 4,
                        total: 3,
                        passed: i % 4 >= 2,
                    }
                },
            };
            store
                .record_events(vec![event.clone(), event])
                .await
                .unwrap()
        }));
    }
    for task in tasks {
        let outcomes = task.await.unwrap();
        assert!(matches!(outcomes[0], EventOutcome::Stored { .. }));
        assert_eq!(outcomes[1], EventOutcome::AlreadyHeld);
    }
    let count = store.event_count().await.unwrap();
    assert_eq!((count.events, count.last_seq), (201, 201));
    let scores = store.scores_for_learner(&someone.id).await.unwrap();
    assert_eq!(scores.iter().map(|s| s.attempts).sum::<u32>(), 100);
    assert!(scores.iter().all(|s| s.best == 3 && s.passed_at.is_some()));
}

#[tokio::test]
async fn a_failing_job_is_undone_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let bad = store.write(|c| {
        c.execute("INSERT INTO settings (key, value) VALUES ('a', '1')", [])?;
        Err::<(), _>(Error::Invalid("no".into()))
    });
    let good = store.set_setting("b", "2");
    let (bad, good) = tokio::join!(bad, good);
    assert!(bad.is_err());
    good.unwrap();
    assert_eq!(store.setting("a").await.unwrap(), None);
    assert_eq!(store.setting("b").await.unwrap().as_deref(), Some("2"));
}

#[tokio::test]
async fn a_box_on_another_machine_takes_a_new_identity_and_a_hub_never_does() {
    let dir = tempfile::tempdir().unwrap();
    let first = Store::open_on(dir.path(), Some("board-1")).unwrap();
    let id = first.box_id().to_string();
    first.create_learner(learner("Y Moan"), None).await.unwrap();
    drop(first);
    let same = Store::open_on(dir.path(), Some("board-1")).unwrap();
    assert_eq!(same.box_id(), id);
    drop(same);
    let unknown = Store::open_on(dir.path(), None).unwrap();
    assert_eq!(
        unknown.box_id(),
        id,
        "a machine that cannot be read changes nothing"
    );
    drop(unknown);
    let moved = Store::open_on(dir.path(), Some("board-2")).unwrap();
    assert_ne!(moved.box_id(), id);
    let identities = moved.identities().await.unwrap();
    assert_eq!(identities.len(), 2);
    assert_eq!((identities[1].first_seq, identities[1].confirmed), (2, 1));
    drop(moved);

    let hub_dir = tempfile::tempdir().unwrap();
    let hub = Store::open_on(hub_dir.path(), Some("server")).unwrap();
    let hub_id = hub.box_id().to_string();
    hub.hub().new_code("Xã Ea Sol", "").await.unwrap();
    drop(hub);
    let laptop = Store::open_on(hub_dir.path(), Some("laptop")).unwrap();
    assert_eq!(laptop.box_id(), hub_id);
}

#[tokio::test]
async fn a_kept_lookup_is_not_compiled_again_each_time_it_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let token = [7u8; 32];
    let learner = store
        .create_learner(learner("Y Moan"), Some(token))
        .await
        .unwrap();
    for _ in 0..5 {
        assert!(store.session_learner(token).await.unwrap().is_some());
        store.record_of_learner(&learner.id).await.unwrap();
    }
    // A point lookup runs on the reader kept last, which now holds the statements.
    for sql in [
        &*learners::SESSION_SQL,
        events::PROGRESS_SQL,
        events::SCORES_SQL,
    ] {
        let compiled_again = store
            .lookup(|conn| {
                let stmt = conn.prepare_cached(sql)?;
                Ok(stmt.get_status(rusqlite::StatementStatus::RePrepare))
            })
            .unwrap();
        assert_eq!(compiled_again, 0, "{sql}");
    }
}

/// Lets the database grow by at most `pages` more pages (SQLite then answers as on a full
/// disk), or without limit again with `None`; answers its pages now.
async fn limit_growth(store: &Store, pages: Option<i64>) -> i64 {
    store
        .write(move |conn| {
            let now: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            let most = pages.map_or(1_073_741_823, |more| now + more);
            conn.query_row(&format!("PRAGMA max_page_count = {most}"), [], |_| Ok(()))?;
            Ok(now)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_full_disk_is_said_as_such_and_the_writer_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_on(dir.path(), Some("a-machine")).unwrap();
    let someone = store.create_learner(learner("Y Moan"), None).await.unwrap();
    // SQLite answers as on a full disk once the file may grow no more.
    limit_growth(&store, Some(0)).await;
    let mut full = None;
    for i in 0..2000 {
        let event = NewEvent {
            id: uuid::Uuid::now_v7(),
            learner_id: someone.id.clone(),
            lesson_id: Some("dien-thoai/bat-dau".into()),
            at: now(),
            payload: serde_json::json!({ "pad": "x".repeat(2000), "i": i }),
            change: Change::Opened,
        };
        if let Err(e) = store.record_events(vec![event]).await {
            full = Some(e);
            break;
        }
    }
    assert!(matches!(full, Some(Error::DiskFull)), "{full:?}");
    // Room again (a card swapped, files cleared): the same writer takes writes.
    limit_growth(&store, None).await;
    let held = store.event_count().await.unwrap().events;
    store
        .record_events(vec![NewEvent {
            id: uuid::Uuid::now_v7(),
            learner_id: someone.id.clone(),
            lesson_id: Some("dien-thoai/bat-dau".into()),
            at: now(),
            payload: serde_json::json!({}),
            change: Change::Finished,
        }])
        .await
        .unwrap();
    assert_eq!(store.event_count().await.unwrap().events, held + 1);
    assert!(store.free_bytes().is_some_and(|b| b > 0));
}

#[tokio::test]
async fn a_panicking_write_is_undone_alone_and_the_writer_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_on(dir.path(), Some("a-machine")).unwrap();
    let panicked = store
        .write(|conn| -> Result<(), Error> {
            conn.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')", [])?;
            panic!("a bug in a write");
        })
        .await;
    assert!(
        matches!(panicked, Err(Error::Panicked(ref m)) if m.contains("a bug")),
        "{panicked:?}"
    );
    assert_eq!(
        store.setting("x").await.unwrap(),
        None,
        "its change was undone"
    );
    store.set_setting("x", "z").await.unwrap();
    assert_eq!(store.setting("x").await.unwrap().as_deref(), Some("z"));
    store
        .probe(std::time::Duration::from_secs(5))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_probe_says_when_the_writer_does_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_on(dir.path(), Some("a-machine")).unwrap();
    let (started, running) = tokio::sync::oneshot::channel::<()>();
    let (release, blocked) = std::sync::mpsc::channel::<()>();
    let busy = store.clone();
    let job = tokio::spawn(async move {
        busy.write(move |_| {
            let _ = started.send(());
            let _ = blocked.recv();
            Ok(())
        })
        .await
    });
    running.await.unwrap();
    let error = store
        .probe(std::time::Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Unresponsive("the writer")),
        "{error}"
    );
    release.send(()).unwrap();
    job.await.unwrap().unwrap();
    store
        .probe(std::time::Duration::from_secs(5))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_a_full_disk_what_is_kept_is_exactly_what_was_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_on(dir.path(), Some("a-machine")).unwrap();
    let someone = store.create_learner(learner("Y Moan"), None).await.unwrap();
    limit_growth(&store, Some(4)).await;
    let before = store.event_count().await.unwrap().events;
    // Many writers at once, so the writer groups them, until the disk is full.
    let mut tasks = Vec::new();
    for i in 0..300 {
        let store = store.clone();
        let learner_id = someone.id.clone();
        tasks.push(tokio::spawn(async move {
            store
                .record_events(vec![NewEvent {
                    id: uuid::Uuid::now_v7(),
                    learner_id,
                    lesson_id: Some("dien-thoai/bat-dau".into()),
                    at: now(),
                    payload: serde_json::json!({ "pad": "x".repeat(1500), "i": i }),
                    change: Change::Opened,
                }])
                .await
        }));
    }
    let mut acknowledged = 0;
    let mut full = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => acknowledged += 1,
            Err(Error::DiskFull) | Err(Error::Commit(_)) => full += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert!(full > 0, "the disk filled");
    limit_growth(&store, None).await;
    assert_eq!(
        store.event_count().await.unwrap().events,
        before + acknowledged,
        "every acknowledged write kept, none of the refused"
    );
}

#[tokio::test]
async fn the_best_quiz_score_is_the_best_share_right_whatever_the_attempt_asked() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let someone = store.create_learner(learner("Y Sơn"), None).await.unwrap();
    let mut best = Vec::new();
    for (score, total) in [(1, 3), (3, 4), (2, 3), (4, 4), (3, 3), (2, 4)] {
        let event = NewEvent {
            id: uuid::Uuid::now_v7(),
            learner_id: someone.id.clone(),
            lesson_id: Some("m/l".into()),
            at: now(),
            payload: serde_json::json!({}),
            change: Change::Quiz {
                score,
                total,
                passed: score * 3 >= total * 2,
            },
        };
        store.record_events(vec![event]).await.unwrap();
        let scores = store.scores_for_learner(&someone.id).await.unwrap();
        best.push((scores[0].best, scores[0].total));
    }
    assert_eq!(best, [(1, 3), (3, 4), (3, 4), (4, 4), (4, 4), (4, 4)]);
}

#[tokio::test]
async fn officers_made_before_roles_have_none_and_the_log_is_kept_as_written() {
    // A hub at the version before roles, with a national officer and a province's.
    let roles = MIGRATIONS
        .iter()
        .position(|m| m.starts_with("-- 0012: a hub's officers have roles"))
        .expect("the roles' migration");
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        for sql in &MIGRATIONS[..roles] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", roles as i64)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO facilitators (id, name, name_key, password_hash, created_at, province) VALUES
                 ('o1', 'Lê Thị Hoa', 'le thi hoa', 'x', '2026-01-01T00:00:00Z', NULL),
                 ('o2', 'Y Blang', 'y blang', 'x', '2026-01-01T00:00:00Z', 'Đắk Lắk');",
        )
        .unwrap();
    }
    let store = Store::open_on(dir.path(), None).unwrap();
    let officers = store.officers(&crate::store::Scope::All).await.unwrap();
    assert_eq!(officers.len(), 2);
    assert!(
        officers.iter().all(|o| o.roles == super::Roles::default()),
        "{officers:?}"
    );
    // A role given is logged with it; the line is never changed or deleted.
    let granting = super::Granting {
        by: None,
        role: super::OfficerRole::SeeNames,
        on: true,
    };
    let province = crate::store::Scope::Province("Đắk Lắk".into());
    let given = store.set_role(&province, "o2", granting).await.unwrap();
    assert!(given.unwrap().roles.see_names);
    let again = super::Granting {
        by: None,
        role: super::OfficerRole::SeeNames,
        on: true,
    };
    assert!(
        store
            .set_role(&province, "o1", again)
            .await
            .unwrap()
            .is_none(),
        "not an officer of that province"
    );
    let log = store
        .hub()
        .audit_log(&super::AuditQuery {
            scope: province,
            officer: None,
            before: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(
        (log.len(), log[0].subject.as_str(), log[0].detail.as_str()),
        (1, "Y Blang", "names")
    );
    let changed = store
        .write(|conn| Ok(conn.execute_batch("UPDATE hub_audit SET officer = 'x'")?))
        .await;
    assert!(changed.is_err());
    let deleted = store
        .write(|conn| Ok(conn.execute_batch("DELETE FROM hub_audit")?))
        .await;
    assert!(deleted.is_err());
}
