//! The storage layer for uploaded files: content by key, nothing else.
//!
//! Keys are random (128 bits, hex), never derived from a name, so nothing a user types
//! reaches a path. What a file is (its type, size, hash, who may see it) lives in the
//! database; the storage only keeps bytes. The default is a local directory outside the
//! web root (`<data dir>/uploads`); several app servers can share it (or another
//! implementation of [`Storage`], such as an object store).

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;

/// What a storage operation returns.
pub type StorageFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// Where file contents live.
pub trait Storage: Send + Sync + std::fmt::Debug {
    /// Keeps `bytes` under `key` (from [`new_key`]); the content appears whole or not at all.
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StorageFuture<'a, ()>;
    /// The content kept under `key`.
    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Vec<u8>>;
    /// Forgets `key` (content no record points to). Missing keys are not an error.
    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()>;
}

/// A fresh random key: 32 hex digits.
pub fn new_key() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn valid_key(key: &str) -> io::Result<()> {
    if key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "storage keys are 32 hex digits",
        ))
    }
}

/// Files in a local directory, sharded by the key's first two digits
/// (`<root>/ab/abcdef…`), written to a temporary file then renamed.
#[derive(Clone, Debug)]
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    /// Storage under `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalDisk { root: root.into() }
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        valid_key(key)?;
        Ok(self.root.join(&key[..2]).join(key))
    }
}

impl Storage for LocalDisk {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            let dir = path.parent().unwrap_or(&self.root).to_owned();
            tokio::fs::create_dir_all(&dir).await?;
            let temp = dir.join(format!(".{key}.{}.part", new_key()?));
            let written = async {
                tokio::fs::write(&temp, bytes).await?;
                let file = tokio::fs::OpenOptions::new()
                    .write(true)
                    .open(&temp)
                    .await?;
                file.sync_all().await?;
                tokio::fs::rename(&temp, &path).await
            }
            .await;
            if written.is_err() {
                let _ = tokio::fs::remove_file(&temp).await;
            }
            written
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Vec<u8>> {
        Box::pin(async move { tokio::fs::read(self.path(key)?).await })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_hex() {
        let a = new_key().unwrap();
        let b = new_key().unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(valid_key(&a).is_ok());
        assert!(valid_key("../../etc/passwd").is_err());
        assert!(valid_key(&"g".repeat(32)).is_err());
    }

    #[test]
    fn hashes_are_sha256_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[tokio::test]
    async fn local_disk_round_trips() {
        let dir = std::env::temp_dir().join(format!("trackrecord-storage-{}", new_key().unwrap()));
        let disk = LocalDisk::new(&dir);
        let key = new_key().unwrap();
        disk.put(&key, b"hello").await.unwrap();
        assert_eq!(disk.get(&key).await.unwrap(), b"hello");
        assert!(dir.join(&key[..2]).join(&key).exists());
        disk.delete(&key).await.unwrap();
        disk.delete(&key).await.unwrap();
        assert!(disk.get(&key).await.is_err());
        assert!(disk.get("../x").await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
