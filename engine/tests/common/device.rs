//! One device of a boutique in a test: its database (document id → body),
//! the records its tab keeps, and the store it shows.

use clientele_engine::store::edits::Copy;
use clientele_engine::store::records::{parse_member, Records, Write};
use clientele_engine::Store;
use std::collections::BTreeMap;

pub struct Device {
    pub db: BTreeMap<String, String>,
    pub records: Records,
    pub store: Store,
}

impl Device {
    /// A device with an empty database, written by `writer`, showing `store`.
    pub fn new(writer: &str, store: Store) -> Device {
        Device {
            db: BTreeMap::new(),
            records: Records::empty(writer),
            store,
        }
    }

    /// A second device holding `other`'s database, as after a sync.
    pub fn copy_of(other: &Device, writer: &str) -> Device {
        Device {
            records: Records::read(
                other.db.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                writer,
            )
            .unwrap()
            .records,
            db: other.db.clone(),
            store: other.store.clone(),
        }
    }

    fn apply(&mut self, w: &Write) {
        match &w.body {
            Some(b) => self.db.insert(w.id.clone(), b.clone()),
            None => self.db.remove(&w.id),
        };
    }

    /// Saves the store, stamping member edits at `ms` (the device's clock).
    pub fn save_at(&mut self, ms: i64) -> Vec<Write> {
        self.records.set_edit_time(ms);
        let p = self.records.changes(&self.store);
        for w in &p.writes {
            self.apply(w);
        }
        let writes = p.writes.clone();
        self.records.commit(p);
        writes
    }

    pub fn save(&mut self) -> Vec<Write> {
        self.save_at(0)
    }

    /// Another device's writes arrive (replication, then the change feed).
    pub fn receive(&mut self, writes: &[Write]) {
        for w in writes {
            self.apply(w);
            self.records
                .receive(&w.id, w.body.as_deref(), &mut self.store)
                .unwrap();
        }
    }

    /// The store as a later session reads it from the database.
    pub fn reopen(&self) -> Store {
        Records::read(
            self.db.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            "later",
        )
        .unwrap()
        .store
    }

    /// This device's copy of a member document.
    pub fn copy(&self, doc: &str) -> Copy {
        let (member, edits) = parse_member(&self.db[doc]).unwrap();
        Copy { member, edits }
    }
}
