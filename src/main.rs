//! The `pipegate` command: serve the gateway, check a project, or deploy it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use pipegate::config::Config;
use pipegate::project::{deploy, Project};

#[derive(Parser)]
#[command(
    name = "pipegate",
    version,
    about = "ClickHouse behind the PostgreSQL wire protocol"
)]
struct Cli {
    /// Configuration file (default: ./pipegate.toml when it exists). PIPEGATE_* variables
    /// override it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Deploy the project and serve the Postgres and HTTP doors until SIGINT/SIGTERM.
    Serve {
        /// The project folder (overrides `project_dir`).
        #[arg(long, value_name = "DIR")]
        project: Option<PathBuf>,
    },
    /// Validate a project's datafiles and templates without ClickHouse.
    Check {
        /// The project folder.
        #[arg(value_name = "DIR", default_value = "sql")]
        dir: PathBuf,
    },
    /// Create the project's tables in ClickHouse and validate its pipes there.
    Deploy {
        /// The project folder (overrides `project_dir`).
        #[arg(long, value_name = "DIR")]
        project: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match real_main(cli) {
        Ok(code) => code,
        Err(err) => {
            // Our errors carry their causes in their own text.
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn real_main(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Check { dir } = &cli.command {
        return Ok(check(dir));
    }
    let mut config = Config::load(cli.config.as_deref())?;
    let settings = config.settings()?;
    pipegate::telemetry::init(settings.log_format, &config.log.level);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match cli.command {
        Command::Serve { project } => {
            if let Some(dir) = project {
                config.project_dir = dir;
            }
            runtime.block_on(pipegate::run(config, shutdown_signal()))?;
        }
        Command::Deploy { project } => {
            if let Some(dir) = project {
                config.project_dir = dir;
            }
            runtime.block_on(deploy_command(config))?;
        }
        Command::Check { .. } => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// `pipegate check DIR`: every problem, one `file:line: message` per line.
fn check(dir: &std::path::Path) -> ExitCode {
    match Project::load(dir) {
        Ok(project) => {
            println!(
                "{}: ok ({} datasources, {} pipes, {} tokens)",
                dir.display(),
                project.datasources.len(),
                project.pipes.len(),
                project.tokens.len()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

async fn deploy_command(config: Config) -> anyhow::Result<()> {
    let project = Project::load(&config.project_dir)?;
    let metrics = std::sync::Arc::new(pipegate::metrics::Metrics::new());
    let clickhouse = pipegate::clickhouse::ClickHouse::new(&config.clickhouse, metrics);
    let report = deploy::deploy(&project, &clickhouse).await?;
    println!("{report}");
    Ok(())
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("SIGINT received"),
        _ = term => tracing::info!("SIGTERM received"),
    }
}
