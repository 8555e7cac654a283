//! `hocso hub live`: a live lesson the province leads, from the command line, for scripts and
//! rehearsals beside the officer's presenter page: start one (printing its id), move it
//! (`next`, `back`, `reveal`, `total on|off`), end it, and see where it stands. A serving hub
//! tells its halls within half a second; these commands change the records it reads.

use std::process::ExitCode;

use clap::Subcommand;
use hocso::hub::live::{self, Action, Figures, StartRefused};
use hocso::protocol::wire::Pack;
use hocso::store::{HubLive, HubStore};

use super::HubDataArgs;
use crate::cli::Switch;

#[derive(Subcommand)]
pub enum LiveCommand {
    /// Start a live lesson for every commune hall (or those named) and print its id.
    Start {
        /// The lesson's id, e.g. 03-an-toan/01-lua-dao-qua-dien-thoai (`hocso lessons list`).
        lesson: String,
        /// `all`, or the communes' names separated by commas.
        #[arg(long, default_value = "all", value_name = "all|NAME,…")]
        communes: String,
        /// Only this province's halls, on a hub of several provinces (default: every one).
        #[arg(long)]
        province: Option<String>,
        #[command(flatten)]
        data: HubDataArgs,
    },
    /// Move every hall to the next step.
    Next {
        #[command(flatten)]
        which: Which,
    },
    /// Move every hall back a step.
    Back {
        #[command(flatten)]
        which: Which,
    },
    /// Show the current question's answer in every hall.
    Reveal {
        #[command(flatten)]
        which: Which,
    },
    /// Show (on) or hide (off) the province's answers on every hall's projector.
    Total {
        #[arg(value_enum)]
        show: Switch,
        #[command(flatten)]
        which: Which,
    },
    /// End the live lesson: each hall records attendance and answers, then syncs them.
    End {
        #[command(flatten)]
        which: Which,
    },
    /// Print where the live lesson stands and the province's figures.
    Status {
        #[command(flatten)]
        which: Which,
    },
}

/// Which session: the one open (or `--session ID`).
#[derive(clap::Args)]
pub struct Which {
    /// The session's id, when several are open (one a province).
    #[arg(long)]
    session: Option<String>,
    #[command(flatten)]
    data: HubDataArgs,
}

/// The lessons the hub serves: the embedded ones and its published packs.
async fn catalogue(store: &HubStore) -> anyhow::Result<hocso::content::Catalogue> {
    let packs = hocso::hub::published(store).await?;
    let (catalogue, _) = hocso::content::catalogue_with(&Pack::files(&packs), &|n| n.to_string());
    Ok(catalogue)
}

/// The session asked for, or the only one open.
async fn session(store: &HubStore, asked: Option<&str>) -> anyhow::Result<HubLive> {
    if let Some(id) = asked {
        return store
            .live_session(id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no live lesson {id} on this hub"));
    }
    let open: Vec<HubLive> = store
        .live_current()
        .await?
        .into_iter()
        .filter(|s| s.ended_at.is_none())
        .collect();
    match open.as_slice() {
        [one] => Ok(one.clone()),
        [] => {
            anyhow::bail!("no live lesson is running; start one with `hocso hub live start LESSON`")
        }
        _ => anyhow::bail!(
            "{} live lessons are running; name one with --session ({})",
            open.len(),
            open.iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub async fn run(command: LiveCommand) -> anyhow::Result<ExitCode> {
    let (which, action) = match command {
        LiveCommand::Start {
            lesson,
            communes,
            province,
            data,
        } => {
            let store = data.open().await?;
            let catalogue = catalogue(&store).await?;
            let communes = match communes.trim() {
                "all" | "" => None,
                names => Some(
                    names
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_string)
                        .collect(),
                ),
            };
            let started = live::start(
                &store,
                &catalogue,
                &lesson,
                province.as_deref(),
                communes,
                "hocso hub live",
            )
            .await?;
            return match started {
                Ok(session) => {
                    println!("{}", session.id);
                    eprintln!(
                        "Live lesson {lesson} started; halls that can reach this hub follow within seconds. Move it with `hocso hub live next`."
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(StartRefused::NoLesson(_)) => anyhow::bail!(
                    "no lesson {lesson} on this hub; `hocso lessons list` shows the ids"
                ),
                Err(refused) => anyhow::bail!("{refused}"),
            };
        }
        LiveCommand::Next { which } => (which, Some(Action::Next { from: None })),
        LiveCommand::Back { which } => (which, Some(Action::Back { from: None })),
        LiveCommand::Reveal { which } => (which, Some(Action::Reveal { at: None })),
        LiveCommand::Total { show, which } => (which, Some(Action::ShowTotal(show == Switch::On))),
        LiveCommand::End { which } => (which, Some(Action::End)),
        LiveCommand::Status { which } => (which, None),
    };
    let store = which.data.open().await?;
    let catalogue = catalogue(&store).await?;
    let mut session = session(&store, which.session.as_deref()).await?;
    if let Some(action) = action {
        if session.ended_at.is_some() {
            anyhow::bail!("the live lesson {} has ended", session.id);
        }
        let before = session.version;
        session = live::act(&store, &catalogue, &session.id, action)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the live lesson has ended"))?;
        if session.version == before {
            eprintln!("Nothing to do: {}", where_it_is(&catalogue, &session));
            return Ok(ExitCode::from(1));
        }
    }
    println!("{}", where_it_is(&catalogue, &session));
    let shape = live::shape(&catalogue, &session.lesson_id).unwrap_or_default();
    let figures = Figures::of(
        store.live_halls(&session.id).await?,
        &shape.1,
        store.clock().now(),
    );
    println!(
        "{} halls following, {} people; {} lost their link; {} led by their facilitator.",
        figures.following, figures.people, figures.lost, figures.led_here
    );
    for (q, counts) in figures.answers.iter().enumerate() {
        let counts: Vec<String> = counts
            .iter()
            .enumerate()
            .map(|(c, n)| format!("{}={n}", char::from(b'A' + c as u8)))
            .collect();
        println!("  question {}: {}", q + 1, counts.join(" "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a session stands, in a line.
fn where_it_is(catalogue: &hocso::content::Catalogue, session: &HubLive) -> String {
    let shape = live::shape(catalogue, &session.lesson_id).unwrap_or_default();
    let live = live::as_live(session, shape);
    let at = match live.current() {
        hocso::facilitate::live::Step::Slide(i) => format!("slide {}/{}", i + 1, live.slides),
        hocso::facilitate::live::Step::Question(q) => format!(
            "question {}/{}{}",
            q + 1,
            live.choices.len(),
            if live.revealed { ", answer shown" } else { "" }
        ),
    };
    let state = if session.ended_at.is_some() {
        "ended"
    } else {
        "running"
    };
    format!(
        "{} {} ({state}): step {}, {at}",
        session.id, session.lesson_id, live.step
    )
}
