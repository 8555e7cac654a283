//! The `hocso` command: parses the command line and calls the library; nothing else.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use hocso::content::{self, LessonTree};
use hocso::{Config, Role, discovery};

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
    Serve(ServeArgs),
    /// Work with lesson files.
    #[command(subcommand)]
    Lessons(LessonsCommand),
    /// Add facilitators or reset their passwords, on the box itself. The password is read
    /// from standard input: typed twice at the prompt, or two lines piped in.
    #[command(subcommand)]
    Facilitator(FacilitatorCommand),
    /// Run the province hub (without a sub-command), or work with its records.
    Hub(HubArgs),
    /// Sync this box with the province: enrol, sync now, or carry records on a USB stick.
    #[command(subcommand)]
    Sync(SyncCommand),
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
struct HubArgs {
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
}

/// The hub's data folder.
#[derive(Args)]
struct HubDataArgs {
    /// Folder for the hub's database and key; created on first start.
    #[arg(
        long,
        env = "HOCSO_HUB_DATA_DIR",
        default_value = "hocso-hub",
        value_name = "DIR"
    )]
    data_dir: PathBuf,
}

#[derive(Subcommand)]
enum HubCommand {
    /// Make a one-time enrolment code for a commune and print it.
    Code {
        commune: String,
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

#[derive(Subcommand)]
enum SyncCommand {
    /// Enrol this box with the hub at URL using the code the province gave.
    Enroll {
        url: String,
        code: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Send every record the hub has not confirmed, and fetch new lessons, now.
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
    Import {
        file: PathBuf,
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum FacilitatorCommand {
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

#[derive(Args)]
struct ServeArgs {
    /// Address and port to listen on. 0.0.0.0 means every network interface.
    #[arg(long, env = "HOCSO_BIND", default_value = "0.0.0.0:8080")]
    bind: SocketAddr,
    #[command(flatten)]
    data: DataArgs,
    /// Advertise the box as hocso.local on the LAN (mDNS).
    #[arg(long, env = "HOCSO_MDNS", value_enum, default_value_t = Switch::On)]
    mdns: Switch,
    /// Advertise only on this network interface, e.g. wlan0 (default: the one the box listens on, or all).
    #[arg(long, env = "HOCSO_MDNS_INTERFACE", value_name = "IF")]
    mdns_interface: Option<String>,
    /// The short name phones type, which the hotspot's DNS answers with the box (see deploy/).
    #[arg(long, env = "HOCSO_HOST_NAME", default_value = hocso::web::DEFAULT_HOST_NAME)]
    host_name: String,
    /// Connections served at once; one more is told the box is busy.
    #[arg(long, env = "HOCSO_MAX_CONNECTIONS", default_value_t = Config::default().max_connections, value_name = "N")]
    max_connections: usize,
}

/// The data folder; every command that touches the box's records takes it.
#[derive(Args)]
struct DataArgs {
    /// Folder for the box's database and keys; created on first start.
    #[arg(
        long,
        env = "HOCSO_DATA_DIR",
        default_value = "hocso-data",
        value_name = "DIR"
    )]
    data_dir: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Switch {
    On,
    Off,
}

#[derive(Subcommand)]
enum LessonsCommand {
    /// Check a lesson tree and print every problem as `file:line: message`. Exits non-zero if
    /// there is any. Without DIR, checks the lessons built into this binary.
    Check {
        /// A lessons folder to check before building, e.g. ./lessons.
        dir: Option<PathBuf>,
        /// The assets folder its images come from (default: `assets` beside DIR).
        #[arg(long, value_name = "DIR")]
        assets: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Lessons(LessonsCommand::Check { dir, assets }) => check(dir, assets),
        Command::Facilitator(command) => facilitator(command),
        Command::Hub(args) => hub(args),
        Command::Sync(command) => sync(command),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hocso: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    run_server(Config {
        role: Role::Box,
        bind: args.bind,
        data_dir: args.data.data_dir,
        mdns: args.mdns == Switch::On,
        mdns_interface: args.mdns_interface,
        host_name: args.host_name,
        machine: None,
        max_connections: args.max_connections,
        ..Config::default()
    })
}

/// Runs a box or a hub until Ctrl-C or SIGTERM.
fn run_server(config: Config) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "hocso=info,tower_http=warn".into()),
        )
        .init();
    let role = config.role;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let server = hocso::Server::open(config)?;
    runtime.block_on(async move {
        let config = server.config();
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {}; is another program using it? Choose another with --bind",
                    config.bind
                )
            })?;
        let bound = listener.local_addr()?;
        match role {
            Role::Box => println!("Học số is serving. Open on a phone / Mở trên điện thoại:"),
            Role::Hub => println!("Học số hub is serving. Officers open / Cán bộ tỉnh mở:"),
        }
        for ip in discovery::local_ipv4(bound) {
            println!("  {}", discovery::url(&ip.to_string(), bound.port()));
        }
        if role == Role::Box {
            if config.mdns {
                println!(
                    "  {}",
                    discovery::url(discovery::HOST_NAME.trim_end_matches('.'), bound.port())
                );
            }
            println!(
                "  {} (on the hall's hotspot / trên Wi-Fi của nhà văn hóa)",
                discovery::url(&config.host_name, bound.port())
            );
        }
        println!(
            "Data folder: {}. Stop with Ctrl-C.",
            config.data_dir.display()
        );
        if let Some(code) = server.setup_code() {
            println!(
                "Set-up code / Mã cài đặt: {code}. Open /setup on this address to create the first account."
            );
        }
        server.serve(listener, shutdown_signal()).await?;
        println!("Stopped.");
        Ok(ExitCode::SUCCESS)
    })
}

