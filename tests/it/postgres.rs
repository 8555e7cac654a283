//! The hub's PostgreSQL, real: Debian's server in a throwaway cluster that `.ci/postgres`
//! starts (`HOCSO_TEST_POSTGRES` says where), each test in a database of its own. Without a
//! cluster a test says it is skipped and passes, unless `HOCSO_POSTGRES_TESTS=require` (CI),
//! which makes that a failure. No mock of PostgreSQL anywhere.
//!
//! Locally: `eval "$(bash .ci/postgres start)"`, then the tests, then
//! `bash .ci/postgres stop "$HOCSO_TEST_POSTGRES_DIR"`.

use std::io::Write;

use tokio_postgres::{Client, NoTls};

/// Where a hub under test keeps its records.
pub enum Engine {
    Sqlite,
    Postgres(Database),
}

impl Engine {
    /// A hub on PostgreSQL in a database of its own, or `None` where no cluster runs.
    pub async fn postgres() -> Option<Engine> {
        Database::new().await.map(Engine::Postgres)
    }

    /// `hocso hub --database`, or `None` for SQLite.
    pub fn database(&self) -> Option<String> {
        match self {
            Engine::Sqlite => None,
            Engine::Postgres(db) => Some(db.conninfo.clone()),
        }
    }
}

/// Runs each named test (an `async fn(Engine)`) twice, as `NAME::sqlite` and
/// `NAME::postgres`: the same hub suite on both engines.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::postgres::Engine::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(engine) = crate::postgres::Engine::postgres().await {
                    super::$name(engine).await;
                }
            }
        }
    )*};
}
pub(crate) use on_both_engines;

/// A new, empty database on the test cluster, for one test.
pub struct Database {
    /// How to reach it: libpq's `key=value` form, as `hocso hub --database` will take it.
    pub conninfo: String,
}

impl Database {
    /// A database of its own, or `None` (said on stderr) when no cluster runs here and the
    /// tests do not require one.
    pub async fn new() -> Option<Database> {
        let Ok(cluster) = std::env::var("HOCSO_TEST_POSTGRES") else {
            let required = std::env::var("HOCSO_POSTGRES_TESTS").is_ok_and(|v| v == "require");
            assert!(
                !required,
                "HOCSO_POSTGRES_TESTS=require, but HOCSO_TEST_POSTGRES is not set \
                 (eval \"$(bash .ci/postgres start)\")"
            );
            let _ = writeln!(
                std::io::stderr(),
                "skipped: no PostgreSQL (eval \"$(bash .ci/postgres start)\")"
            );
            return None;
        };
        let admin = connect(&cluster).await;
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("the cluster makes a database");
        let conninfo = format!("{} dbname={name}", cluster.replace("dbname=postgres", ""));
        Some(Database { conninfo })
    }

    pub async fn client(&self) -> Client {
        connect(&self.conninfo).await
    }
}

/// A connection to `conninfo`, its I/O driven by a task of its own.
pub async fn connect_to(conninfo: &str) -> Client {
    connect(conninfo).await
}

