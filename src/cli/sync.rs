//! `hocso sync …`: enrol the box, sync now, or carry records on a USB stick (and `import`
//! on a hub).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use super::{DataArgs, bar, open_box, open_hub, write_file};

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Enrol this box with the hub at URL using the code the province gave.
    #[command(
        after_help = "URL is https://… (checked against the web's root certificates, or against \
        --fingerprint) or http://… on a private address (the LAN, a laptop in the hall); plain \
        HTTP to a public address is refused unless the box's settings allow it."
    )]
    Enroll {
        url: String,
        code: String,
        /// The SHA-256 fingerprint of the hub's certificate, for a hub whose certificate the
        /// web's roots do not vouch for (a province's own CA, a self-signed one): 64 hex
        /// digits, with or without colons, as `openssl x509 -noout -fingerprint -sha256`
        /// prints it. Kept with the address and checked on every later request.
        #[arg(long, value_name = "SHA256")]
        fingerprint: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Send every record the hub has not confirmed, and fetch new lessons, now.
    #[command(
        after_help = "Exit status: 0 when the hub has confirmed every record (a failure \
        to fetch lesson packs afterwards is said, and does not count); 1 when records remain \
        unconfirmed or the box is not enrolled."
    )]
    Now {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Write every record the hub has not confirmed to FILE, for a USB stick.
    Export {
        file: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Take a file: on a hub, a box's export; on a box, the hub's reply. The kind is read
    /// from the file; the folder is the hub's (hocso-hub) or the box's (hocso-data) unless
    /// --data-dir says.
    #[command(
        after_help = "Exit status: 0 when everything in the file was taken (or was held \
        already); 1 when anything was refused (a batch after a gap, another box's events) or \
        the file could not be read; what was taken stays taken."
    )]
    Import {
        file: PathBuf,
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// A hub's PostgreSQL (as `hocso hub --database`), for a box's file.
        #[arg(long, env = "HOCSO_DATABASE_URL", value_name = "URL")]
        database: Option<String>,
    },
}

/// `hocso sync …` on a box (and `import` on a hub).
pub fn run(command: SyncCommand) -> anyhow::Result<ExitCode> {
    use hocso::hub;
    use hocso::protocol::file;
    use hocso::sync::client;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match command {
            SyncCommand::Enroll { url, code, fingerprint, data } => {
                let url = hocso::facilitate::hub_address(&url).context(
                    "the hub's address is https://NAME or a host and port, e.g. 192.168.1.10:8090 (http:// may be typed before it)",
                )?;
                let pin = fingerprint
                    .map(|f| {
                        hocso::protocol::address::Fingerprint::parse(&f).context(
                            "the fingerprint is 64 hex digits, with or without colons, as `openssl x509 -noout -fingerprint -sha256 -in CERT` prints it",
                        )
                    })
                    .transpose()?;
                let store = open_box(&data.data_dir)?;
                let enrolled = client::enroll(&store, &url, &code, pin.as_ref()).await?;
                println!("Enrolled with the hub for {}. Run `hocso sync now` or let the box sync by itself.", enrolled.commune);
            }
            SyncCommand::Now { data } => {
                let store = open_box(&data.data_dir)?;
                let waiting = store.sync_status().await?.waiting;
                let progress = bar(waiting.max(0) as u64, "sending");
                let shown = progress.clone();
                let result = client::sync(&store, None, &move |p| shown.set_position(p.sent as u64)).await;
                progress.finish_and_clear();
                store.note_sync(result.as_ref().err().map(client::SyncError::plain)).await?;
                match result {
                    Ok(outcome) => println!(
                        "Synced: the hub confirmed {} record(s); {} new lesson pack(s).",
                        outcome.confirmed, outcome.packs
                    ),
                    // The records went; only what came after them failed.
                    Err(e)
                        if !matches!(e, client::SyncError::NotEnrolled)
                            && store.sync_status().await?.waiting == 0 =>
                    {
                        println!("Synced: the hub has confirmed every record.");
                        eprintln!("hocso: but the new lessons were not fetched: {e}");
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            SyncCommand::Export { file: path, data } => {
                let store = open_box(&data.data_dir)?;
                let (bytes, count) = client::export(&store).await?;
                write_file(&path, &bytes)?;
                println!(
                    "Wrote {count} record(s) ({} KB) to {}. Take it to the hub: `hocso sync import FILE`.",
                    bytes.len().div_ceil(1024),
                    path.display()
                );
            }
            SyncCommand::Import { file: path, data_dir, database } => {
                let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                let parts = file::read(&bytes)?;
                if parts.is_empty() {
                    println!("The file holds no records: the hub had confirmed everything when it was written.");
                    return Ok(ExitCode::SUCCESS);
                }
                // A box's file holds its batches and the commune's proposals; a reply, none.
                let from_box = parts.iter().any(|p| {
                    matches!(
                        hocso::protocol::envelope::peek(p),
                        Ok((hocso::protocol::Kind::Batch | hocso::protocol::Kind::Proposal, _))
                    )
                });
                if from_box {
                    let store = open_hub(
                        &data_dir.clone().unwrap_or_else(|| PathBuf::from("hocso-hub")),
                        database.as_deref(),
                    )
                    .await?;
                    let progress = bar(parts.len() as u64, "importing");
                    let shown = progress.clone();
                    let imported = hub::import(&store, &bytes, &move |done, _| shown.set_position(done as u64)).await;
                    progress.finish_and_clear();
                    let imported = imported?;
                    println!("Imported {} new record(s).", imported.new_events);
                    if imported.new_proposals > 0 {
                        println!("Kept {} new proposal(s) of the commune, for an officer to review at /hub/de-xuat.", imported.new_proposals);
                    }
                    for (box_id, held) in &imported.held {
                        println!("  box {box_id}: the hub holds up to seq {held}");
                    }
                    for refused in &imported.refused {
                        println!("  refused: {refused}");
                    }
                    if !imported.refused.is_empty() {
                        eprintln!("hocso: {} batch(es) of the file were refused", imported.refused.len());
                        return Ok(ExitCode::FAILURE);
                    }
                } else {
                    let store = open_box(&data_dir.unwrap_or_else(|| PathBuf::from("hocso-data")))?;
                    let replied = client::import_reply(&store, &bytes).await?;
                    for (box_id, held) in &replied.confirmed {
                        println!("The hub holds this box's records ({box_id}) up to seq {held}.");
                    }
                    println!("{} new lesson pack(s).", replied.packs);
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
