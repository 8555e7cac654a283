//! `hocso backup FILE` and `hocso restore FILE`: a consistent copy of the box's records
//! while it serves, and bringing one back on a new SD card.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use hocso::store;

use super::{DataArgs, bar};

/// `hocso backup`.
#[derive(Args)]
pub struct BackupArgs {
    /// Where to write the copy, e.g. /media/usb/hocso-backup.db.
    file: PathBuf,
    #[command(flatten)]
    data: DataArgs,
}

/// `hocso restore`.
#[derive(Args)]
#[command(
    after_help = "The folder must hold no database yet. The restored box takes a new \
    identity when it starts (as a box whose card went into another board does); its old one \
    vouches for it at the province, so sync goes on with no clone alarm. Records made after \
    the backup are gone from the box; the province still holds what it received of them."
)]
pub struct RestoreArgs {
    /// A copy made by `hocso backup` (or by the box's automatic backups).
    file: PathBuf,
    #[command(flatten)]
    data: DataArgs,
}

pub fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let progress = bar(0, "copying");
    let shown = progress.clone();
    let copied = store::backup(&args.data.data_dir, &args.file, &move |done, total| {
        shown.set_length(total);
        shown.set_position(done);
    });
    progress.finish_and_clear();
    let copied = copied?;
    println!(
        "Wrote a copy of box {} ({} record(s), {} KB) to {}. Restore it with `hocso restore FILE --data-dir DIR`.",
        copied.box_id,
        copied.events,
        copied.bytes.div_ceil(1024),
        args.file.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let progress = bar(0, "restoring");
    let shown = progress.clone();
    let copied = store::restore(&args.file, &args.data.data_dir, &move |done, total| {
        shown.set_length(total);
        shown.set_position(done);
    });
    progress.finish_and_clear();
    let copied = copied?;
    println!(
        "Restored box {} ({} record(s), up to seq {}) into {}. Start it with `hocso serve --data-dir {}`; it takes a new identity, vouched for by this one.",
        copied.box_id,
        copied.events,
        copied.last_seq,
        args.data.data_dir.display(),
        args.data.data_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
