//! The store as database records: the layout the console keeps in its
//! on-device database (PouchDB in IndexedDB) and that a CouchDB replication
//! can merge. One [`Store`] value stays the engine's view; this module
//! splits it into documents, reads it back from them, and works out which
//! documents a change touched, so a sale writes its own block and nothing
//! else. `docs/store-format.md` describes the layout.
//!
//! - `meta`: `{"schema": N}`, the layout's version; a newer one opens read-only.
//! - `settings`, `schemes`: one document each.
//! - `m:<member id>`: one per member, the only records that change often.
//! - `k:<plan item id>`: one per maintenance-plan item (it gets ticked off).
//! - `f:<kind>:<writer>:<n>`: facts that never change once written
//!   (purchases `p`, returns `r`, points events `e`, contacts `c`, Today marks `t`, member
//!   merges `x`), in
//!   blocks of at most [`BLOCK_FACTS`], each written by one writer only (a
//!   device's tab session), so two devices or tabs never write the same block.
//!
//! Every document body is `{"d": <content>}`; the database adds `_id`/`_rev`.

use crate::care::log::{Contact, PlanItem};
use crate::care::today::TodayMark;
use crate::members::merge::{apply_merges, merge_map, rewrite_facts};
use crate::members::model::{Member, MemberId, MemberMerge, Purchase, Return};
use crate::points::events::PointsEvent;
use crate::points::scheme::DatedScheme;
use crate::store::document::{StoreSettings, SCHEMA_VERSION};
use crate::store::edits::{self, Edits};
use crate::Store;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A block holds at most this many facts: a sale rewrites one block of
/// about 200 KB at most, and a store of a million purchases is a thousand
/// documents, not a million.
pub const BLOCK_FACTS: usize = 1_000;

pub const META_ID: &str = "meta";
pub const SETTINGS_ID: &str = "settings";
pub const SCHEMES_ID: &str = "schemes";

/// One document to write: `body` is the JSON of the whole document body
/// (`{"d": ...}`), or `None` to delete it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Write {
    pub id: String,
    pub body: Option<String>,
}

/// Why a document was set aside when the store was read. The rest opens;
/// the document itself is left for the user (the UI names it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    pub id: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordsError {
    /// The `meta` document is missing or unreadable although other
    /// documents exist: nothing is opened, nothing is written.
    NoMeta(String),
}

impl fmt::Display for RecordsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordsError::NoMeta(e) => write!(f, "the database has no readable meta document: {e}"),
        }
    }
}

impl std::error::Error for RecordsError {}

#[derive(Serialize, Deserialize)]
struct Body<T> {
    d: T,
}

/// Reads a member document's body: the member and its edit stamps. The
/// stamps are a plain string after the member (`{"d":{...},"e":"..."}`),
/// read with string code rather than a second serde reader of members.
pub fn parse_member(json: &str) -> Result<(Member, Edits), String> {
    let member = parse::<Member>(json)?;
    Ok((member, edits_in(json).map(Edits::parse).unwrap_or_default()))
}

/// The stamps' text in a member document. `member_body` puts them last,
/// but the database hands documents back with its own fields (`_id`,
/// `_rev`, `_conflicts`) after them: so they are searched for from the end.
fn edits_in(json: &str) -> Option<&str> {
    let at = json.rfind(EDITS_KEY)? + EDITS_KEY.len();
    let rest = &json[at..];
    rest.find('"').map(|end| &rest[..end])
}

/// Where the edit stamps start in a member document. No member field is
/// named `e`, and a quote inside a JSON string is escaped, so this text
/// appears only at the stamps.
const EDITS_KEY: &str = "\"e\":\"";

/// A member document's body. Stamps hold no quote or backslash.
pub fn member_body(member: &Member, edits: &Edits) -> String {
    let mut text = body(member);
    if !edits.is_empty() {
        text.pop();
        text.push(',');
        text.push_str(EDITS_KEY);
        text.push_str(&edits.to_text());
        text.push_str("\"}");
    }
    text
}

#[derive(Serialize, Deserialize)]
struct Meta {
    schema: u32,
}

