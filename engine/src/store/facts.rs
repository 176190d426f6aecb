//! Where each member's facts sit in the store's lists. A question about
//! one member at the counter (their points, what a sale would earn, the
//! next receipt number) then reads that member's few rows instead of a
//! million purchases: picking a member at 100,000 members took two passes
//! over every purchase, about two frames.
//!
//! Facts are only ever appended between member changes (a sale, a return,
//! a points event), so the index is kept by reading the new tail
//! ([`FactIndex::catch_up`]); anything else builds it again.

use crate::fxhash::{FxHasher, FxMap};
use crate::members::model::MemberId;
use crate::store::document::Store;
use chrono::NaiveDate;
use std::hash::{BuildHasher, BuildHasherDefault};

/// Positions into a store's lists, by member (and purchases by day, and
/// returns by receipt). Answers only for the store it was built from, as
/// it stood, or with facts appended since ([`FactIndex::catch_up`]).
#[derive(Clone, Debug, Default)]
pub struct FactIndex {
    /// How much of each list has been read: members, purchases, returns,
    /// points events.
    read: [usize; 4],
    member_at: FxMap<MemberId, u32>,
    /// Members by the member who referred them.
    referred: Groups<MemberId>,
    purchases: Groups<MemberId>,
    /// Returns by their receipt's hash (checked against the text when read).
    returns: Groups<u64>,
    events: Groups<MemberId>,
    /// The day the counter is on, and its purchases (for the next receipt
    /// number; grouping every day cost more than all the rest).
    day: NaiveDate,
    today: Vec<u32>,
    /// Built for one member alone (see [`FactIndex::for_member`]).
    only: Option<MemberId>,
}

/// Positions grouped by a key: those read at once packed in one list (a
/// list per key made a million small allocations, 60 ms at 100,000
/// members), those appended since in a list per key.
#[derive(Clone, Debug)]
struct Groups<K> {
    group: FxMap<K, u32>,
    /// Group `g` is `packed[starts[g]..starts[g + 1]]`.
    starts: Vec<u32>,
    packed: Vec<u32>,
    added: FxMap<K, Vec<u32>>,
}

impl<K> Default for Groups<K> {
    fn default() -> Self {
        Groups {
            group: FxMap::default(),
            starts: vec![0],
            packed: Vec::new(),
            added: FxMap::default(),
        }
    }
}

impl<K: Copy + Eq + std::hash::Hash> Groups<K> {
    /// Groups positions `from..` by key (`None`: left out). An empty
    /// index packs them; one that holds some already adds them.
    fn read(&mut self, from: usize, keys: impl Iterator<Item = Option<K>>) {
        if !self.packed.is_empty() || !self.group.is_empty() {
            for (i, key) in keys.enumerate() {
                if let Some(k) = key {
                    self.added.entry(k).or_default().push(at(from + i));
                }
            }
            return;
        }
        // Counting sort: each position's group, then each group's place.
        let mut of: Vec<(u32, u32)> = Vec::with_capacity(keys.size_hint().0);
        let mut last: Option<(K, u32)> = None;
        let mut counts: Vec<u32> = Vec::new();
        for (i, key) in keys.enumerate() {
            let Some(k) = key else { continue };
            // Facts come in runs (a member's history, a day's sales).
            let g = match last {
                Some((lk, g)) if lk == k => g,
                _ => {
                    let next = at(counts.len());
                    let g = *self.group.entry(k).or_insert(next);
                    if g == next {
                        counts.push(0);
                    }
                    g
                }
            };
            last = Some((k, g));
            counts[g as usize] += 1;
            of.push((g, at(from + i)));
        }
        self.starts = Vec::with_capacity(counts.len() + 1);
        let mut sum = 0u32;
        self.starts.push(0);
        for c in &counts {
            sum += c;
            self.starts.push(sum);
        }
        let mut next: Vec<u32> = self.starts[..counts.len()].to_vec();
        self.packed = vec![0; of.len()];
        for (g, i) in of {
            let slot = &mut next[g as usize];
            self.packed[*slot as usize] = i;
            *slot += 1;
        }
    }

    /// The positions under `key`, in the order read.
    fn get(&self, key: &K) -> impl Iterator<Item = u32> + '_ {
        let packed = self.group.get(key).map_or(&[][..], |&g| {
            let g = g as usize;
            &self.packed[self.starts[g] as usize..self.starts[g + 1] as usize]
        });
        let added = self.added.get(key).map_or(&[][..], Vec::as_slice);
        packed.iter().chain(added).copied()
    }
}

