//! Two records of one customer (合并会员): the same mobile enrolled on two
//! devices while they were apart, or a mistyped number that made a second
//! member. The console finds likely pairs and merges one into the other.
//!
//! Purchases, points events and contacts are facts that never change once
//! written (`store::records`), so a merge does not rewrite them: it is a
//! fact of its own, [`MemberMerge`], and every reader of the store takes
//! the absorbed member's facts as the kept member's ([`apply_merges`]).
//! The store's history keeps the merge (a backup from before it has none),
//! and a sale made to the absorbed member on a device that had not heard
//! of the merge yet joins the kept member when it arrives.

use crate::fxhash::FxMap;
pub use crate::members::model::MemberMerge;
use crate::members::model::{mobile_digits, Member, MemberId};
use crate::Store;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::fmt;

/// Why two members look like one customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateWhy {
    /// The same mobile number (after normalising).
    Mobile,
    /// The same name and birthday.
    NameAndBirthday,
}

/// A likely pair: `keep` is the member enrolled first (the usual one to keep).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub keep: MemberId,
    pub other: MemberId,
    pub why: DuplicateWhy,
}

/// Likely duplicates, each pair once: the same normalised mobile, or the
/// same name (ignoring case and spaces) and birthday. In member order.
pub fn likely_duplicates(members: &[Member]) -> Vec<Duplicate> {
    let mut out = Vec::new();
    let mut seen: FxMap<(MemberId, MemberId), ()> = FxMap::default();
    let mut by_mobile: FxMap<Cow<str>, usize> = FxMap::default();
    let mut by_name: FxMap<(Cow<str>, (u32, u32)), usize> = FxMap::default();
    let older = |a: &Member, b: &Member| (a.joined, a.id) <= (b.joined, b.id);
    let mut pair = |i: usize, j: usize, why: DuplicateWhy, out: &mut Vec<Duplicate>| {
        let (a, b) = (&members[i], &members[j]);
        let (keep, other) = if older(a, b) {
            (a.id, b.id)
        } else {
            (b.id, a.id)
        };
        if seen.insert((keep, other), ()).is_none() {
            out.push(Duplicate { keep, other, why });
        }
    };
    for (j, m) in members.iter().enumerate() {
        let mobile = mobile_digits(&m.mobile);
        if mobile.len() >= 5 {
            match by_mobile.entry(mobile) {
                Entry::Occupied(first) => pair(*first.get(), j, DuplicateWhy::Mobile, &mut out),
                Entry::Vacant(v) => {
                    v.insert(j);
                }
            }
        }
        if let Some(b) = &m.birthday {
            let name = name_key(&m.name);
            if !name.is_empty() {
                match by_name.entry((name, (b.month, b.day))) {
                    Entry::Occupied(first) => {
                        pair(*first.get(), j, DuplicateWhy::NameAndBirthday, &mut out)
                    }
                    Entry::Vacant(v) => {
                        v.insert(j);
                    }
                }
            }
        }
    }
    out
}

/// A name as duplicates compare it: no spaces, lower case; borrowed when
/// it is already so (most Chinese names).
fn name_key(name: &str) -> Cow<'_, str> {
    if name.chars().any(|c| c.is_whitespace() || c.is_uppercase()) {
        Cow::Owned(
            name.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect(),
        )
    } else {
        Cow::Borrowed(name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeMembersError {
    /// A member of the pair is not in the store (merged or removed meanwhile).
    NoSuchMember(MemberId),
    /// A member cannot be merged into itself.
    SameMember,
    /// The kept member's record must keep its id.
    IdChanged,
}

impl fmt::Display for MergeMembersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeMembersError::NoSuchMember(id) => write!(f, "no member {}", id.0),
            MergeMembersError::SameMember => write!(f, "a member cannot be merged into itself"),
            MergeMembersError::IdChanged => write!(f, "the kept member's id changed"),
        }
    }
}

impl std::error::Error for MergeMembersError {}

/// Merges member `from` into `kept.id`: `kept` is the kept member's record
/// as the owner chose it field by field. Every purchase, points event,
/// contact, plan item and referral of `from` becomes the kept member's;
/// `from` leaves the member list; the merge joins the store's history.
pub fn merge_members(
    store: &mut Store,
    from: MemberId,
    kept: Member,
    on: NaiveDate,
) -> Result<(), MergeMembersError> {
    let into = kept.id;
    if from == into {
        return Err(MergeMembersError::SameMember);
    }
    for id in [from, into] {
        if !store.members.iter().any(|m| m.id == id) {
            return Err(MergeMembersError::NoSuchMember(id));
        }
    }
    if let Some(m) = store.members.iter_mut().find(|m| m.id == into) {
        *m = kept;
    }
    store.merges.push(MemberMerge { from, into, on });
    apply_merges(store);
    Ok(())
}

/// Where each merged member's records now belong: `from` → the member it
/// ends in (following merges of merges), sorted by `from`. A merge that
/// would close a loop (two devices merging a pair each way round while
/// apart) is left out. A list, not a hash map: merges are few, and the
/// console's first load carries no map code for them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeMap(Vec<(MemberId, MemberId)>);

