//! Product photos and videos: stored under `media/` by SHA-256, uploaded after the
//! records at each sync, downloaded only when someone opens them. A large video never
//! holds back the sync of records.

use crate::{AnyRecord, Client, ClientError, now_ms, record_json};
use crm_core::{Code, Problem};
use crm_core::{FieldValue, RecordType};
use crm_protocol::MAX_BLOB_BYTES;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// A media item of a product is `<sha256>.<extension>`.
fn item_hash(item: &str) -> &str {
    item.split('.').next().unwrap_or(item)
}

fn too_large(name: &str, size: u64) -> ClientError {
    ClientError::Invalid(
        Problem::new(Code::AttachmentTooLarge)
            .param("path", name)
            .param("size", format!("{:.1}", size as f64 / 1e6))
            .param("max", MAX_BLOB_BYTES / 1024 / 1024),
    )
}

impl Client {
    fn media_dir(&self) -> PathBuf {
        self.data_dir().join("media")
    }

    /// Attaches a file to the product with reference `reference`, offline.
    pub fn attach_media(&self, reference: &str, file: &Path) -> Result<AnyRecord, ClientError> {
        let size = std::fs::metadata(file).map_err(|e| ClientError::file(file, e))?.len();
        if size as usize > MAX_BLOB_BYTES {
            return Err(too_large(&file.display().to_string(), size));
        }
        let data = std::fs::read(file).map_err(|e| ClientError::file(file, e))?;
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        self.attach_media_bytes(reference, name, data)
    }

    /// Attaches a photo or a video given as bytes (the app sends what the user chose),
    /// under its file's name for the extension; offline.
    pub fn attach_media_bytes(
        &self,
        reference: &str,
        file_name: &str,
        data: Vec<u8>,
    ) -> Result<AnyRecord, ClientError> {
        if data.len() > MAX_BLOB_BYTES {
            return Err(too_large(file_name, data.len() as u64));
        }
        let size = data.len() as u64;
        let product = self
            .with_store(|s| Ok(s.find_by_field(RecordType::Product, "reference", reference)?))?
            .into_iter()
            .next()
            .ok_or_else(|| {
                ClientError::Invalid(Problem::new(Code::UnknownProductReference).param("reference", reference))
            })?;
        let hash = sha256_hex(&data);
        let ext: String = Path::new(file_name)
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .filter(|e| e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
            .unwrap_or_else(|| "bin".into());
        let name = format!("{hash}.{ext}");
        std::fs::create_dir_all(self.media_dir()).map_err(ClientError::internal)?;
        let target = self.media_dir().join(&name);
        std::fs::write(&target, &data).map_err(|e| ClientError::file(&target, e))?;
        self.with_store(|s| Ok(s.add_media(&hash, &name, size, false)?))?;
        let mut items: Vec<String> = product.record.set("media").to_vec();
        if !items.contains(&name) {
            items.push(name);
        }
        let edit = [("media".to_string(), Some(FieldValue::Set(items)))].into_iter().collect();
        let stored = self.with_store(|s| Ok(s.edit_record(&product.record.id, &edit, now_ms())?))?;
        Ok(record_json(&stored))
    }

    /// Sends the attachments the server lacks; returns how many were sent.
    pub(crate) async fn upload_media(&self, server: &str, token: &str) -> Result<u64, ClientError> {
        let pending = self.with_store(|s| Ok(s.media_to_upload()?))?;
        let mut sent = 0;
        for (hash, file) in pending {
            let data = std::fs::read(self.media_dir().join(&file)).map_err(ClientError::internal)?;
            let url = format!("{}/v1/blobs/{hash}", server.trim_end_matches('/'));
            self.send(server, token, self.inner.http.put(url).body(data)).await?;
            self.with_store(|s| Ok(s.media_uploaded(&hash)?))?;
            sent += 1;
        }
        Ok(sent)
    }

    /// The local file of a media item (`<sha256>.<ext>`), downloaded now if this device
    /// does not have it yet.
    pub async fn media_file(&self, item: &str) -> Result<PathBuf, ClientError> {
        self.media_file_with_progress(item, &|_, _| {}).await
    }

    /// [`media_file`](Self::media_file), telling `progress(done, total)` (bytes) as a
    /// download arrives, so a video shows how far it is.
    pub async fn media_file_with_progress(
        &self,
        item: &str,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<PathBuf, ClientError> {
        // A name that came through sync becomes a file name only in the canonical form:
        // no separator, no `..`, nothing that could leave the media folder on any system.
        if !crm_core::is_media_item(item) {
            return Err(ClientError::Invalid(Problem::new(Code::NotAnAttachment).param("value", item)));
        }
        let hash = item_hash(item).to_string();
        if let Some(file) = self.with_store(|s| Ok(s.media_file(&hash)?))? {
            let path = self.media_dir().join(file);
            if path.exists() {
                return Ok(path);
            }
        }
        let (server, token) = self.session()?;
        let url = format!("{}/v1/blobs/{hash}", server.trim_end_matches('/'));
        let data = self.send_with_progress(&server, &token, self.inner.http.get(url), progress).await?;
        if sha256_hex(&data) != hash {
            return Err(ClientError::Server(Problem::new(Code::AttachmentDamaged).param("value", item)));
        }
        std::fs::create_dir_all(self.media_dir()).map_err(ClientError::internal)?;
        let path = self.media_dir().join(item);
        std::fs::write(&path, &data).map_err(ClientError::internal)?;
        self.with_store(|s| Ok(s.add_media(&hash, item, data.len() as u64, true)?))?;
        Ok(path)
    }
}
