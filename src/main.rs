//! The `guanjia` command line: `serve`, `migrate`, `schema`.
//!
//! Settings come from flags or `GUANJIA_*` environment variables (flags win). Secrets —
//! `GUANJIA_TOKEN_SECRET`, `GUANJIA_ADMIN_PASSWORD` — are read from the environment only:
//! flags show up in `ps` and shell history. Logs go to stderr; stdout carries what the user
//! asked for (the schema, the address to open, a generated admin password).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use guanjia_api::config::DEFAULT_ADMIN_DIVISION;
use guanjia_api::{shutdown_signal, AppConfig, Application, Secret};

const SECRETS_HELP: &str = "\
Secrets are read from the environment only:
  GUANJIA_TOKEN_SECRET    key that signs sign-in tokens (at least 32 characters). Required with
                          PostgreSQL; with SQLite a random key is kept in <database file>.token-key
  GUANJIA_ADMIN_PASSWORD  password of the first admin, created on the first start of an empty
                          database; when unset one is generated and printed once
Logging: RUST_LOG (default \"info\"), written to stderr.";

/// Guanjia (项目管家): case tracking for steward teams, with a GraphQL API.
#[derive(Debug, Parser)]
#[command(name = "guanjia", version, after_help = SECRETS_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server: GraphQL at /graphql (a query console on GET), subscriptions at
    /// /graphql/ws, health at /healthz and /readyz. Migrates the database first; on an empty
    /// database creates the user `admin`. Stops gracefully on Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Bring the database schema up to date and exit (`serve` does this too). Refuses a
    /// database that a newer guanjia has migrated.
    Migrate(DatabaseArgs),
    /// Print the GraphQL schema (SDL) to stdout; the repository's schema.graphql is this output.
    Schema,
}

#[derive(Debug, Args)]
struct DatabaseArgs {
    /// The event store: sqlite://FILE (created when missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "GUANJIA_DATABASE_URL",
        default_value = "sqlite://./guanjia.db",
        hide_env_values = true
    )]
    database_url: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, env = "GUANJIA_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Longest a GraphQL request may run before it is answered with REQUEST_TIMEOUT.
    #[arg(long, env = "GUANJIA_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    request_timeout_secs: u64,
    /// Largest request body in bytes (larger: HTTP 413).
    #[arg(long, env = "GUANJIA_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    max_body_bytes: usize,
    /// Deepest nesting a query may have.
    #[arg(long, env = "GUANJIA_MAX_QUERY_DEPTH", default_value_t = 12)]
    max_query_depth: usize,
    /// Highest complexity a query may have.
    #[arg(long, env = "GUANJIA_MAX_QUERY_COMPLEXITY", default_value_t = 500)]
    max_query_complexity: usize,
    /// How long a sign-in token is valid, in hours.
    #[arg(long, env = "GUANJIA_TOKEN_TTL_HOURS", default_value_t = 12)]
    token_ttl_hours: u64,
    /// Division code of the first admin (12 digits, district level).
    #[arg(long, env = "GUANJIA_ADMIN_DIVISION", default_value = DEFAULT_ADMIN_DIVISION)]
    admin_division: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let outcome = match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(args) => migrate(args).await,
        Command::Schema => {
            print!("{}", guanjia_api::graphql::sdl());
            Ok(())
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let mut config = AppConfig::new(args.database.database_url);
    config.listen = args.listen;
    config.limits.request_timeout = Duration::from_secs(args.request_timeout_secs.max(1));
    config.limits.max_body_bytes = args.max_body_bytes;
    config.limits.max_depth = args.max_query_depth;
    config.limits.max_complexity = args.max_query_complexity;
    config.auth.token_ttl = Duration::from_secs(args.token_ttl_hours.max(1) * 3600);
    config.auth.admin_division = args.admin_division;
    config.auth.token_secret = secret_from_env("GUANJIA_TOKEN_SECRET");
    config.auth.admin_password = secret_from_env("GUANJIA_ADMIN_PASSWORD");

    let mut app = Application::build(config)
        .await
        .map_err(|error| error.to_string())?;
    let address = app.address();
    println!("Guanjia is listening on http://{address}");
    println!("  query console: http://{address}/graphql");
    if let Some(admin) = app.take_bootstrap_admin() {
        println!("Created the first admin account: {}", admin.username);
        match admin.generated_password {
            Some(password) => println!(
                "  password: {}\n  (shown only this once; sign in and change it with changeMyPassword)",
                password.expose()
            ),
            None => println!("  password: the one in GUANJIA_ADMIN_PASSWORD"),
        }
    }
    app.run_until_stopped(shutdown_signal())
        .await
        .map_err(|error| format!("the server stopped with an error: {error}"))
}

async fn migrate(args: DatabaseArgs) -> Result<(), String> {
    let report = guanjia_store::migrate(&args.database_url)
        .await
        .map_err(|error| error.to_string())?;
    if report.applied.is_empty() {
        println!(
            "The database schema is current (version {}).",
            report.version
        );
    } else {
        println!(
            "Applied migrations {:?}; the schema is at version {}.",
            report.applied, report.version
        );
    }
    Ok(())
}

fn secret_from_env(name: &str) -> Option<Secret> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.is_empty())
        .map(Secret::new)
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
