//! The `crm-server` binary beside this one, in a process of its own (as IT runs it),
//! on a fresh database. Killed, and its database removed, on drop.

use crm_tests::{Backend, ServerDatabase, healthy_within};
use std::time::Duration;

pub struct ServerProcess {
    child: std::process::Child,
    pub url: String,
    pub database: ServerDatabase,
}

impl ServerProcess {
    pub async fn start(backend: Backend) -> anyhow::Result<ServerProcess> {
        let exe = std::env::current_exe()?.with_file_name("crm-server");
        anyhow::ensure!(exe.exists(), "{} is missing: cargo build --release -p crm-server", exe.display());
        let database = ServerDatabase::create(backend).await;
        // The schema first, so that users can be added before the server starts.
        crm_server::db::Db::connect(&database.url).await?.close().await;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = std::process::Command::new(exe)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database", &database.url])
            .env("CRM_LOG", "warn")
            .spawn()?;
        let server = ServerProcess { child, url: format!("http://127.0.0.1:{port}"), database };
        anyhow::ensure!(healthy_within(&server.url, Duration::from_secs(10)).await, "crm-server did not start");
        Ok(server)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak and current resident memory of the server process, in MB.
    pub fn memory_mb(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
                .map_or(0.0, |kb| kb / 1024.0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
