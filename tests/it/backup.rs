//! A dead SD card loses nothing: `hocso backup` copies the box while it serves, `hocso
//! restore` brings the copy back on a new card, and the restored box syncs on with the
//! province (a new identity vouched for by the old one, no clone alarm, no duplicate and no
//! gap); the box also keeps rotating copies in a backup folder by itself.

use std::path::Path;
use std::process::{Command, Output};

use hocso::sync::client;

use crate::support::TestBox;
use crate::sync::{enrol, record};

fn hocso(args: &[&str], paths: &[&Path]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hocso"));
    command.args(args);
    for path in paths {
        command.arg(path);
    }
    command.output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_box_restored_from_an_older_backup_syncs_on_without_a_clone_alarm() {
    let hub = TestBox::start_hub().await;
    let tb = TestBox::start_on("board-1").await;
    enrol(&hub, &tb).await;
    record(&tb.store(), 30).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();

    // A copy while the box serves.
    let usb = tempfile::tempdir().unwrap();
    let copy = usb.path().join("hocso-backup.db");
    let out = hocso(&["backup"], &[&copy, Path::new("--data-dir"), &tb.data_dir]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("31 record(s)"));
    // Records made after the copy reach the hub, then the card dies.
    record(&tb.store(), 10).await;
    client::sync(&tb.store(), None, &|_| {}).await.unwrap();
    let old = tb.store().box_id().to_string();
    let held_of_old = hub.records().await.event_ids(&old).await.unwrap().len();
    assert_eq!(held_of_old, 42);
    drop(tb);

    // On a new card: restored once, and never over a database already there.
    let card = tempfile::tempdir().unwrap();
    let data = card.path().join("data");
    let out = hocso(&["restore"], &[&copy, Path::new("--data-dir"), &data]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = hocso(&["restore"], &[&copy, Path::new("--data-dir"), &data]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("holds a database already"));
    let junk = usb.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let elsewhere = card.path().join("elsewhere");
    let refused = hocso(&["restore"], &[&junk, Path::new("--data-dir"), &elsewhere]);
    assert!(!refused.status.success());
    assert!(!elsewhere.join("hocso.db").exists());

    // The restored box (same board, new card) takes a new identity, vouched for by the
    // old one, and its new records go up with no conflict, no duplicate and no gap.
    let restored = TestBox::start_copy(&data, "board-1").await;
    let store = restored.store();
    assert_ne!(store.box_id(), old);
    assert_eq!(
        store.event_count().await.unwrap().events,
        31,
        "the records of the copy"
    );
    record(&store, 5).await;
    client::sync(&store, None, &|_| {}).await.unwrap();
    let boxes = hub
        .records()
        .await
        .boxes(&hocso::store::Scope::All)
        .await
        .unwrap();
    assert!(boxes.iter().all(|b| b.conflict.is_none()), "{boxes:?}");
    let new = boxes
        .iter()
        .find(|b| b.box_id == store.box_id())
        .expect("enrolled");
    assert_eq!(new.vouched_by.as_deref(), Some(old.as_str()));
    let held = hub.records().await.event_ids(store.box_id()).await.unwrap();
    assert_eq!(held.len(), 6, "the new learner and five events, each once");
    assert!(held.windows(2).all(|w| w[1].seq == w[0].seq + 1), "no gap");
    assert_eq!(held[0].seq, 32, "numbered on from the copy");
    // What the hub held of the old identity stays, once.
    assert_eq!(
        hub.records().await.event_ids(&old).await.unwrap().len(),
        held_of_old
    );
}

#[tokio::test]
async fn the_box_keeps_rotating_copies_in_its_backup_folder() {
    let tb = TestBox::start().await;
    let store = tb.store();
    let usb = tempfile::tempdir().unwrap();
    for _ in 0..(hocso::store::BACKUPS_KEPT + 2) {
        store.backup_into(usb.path()).await.unwrap();
        // Named by the millisecond they were made.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let kept = hocso::store::backups_in(usb.path());
    assert_eq!(kept.len(), hocso::store::BACKUPS_KEPT);
    let last = store
        .setting(hocso::store::LAST_BACKUP)
        .await
        .unwrap()
        .unwrap();
    assert!(
        last.ends_with(&kept.last().unwrap().display().to_string()),
        "{last}"
    );
    // A copy restores.
    let card = tempfile::tempdir().unwrap();
    hocso::store::restore(kept.last().unwrap(), card.path(), &|_, _| {}).unwrap();
    // A folder that cannot be written: said on the dashboard's setting, the box serves on.
    let blocked = usb.path().join("a-file");
    std::fs::write(&blocked, b"x").unwrap();
    assert!(store.backup_into(&blocked).await.is_err());
    assert!(
        !store
            .setting(hocso::store::BACKUP_ERROR)
            .await
            .unwrap()
            .unwrap_or_default()
            .is_empty()
    );
    assert_eq!(
        tb.get("/api/v1/health").await.status(),
        reqwest::StatusCode::OK
    );
}