/// Resolves on Ctrl-C or SIGTERM (what systemd sends).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn check(dir: Option<PathBuf>, assets: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let tree = match dir {
        None => LessonTree::embedded(),
        Some(dir) => {
            let assets = assets.unwrap_or_else(|| dir.join("..").join("assets"));
            anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
            LessonTree::from_dir(&dir, &assets)
                .with_context(|| format!("cannot read {}", dir.display()))?
        }
    };
    let (catalogue, problems) = content::load(&tree, &|name| format!("/assets/{name}"));
    for problem in &problems {
        println!("{problem}");
    }
    let lessons = catalogue.lessons().count();
    let files: usize = catalogue.lessons().map(|l| l.headings.iter().count()).sum();
    if problems.is_empty() {
        println!(
            "ok: {} modules, {lessons} lessons, {files} lesson files",
            catalogue.modules.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s) in {}", problems.len(), tree.label);
        Ok(ExitCode::FAILURE)
    }
}

/// `hocso facilitator add|reset-password`: reads the password twice from standard input.
fn facilitator(command: FacilitatorCommand) -> anyhow::Result<ExitCode> {
    use hocso::facilitate;
    use std::io::BufRead;

    let (name, data, adding) = match command {
        FacilitatorCommand::Add { name, data } => (name, data, true),
        FacilitatorCommand::ResetPassword { name, data } => (name, data, false),
    };
    std::fs::create_dir_all(&data.data_dir)
        .with_context(|| format!("cannot create {}", data.data_dir.display()))?;
    let store = hocso::store::Store::open(&data.data_dir)?;
    eprintln!(
        "Password for {name} (at least {} characters), then again; each on its own line:",
        facilitate::MIN_PASSWORD
    );
    let mut lines = std::io::stdin().lock().lines();
    let mut line =
        || -> anyhow::Result<String> { Ok(lines.next().transpose()?.unwrap_or_default()) };
    let (password, again) = (line()?, line()?);
    let new = match facilitate::new_facilitator(&name, &password, &again) {
        Ok(new) => new,
        Err(invalid) => {
            for problem in invalid {
                eprintln!("hocso: {}", facilitate::describe(problem));
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        if adding {
            let shown = new.name.clone();
            match store.add_facilitator(new).await? {
                Some(_) => println!("Added facilitator {shown}. Sign in at /f/signin."),
                None => {
                    anyhow::bail!("a facilitator named {shown} already exists; use reset-password")
                }
            }
        } else if store
            .reset_facilitator_password(&new.name_key, &new.password_hash)
            .await?
        {
            println!(
                "New password set for {}; their sessions are ended.",
                new.name
            );
        } else {
            anyhow::bail!("no facilitator is named {}", new.name);
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `hocso hub`: serve the hub, or one of its sub-commands on its folder.
fn hub(args: HubArgs) -> anyhow::Result<ExitCode> {
    let Some(command) = args.command else {
        return run_server(Config {
            role: Role::Hub,
            bind: args.bind,
            data_dir: args.data.data_dir,
            mdns: args.mdns == Switch::On,
            mdns_interface: args.mdns_interface,
            machine: None,
            ..Config::default()
        });
    };
    let data = match &command {
        HubCommand::Code { data, .. }
        | HubCommand::Status { data, .. }
        | HubCommand::Reply { data, .. }
        | HubCommand::Publish { data, .. } => data.data_dir.clone(),
    };
    let store = open_hub(&data)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match command {
            HubCommand::Code { commune, .. } => {
                let commune = commune.split_whitespace().collect::<Vec<_>>().join(" ");
                anyhow::ensure!(
                    !commune.is_empty() && commune.chars().count() <= 100,
                    "give the commune's name (at most 100 characters)"
                );
                let code = store.hub().new_code(&commune).await?;
                println!("{code}");
                eprintln!("Enrolment code for {commune}; it works once.");
            }
            HubCommand::Status { json, .. } => {
                let boxes = store.hub().boxes().await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&boxes)?);
                } else if boxes.is_empty() {
                    println!("No box is enrolled yet. Make a code with `hocso hub code COMMUNE`.");
                } else {
                    println!("{:<24} {:<26} {:>8}  box", "commune", "last sync", "events");
                    for b in boxes {
                        println!(
                            "{:<24} {:<26} {:>8}  {}{}",
                            b.commune,
                            b.last_sync_at.as_deref().unwrap_or("never"),
                            b.events,
                            b.box_id,
                            if b.conflict.is_some() { "  CONFLICT: two boxes send as this one" } else { "" }
                        );
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
                match hocso::hub::publish(&store, &name, files).await {
                    Ok(version) => println!("Published pack {name}, version {version}. Boxes receive it on their next sync."),
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

/// The lessons folder `dir` as a pack's files (path → text). Every file must be UTF-8 text.
fn pack_files(dir: &std::path::Path) -> anyhow::Result<std::collections::BTreeMap<String, String>> {
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

fn open_hub(dir: &std::path::Path) -> anyhow::Result<hocso::store::Store> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(hocso::store::Store::open_on(dir, None)?)
}

fn open_box(dir: &std::path::Path) -> anyhow::Result<hocso::store::Store> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(hocso::store::Store::open(dir)?)
}

/// Writes `bytes` to `path` whole: to a temporary name first, synced, then renamed, so a
/// stick pulled out too early leaves no half file under the real name.
fn write_file(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let partial = path.with_extension("partial");
    let mut file = std::fs::File::create(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)?;
    Ok(())
}

fn bar(total: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// `hocso sync …` on a box (and `import` on a hub).
fn sync(command: SyncCommand) -> anyhow::Result<ExitCode> {
    use hocso::hub;
    use hocso::protocol::file;
    use hocso::sync::client;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match command {
            SyncCommand::Enroll { url, code, data } => {
                anyhow::ensure!(
                    hocso::facilitate::is_hub_url(url.trim().trim_end_matches('/')),
                    "the hub's address starts with http://, e.g. http://192.168.1.10:8090"
                );
                let store = open_box(&data.data_dir)?;
                let enrolled = client::enroll(&store, &url, &code).await?;
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
                let outcome = result?;
                println!(
                    "Synced: the hub confirmed {} record(s); {} new lesson pack(s).",
                    outcome.confirmed, outcome.packs
                );
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
            SyncCommand::Import { file: path, data_dir } => {
                let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                let parts = file::read(&bytes)?;
                if parts.is_empty() {
                    println!("The file holds no records: the hub had confirmed everything when it was written.");
                    return Ok(ExitCode::SUCCESS);
                }
                let from_box = parts
                    .first()
                    .and_then(|p| hocso::protocol::envelope::peek(p).ok())
                    .is_some_and(|(kind, _)| kind == hocso::protocol::Kind::Batch);
                if from_box {
                    let store = open_hub(&data_dir.unwrap_or_else(|| PathBuf::from("hocso-hub")))?;
                    let progress = bar(parts.len() as u64, "importing");
                    let shown = progress.clone();
                    let imported = hub::import(&store, &bytes, &move |done, _| shown.set_position(done as u64)).await;
                    progress.finish_and_clear();
                    let imported = imported?;
                    println!("Imported {} new record(s).", imported.new_events);
                    for (box_id, held) in &imported.held {
                        println!("  box {box_id}: the hub holds up to seq {held}");
                    }
                    for refused in &imported.refused {
                        println!("  refused: {refused}");
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
