//! The `hocso` command: a clap `Command` enum and a `match` that calls the command bodies in
//! `cli/`; nothing else.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cli::{backup, facilitator, hub, lessons, serve, sync};

/// Hocso (học số): a digital-skills school on a small box in the commune hall. Phones on the
/// hall's Wi-Fi read lessons, hear them and take quizzes; no internet needed.
#[derive(Parser)]
#[command(name = "hocso", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the box: serve the lessons to every phone on the network.
    Serve(serve::ServeArgs),
    /// Work with lesson files.
    #[command(subcommand)]
    Lessons(lessons::LessonsCommand),
    /// Add facilitators or reset their passwords, on the box itself. The password is read
    /// from standard input: typed twice at the prompt, or two lines piped in.
    #[command(subcommand)]
    Facilitator(facilitator::FacilitatorCommand),
    /// Run the province hub (without a sub-command), or work with its records.
    Hub(hub::HubArgs),
    /// Sync this box with the province: enrol, sync now, or carry records on a USB stick.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Write a consistent copy of the box's records to FILE, while it serves.
    Backup(backup::BackupArgs),
    /// Bring a copy made by `hocso backup` back into an empty data folder (a new SD card).
    Restore(backup::RestoreArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Lessons(lessons::LessonsCommand::Check {
            dir,
            assets,
            stats,
            pack,
        }) => lessons::check(dir, assets, stats, pack),
        Command::Facilitator(command) => facilitator::run(command),
        Command::Hub(args) => hub::run(args),
        Command::Sync(command) => sync::run(command),
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hocso: {e:#}");
            ExitCode::FAILURE
        }
    }
}