fn at(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn receipt_key(receipt: &str) -> u64 {
    BuildHasherDefault::<FxHasher>::default().hash_one(receipt)
}

impl FactIndex {
    /// The whole store's index, for the counter on `day`.
    pub fn new(store: &Store, day: NaiveDate) -> FactIndex {
        let mut index = FactIndex {
            day,
            ..FactIndex::default()
        };
        index.read_from(store);
        index
    }

    /// An index of one member's facts alone (and their referrals'
    /// purchases): one pass over the store, for a single question. It
    /// knows no other member and no day's receipts.
    pub(crate) fn for_member(store: &Store, member: MemberId) -> FactIndex {
        let mut index = FactIndex {
            only: Some(member),
            ..FactIndex::default()
        };
        index.read_from(store);
        index
    }

    /// Reads the facts appended to `store` since this index last read it.
    /// A store that changed otherwise (fewer facts, other members) is read
    /// again from the start: the caller says when members may have changed
    /// by building anew, and this check catches the rest.
    pub fn catch_up(&mut self, store: &Store) {
        let [members, purchases, returns, events] = self.read;
        if store.members.len() != members
            || store.purchases.len() < purchases
            || store.returns.len() < returns
            || store.points_events.len() < events
        {
            *self = FactIndex {
                only: self.only,
                day: self.day,
                ..FactIndex::default()
            };
        }
        self.read_from(store);
    }

    fn read_from(&mut self, store: &Store) {
        let [members, purchases, returns, events] = self.read;
        let only = self.only;
        let kept = |m: &crate::members::model::Member| {
            only.is_none_or(|o| m.id == o || m.referrer == Some(o))
        };
        // One pass over each list: a member or purchase is hundreds of
        // bytes, and reading a field of each is most of the cost.
        self.member_at
            .reserve(store.members.len().saturating_sub(members));
        let mut referrers = Vec::with_capacity(store.members.len().saturating_sub(members));
        for (i, m) in store.members.iter().enumerate().skip(members) {
            let k = kept(m);
            if k {
                self.member_at.insert(m.id, at(i));
            }
            referrers.push(m.referrer.filter(|_| k));
        }
        self.referred.read(members, referrers.into_iter());
        // One member's index compares the few ids in a row (no hash per
        // purchase, unless they referred many); the whole store's wants
        // every purchase.
        let ids: Vec<MemberId> = match only {
            Some(_) => self.member_at.keys().copied().collect(),
            None => Vec::new(),
        };
        let member_at = &self.member_at;
        let wanted = |id: &MemberId| match only {
            None => true,
            Some(_) if ids.len() <= 8 => ids.contains(id),
            Some(_) => member_at.contains_key(id),
        };
        let new = &store.purchases[purchases.min(store.purchases.len())..];
        let (day, whole) = (self.day, only.is_none());
        let mut today = Vec::new();
        self.purchases.read(
            purchases,
            new.iter().enumerate().map(|(i, p)| {
                if whole && p.at.date() == day {
                    today.push(at(purchases + i));
                }
                wanted(&p.member).then_some(p.member)
            }),
        );
        self.today.append(&mut today);
        let new = &store.returns[returns.min(store.returns.len())..];
        self.returns
            .read(returns, new.iter().map(|r| Some(receipt_key(&r.receipt))));
        let new = &store.points_events[events.min(store.points_events.len())..];
        self.events.read(
            events,
            new.iter()
                .map(|e| only.is_none_or(|o| e.member == o).then_some(e.member)),
        );
        self.read = [
            store.members.len(),
            store.purchases.len(),
            store.returns.len(),
            store.points_events.len(),
        ];
    }

    /// The day whose receipts it knows.
    pub fn day(&self) -> NaiveDate {
        self.day
    }

    /// Whether the member is in the store.
    pub fn has_member(&self, member: MemberId) -> bool {
        self.member_at.contains_key(&member)
    }

    /// Just this member's history (plus the purchases of members they
    /// referred, whose first purchase may earn them a bonus), in the
    /// store's order, so a checkout question replays one member.
    pub fn member_store(&self, store: &Store, member: MemberId) -> Store {
        let mut mini = Store {
            settings: store.settings.clone(),
            schemes: store.schemes.clone(),
            ..Store::default()
        };
        let mut members: Vec<u32> = self.referred.get(&member).collect();
        members.extend(self.member_at.get(&member));
        let members = in_order(members);
        let mut purchases = Vec::new();
        for &i in &members {
            if let Some(m) = store.members.get(i as usize) {
                purchases.extend(self.purchases.get(&m.id));
                mini.members.push(m.clone());
            }
        }
        mini.purchases = picked(&store.purchases, in_order(purchases));
        let mut returns = Vec::new();
        for p in &mini.purchases {
            let hits = self.returns.get(&receipt_key(&p.receipt));
            returns.extend(hits.filter(|&i| {
                store
                    .returns
                    .get(i as usize)
                    .is_some_and(|r| r.receipt == p.receipt)
            }));
        }
        mini.returns = picked(&store.returns, in_order(returns));
        let events = self.events.get(&member).collect();
        mini.points_events = picked(&store.points_events, events);
        mini
    }

    /// The day it answers for, and the receipt numbers rung up that day.
    pub fn receipts_today<'a>(
        &'a self,
        store: &'a Store,
    ) -> (NaiveDate, impl Iterator<Item = &'a str> + 'a) {
        let receipts = self
            .today
            .iter()
            .filter_map(|&i| store.purchases.get(i as usize))
            .map(|p| p.receipt.as_str());
        (self.day, receipts)
    }
}

/// Positions in the store's order, each once.
fn in_order(mut at: Vec<u32>) -> Vec<u32> {
    at.sort_unstable();
    at.dedup();
    at
}

fn picked<T: Clone>(list: &[T], at: Vec<u32>) -> Vec<T> {
    at.into_iter()
        .filter_map(|i| list.get(i as usize).cloned())
        .collect()
}
