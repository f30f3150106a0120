//! Throwaway PostgreSQL clusters for tests.
//!
//! - The shared one, when `DATABASE_URL` is not set: one per test process, started on first
//!   use ([`shared_url`]).
//! - [`TestCluster`]: a cluster of a test's own, for fault tests that stop, restart or move it
//!   (the machine's shared cluster is never touched).
//!
//! Each is `initdb` into a temporary directory and `pg_ctl start` on a free port on 127.0.0.1
//! with durability turned off (the data dies with the process anyway). `initdb` refuses to run
//! as root, so under root both run as the `postgres` user (`runuser`, else `su`) in a directory
//! that user owns. A small shell watcher outlives nothing: it waits for the test process to
//! exit — however it exits — then stops the cluster and removes the directory (statics are
//! never dropped in Rust, and an aborted test drops nothing).

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
    match CLUSTER.get_or_init(|| TestCluster::start().map(|cluster| cluster.keep())) {
        Ok(url) => url.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// A PostgreSQL cluster of one test's own: stop it, start it again, restart it. Stopped and
/// removed when dropped (and by a watcher when the process dies first).
#[derive(Debug)]
pub struct TestCluster {
    dir: PathBuf,
    pg_ctl: PathBuf,
    run_as: Option<&'static str>,
    port: u16,
    kept: bool,
}

impl TestCluster {
    /// `initdb` and start a new cluster; the error says how to get PostgreSQL.
    pub fn start() -> Result<Self, String> {
        let (initdb, pg_ctl) = find_binaries().ok_or_else(|| HOW_TO_GET_POSTGRES.to_string())?;
        let run_as = if is_root() { Some(CLUSTER_USER) } else { None };
        let dir = std::env::temp_dir().join(format!(
            "guanjia-pg-{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        if let Some(user) = run_as {
            run(
                Command::new("chown").arg(format!("{user}:")).arg(&dir),
                "chown",
            )
            .map_err(|e| format!("{e}\n(running as root: initdb needs a `{user}` user)"))?;
        }
        run(
            as_user(run_as, &initdb)
                .arg("-D")
                .arg(dir.join("data"))
                .args([
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
        let mut cluster = Self {
            dir,
            pg_ctl,
            run_as,
            port: 0,
            kept: false,
        };
        // A free port can be taken between our probe and the server's bind: try a few.
        let mut last_error = String::new();
        for _ in 0..3 {
            cluster.port = free_port()?;
            match cluster.start_again() {
                Ok(()) => return Ok(cluster),
                Err(error) => last_error = error,
            }
        }
        let server_log =
            std::fs::read_to_string(cluster.dir.join("server.log")).unwrap_or_default();
        Err(format!(
            "{last_error}\nserver log:\n{server_log}\n\n{HOW_TO_GET_POSTGRES}"
        ))
    }

    /// The URL of database `name` on this cluster, as the superuser `postgres`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Starts the (stopped) cluster again on the same port, waiting until it accepts
    /// connections.
    pub fn start_again(&self) -> Result<(), String> {
        let settings = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            self.port,
            self.dir.display()
        );
        run(
            as_user(self.run_as, &self.pg_ctl)
                .arg("-D")
                .arg(self.dir.join("data"))
                .arg("-l")
                .arg(self.dir.join("server.log"))
                .args(["-w", "-t", "60", "-o", &settings, "start"]),
            "pg_ctl start",
        )
    }

    /// Stops the cluster as an operator's restart does: connections are cut, open
    /// transactions rolled back (`-m fast`).
    pub fn stop(&self) -> Result<(), String> {
        run(
            as_user(self.run_as, &self.pg_ctl)
                .arg("-D")
                .arg(self.dir.join("data"))
                .args(["-w", "-t", "60", "-m", "fast", "stop"]),
            "pg_ctl stop",
        )
    }

    /// Leaks the cluster for the rest of the process (the watcher stops it at exit): the
    /// shared cluster. Returns its admin URL.
    fn keep(mut self) -> String {
        self.kept = true;
        self.url("postgres")
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let _ = run(
            as_user(self.run_as, &self.pg_ctl)
                .arg("-D")
                .arg(self.dir.join("data"))
                .args(["-m", "immediate", "stop"]),
            "pg_ctl stop",
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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
