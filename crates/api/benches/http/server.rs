//! The server under test: the real `Application` on a runtime of its own (two workers, as on
//! this machine's two cores), so that the load generator's tasks do not run on its threads.

use std::time::Duration;

use guanjia_api::{AppConfig, Application, Secret};
use tokio::sync::oneshot;

/// The admin's password on every bench database.
pub const ADMIN_PASSWORD: &str = "bench-admin-password";

pub struct Server {
    pub base: String,
    stop: oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Server {
    /// Starts the server on `url` with a pool big enough for `connections` writers and as
    /// many readers.
    pub async fn start(url: &str, connections: usize) -> anyhow::Result<Self> {
        let mut config = AppConfig::new(url);
        config.listen = "127.0.0.1:0".parse()?;
        config.auth.admin_password = Some(Secret::new(ADMIN_PASSWORD));
        config.auth.token_secret = Some(Secret::new("b".repeat(40)));
        config.store.max_connections = u32::try_from(connections + 4).unwrap_or(20);
        config.limits.request_timeout = Duration::from_secs(30);
        let (ready, address) = oneshot::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("the server's runtime");
            runtime.block_on(async move {
                let app = match Application::build(config).await {
                    Ok(app) => app,
                    Err(error) => {
                        let _ = ready.send(Err(error.to_string()));
                        return;
                    }
                };
                let _ = ready.send(Ok(app.address()));
                let _ = app
                    .run_until_stopped(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        let address = address
            .await?
            .map_err(|error| anyhow::anyhow!("the server did not start: {error}"))?;
        Ok(Self {
            base: format!("http://{address}"),
            stop,
            thread,
        })
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = tokio::task::spawn_blocking(move || self.thread.join()).await;
    }
}
