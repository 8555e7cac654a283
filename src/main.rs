//! The `hocso` command: parses the command line and calls the library; nothing else.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use hocso::content::{self, LessonTree};
use hocso::{Config, discovery};

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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "hocso=info,tower_http=warn".into()),
        )
        .init();
    let config = Config {
        bind: args.bind,
        data_dir: args.data.data_dir,
        mdns: args.mdns == Switch::On,
        mdns_interface: args.mdns_interface,
    };
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
        println!("Học số is serving. Open on a phone / Mở trên điện thoại:");
        for ip in discovery::local_ipv4(bound) {
            println!("  {}", discovery::url(&ip.to_string(), bound.port()));
        }
        if config.mdns {
            println!(
                "  {}",
                discovery::url(discovery::HOST_NAME.trim_end_matches('.'), bound.port())
            );
        }
        println!(
            "Data folder: {}. Stop with Ctrl-C.",
            config.data_dir.display()
        );
        if let Some(code) = server.setup_code() {
            println!(
                "Set-up code / Mã cài đặt: {code}. Open /setup on the box's address to create the first facilitator."
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