impl MergeMap {
    pub fn get(&self, from: &MemberId) -> Option<&MemberId> {
        self.0
            .binary_search_by_key(from, |p| p.0)
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, from: &MemberId) -> bool {
        self.get(from).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Where `from` ends, following the map (at most its length of steps).
    fn end(&self, from: MemberId) -> MemberId {
        let mut end = from;
        for _ in 0..=self.0.len() {
            match self.get(&end) {
                Some(&next) => end = next,
                None => break,
            }
        }
        end
    }

    fn insert(&mut self, from: MemberId, into: MemberId) {
        match self.0.binary_search_by_key(&from, |p| p.0) {
            Ok(i) => self.0[i].1 = into,
            Err(i) => self.0.insert(i, (from, into)),
        }
    }
}

pub fn merge_map(merges: &[MemberMerge]) -> MergeMap {
    let mut direct = MergeMap::default();
    for m in merges {
        if m.from != m.into && direct.end(m.into) != m.from {
            direct.insert(m.from, m.into);
        }
    }
    let mut out = direct.clone();
    for pair in &mut out.0 {
        pair.1 = direct.end(pair.0);
    }
    out
}

/// Gives the kept member every record of the members merged into it (see
/// the module's note). Applying it again changes nothing.
pub fn apply_merges(store: &mut Store) {
    let map = merge_map(&store.merges);
    if map.is_empty() {
        return;
    }
    rewrite_facts(
        &map,
        &mut store.purchases,
        &mut store.points_events,
        &mut store.care.contacts,
    );
    let to = |id: &mut MemberId| {
        if let Some(&end) = map.get(id) {
            *id = end;
        }
    };
    store.care.plan.iter_mut().for_each(|p| to(&mut p.member));
    store.members.retain(|m| !map.contains_key(&m.id));
    for m in &mut store.members {
        if let Some(r) = m.referrer.as_mut() {
            to(r);
        }
        // A member merged into the one who referred them refers nobody.
        if m.referrer == Some(m.id) {
            m.referrer = None;
        }
    }
}

/// The facts' member ids through `map`.
pub fn rewrite_facts(
    map: &MergeMap,
    purchases: &mut [crate::members::model::Purchase],
    points_events: &mut [crate::points::events::PointsEvent],
    contacts: &mut [crate::care::log::Contact],
) {
    if map.is_empty() {
        return;
    }
    let to = |id: &mut MemberId| {
        if let Some(&end) = map.get(id) {
            *id = end;
        }
    };
    purchases.iter_mut().for_each(|p| to(&mut p.member));
    points_events.iter_mut().for_each(|e| to(&mut e.member));
    contacts.iter_mut().for_each(|c| to(&mut c.member));
}

/// The fields the owner chooses between when two records merge (the rest:
/// lists are joined, the earlier join date is kept, the kept record's
/// consent and preferences stay).
pub const CHOOSABLE: [&str; 12] = [
    "name",
    "mobile",
    "card_no",
    "email",
    "gender",
    "birthday",
    "address",
    "workplace",
    "job",
    "notes",
    "staff",
    "store",
];

/// The choosable fields whose values differ between the two records.
pub fn differing(keep: &Member, other: &Member) -> Vec<&'static str> {
    CHOOSABLE
        .into_iter()
        .filter(|f| {
            let mut a = keep.clone();
            take(&mut a, other, f);
            a != *keep
        })
        .collect()
}

fn take(m: &mut Member, other: &Member, field: &str) {
    match field {
        "name" => m.name = other.name.clone(),
        "mobile" => m.mobile = other.mobile.clone(),
        "card_no" => m.card_no = other.card_no.clone(),
        "email" => m.email = other.email.clone(),
        "gender" => m.gender = other.gender,
        "birthday" => {
            m.birthday = other.birthday;
            m.birthday_recorded_on = other.birthday_recorded_on;
        }
        "address" => m.address = other.address.clone(),
        "workplace" => m.workplace = other.workplace.clone(),
        "job" => m.job = other.job.clone(),
        "notes" => m.notes = other.notes.clone(),
        "staff" => m.staff = other.staff.clone(),
        "store" => m.store = other.store.clone(),
        _ => {}
    }
}

/// The kept member's record after a merge: `keep` with the fields named in
/// `from_other` taken from `other`, every tag, family member and special
/// day of both, and the earlier join date.
pub fn merged_record(keep: &Member, other: &Member, from_other: &[&str]) -> Member {
    let mut m = keep.clone();
    for f in from_other {
        take(&mut m, other, f);
    }
    for t in &other.tags {
        if !m.tags.contains(t) {
            m.tags.push(t.clone());
        }
    }
    for f in &other.family {
        if !m.family.contains(f) {
            m.family.push(f.clone());
        }
    }
    for d in &other.special_days {
        if !m.special_days.contains(d) {
            m.special_days.push(d.clone());
        }
    }
    m.joined = m.joined.min(other.joined);
    if m.referrer.is_none() && other.referrer != Some(m.id) {
        m.referrer = other.referrer;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(from: u64, into: u64) -> MemberMerge {
        MemberMerge {
            from: MemberId(from),
            into: MemberId(into),
            on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        }
    }

    #[test]
    fn merges_of_merges_end_in_the_last_kept_member_and_loops_are_left_out() {
        // 3 into 2, then 2 into 1: 3's records end with 1.
        let map = merge_map(&[m(3, 2), m(2, 1)]);
        assert_eq!(map.get(&MemberId(3)), Some(&MemberId(1)));
        assert_eq!(map.get(&MemberId(2)), Some(&MemberId(1)));
        assert_eq!(map.get(&MemberId(1)), None);
        // Two devices merged the pair each way round: the first merge holds.
        let map = merge_map(&[m(5, 4), m(4, 5)]);
        assert_eq!(map.get(&MemberId(5)), Some(&MemberId(4)));
        assert_eq!(map.get(&MemberId(4)), None);
        assert!(merge_map(&[m(7, 7)]).is_empty());
    }
}