fn body<T: Serialize>(d: &T) -> String {
    // Serialising our own types to a String cannot fail (no maps with
    // non-string keys, no failing Serialize impls).
    serde_json::to_string(&Body { d }).unwrap_or_default()
}

fn parse<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str::<Body<T>>(json)
        .map(|b| b.d)
        .map_err(|e| e.to_string())
}

/// Whether a `meta` document body says a newer layout than this build's.
pub fn newer_schema(json: &str) -> bool {
    serde_json::from_str::<Body<Meta>>(json).is_ok_and(|m| m.d.schema > SCHEMA_VERSION)
}

pub fn member_doc_id(id: MemberId) -> String {
    format!("m:{}", id.0)
}

fn plan_doc_id(id: u64) -> String {
    format!("k:{id}")
}

/// What may have changed in a store since the database last took it.
/// Scopes join by taking the larger: several sales are still
/// [`Scope::Appended`]; a sale and a member edit are [`Scope::Everything`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Only new facts (purchases, returns, points events, contacts) were
    /// appended; members and the facts already saved are unchanged.
    /// Settings, schemes and plan items are small and always compared.
    #[default]
    Appended,
    /// Anything may have changed.
    Everything,
}

/// One block of facts as the database holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Block {
    id: String,
    len: usize,
}

/// A fact kind's saved facts in block order and the blocks that hold them.
#[derive(Clone, Debug)]
struct FactLog<T> {
    saved: Vec<T>,
    blocks: Vec<Block>,
}

impl<T> Default for FactLog<T> {
    fn default() -> Self {
        FactLog {
            saved: Vec::new(),
            blocks: Vec::new(),
        }
    }
}

/// What a fact log's write changes once the database has taken it.
#[derive(Clone, Debug)]
enum FactCommit<T> {
    Append { items: Vec<T>, blocks: Vec<Block> },
    Replace { items: Vec<T>, blocks: Vec<Block> },
}

impl<T: Clone + PartialEq + Serialize + DeserializeOwned> FactLog<T> {
    fn block_id(tag: &str, writer: &str, n: usize) -> String {
        format!("f:{tag}:{writer}:{n:06}")
    }

    /// The writes that bring the database from `self.saved` to `now`.
    /// Facts are only ever appended, except by a replacing import or a
    /// restore: those rewrite the kind's blocks as this writer's.
    fn changes(
        &self,
        now: &[T],
        tag: &str,
        writer: &str,
        scope: Scope,
        out: &mut Vec<Write>,
    ) -> Option<FactCommit<T>> {
        let old = &self.saved;
        let appended = match scope {
            Scope::Appended => now.len() >= old.len(),
            Scope::Everything => now.len() >= old.len() && now[..old.len()] == old[..],
        };
        if appended {
            if now.len() == old.len() {
                return None;
            }
            let mut blocks = self.blocks.clone();
            let mut start = old.len();
            // The last block is this writer's and has room: the tail goes there first.
            if let Some(last) = blocks.last_mut() {
                if last.id.starts_with(&format!("f:{tag}:{writer}:")) && last.len < BLOCK_FACTS {
                    let from = old.len() - last.len;
                    let take = (BLOCK_FACTS - last.len).min(now.len() - start);
                    last.len += take;
                    start += take;
                    out.push(Write {
                        id: last.id.clone(),
                        body: Some(body(&&now[from..from + last.len])),
                    });
                }
            }
            let mut n = self.next_block_number(tag, writer);
            while start < now.len() {
                let len = BLOCK_FACTS.min(now.len() - start);
                let id = Self::block_id(tag, writer, n);
                out.push(Write {
                    id: id.clone(),
                    body: Some(body(&&now[start..start + len])),
                });
                blocks.push(Block { id, len });
                start += len;
                n += 1;
            }
            Some(FactCommit::Append {
                items: now[old.len()..].to_vec(),
                blocks,
            })
        } else {
            let mut blocks = Vec::new();
            let first = self.next_block_number(tag, writer);
            for (n, chunk) in (first..).zip(now.chunks(BLOCK_FACTS)) {
                let id = Self::block_id(tag, writer, n);
                out.push(Write {
                    id: id.clone(),
                    body: Some(body(&chunk)),
                });
                blocks.push(Block {
                    id,
                    len: chunk.len(),
                });
            }
            for b in &self.blocks {
                if !blocks.iter().any(|nb| nb.id == b.id) {
                    out.push(Write {
                        id: b.id.clone(),
                        body: None,
                    });
                }
            }
            Some(FactCommit::Replace {
                items: now.to_vec(),
                blocks,
            })
        }
    }

