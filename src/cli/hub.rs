//! `hocso hub`: run the province hub, or work with its records (codes, status, reply
//! files, officers and their roles, publishing a lessons folder as a pack, leading a live
//! lesson: `live`).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use hocso::content::LessonTree;
use hocso::{Config, Role};

use super::{Switch, open_hub, run_server, write_file};

mod live;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HubArgs {
    #[command(subcommand)]
    command: Option<HubCommand>,
    /// Address and port the hub listens on.
    #[arg(long, env = "HOCSO_HUB_BIND", default_value = "0.0.0.0:8090")]
    bind: SocketAddr,
    #[command(flatten)]
    data: HubDataArgs,
    /// Advertise the hub on the LAN (mDNS `_hocso-hub._tcp`), so boxes sync with it at once.
    #[arg(long, env = "HOCSO_MDNS", value_enum, default_value_t = Switch::On)]
    mdns: Switch,
    /// Advertise only on this network interface.
    #[arg(long, env = "HOCSO_MDNS_INTERFACE", value_name = "IF")]
    mdns_interface: Option<String>,
    /// Serve HTTPS with this certificate chain (a PEM file, the hub's own certificate first);
    /// with --tls-key. Without them the hub serves plain HTTP, for a LAN or behind a proxy
    /// that speaks TLS (README: "The hub behind nginx").
    #[arg(long, env = "HOCSO_TLS_CERT", value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (a PEM file).
    #[arg(long, env = "HOCSO_TLS_KEY", value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

/// Where the hub's records are: its data folder's SQLite, or a PostgreSQL database.
#[derive(Args)]
pub struct HubDataArgs {
    /// Folder for the hub's database and key; created on first start. With --database it
    /// holds no records.
    #[arg(
        long,
        env = "HOCSO_HUB_DATA_DIR",
        default_value = "hocso-hub",
        value_name = "DIR"
    )]
    data_dir: PathBuf,
    /// Keep the hub's records in PostgreSQL instead, e.g.
    /// postgres://hocso:PASSWORD@localhost/hocso (or libpq's "host=… dbname=…" words).
    /// Several hub processes may share one database.
    #[arg(long, env = "HOCSO_DATABASE_URL", value_name = "URL")]
    database: Option<String>,
}

impl HubDataArgs {
    async fn open(&self) -> anyhow::Result<hocso::store::HubStore> {
        open_hub(&self.data_dir, self.database.as_deref()).await
    }
}

