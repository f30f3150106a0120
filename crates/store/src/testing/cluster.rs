//! A throwaway PostgreSQL cluster for tests when `DATABASE_URL` is not set.
//!
//! One cluster per test process, started on first use: `initdb` into a temporary directory,
//! `pg_ctl start` on a free port on 127.0.0.1 with durability turned off (the data dies with the
//! process anyway). `initdb` refuses to run as root, so under root both run as the `postgres`
//! user (`runuser`, else `su`) in a directory that user owns. A small shell watcher outlives
//! nothing: it waits for the test process to exit — however it exits — then stops the cluster
//! and removes the directory. Statics are never dropped in Rust, so a destructor could not.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

const HOW_TO_GET_POSTGRES: &str = "\
PostgreSQL is needed for the PostgreSQL half of these tests, and none was found. Either
  - set DATABASE_URL=postgres://USER@HOST:PORT/DATABASE (a role allowed to CREATE DATABASE), or
  - install PostgreSQL so that `initdb` and `pg_ctl` are on PATH or in /usr/lib/postgresql/*/bin
    (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql).
The tests never skip silently.";

/// The user that runs the cluster when the tests run as root.
const CLUSTER_USER: &str = "postgres";

static CLUSTER: OnceLock<Result<String, String>> = OnceLock::new();

/// The admin URL of this process's cluster, starting it on first call. Panics with
/// instructions when no cluster can be started.
pub(super) fn shared_url() -> String {
    match CLUSTER.get_or_init(start) {
        Ok(url) => url.clone(),
        Err(message) => panic!("{message}"),
    }
}

fn start() -> Result<String, String> {
    let (initdb, pg_ctl) = find_binaries().ok_or_else(|| HOW_TO_GET_POSTGRES.to_string())?;
    let run_as = if is_root() { Some(CLUSTER_USER) } else { None };
    let dir = std::env::temp_dir().join(format!(
        "guanjia-pg-{}-{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if let Some(user) = run_as {
        run(
            Command::new("chown").arg(format!("{user}:")).arg(&dir),
            "chown",
        )
        .map_err(|e| format!("{e}\n(running as root: initdb needs a `{user}` user)"))?;
    }
    let data = dir.join("data");
    let log = dir.join("server.log");
    run(
        as_user(run_as, &initdb).arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]),
        "initdb",
    )?;
    // The watcher starts before the server so that a failed start is cleaned up too.
    spawn_reaper(run_as, &pg_ctl, &dir);

    // A free port can be taken between our probe and the server's bind: try a few.
    let mut last_error = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        let settings = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            dir.display()
        );
        let started = run(
            as_user(run_as, &pg_ctl)
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "-o", &settings, "start"]),
            "pg_ctl start",
        );
        match started {
            Ok(()) => return Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres")),
            Err(error) => last_error = error,
        }
    }
    let server_log = std::fs::read_to_string(&log).unwrap_or_default();
    Err(format!(
        "{last_error}\nserver log:\n{server_log}\n\n{HOW_TO_GET_POSTGRES}"
    ))
}

/// `initdb` and `pg_ctl` from PATH, else from the newest /usr/lib/postgresql/*/bin.
fn find_binaries() -> Option<(PathBuf, PathBuf)> {
    let on_path = |name: &str| {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|candidate| candidate.is_file())
        })
    };
    if let (Some(initdb), Some(pg_ctl)) = (on_path("initdb"), on_path("pg_ctl")) {
        return Some((initdb, pg_ctl));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    let (_, bin) = versions.pop()?;
    Some((bin.join("initdb"), bin.join("pg_ctl")))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// `program` run directly, or as `user` through `runuser` (util-linux) or else `su`.
fn as_user(user: Option<&str>, program: &Path) -> Command {
    let Some(user) = user else {
        return Command::new(program);
    };
    if Path::new("/usr/sbin/runuser").is_file() || Path::new("/sbin/runuser").is_file() {
        let mut command = Command::new("runuser");
        command.args(["-u", user, "--"]).arg(program);
        command
    } else {
        // `su -c` takes one shell string; the arguments are appended by `sh -c '…' _ args`.
        let mut command = Command::new("su");
        command
            .args([user, "-s", "/bin/sh", "-c", "exec \"$0\" \"$@\""])
            .arg(program);
        command
    }
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("{what} could not be run: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| format!("no free port: {error}"))
}

/// Waits (in the background, detached) for this process to exit, then stops the cluster fast
/// and deletes its directory.
fn spawn_reaper(run_as: Option<&str>, pg_ctl: &Path, dir: &Path) {
    let stop = format!(
        "'{}' -D '{}/data' -m immediate stop",
        pg_ctl.display(),
        dir.display()
    );
    let stop = match run_as {
        Some(user) => format!("runuser -u {user} -- {stop} || su {user} -s /bin/sh -c \"{stop}\""),
        None => stop,
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
         {stop} >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        dir = dir.display(),
    );
    let spawned = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Err(error) = spawned {
        eprintln!(
            "the test cluster in {} will outlive the tests: {error}",
            dir.display()
        );
    }
}