    fn next_block_number(&self, tag: &str, writer: &str) -> usize {
        let prefix = format!("f:{tag}:{writer}:");
        self.blocks
            .iter()
            .filter_map(|b| b.id.strip_prefix(&prefix)?.parse::<usize>().ok())
            .max()
            .map_or(0, |n| n + 1)
    }

    fn commit(&mut self, c: FactCommit<T>) {
        match c {
            FactCommit::Append { items, blocks } => {
                self.saved.extend(items);
                self.blocks = blocks;
            }
            FactCommit::Replace { items, blocks } => {
                self.saved = items;
                self.blocks = blocks;
            }
        }
    }

    /// Another writer's block arrived (another tab or device): its facts
    /// join both the saved copy and `now`, at the end of what was saved,
    /// so facts this tab has not saved yet stay its own tail.
    /// Where block `id` stands: its index and the position of its first fact.
    fn locate(&self, id: &str) -> Option<(usize, usize)> {
        let mut start = 0;
        for (i, b) in self.blocks.iter().enumerate() {
            if b.id == id {
                return Some((i, start));
            }
            start += b.len;
        }
        None
    }

    fn receive(&mut self, id: &str, items: Vec<T>, now: &mut Vec<T>) {
        if let Some((i, start)) = self.locate(id) {
            let end = start + self.blocks[i].len;
            self.saved.splice(start..end, items.iter().cloned());
            if now.len() >= end {
                now.splice(start..end, items.iter().cloned());
            }
            self.blocks[i].len = items.len();
            return;
        }
        let at = self.saved.len();
        self.saved.extend(items.iter().cloned());
        let at_now = at.min(now.len());
        now.splice(at_now..at_now, items.iter().cloned());
        self.blocks.push(Block {
            id: id.to_string(),
            len: items.len(),
        });
    }

    fn remove(&mut self, id: &str, now: &mut Vec<T>) {
        if let Some((i, start)) = self.locate(id) {
            let end = start + self.blocks[i].len;
            self.saved.drain(start..end);
            if now.len() >= end {
                now.drain(start..end);
            }
            self.blocks.remove(i);
        }
    }
}

/// The database's content as this tab last wrote or read it: what a save
/// compares the store with.
#[derive(Clone, Debug, Default)]
pub struct Records {
    writer: String,
    meta: bool,
    settings: Option<StoreSettings>,
    schemes: Option<Vec<DatedScheme>>,
    // Ordered maps: the store reads back in id order without a sort.
    members: BTreeMap<MemberId, Member>,
    /// Edit stamps of the members that have any (`store::edits`).
    /// (A list by id, not a map: the first load carries no map code for it.)
    edits: Vec<(MemberId, Edits)>,
    /// When the next save's member edits are stamped (ms since 1970).
    edit_ms: i64,
    plan: BTreeMap<u64, PlanItem>,
    purchases: FactLog<Purchase>,
    returns: FactLog<Return>,
    points_events: FactLog<PointsEvent>,
    contacts: FactLog<Contact>,
    marks: FactLog<TodayMark>,
    merges: FactLog<MemberMerge>,
    /// The saved facts went to the store they were read into, not copied
    /// ([`Records::read_lent`]): `saved` is empty until
    /// [`Records::keep_copy`] takes the copy back.
    lent: bool,
}

/// The writes of one save, and what they change once the database took them.
#[derive(Clone, Debug, Default)]
pub struct Pending {
    pub writes: Vec<Write>,
    commit: Commit,
}

