//! Prometheus metrics, served at `GET /metrics` (text format): sync requests, changes
//! stored and refused, sync latency, and devices active in the last 15 minutes. One
//! registry per server instance.

use prometheus::{Encoder, Histogram, HistogramOpts, IntCounter, IntGauge, Registry, TextEncoder};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const ACTIVE_WINDOW: Duration = Duration::from_secs(15 * 60);

pub struct Metrics {
    registry: Registry,
    pub sync_requests: IntCounter,
    pub changes_ingested: IntCounter,
    pub changes_refused: IntCounter,
    pub records_sent: IntCounter,
    pub sync_seconds: Histogram,
    active_devices: IntGauge,
    last_seen: Mutex<HashMap<String, Instant>>,
}

impl Default for Metrics {
    fn default() -> Self {
        let registry = Registry::new();
        let counter = |name: &str, help: &str| {
            let c = IntCounter::new(name, help).expect("a valid metric");
            registry.register(Box::new(c.clone())).expect("registered once");
            c
        };
        let sync_requests = counter("crm_sync_requests_total", "Sync requests answered");
        let changes_ingested = counter("crm_changes_ingested_total", "Pushed changes stored");
        let changes_refused =
            counter("crm_changes_refused_total", "Pushed changes refused (malformed, invalid, forbidden)");
        let records_sent = counter("crm_records_sent_total", "Records sent to devices (snapshots, changes, drops)");
        let sync_seconds = Histogram::with_opts(
            HistogramOpts::new("crm_sync_duration_seconds", "Time to answer a sync request")
                .buckets(vec![0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
        )
        .expect("a valid histogram");
        registry.register(Box::new(sync_seconds.clone())).expect("registered once");
        let active_devices =
            IntGauge::new("crm_active_devices", "Devices that synced in the last 15 minutes").expect("a valid gauge");
        registry.register(Box::new(active_devices.clone())).expect("registered once");
        Metrics {
            registry,
            sync_requests,
            changes_ingested,
            changes_refused,
            records_sent,
            sync_seconds,
            active_devices,
            last_seen: Mutex::new(HashMap::new()),
        }
    }
}

impl Metrics {
    pub fn device_seen(&self, device: &str) {
        let mut seen = self.last_seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.insert(device.to_string(), Instant::now());
    }

    /// The metrics in Prometheus' text format.
    pub fn render(&self) -> String {
        {
            let mut seen = self.last_seen.lock().unwrap_or_else(|p| p.into_inner());
            seen.retain(|_, at| at.elapsed() < ACTIVE_WINDOW);
            self.active_devices.set(seen.len() as i64);
        }
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}
