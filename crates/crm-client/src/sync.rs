//! The sync driver: push the outbox, pull after the cursor, page after page, until
//! both sides have nothing left to send. Safe to interrupt at any point: the server
//! stores each change once, and each applied page moves the cursor in the same local
//! transaction.

use crate::{Client, ClientError, Progress, now_ms};
use crm_protocol::{MAX_PUSH_BYTES, MAX_PUSH_CHANGES, MAX_RESYNC, PulledItem, PushedChange, SyncRequest, SyncResponse};
use crm_store::{PulledDoc, RejectedChange, SnapshotView};
use serde::Serialize;

#[derive(Clone, Debug, Default, Serialize, ts_rs::TS)]
pub struct SyncReport {
    /// Local changes the server acknowledged.
    #[ts(type = "number")]
    pub pushed: u64,
    /// Records created or updated here from the server.
    #[ts(type = "number")]
    pub pulled: u64,
    /// Local changes the server refused (kept locally, with the reason).
    #[ts(type = "number")]
    pub rejected: u64,
    /// Requests made.
    #[ts(type = "number")]
    pub requests: u64,
    /// Records removed from this device: no longer the user's to hold.
    #[ts(type = "number")]
    pub dropped: u64,
    /// Attachments sent after the records.
    #[ts(type = "number")]
    pub media_uploaded: u64,
    #[ts(type = "number")]
    pub cursor: u64,
}

/// Bound on rounds of one sync, so a server that misbehaves cannot loop us forever.
const MAX_ROUNDS: u64 = 100_000;

impl Client {
    /// One full sync. `progress` is called after every page.
    pub async fn sync(&self, progress: impl Fn(Progress) + Send + Sync) -> Result<SyncReport, ClientError> {
        let _one_at_a_time = self.inner.sync_lock.lock().await;
        self.update_runtime(|r| {
            r.syncing = true;
            r.progress = None;
        });
        let result = self.sync_rounds(&progress).await;
        if result.is_ok() {
            self.refresh_directory().await;
        }
        self.update_runtime(|r| {
            r.syncing = false;
            r.progress = None;
            match &result {
                Ok(_) => {
                    r.online = true;
                    r.last_error = None;
                }
                Err(e) => {
                    r.online = !e.is_offline();
                    r.last_error = if e.is_offline() { None } else { Some(e.problem()) };
                }
            }
        });
        result
    }

