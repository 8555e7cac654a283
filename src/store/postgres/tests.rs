//! The PostgreSQL hub's plans, on the throwaway cluster `.ci/postgres` starts
//! (`HOCSO_TEST_POSTGRES`), skipped without one unless `HOCSO_POSTGRES_TESTS=require`, as the
//! integration tests of `postgres` are: a batch's retally reads its learners by the key.

use tokio_postgres::{Client, NoTls};

/// A new, empty database on the test cluster and a client on it, or `None` where no cluster
/// runs here and the tests do not require one.
async fn database() -> Option<(String, Client)> {
    let Ok(cluster) = std::env::var("HOCSO_TEST_POSTGRES") else {
        let required = std::env::var("HOCSO_POSTGRES_TESTS").is_ok_and(|v| v == "require");
        assert!(
            !required,
            "HOCSO_POSTGRES_TESTS=require, but HOCSO_TEST_POSTGRES is not set \
             (eval \"$(bash .ci/postgres start)\")"
        );
        eprintln!("skipped: no PostgreSQL (eval \"$(bash .ci/postgres start)\")");
        return None;
    };
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    connect(&cluster)
        .await
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("the cluster makes a database");
    let conninfo = format!("{} dbname={name}", cluster.replace("dbname=postgres", ""));
    let client = connect(&conninfo).await;
    Some((conninfo, client))
}

async fn connect(conninfo: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(conninfo, NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {conninfo}: {e}"));
    tokio::spawn(connection);
    client
}

/// A hub as a bulk load leaves it before autovacuum's first `ANALYZE`: tens of thousands of
/// finished lessons and practices and no statistics, where the planner guessed each learner
/// had 0.5 % of the rows and read them all for every batch; then the same with statistics.
#[tokio::test]
async fn a_batchs_retally_reads_its_learners_by_the_key_with_or_without_statistics() {
    let Some((conninfo, client)) = database().await else {
        return;
    };
    super::Postgres::open(&conninfo).await.unwrap();
    client
        .batch_execute(
            "ALTER TABLE hub_finished SET (autovacuum_enabled = off);
             ALTER TABLE hub_practised SET (autovacuum_enabled = off);
             INSERT INTO hub_learners (id, box_id, commune, village)
                 SELECT 'l' || n, 'b', 'c', 'v' FROM generate_series(1, 20000) n;
             INSERT INTO hub_finished (learner_id, lesson_id, province)
                 SELECT 'l' || n, 'lesson-' || k, '' FROM generate_series(1, 20000) n, generate_series(1, 3) k;
             INSERT INTO hub_practised (learner_id, scenario_id, province)
                 SELECT 'l' || n, 'scenario', '' FROM generate_series(1, 20000) n;",
        )
        .await
        .unwrap();
    let batch: Vec<String> = (1..=60).map(|n| format!("l{n}")).collect();
    for analysed in [false, true] {
        if analysed {
            client.batch_execute("ANALYZE").await.unwrap();
        }
        let plan: Vec<String> = client
            .query(
                &format!("EXPLAIN {}", super::dashboard::RETALLY_SOME),
                &[&batch],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let plan = plan.join("\n");
        for table in ["hub_finished", "hub_practised"] {
            assert!(
                !plan.contains(&format!("Seq Scan on {table}")),
                "statistics: {analysed}; a scan of {table}:\n{plan}"
            );
        }
    }
}
