//! A TCP proxy on 127.0.0.1 that counts the bytes each way: every system's client goes
//! through one, so "bytes on the wire" means the same thing for all of them (HTTP
//! headers, WebSocket frames and all).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
}

pub struct CountingProxy {
    pub port: u16,
    counters: Arc<Counters>,
}

/// Bytes and connections seen between two readings.
#[derive(Clone, Copy, Debug, Default)]
pub struct Traffic {
    pub up: u64,
    pub down: u64,
    pub connections: u64,
}

impl Traffic {
    pub fn since(self, before: Traffic) -> Traffic {
        Traffic {
            up: self.up - before.up,
            down: self.down - before.down,
            connections: self.connections - before.connections,
        }
    }

    pub fn total(&self) -> u64 {
        self.up + self.down
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    count: Arc<Counters>,
    up: bool,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
        let counter = if up { &count.up } else { &count.down };
        counter.fetch_add(n as u64, Ordering::Relaxed);
    }
    let _ = to.shutdown().await;
}

impl CountingProxy {
    pub async fn start(target_port: u16) -> anyhow::Result<CountingProxy> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let counters = Arc::new(Counters::default());
        let count = counters.clone();
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                count.connections.fetch_add(1, Ordering::Relaxed);
                let count = count.clone();
                tokio::spawn(async move {
                    let Ok(outbound) = tokio::net::TcpStream::connect(("127.0.0.1", target_port)).await else {
                        return;
                    };
                    let _ = (inbound.set_nodelay(true), outbound.set_nodelay(true));
                    let (ri, wi) = inbound.into_split();
                    let (ro, wo) = outbound.into_split();
                    tokio::join!(pump(ri, wo, count.clone(), true), pump(ro, wi, count, false));
                });
            }
        });
        Ok(CountingProxy { port, counters })
    }

    pub fn traffic(&self) -> Traffic {
        Traffic {
            up: self.counters.up.load(Ordering::Relaxed),
            down: self.counters.down.load(Ordering::Relaxed),
            connections: self.counters.connections.load(Ordering::Relaxed),
        }
    }
}

/// The port of an `http://127.0.0.1:PORT` address.
pub fn port_of(url: &str) -> anyhow::Result<u16> {
    url.rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no port in {url}"))
}