#[derive(Clone, Debug, Default)]
struct Commit {
    meta: bool,
    settings: Option<StoreSettings>,
    schemes: Option<Vec<DatedScheme>>,
    members: Vec<Result<Member, MemberId>>,
    edits: Vec<(MemberId, Edits)>,
    plan: Vec<Result<PlanItem, u64>>,
    purchases: Option<FactCommit<Purchase>>,
    returns: Option<FactCommit<Return>>,
    points_events: Option<FactCommit<PointsEvent>>,
    contacts: Option<FactCommit<Contact>>,
    marks: Option<FactCommit<TodayMark>>,
    merges: Option<FactCommit<MemberMerge>>,
    /// New merges: the saved facts take them before the fact commits.
    rewrite: Option<Vec<MemberMerge>>,
}

impl Pending {
    /// Writes that change nothing this tab holds once taken (a journal
    /// replayed into the database before the store is read).
    pub fn of_writes(writes: Vec<Write>) -> Pending {
        Pending {
            writes,
            commit: Commit::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

/// What reading the database gave.
#[derive(Debug)]
pub struct Read {
    pub store: Store,
    pub records: Records,
    /// The layout was written by a newer Clientele: show it, never write.
    pub read_only: bool,
    pub set_aside: Vec<SetAside>,
}

/// The order a store takes when it is read back from records: members and
/// plan items by id (facts keep their order). A store in this order reads
/// back equal to itself.
pub fn normalize(store: &mut Store) {
    crate::order::sort_by_key_pair(&mut store.members, |m| (m.id.sort_key(), 0));
    crate::order::sort_by_key_pair(&mut store.care.plan, |p| {
        (i64::try_from(p.id).unwrap_or(i64::MAX), 0)
    });
}

impl Records {
    /// An empty database, to be written by `writer`.
    pub fn empty(writer: &str) -> Records {
        Records {
            writer: writer.to_string(),
            ..Records::default()
        }
    }

    pub fn writer(&self) -> &str {
        &self.writer
    }

    /// The time (ms since 1970) the next save stamps its member edits with.
    pub fn set_edit_time(&mut self, ms: i64) {
        self.edit_ms = ms;
    }

    /// A member's edit stamps as the database holds them.
    pub fn edits_of(&self, id: MemberId) -> Edits {
        match self.edits.binary_search_by_key(&id, |e| e.0) {
            Ok(i) => self.edits[i].1.clone(),
            Err(_) => Edits::default(),
        }
    }

    /// Keeps a member's edit stamps (none: forgets them).
    fn set_edits(&mut self, id: MemberId, e: Option<Edits>) {
        let at = self.edits.binary_search_by_key(&id, |e| e.0);
        match (at, e.filter(|e| !e.is_empty())) {
            (Ok(i), Some(e)) => self.edits[i].1 = e,
            (Err(i), Some(e)) => self.edits.insert(i, (id, e)),
            (Ok(i), None) => {
                self.edits.remove(i);
            }
            (Err(_), None) => {}
        }
    }

    /// Reads documents `(id, body JSON)` in any order. Documents that do
    /// not parse are set aside and named; the rest opens.
    pub fn read<'a>(
        docs: impl IntoIterator<Item = (&'a str, &'a str)>,
        writer: &str,
    ) -> Result<Read, RecordsError> {
        let mut read = Self::read_lent(docs, writer)?;
        read.records.keep_copy(&read.store);
        Ok(read)
    }

    /// [`Records::read`] without the second copy of the facts, which the
    /// store takes instead: at a million purchases the copy took 0.18 s of
    /// a reopen in the browser, so a console opens first and copies after
    /// its first screen. [`Records::keep_copy`] must be called with that store
    /// before it changes, and before these records are asked for changes
    /// or given any.
    pub fn read_lent<'a>(
        docs: impl IntoIterator<Item = (&'a str, &'a str)>,
        writer: &str,
    ) -> Result<Read, RecordsError> {
        let mut r = Records::empty(writer);
        let mut set_aside = Vec::new();
        let mut read_only = false;
        let mut blocks: Vec<(&str, &str)> = Vec::new();
        let mut saw_other = false;
        let mut meta_error = None;
        for (id, json) in docs {
            let outcome: Result<(), String> = match id {
                META_ID => match serde_json::from_str::<Body<Meta>>(json) {
                    Ok(m) => {
                        r.meta = true;
                        read_only = m.d.schema > SCHEMA_VERSION;
                        Ok(())
                    }
                    Err(e) => {
                        meta_error = Some(e.to_string());
                        Ok(())
                    }
                },
                SETTINGS_ID => parse(json).map(|s| r.settings = Some(s)),
                SCHEMES_ID => parse(json).map(|s| r.schemes = Some(s)),
                _ if id.starts_with("m:") => parse_member(json).and_then(|(m, e)| {
                    if member_doc_id(m.id) == id {
                        if !e.is_empty() {
                            r.set_edits(m.id, Some(e));
                        }
                        r.members.insert(m.id, m);
                        Ok(())
                    } else {
                        Err(format!("holds member {} under another id", m.id.0))
                    }
                }),
                _ if id.starts_with("k:") => parse::<PlanItem>(json).and_then(|p| {
                    if plan_doc_id(p.id) == id {
                        r.plan.insert(p.id, p);
                        Ok(())
                    } else {
                        Err(format!("holds plan item {} under another id", p.id))
                    }
                }),
                _ if id.starts_with("f:") => {
                    // Kept in id order; the database lists them in that order
                    // already, so this is an append (and needs no sort code).
                    let at = blocks.partition_point(|b| b.0 < id);
                    blocks.insert(at, (id, json));
                    Ok(())
                }
                _ => Err("not a Clientele record".to_string()),
            };
            if id != META_ID {
                saw_other = true;
            }
            if let Err(reason) = outcome {
                set_aside.push(SetAside {
                    id: id.to_string(),
                    reason,
                });
            }
        }
        if !r.meta && saw_other {
            return Err(RecordsError::NoMeta(
                meta_error.unwrap_or_else(|| "missing".to_string()),
            ));
        }
        // Room for the purchases at once, so a million of them are not
        // copied at every doubling of a growing list: a block holds at most
        // BLOCK_FACTS, and a purchase takes at least 60 bytes of JSON (so a
        // store of many small blocks does not reserve a thousand each).
        let room = blocks
            .iter()
            .filter(|b| b.0.starts_with("f:p:"))
            .map(|b| (b.1.len() / 60).min(BLOCK_FACTS))
            .sum();
        r.purchases.saved.reserve_exact(room);
        for (id, json) in blocks {
            let result = match id.get(..4) {
                Some("f:p:") => read_block(&mut r.purchases, id, json),
                Some("f:r:") => read_block(&mut r.returns, id, json),
                Some("f:e:") => read_block(&mut r.points_events, id, json),
                Some("f:c:") => read_block(&mut r.contacts, id, json),
                Some("f:t:") => read_block(&mut r.marks, id, json),
                Some("f:x:") => read_block(&mut r.merges, id, json),
                _ => Err("not a Clientele record".to_string()),
            };
            if let Err(reason) = result {
                set_aside.push(SetAside {
                    id: id.to_string(),
                    reason,
                });
            }
        }
        // What was reserved and not taken goes back (in place).
        r.purchases.saved.shrink_to_fit();
        r.rewrite_saved(&r.merges.saved.clone());
        let store = r.lend_store();
        Ok(Read {
            store,
            records: r,
            read_only,
            set_aside,
        })
    }

    /// The store these records hold, in [`normalize`]d order, taking the
    /// saved facts with it (they are [`Records::lent`]).
    fn lend_store(&mut self) -> Store {
        let mut store = Store {
            settings: self.settings.clone().unwrap_or_default(),
            schemes: self.schemes.clone().unwrap_or_default(),
            members: self.members.values().cloned().collect(),
            purchases: std::mem::take(&mut self.purchases.saved),
            returns: std::mem::take(&mut self.returns.saved),
            points_events: std::mem::take(&mut self.points_events.saved),
            ..Store::default()
        };
        store.care.contacts = std::mem::take(&mut self.contacts.saved);
        store.care.marks = std::mem::take(&mut self.marks.saved);
        store.care.plan = self.plan.values().cloned().collect();
        store.merges = std::mem::take(&mut self.merges.saved);
        self.lent = true;
        // The saved facts were rewritten through these merges already, so
        // this leaves the store's facts as they were saved.
        apply_merges(&mut store);
        store
    }

    /// Takes back the copy of the saved facts that [`Records::read_lent`]
    /// left with `store` (the store it read, unchanged since); nothing when
    /// none is lent.
    pub fn keep_copy(&mut self, store: &Store) {
        if !self.lent {
            return;
        }
        self.purchases.saved = store.purchases.clone();
        self.returns.saved = store.returns.clone();
        self.points_events.saved = store.points_events.clone();
        self.contacts.saved = store.care.contacts.clone();
        self.marks.saved = store.care.marks.clone();
        self.merges.saved = store.merges.clone();
        self.lent = false;
    }

    /// Whether the saved facts are still with the store they were read into.
    pub fn is_lent(&self) -> bool {
        self.lent
    }

    /// The saved facts as `merges` say (the blocks keep the ids they were
    /// written with; every reader takes them through the merges).
    fn rewrite_saved(&mut self, merges: &[MemberMerge]) {
        rewrite_facts(
            &merge_map(merges),
            &mut self.purchases.saved,
            &mut self.points_events.saved,
            &mut self.contacts.saved,
        );
    }

    /// Whether anything was ever written (a first run finds nothing).
    pub fn is_empty(&self) -> bool {
        !self.meta
    }

    /// The writes that bring the database to `now`. Cost: one comparison
    /// per member and per fact, and serialising only what changed.
    pub fn changes(&self, now: &Store) -> Pending {
        self.changes_in(now, Scope::Everything)
    }

    /// The writes that bring the database to `now`, given that the store
    /// changed only within `scope` since what the database holds: with
    /// [`Scope::Appended`] members are not compared, nor the facts already
    /// saved, so a sale costs its own block whatever the store's size.
    pub fn changes_in(&self, now: &Store, scope: Scope) -> Pending {
        debug_assert!(!self.lent, "changes asked of records whose facts are lent");
        let mut w = Vec::new();
        let mut c = Commit::default();
        if !self.meta {
            w.push(Write {
                id: META_ID.to_string(),
                body: Some(
                    serde_json::to_string(&Body {
                        d: Meta {
                            schema: SCHEMA_VERSION,
                        },
                    })
                    .unwrap_or_default(),
                ),
            });
            c.meta = true;
        }
        if self.settings.as_ref() != Some(&now.settings) {
            w.push(Write {
                id: SETTINGS_ID.to_string(),
                body: Some(body(&now.settings)),
            });
            c.settings = Some(now.settings.clone());
        }
        if self.schemes.as_ref() != Some(&now.schemes) {
            w.push(Write {
                id: SCHEMES_ID.to_string(),
                body: Some(body(&now.schemes)),
            });
            c.schemes = Some(now.schemes.clone());
        }
        if scope == Scope::Everything {
            let stamp = edits::stamp(self.edit_ms, &self.writer);
            let stamped = &mut c.edits;
            keyed_changes(
                &self.members,
                &now.members,
                |m| m.id,
                member_doc_id,
                |old, m| match old {
                    // A new member has no edits: its fields are as created.
                    None => body(m),
                    Some(old) => {
                        let e = self.edits_of(m.id).after(old, m, &stamp);
                        let text = member_body(m, &e);
                        stamped.push((m.id, e));
                        text
                    }
                },
                &mut w,
                &mut c.members,
            );
        }
        keyed_changes(
            &self.plan,
            &now.care.plan,
            |p| p.id,
            plan_doc_id,
            |_, p| body(p),
            &mut w,
            &mut c.plan,
        );
        let writer = self.writer.as_str();
        // A new merge: the saved facts are compared as they read after it,
        // so it costs its own block, not a rewrite of every block.
        let merged;
        let base = if now.merges.len() > self.merges.saved.len() {
            let mut r = self.clone();
            r.rewrite_saved(&now.merges);
            c.rewrite = Some(now.merges.clone());
            merged = r;
            &merged
        } else {
            self
        };
        c.purchases = base
            .purchases
            .changes(&now.purchases, "p", writer, scope, &mut w);
        c.returns = self
            .returns
            .changes(&now.returns, "r", writer, scope, &mut w);
        c.points_events =
            base.points_events
                .changes(&now.points_events, "e", writer, scope, &mut w);
        c.contacts = base
            .contacts
            .changes(&now.care.contacts, "c", writer, scope, &mut w);
        c.marks = self
            .marks
            .changes(&now.care.marks, "t", writer, scope, &mut w);
        c.merges = self.merges.changes(&now.merges, "x", writer, scope, &mut w);
        Pending {
            writes: w,
            commit: c,
        }
    }

    /// The database took every write of `p`: it now holds what they said.
    pub fn commit(&mut self, p: Pending) {
        debug_assert!(
            !self.lent,
            "a save committed to records whose facts are lent"
        );
        let c = p.commit;
        self.meta |= c.meta;
        if let Some(s) = c.settings {
            self.settings = Some(s);
        }
        if let Some(s) = c.schemes {
            self.schemes = Some(s);
        }
        for change in &c.members {
            if let Err(id) = change {
                self.set_edits(*id, None);
            }
        }
        commit_keyed(&mut self.members, c.members, |m| m.id);
        for (id, e) in c.edits {
            self.set_edits(id, Some(e));
        }
        commit_keyed(&mut self.plan, c.plan, |p| p.id);
        if let Some(m) = c.rewrite {
            self.rewrite_saved(&m);
        }
        if let Some(f) = c.merges {
            self.merges.commit(f);
        }
        if let Some(f) = c.purchases {
            self.purchases.commit(f);
        }
        if let Some(f) = c.returns {
            self.returns.commit(f);
        }
        if let Some(f) = c.points_events {
            self.points_events.commit(f);
        }
        if let Some(f) = c.contacts {
            self.contacts.commit(f);
        }
        if let Some(f) = c.marks {
            self.marks.commit(f);
        }
    }

    /// Another tab or device changed document `id` (`json` is its body, or
    /// `None` when it was deleted): both these records and `now` take it.
    /// Unsaved changes of this tab to other documents stay. Returns whether
    /// `now` changed; a document that does not parse is an `Err` and
    /// changes nothing.
    pub fn receive(
        &mut self,
        id: &str,
        json: Option<&str>,
        now: &mut Store,
    ) -> Result<bool, String> {
        debug_assert!(
            !self.lent,
            "a change received by records whose facts are lent"
        );
        match (id, json) {
            // Another tab (or device) made the store this tab found
            // empty: these records hold one now, and do not write it again.
            (META_ID, Some(_)) => {
                self.meta = true;
                Ok(false)
            }
            (META_ID, None) => Ok(false),
            (SETTINGS_ID, Some(j)) => {
                let s: StoreSettings = parse(j)?;
                self.settings = Some(s.clone());
                now.settings = s;
                Ok(true)
            }
            (SCHEMES_ID, Some(j)) => {
                let s: Vec<DatedScheme> = parse(j)?;
                self.schemes = Some(s.clone());
                now.schemes = s;
                Ok(true)
            }
            _ if id.starts_with("m:") => {
                let key = id[2..].parse().map(MemberId).map_err(|e| e.to_string())?;
                let m = json.map(parse_member).transpose()?;
                let m = m.map(|(m, e)| {
                    self.set_edits(m.id, Some(e));
                    m
                });
                if m.is_none() {
                    self.set_edits(key, None);
                }
                receive_keyed(&mut self.members, &mut now.members, key, m, |m| m.id);
                // An edit of a member merged meanwhile stays out of the list.
                if merge_map(&now.merges).contains_key(&key) {
                    now.members.retain(|m| m.id != key);
                }
                Ok(true)
            }
            _ if id.starts_with("k:") => {
                let key: u64 = id[2..]
                    .parse()
                    .map_err(|e: std::num::ParseIntError| e.to_string())?;
                let p = json.map(parse::<PlanItem>).transpose()?;
                receive_keyed(&mut self.plan, &mut now.care.plan, key, p, |p| p.id);
                Ok(true)
            }
            _ if id.starts_with("f:") => {
                // Another device's facts arrive with the ids it wrote:
                // they read through the merges this store knows.
                let map = merge_map(&now.merges);
                match id.get(..4) {
                    Some("f:p:") => {
                        receive_block(&mut self.purchases, id, json, &mut now.purchases, |items| {
                            rewrite_facts(&map, items, &mut [], &mut [])
                        })?
                    }
                    Some("f:r:") => {
                        receive_block(&mut self.returns, id, json, &mut now.returns, |_| {})?
                    }
                    Some("f:e:") => receive_block(
                        &mut self.points_events,
                        id,
                        json,
                        &mut now.points_events,
                        |items| rewrite_facts(&map, &mut [], items, &mut []),
                    )?,
                    Some("f:c:") => receive_block(
                        &mut self.contacts,
                        id,
                        json,
                        &mut now.care.contacts,
                        |items| rewrite_facts(&map, &mut [], &mut [], items),
                    )?,
                    Some("f:t:") => {
                        receive_block(&mut self.marks, id, json, &mut now.care.marks, |_| {})?
                    }
                    Some("f:x:") => {
                        receive_block(&mut self.merges, id, json, &mut now.merges, |_| {})?;
                        self.rewrite_saved(&now.merges.clone());
                        apply_merges(now);
                    }
                    _ => return Err("not a Clientele record".into()),
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

/// Puts (`Ok`) and deletes (`Err`) of keyed records the database took.
fn commit_keyed<K: Ord, T>(
    saved: &mut BTreeMap<K, T>,
    changes: Vec<Result<T, K>>,
    key_of: impl Fn(&T) -> K,
) {
    for change in changes {
        match change {
            Ok(item) => {
                saved.insert(key_of(&item), item);
            }
            Err(key) => {
                saved.remove(&key);
            }
        }
    }
}

fn read_block<T: Clone + PartialEq + Serialize + DeserializeOwned>(
    log: &mut FactLog<T>,
    id: &str,
    json: &str,
) -> Result<(), String> {
    let items: Vec<T> = parse(json)?;
    log.blocks.push(Block {
        id: id.to_string(),
        len: items.len(),
    });
    log.saved.extend(items);
    Ok(())
}

fn receive_block<T: Clone + PartialEq + Serialize + DeserializeOwned>(
    log: &mut FactLog<T>,
    id: &str,
    json: Option<&str>,
    now: &mut Vec<T>,
    fix: impl FnOnce(&mut [T]),
) -> Result<(), String> {
    match json {
        Some(j) => {
            let mut items: Vec<T> = parse(j)?;
            fix(&mut items);
            log.receive(id, items, now);
        }
        None => log.remove(id, now),
    }
    Ok(())
}

fn receive_keyed<K: Ord + Copy, T: Clone>(
    saved: &mut BTreeMap<K, T>,
    now: &mut Vec<T>,
    key: K,
    value: Option<T>,
    key_of: impl Fn(&T) -> K,
) {
    let at = now.iter().position(|x| key_of(x) == key);
    match (value, at) {
        (Some(v), Some(i)) => {
            now[i] = v.clone();
            saved.insert(key, v);
        }
        (Some(v), None) => {
            now.push(v.clone());
            saved.insert(key, v);
        }
        (None, Some(i)) => {
            now.remove(i);
            saved.remove(&key);
        }
        (None, None) => {
            saved.remove(&key);
        }
    }
}

/// Puts for records that are new or differ, deletes for those gone.
fn keyed_changes<K: Ord + Copy, T: Clone + PartialEq + Serialize>(
    saved: &BTreeMap<K, T>,
    now: &[T],
    key_of: impl Fn(&T) -> K,
    doc_id: impl Fn(K) -> String,
    mut body_of: impl FnMut(Option<&T>, &T) -> String,
    out: &mut Vec<Write>,
    commit: &mut Vec<Result<T, K>>,
) {
    let mut found = 0;
    for item in now {
        let key = key_of(item);
        match saved.get(&key) {
            Some(old) if old == item => found += 1,
            old => {
                found += usize::from(old.is_some());
                out.push(Write {
                    id: doc_id(key),
                    body: Some(body_of(old, item)),
                });
                commit.push(Ok(item.clone()));
            }
        }
    }
    if found < saved.len() {
        let present: std::collections::BTreeSet<K> = now.iter().map(&key_of).collect();
        for &key in saved.keys() {
            if !present.contains(&key) {
                out.push(Write {
                    id: doc_id(key),
                    body: None,
                });
                commit.push(Err(key));
            }
        }
    }
}