#[derive(Subcommand)]
pub enum HubCommand {
    /// Make a one-time enrolment code for a commune and print it.
    Code {
        commune: String,
        /// The commune's province, on a hub that serves several (national, or one that
        /// will join the national picture).
        #[arg(long)]
        province: Option<String>,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Make a one-time code for a province's own hub to join this (national) hub and pass on
    /// its boxes' records, and print it.
    JoinCode {
        province: String,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Join a national hub with the join code it made for this hub's province, then pass every
    /// box's records on to it (the boxes' own signed batches, each once). While it serves, the
    /// hub goes on passing them on by itself.
    Join {
        /// The national hub's address, e.g. https://hocso.example.gov.vn
        url: String,
        code: String,
        /// The SHA-256 fingerprint of the national hub's certificate, when the web's roots do
        /// not vouch for it (its own CA, a self-signed one): 64 hex digits, with or without
        /// colons. Kept and checked on every later request.
        #[arg(long, value_name = "SHA256")]
        fingerprint: Option<String>,
        /// Pass the records on over plain HTTP though the national hub's address is public
        /// (they cross the internet readable). Plain HTTP to a private address needs no flag.
        #[arg(long)]
        plain_http: bool,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Pass the boxes' records on to the national hub this hub joined, now.
    Forward {
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Print every enrolled box: commune, last sync, events held.
    Status {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Write a reply file for a box (by its id): what the hub holds of it, and the newest
    /// lessons. The box takes it with `hocso sync import FILE`.
    Reply {
        box_id: String,
        file: PathBuf,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Add an officer (who signs in to the hub's pages), or give one a new password with
    /// --reset-password; the password is read twice from standard input.
    Officer {
        /// The name they sign in with, e.g. "Nguyễn Văn An".
        name: String,
        /// Give this existing officer a new password and sign them out everywhere.
        #[arg(long)]
        reset_password: bool,
        /// Keep a new officer to one province: they see and export only its communes.
        /// Without it an officer sees every province.
        #[arg(long, conflicts_with = "reset_password")]
        province: Option<String>,
        /// Make the new officer an administrator: they read the audit log and allow or stop
        /// other officers seeing learners' names (logged as a grant by `hocso hub`).
        #[arg(long, conflicts_with = "reset_password")]
        administrator: bool,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Give an officer a role, logged in the audit log: `names` (sees learners' names where
    /// the commune sent them) or `administrator` (reads the log, allows names). Every
    /// officer starts with neither.
    Grant {
        /// The officer's name, as they sign in.
        name: String,
        #[arg(value_enum)]
        role: RoleArg,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Take a role from an officer, logged in the audit log.
    Revoke {
        name: String,
        #[arg(value_enum)]
        role: RoleArg,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Copy this hub's records from its folder's SQLite into PostgreSQL (its key, officers,
    /// codes, boxes, every event, learners and packs), then count both sides. Stop the hub
    /// first; run it again to resume a copy cut short. Then start `hocso hub --database URL`.
    MigrateTo {
        /// The PostgreSQL database, empty or holding this hub's earlier copy.
        url: String,
        /// The SQLite hub's folder.
        #[arg(
            long,
            env = "HOCSO_HUB_DATA_DIR",
            default_value = "hocso-hub",
            value_name = "DIR"
        )]
        data_dir: PathBuf,
    },
    /// A live lesson the province leads to every commune hall: start, next, back, reveal,
    /// total on|off, end, status.
    Live {
        #[command(subcommand)]
        command: live::LiveCommand,
    },
    /// Publish a lessons folder as a content pack (checked as `hocso lessons check` does);
    /// boxes receive it on their next sync or reply file.
    Publish {
        dir: PathBuf,
        /// The pack's name (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        data: HubDataArgs,
    },
}

/// An officer's role as the command line names it.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    /// Sees learners' names.
    Names,
    /// Reads the audit log and allows names.
    Administrator,
}

impl RoleArg {
    fn role(self) -> hocso::store::OfficerRole {
        match self {
            RoleArg::Names => hocso::store::OfficerRole::SeeNames,
            RoleArg::Administrator => hocso::store::OfficerRole::Administrator,
        }
    }
}

/// Gives (`on`) or takes `role` of officer `name` on the command line, logged as the
/// command line's.
async fn set_role(
    store: &hocso::store::HubStore,
    name: &str,
    role: RoleArg,
    on: bool,
) -> anyhow::Result<ExitCode> {
    let accounts = store.accounts();
    let Some((officer, _)) = accounts.facilitator_login(&hocso::text::fold(name)).await? else {
        anyhow::bail!("no officer is named {name}; `hocso hub officer NAME` adds one");
    };
    let granting = hocso::store::Granting {
        by: None,
        role: role.role(),
        on,
    };
    let had = match role.role() {
        hocso::store::OfficerRole::SeeNames => officer.roles.see_names,
        hocso::store::OfficerRole::Administrator => officer.roles.administrator,
    };
    accounts
        .set_role(&hocso::store::Scope::All, &officer.id, granting)
        .await?;
    let role = role.role().as_str();
    match (had == on, on) {
        (true, true) => println!("{} has the role {role} already.", officer.name),
        (true, false) => println!("{} does not have the role {role}.", officer.name),
        (false, true) => println!("{} now has the role {role} (logged).", officer.name),
        (false, false) => println!("{} no longer has the role {role} (logged).", officer.name),
    }
    Ok(ExitCode::SUCCESS)
}

/// `hocso hub`: serve the hub, or one of its sub-commands on its folder.
pub fn run(args: HubArgs) -> anyhow::Result<ExitCode> {
    let Some(command) = args.command else {
        return run_server(Config {
            role: Role::Hub,
            bind: args.bind,
            data_dir: args.data.data_dir,
            mdns: args.mdns == Switch::On,
            mdns_interface: args.mdns_interface,
            machine: None,
            database: args.data.database,
            tls: args
                .tls_cert
                .zip(args.tls_key)
                .map(|(cert, key)| hocso::config::TlsFiles { cert, key }),
            ..Config::default()
        });
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    if let HubCommand::MigrateTo { url, data_dir } = &command {
        return runtime.block_on(migrate_to(url, data_dir));
    }
    let command = match command {
        HubCommand::Live { command } => return runtime.block_on(live::run(command)),
        command => command,
    };
    runtime.block_on(async move {
        let store = match &command {
            HubCommand::Code { data, .. }
            | HubCommand::JoinCode { data, .. }
            | HubCommand::Join { data, .. }
            | HubCommand::Forward { data }
            | HubCommand::Status { data, .. }
            | HubCommand::Reply { data, .. }
            | HubCommand::Officer { data, .. }
            | HubCommand::Grant { data, .. }
            | HubCommand::Revoke { data, .. }
            | HubCommand::Publish { data, .. } => data.open().await?,
            HubCommand::MigrateTo { .. } | HubCommand::Live { .. } => {
                unreachable!("run above")
            }
        };
        match command {
            HubCommand::Code { commune, province, .. } => {
                let commune = place_name(&commune, "commune")?;
                let province = province.as_deref().map(|p| place_name(p, "province")).transpose()?;
                let code = store.new_code(&commune, province.as_deref().unwrap_or_default()).await?;
                println!("{code}");
                match province {
                    Some(province) => eprintln!("Enrolment code for {commune}, {province}; it works once."),
                    None => eprintln!("Enrolment code for {commune}; it works once."),
                }
            }
            HubCommand::JoinCode { province, .. } => {
                let province = place_name(&province, "province")?;
                let code = store.new_join_code(&province).await?;
                println!("{code}");
                eprintln!(
                    "Join code for the hub of {province}; it works once. On that hub run: hocso hub join URL-OF-THIS-HUB {code}"
                );
            }
            HubCommand::Join { url, code, fingerprint, plain_http, .. } => {
                let pin = fingerprint
                    .map(|f| {
                        hocso::protocol::address::Fingerprint::parse(&f).context(
                            "the fingerprint is 64 hex digits, with or without colons, as `openssl x509 -noout -fingerprint -sha256 -in CERT` prints it",
                        )
                    })
                    .transpose()?;
                let joined = hocso::sync::relay::join(&store, &url, &code, (pin.as_ref(), plain_http))
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot join {url}: {e}"))?;
                println!("Joined the national hub at {url} as {}.", joined.commune);
                return forward(&store).await;
            }
            HubCommand::Forward { .. } => return forward(&store).await,
            HubCommand::Status { json, .. } => {
                let boxes = store.boxes(&hocso::store::Scope::All).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&boxes)?);
                } else if boxes.is_empty() {
                    println!("No box is enrolled yet. Make a code with `hocso hub code COMMUNE`.");
                } else {
                    println!("{:<16} {:<24} {:<26} {:>8}  box", "province", "commune", "last sync", "events");
                    for b in boxes {
                        println!(
                            "{:<16} {:<24} {:<26} {:>8}  {}{}",
                            if b.province.is_empty() { "-" } else { &b.province },
                            b.commune,
                            b.last_sync_at.as_deref().unwrap_or("never"),
                            b.events,
                            b.box_id,
                            if b.conflict.is_some() { "  CONFLICT: two boxes send as this one" } else { "" }
                        );
                    }
                }
                if !json {
                    for r in store.relays().await? {
                        match (&r.hub_id, &r.joined_at) {
                            (Some(hub), Some(at)) => println!("Join code {} ({}): hub {hub} joined at {at}.", r.code, r.province),
                            _ => println!("Join code {} ({}): not used yet.", r.code, r.province),
                        }
                    }
                    if let Some(on) = store.passing_on().await? {
                        println!("Passes its boxes on to the national hub at {}.", on.national.url);
                    }
                }
            }
            HubCommand::Reply { box_id, file, .. } => {
                let Some(bytes) = hocso::hub::reply(&store, &box_id).await? else {
                    anyhow::bail!("no box {box_id} is enrolled here; `hocso hub status` lists them");
                };
                write_file(&file, &bytes)?;
                println!("Wrote the reply for box {box_id} to {}.", file.display());
            }
            HubCommand::Officer {
                name,
                reset_password,
                province,
                administrator,
                ..
            } => {
                let province = province.as_deref().map(|p| place_name(p, "province")).transpose()?;
                let made = super::facilitator::account(
                    &store.accounts(),
                    &name,
                    !reset_password,
                    province,
                    ("officer", "/hub"),
                )
                .await?;
                if administrator && made == ExitCode::SUCCESS {
                    return set_role(&store, &name, RoleArg::Administrator, true).await;
                }
                return Ok(made);
            }
            HubCommand::Grant { name, role, .. } => return set_role(&store, &name, role, true).await,
            HubCommand::Revoke { name, role, .. } => return set_role(&store, &name, role, false).await,
            HubCommand::MigrateTo { .. } | HubCommand::Live { .. } => {}
            HubCommand::Publish { dir, name, .. } => {
                let name = match name {
                    Some(name) => name,
                    None => dir
                        .canonicalize()?
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                };
                let files = pack_files(&dir)
                    .with_context(|| format!("cannot read {}", dir.display()))?;
                let warnings = super::lessons::pack_warnings(&name, &files);
                match hocso::hub::publish(&store, &name, files).await {
                    Ok(version) => {
                        for warning in &warnings {
                            println!("{warning} (warning)");
                        }
                        println!("Published pack {name}, version {version}. Boxes receive it on their next sync.");
                    }
                    Err(hocso::hub::PublishError::Problems(problems)) => {
                        for problem in &problems {
                            println!("{problem}");
                        }
                        anyhow::bail!("the pack was not published: {} problem(s)", problems.len());
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Passes the boxes on to the national hub and says what it did; exit 1 if a box is held back.
async fn forward(store: &hocso::store::HubStore) -> anyhow::Result<ExitCode> {
    let done = hocso::sync::relay::forward(store)
        .await
        .map_err(|e| anyhow::anyhow!("cannot pass the boxes on: {e}"))?;
    println!(
        "Passed on to the national hub: {} box(es) introduced, {} batch(es), {} event(s).",
        done.introduced, done.batches, done.events
    );
    if done.signed_here > 0 {
        println!(
            "{} event(s) taken before this hub kept the boxes' signed batches went signed by this hub.",
            done.signed_here
        );
    }
    for (box_id, why) in &done.held_back {
        eprintln!("box {box_id} is held back: {why}");
    }
    Ok(match done.held_back.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    })
}

/// `hocso hub migrate-to URL`: the SQLite hub in `data_dir` copied into PostgreSQL at `url`,
/// with a progress bar, then each table counted on both sides (exit 1 if any differ).
async fn migrate_to(url: &str, data_dir: &Path) -> anyhow::Result<ExitCode> {
    if !data_dir.join(hocso::store::DB_FILE).exists() {
        anyhow::bail!(
            "no hub's database in {}; give the hub's folder with --data-dir",
            data_dir.display()
        );
    }
    let from = hocso::store::Store::open_on(data_dir, None)?;
    let to = hocso::store::Postgres::open(url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the PostgreSQL database: {e}"))?;
    let progress = super::bar(0, "copying records");
    let shown = progress.clone();
    let counted = hocso::store::migrate_to_postgres(&from, &to, &move |done, total| {
        shown.set_length(total);
        shown.set_position(done);
    })
    .await;
    progress.finish_and_clear();
    let counted = counted?;
    println!("{:<14} {:>10} {:>12}", "records", "SQLite", "PostgreSQL");
    let mut same = true;
    for c in &counted {
        let mark = if c.sqlite == c.postgres {
            ""
        } else {
            "  DIFFERENT"
        };
        same &= c.sqlite == c.postgres;
        println!("{:<14} {:>10} {:>12}{mark}", c.table, c.sqlite, c.postgres);
    }
    if !same {
        eprintln!("hocso: the counts differ; run the same command again to resume the copy");
        return Ok(ExitCode::FAILURE);
    }
    println!("Every record is in PostgreSQL. Start the hub with: hocso hub --database URL");
    Ok(ExitCode::SUCCESS)
}

/// A commune's or province's name as typed, tidied, or what is wrong with it.
fn place_name(name: &str, what: &str) -> anyhow::Result<String> {
    hocso::text::commune_name(name).map_err(|_| {
        anyhow::anyhow!(
            "give the {what}'s name: visible text without control characters, at most {} characters",
            hocso::text::MAX_COMMUNE
        )
    })
}

/// The lessons folder `dir` as a pack's files (path → text). Every file must be UTF-8 text.
fn pack_files(dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let tree = LessonTree::from_dir(dir, &dir.join("..").join("assets"))?;
    tree.files
        .into_iter()
        .map(|(path, bytes)| {
            String::from_utf8(bytes)
                .map(|text| (path.clone(), text))
                .map_err(|_| {
                    anyhow::anyhow!("{path} is not UTF-8 text; a pack carries lesson text only")
                })
        })
        .collect()
}