async fn connect(conninfo: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(conninfo, NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {conninfo}: {e}"));
    tokio::spawn(connection);
    client
}

#[tokio::test]
async fn the_test_cluster_is_debians_postgresql_with_a_database_for_each_test() {
    let (Some(a), Some(b)) = (Database::new().await, Database::new().await) else {
        return;
    };
    let (a, b) = (a.client().await, b.client().await);
    let version: String = a
        .query_one("SHOW server_version_num", &[])
        .await
        .unwrap()
        .get(0);
    assert!(version.parse::<u32>().unwrap() >= 150000, "{version}");
    a.batch_execute("CREATE TABLE hub_events (box_id text, seq bigint, PRIMARY KEY (box_id, seq))")
        .await
        .unwrap();
    a.execute("INSERT INTO hub_events VALUES ($1, $2)", &[&"box-1", &1i64])
        .await
        .unwrap();
    // The same key twice is refused by the database itself.
    let twice = a
        .execute("INSERT INTO hub_events VALUES ($1, $2)", &[&"box-1", &1i64])
        .await
        .unwrap_err();
    assert_eq!(
        twice.code(),
        Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
    );
    // Each test's database is its own.
    let tables: i64 = b
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'hub_events'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_opening_one_new_database_together_migrate_it_once_as_one_hub() {
    let Some(db) = Database::new().await else {
        return;
    };
    let opened = futures_join(&db.conninfo).await;
    let keys: Vec<String> = opened.iter().map(|h| h.keys().public_hex()).collect();
    assert!(
        keys.iter().all(|k| *k == keys[0]),
        "one key for every process"
    );
    let ids: Vec<&str> = opened.iter().map(|h| h.hub_id()).collect();
    assert!(ids.iter().all(|id| *id == ids[0]));
    let codes: Vec<Option<&str>> = opened.iter().map(|h| h.setup_code()).collect();
    assert!(codes[0].is_some() && codes.iter().all(|c| *c == codes[0]));
    let client = db.client().await;
    let applied: Vec<i64> = client
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        applied,
        [1, 2, 3, 4, 5, 6, 7, 8],
        "each migration applied once"
    );
    // Opened again later: nothing applied twice, the same identity.
    let again = hocso::store::Postgres::open(&db.conninfo).await.unwrap();
    assert_eq!(again.keys().public_hex(), keys[0]);
}

/// Four hubs opening `conninfo` at the same moment.
async fn futures_join(conninfo: &str) -> Vec<hocso::store::Postgres> {
    let opens = (0..4).map(|_| {
        let conninfo = conninfo.to_string();
        tokio::spawn(async move { hocso::store::Postgres::open(&conninfo).await })
    });
    let mut opened = Vec::new();
    for open in opens.collect::<Vec<_>>() {
        opened.push(open.await.unwrap().expect("the database opens"));
    }
    opened
}

#[tokio::test]
async fn a_database_from_a_newer_hub_is_refused_untouched() {
    let Some(db) = Database::new().await else {
        return;
    };
    hocso::store::Postgres::open(&db.conninfo).await.unwrap();
    let client = db.client().await;
    let applied: i64 = client
        .query_one("SELECT COUNT(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    client
        .execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'later')",
            &[],
        )
        .await
        .unwrap();
    let refused = hocso::store::Postgres::open(&db.conninfo)
        .await
        .err()
        .unwrap();
    assert!(refused.to_string().contains("newer Hocso"), "{refused}");
    let tables: i64 = client
        .query_one("SELECT COUNT(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, applied + 1, "nothing was applied or changed");
}

#[tokio::test]
async fn a_wrong_database_address_is_said_plainly() {
    let refused = hocso::store::Postgres::open("mysql://somewhere")
        .await
        .err()
        .unwrap();
    assert!(refused.to_string().contains("postgres://"), "{refused}");
}

#[tokio::test]
async fn a_hub_database_of_every_earlier_version_is_migrated_with_its_records_counted() {
    // Version 1 as its binary left it: the hub's tables, a box, a learner, their events.
    let Some(db) = Database::new().await else {
        return;
    };
    let client = db.client().await;
    client
        .batch_execute(include_str!(
            "../../src/store/postgres/migrations/0001_hub.sql"
        ))
        .await
        .unwrap();
    client
        .batch_execute(
            "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, applied_at text NOT NULL);
             INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00Z');
             INSERT INTO hub_boxes (box_id, commune, public_key, first_seq, held, enrolled_at)
                 VALUES ('b', 'Xã Ea Sol', 'k', 1, 3, '2026-01-01T00:00:00Z');
             INSERT INTO hub_learners (id, box_id, commune, village) VALUES ('l', 'b', 'Xã Ea Sol', 'Buôn Đôn');
             INSERT INTO hub_events (box_id, seq, id, kind, learner_id, lesson_id, payload, at, recorded_at, received_at) VALUES
                 ('b', 1, 'e1', 'lesson_finished', 'l', 'dien-thoai/bat-dau', '{}', '', '2026-01-01T08:00:00Z', ''),
                 ('b', 2, 'e2', 'live_attended', 'l', 'internet/la-gi', '{}', '', '2026-01-02T09:00:00Z', ''),
                 ('b', 3, 'e3', 'practice_finished', 'l', NULL, '{\"win\":true,\"scenario\":\"an-toan/x\"}', '', '2026-01-02T09:00:00Z', '');",
        )
        .await
        .unwrap();
    let hub = hocso::store::Postgres::open(&db.conninfo).await.unwrap();
    let hub = hocso::store::HubStore::Postgres(hub);
    let all = hocso::store::Scope::All;
    assert_eq!(hub.finished(&all).await.unwrap().len(), 2);
    assert_eq!(
        hub.practised(&all).await.unwrap()[0].scenario_id,
        "an-toan/x"
    );
    assert_eq!(hub.attendance(&all).await.unwrap(), [("l".to_string(), 1)]);
    assert_eq!(hub.boxes(&all).await.unwrap()[0].events, 3);
    assert_eq!(hub.learners(&all).await.unwrap()[0].province, "");
    let versions: i64 = client
        .query_one("SELECT MAX(version) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(versions, 8);
    assert_eq!(hub.introduced_by("b").await.unwrap(), None);
    // The dashboard's sums are made from the learners counted again.
    let communes = hub
        .tallies(&all, hocso::store::Dimension::Commune, false)
        .await
        .unwrap();
    assert_eq!(
        (
            communes.len(),
            communes[0].learners,
            communes[0].lessons,
            communes[0].practices,
            communes[0].attended
        ),
        (1, 1, 2, 1, 1)
    );
    assert!(hub.relays().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_hub_database_of_version_2_takes_province_hubs() {
    let Some(db) = Database::new().await else {
        return;
    };
    let client = db.client().await;
    for sql in [
        include_str!("../../src/store/postgres/migrations/0001_hub.sql"),
        include_str!("../../src/store/postgres/migrations/0002_provinces_and_counts.sql"),
    ] {
        client.batch_execute(sql).await.unwrap();
    }
    client
        .batch_execute(
            "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, applied_at text NOT NULL);
             INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00Z'), (2, '2026-11-01T00:00:00Z');
             INSERT INTO hub_boxes (box_id, province, commune, public_key, first_seq, held, enrolled_at)
                 VALUES ('b', 'Đắk Lắk', 'Xã Ea Sol', 'k', 1, 0, '2026-11-01T00:00:00Z');",
        )
        .await
        .unwrap();
    let hub =
        hocso::store::HubStore::Postgres(hocso::store::Postgres::open(&db.conninfo).await.unwrap());
    let boxes = hub.boxes(&hocso::store::Scope::All).await.unwrap();
    assert_eq!((boxes[0].province.as_str(), boxes[0].held), ("Đắk Lắk", 0));
    assert_eq!(hub.introduced_by("b").await.unwrap(), None);
    let code = hub.new_join_code("Lâm Đồng").await.unwrap();
    let joined = hub
        .join(hocso::protocol::wire::Join {
            hub_id: uuid::Uuid::now_v7().to_string(),
            public_key: hocso::protocol::Keys::generate().public_hex(),
            code,
        })
        .await
        .unwrap();
    assert_eq!(joined.as_deref(), Some("Lâm Đồng"));
}