    async fn sync_rounds(&self, progress: &(impl Fn(Progress) + Send + Sync)) -> Result<SyncReport, ClientError> {
        self.refresh_token_if_due().await?;
        let (server, token) = self.with_store(|s| Ok((s.meta("server_url")?, s.meta("token")?)))?;
        let (Some(server), Some(token)) = (server, token) else { return Err(ClientError::NotLoggedIn) };
        let start = self.with_store(|s| Ok(s.cursor()?))?;
        let mut report = SyncReport { cursor: start, ..Default::default() };
        let mut requeued_once = std::collections::HashSet::new();
        // The next page of a long pull, asked for while this one is applied.
        let mut prefetched: Option<Prefetch> = None;
        while report.requests < MAX_ROUNDS {
            let (batch, pending, cursor, cursor_proof, repairs, sweeping) = self
                .with_store_blocking(|s| {
                    Ok((
                        s.outbox_batch(MAX_PUSH_CHANGES, MAX_PUSH_BYTES)?,
                        s.pending_count()?,
                        s.cursor()?,
                        s.cursor_proof()?,
                        s.repairs(MAX_RESYNC)?,
                        s.sweeping()?,
                    ))
                })
                .await?;
            let full_batch = pending > batch.len() as u64;
            let request = SyncRequest {
                cursor,
                cursor_proof,
                changes: batch
                    .iter()
                    .filter_map(|item| {
                        let doc = uuid::Uuid::parse_str(&item.doc_id).ok()?;
                        Some(PushedChange { doc, data: crm_protocol::Bytes(item.data.clone()) })
                    })
                    .collect(),
                limit: None,
                resync: repairs.iter().filter_map(|d| uuid::Uuid::parse_str(d).ok()).collect(),
                full: sweeping,
            };
            let asked = std::time::Instant::now();
            // The page asked for ahead serves if it is the very request we would send now.
            let ahead = prefetched.take().filter(|p| {
                p.cursor == cursor && p.full == sweeping && request.changes.is_empty() && request.resync.is_empty()
            });
            let response: SyncResponse = match ahead {
                Some(mut p) => p.answer().await?,
                None => self.post(&server, "/v1/sync", Some(&token), &request).await?,
            };
            tracing::debug!(
                pushed = request.changes.len(),
                items = response.items.len(),
                ms = asked.elapsed().as_millis() as u64,
                "sync request answered"
            );
            report.requests += 1;
            let more = response.more;
            let head = response.head;
            let new_cursor = response.cursor;
            // A record refused for missing history is re-sent whole, once per sync.
            let mut requeued = false;
            let rejected: Vec<RejectedChange> = response
                .rejected
                .iter()
                .map(|r| {
                    let code = serde_json::to_value(r.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    RejectedChange {
                        doc_id: r.doc.to_string(),
                        hash: r.hash.clone(),
                        code,
                        reason: r.reason.clone(),
                        problem: r.problem.clone(),
                    }
                })
                .filter(|r| {
                    if r.code == "missing_deps" {
                        if requeued_once.insert(r.doc_id.clone()) {
                            requeued = true;
                            return true;
                        }
                        return false;
                    }
                    true
                })
                .collect();
            let hard_rejections = rejected.iter().filter(|r| r.code != "missing_deps").count() as u64;
            let epoch = response.epoch;
            let known_epoch = self.with_store(|s| Ok(s.meta("log_epoch")?))?.and_then(|e| e.parse::<i64>().ok());
            if epoch != 0 && known_epoch.is_none() {
                self.with_store(|s| Ok(s.set_meta("log_epoch", &epoch.to_string())?))?;
            } else if (epoch != 0 && known_epoch != Some(epoch)) || response.resend {
                // The server's log was restored from a backup (a new epoch), or this
                // device is ahead of it: send everything again (the server keeps what it
                // lacks), and pull from the start.
                let acked = response.acked;
                let queued = self
                    .with_store_blocking(move |s| {
                        s.settle_push(&acked, &rejected, now_ms())?;
                        if epoch != 0 {
                            s.set_meta("log_epoch", &epoch.to_string())?;
                        }
                        Ok(s.resend_everything()?)
                    })
                    .await?;
                tracing::warn!(queued, "the server's log is behind this device: sending this device's history again");
                continue;
            }
            let acked = response.acked;
            let reset = response.reset;
            // A long pull with nothing else going on: ask for the next page now, so the
            // server prepares it while this one is applied here.
            let new_proof = response.cursor_proof;
            if more && !reset && request.changes.is_empty() && request.resync.is_empty() && rejected.is_empty() {
                let next = SyncRequest {
                    cursor: new_cursor,
                    cursor_proof: Some(new_proof.clone()).filter(|p| !p.is_empty()),
                    full: sweeping,
                    ..Default::default()
                };
                let (client, server, token) = (self.clone(), server.clone(), token.clone());
                let task = tokio::spawn(async move { client.post(&server, "/v1/sync", Some(&token), &next).await });
                prefetched = Some(Prefetch { cursor: new_cursor, full: sweeping, task: Some(task) });
            }
            let items: Vec<PulledDoc> = response.items.into_iter().map(to_pulled).collect();
            // Records asked for whole that did not come back are not this user's.
            let received: std::collections::HashSet<String> = items.iter().map(|i| i.doc_id().to_string()).collect();
            let unanswered: Vec<String> = repairs.into_iter().filter(|d| !received.contains(d)).collect();
            let now = now_ms();
            let reverted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let reverted_in = reverted.clone();
            let applied = self
                .with_store_blocking(move |s| {
                    let n = s.settle_push(&acked, &rejected, now)?;
                    reverted_in.store(n, std::sync::atomic::Ordering::Relaxed);
                    s.forget_repairs(&unanswered)?;
                    if reset {
                        // What this user may see changed: start over from the beginning.
                        s.begin_sweep()?;
                        return Ok((acked.len(), Default::default()));
                    }
                    let started = std::time::Instant::now();
                    let count = items.len();
                    let mut applied = s.apply_pull(items, new_cursor, &new_proof, now)?;
                    tracing::debug!(items = count, ms = started.elapsed().as_millis() as u64, "pull page applied");
                    if s.sweeping()? && !more {
                        applied.dropped += s.finish_sweep(now)?;
                    }
                    Ok((acked.len(), applied))
                })
                .await?;
            if reset {
                continue;
            }
            report.dropped += applied.1.dropped as u64;
            report.pushed += applied.0 as u64;
            report.pulled += applied.1.records as u64;
            report.rejected += hard_rejections;
            report.cursor = new_cursor;
            let p = Progress { done: new_cursor.saturating_sub(start), total: head.saturating_sub(start) };
            self.update_runtime(|r| r.progress = Some(p));
            progress(p);
            // Records taken back after a refusal are fetched again at once.
            let reverted = reverted.load(std::sync::atomic::Ordering::Relaxed) > 0;
            if !(more || full_batch || requeued || reverted) {
                break;
            }
        }
        let when = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.with_store(|s| Ok(s.set_meta("last_sync_at", &when)?))?;
        // Attachments go last: records are already safe on the server whatever happens here.
        report.media_uploaded = self.upload_media(&server, &token).await?;
        Ok(report)
    }

    /// Keeps the device in sync while the app runs: checks the server every `interval`,
    /// and syncs as soon as it is reachable (at once when it comes back online).
    /// `on_change` is called whenever the status may have changed.
    pub async fn run_background_sync(&self, interval: std::time::Duration, on_change: impl Fn() + Send + Sync) {
        loop {
            let logged_in = self.status().map(|s| s.logged_in).unwrap_or(false);
            if logged_in {
                let was_online = self.status().map(|s| s.online).unwrap_or(false);
                let online = self.ping().await;
                if online != was_online {
                    on_change();
                }
                if online {
                    let _ = self.sync(|_| on_change()).await;
                    on_change();
                }
            }
            tokio::time::sleep(interval).await;
        }
    }
}

/// A sync request sent ahead of its turn (the next page of a pull), cancelled if it
/// is not used.
struct Prefetch {
    cursor: u64,
    full: bool,
    task: Option<tokio::task::JoinHandle<Result<SyncResponse, ClientError>>>,
}

impl Prefetch {
    async fn answer(&mut self) -> Result<SyncResponse, ClientError> {
        match self.task.take() {
            Some(task) => task.await.map_err(ClientError::internal)?,
            None => Err(ClientError::internal("sync stopped")),
        }
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn to_pulled(item: PulledItem) -> PulledDoc {
    match item {
        PulledItem::Snapshot { doc, data, record, replace } => {
            let view = record.and_then(|r| snapshot_view(doc, r));
            PulledDoc::Snapshot { doc_id: doc.to_string(), data: data.0, view, replace }
        }
        PulledItem::Drop { doc, purge } => PulledDoc::Drop { doc_id: doc.to_string(), purge },
        PulledItem::Changes { doc, changes, record } => PulledDoc::Changes {
            doc_id: doc.to_string(),
            changes: changes.into_iter().map(|b| b.0).collect(),
            view: record.and_then(|r| snapshot_view(doc, r)),
        },
    }
}

/// The server's reading of a snapshot, when it is well-formed (otherwise the store reads
/// the document itself).
fn snapshot_view(doc: uuid::Uuid, view: crm_protocol::RecordView) -> Option<SnapshotView> {
    let record_type = view.record_type.parse().ok()?;
    let fields = serde_json::from_value(serde_json::Value::Object(view.fields)).ok()?;
    let conflicts = serde_json::from_value(serde_json::Value::Array(view.conflicts)).ok()?;
    Some(SnapshotView {
        record: crm_core::Record { id: crm_core::RecordId(doc), record_type, fields },
        conflicts,
        heads: view.heads,
    })
}
