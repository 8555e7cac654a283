//! `hocso facilitator add|reset-password`, on the box itself.

use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use super::DataArgs;

#[derive(Subcommand)]
pub enum FacilitatorCommand {
    /// Add a facilitator (the first one also ends the set-up code).
    Add {
        /// The name they sign in with, e.g. "Lê Thị Hoa".
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Give a facilitator a new password and sign them out everywhere.
    ResetPassword {
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `hocso facilitator add|reset-password`: reads the password twice from standard input.
pub fn run(command: FacilitatorCommand) -> anyhow::Result<ExitCode> {
    let (name, data, adding) = match command {
        FacilitatorCommand::Add { name, data } => (name, data, true),
        FacilitatorCommand::ResetPassword { name, data } => (name, data, false),
    };
    std::fs::create_dir_all(&data.data_dir)
        .with_context(|| format!("cannot create {}", data.data_dir.display()))?;
    let store = hocso::store::Store::open(&data.data_dir)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(account(
        &store.accounts(),
        &name,
        adding,
        None,
        ("facilitator", "/f/signin"),
    ))
}

/// Adds the account `name` (`adding`; a hub's officer kept to `province`) or gives it a new
/// password, the password read twice from standard input: a box's facilitators and a hub's
/// officers alike (`what` names them, `signin` is where they sign in).
pub async fn account(
    accounts: &hocso::store::Accounts,
    name: &str,
    adding: bool,
    province: Option<String>,
    (what, signin): (&str, &str),
) -> anyhow::Result<ExitCode> {
    use hocso::facilitate;
    use std::io::BufRead;

    eprintln!(
        "Password for {name} (at least {} characters), then again; each on its own line:",
        facilitate::MIN_PASSWORD
    );
    let mut lines = std::io::stdin().lock().lines();
    let mut line =
        || -> anyhow::Result<String> { Ok(lines.next().transpose()?.unwrap_or_default()) };
    let (password, again) = (line()?, line()?);
    let new = match facilitate::new_facilitator(name, &password, &again) {
        Ok(new) => hocso::store::NewFacilitator { province, ..new },
        Err(invalid) => {
            for problem in invalid {
                eprintln!("hocso: {}", facilitate::describe(problem));
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    if adding {
        let shown = new.name.clone();
        match accounts.add_facilitator(new).await? {
            Some(_) => println!("Added {what} {shown}. Sign in at {signin}."),
            None => {
                anyhow::bail!("a {what} named {shown} already exists; use reset-password")
            }
        }
    } else if accounts
        .reset_facilitator_password(&new.name_key, &new.password_hash)
        .await?
    {
        println!(
            "New password set for {}; their sessions are ended.",
            new.name
        );
    } else {
        anyhow::bail!("no {what} is named {}", new.name);
    }
    Ok(ExitCode::SUCCESS)
}
