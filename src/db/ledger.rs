//! The erasure ledger: a file outside the database that remembers every erasure, so that a
//! database restored from a backup taken before it has it done again before it serves.
//!
//! A backup holds what was erased after it was taken; a database restored from it would
//! bring those endorsements and contacts back. So each erasure is also written here, in the
//! erasure's own transaction (before it commits, flushed to the disk), as one JSON line of
//! ids and times, never personal data: which database (an id made once and kept in the
//! database, so a backup has it too), what was erased (the endorsement, or its contact
//! details), the endorsement's id and the time it was submitted (so that an id a restored
//! database hands out again to a new endorsement is never taken for the erased one), and
//! when. At start, before it listens, the server erases again whatever the ledger names that
//! the database still holds (`Db::replay_erasures`).
//!
//! The file is never rewritten, only appended to, and must not be restored with the
//! database: it lives beside it, or where `ENDORSE_ERASURE_LEDGER` says.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// What an erasure removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// The endorsement and every copy of its data.
    Endorsement,
    /// Its contact name, address and submitter address.
    Contacts,
}

/// One endorsement an erasure touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasedRow {
    pub what: What,
    pub id: i64,
    pub submitted_at: NaiveDateTime,
}

/// What an erasure removed: the rows it touched, to be written in the ledger.
#[derive(Debug, Default)]
pub struct Erased {
    pub rows: Vec<ErasedRow>,
    /// Erased again from the ledger at start: already written there.
    pub replayed: bool,
}

impl Erased {
    pub fn endorsement(id: i64, submitted_at: NaiveDateTime) -> Erased {
        Erased {
            rows: vec![ErasedRow {
                what: What::Endorsement,
                id,
                submitted_at,
            }],
            replayed: false,
        }
    }

    pub fn push(&mut self, what: What, id: i64, submitted_at: NaiveDateTime) {
        self.rows.push(ErasedRow {
            what,
            id,
            submitted_at,
        });
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub database: String,
    #[serde(flatten)]
    pub row: ErasedRow,
    pub erased_at: NaiveDateTime,
}

/// The ledger file, open for appending.
pub struct Ledger {
    path: PathBuf,
    file: Mutex<File>,
}

impl Ledger {
    /// Opens (or creates) the ledger at `path`. A last line left unfinished (the machine
    /// stopped while it was written) is ended, so the next entry starts a line of its own.
    pub fn open(path: &Path) -> std::io::Result<Ledger> {
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)?;
        let length = file.metadata()?.len();
        if length > 0 {
            use std::io::{Read, Seek, SeekFrom};
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(length - 1))?;
            file.read_exact(&mut last)?;
            if last != *b"\n" {
                file.write_all(b"\n")?;
                file.sync_data()?;
            }
        }
        Ok(Ledger {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entries` and flushes them to the disk before returning.
    pub fn append(&self, entries: &[Entry]) -> std::io::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for entry in entries {
            text.push_str(&serde_json::to_string(entry).map_err(std::io::Error::other)?);
            text.push('\n');
        }
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(text.as_bytes())?;
        file.sync_data()
    }

    /// Every entry of `database`, oldest first. A line that cannot be read (the end of one
    /// being written when the machine stopped) is skipped and logged.
    pub fn entries_of(&self, database: &str) -> std::io::Result<Vec<Entry>> {
        let file = File::open(&self.path)?;
        let mut entries = Vec::new();
        for (number, line) in BufReader::new(file).lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Entry>(&line) {
                Ok(entry) if entry.database == database => entries.push(entry),
                Ok(_) => {}
                Err(e) => tracing::warn!(
                    ledger = %self.path.display(),
                    line = number + 1,
                    error = %e,
                    "skipping an unreadable line of the erasure ledger"
                ),
            }
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_back_for_their_database_only_and_a_torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger");
        let ledger = Ledger::open(&path).unwrap();
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 123_456_000)
            .unwrap()
            .naive_utc();
        let entry = |database: &str, id| Entry {
            database: database.into(),
            row: ErasedRow {
                what: What::Endorsement,
                id,
                submitted_at: at,
            },
            erased_at: at,
        };
        ledger.append(&[entry("one", 1), entry("two", 2)]).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"database\":\"one\",\"wh")
            .unwrap();
        let again = Ledger::open(&path).unwrap();
        again.append(&[entry("one", 3)]).unwrap();
        let read = again.entries_of("one").unwrap();
        assert_eq!(read, vec![entry("one", 1), entry("one", 3)]);
    }
}
