//! Replays the stored inputs (purchases, returns, points events) under a
//! scheme history as of a date. Ledgers, balances and tiers are derived
//! here and nowhere else, so the same history always gives the same result.

use crate::fxhash::FxMap;
use crate::members::model::LeapDay;
use crate::members::model::{Member, MemberId};
use crate::money::Money;
use crate::points::earning::{
    birthday_noticed, birthday_window, earn_for_receipt, lot_expiry, receipt_earns, ReceiptFacts,
};
use crate::points::events::PointsEventKind;
use crate::points::explain::{Missed, Reason};
use crate::points::ledger::{Ledger, Lot, Source};
use crate::points::rules::SchemeError;
use crate::points::scheme::{DatedScheme, ExpiryPolicy, ReturnPolicy, Scheme};
use crate::points::tiers::{GrowthMode, Metric, MetricValues, TierChange, TierIdx, TierReason};
use crate::store::document::Store;
use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// One member's state as of the replay date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberOutcome {
    pub member: MemberId,
    pub tier: Option<TierIdx>,
    /// Value on the ladder's metric (成长值), kept apart from points.
    pub qualifying: i64,
    /// Open points less any negative balance.
    pub balance: i64,
    /// Points spendable on the as-of day.
    pub available: i64,
    /// Points that expire within 30 days after the as-of day.
    pub expiring_30d: i64,
    pub ledger: Ledger,
    pub tier_history: Vec<TierChange>,
    /// What keeps the current tier at its next review (upgrade-and-downgrade
    /// schemes only).
    pub hold: Option<TierHold>,
}

/// The next review of a tier held for a validity period, and how much more
/// the member must reach on the tier's metric by then to keep it. The
/// member's existing purchases are counted as they will stand on that day,
/// so spend that rolls out of a 12-month window no longer helps.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierHold {
    pub review: NaiveDate,
    pub metric: Metric,
    /// Zero when the member already qualifies for the review.
    pub needed: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub members: u32,
    /// Members per tier, lowest first.
    pub tier_counts: Vec<u32>,
    /// Members holding no tier (restricted entry).
    pub no_tier: u32,
    pub issued: i64,
    pub redeemed: i64,
    pub expired: i64,
    /// Points taken back by returns (from lots, claw-backs and negative balances).
    pub reversed: i64,
    /// Net manual adjustments and imported balances below zero.
    pub deducted: i64,
    /// Sum of balances: the points liability.
    pub outstanding: i64,
    /// `outstanding` at the scheme's value per point, rounded down.
    pub liability: Money,
    /// Discounts the tier benefits imply on the purchases, net of returns.
    pub discount_cost: Money,
    pub refused_redemptions: u32,
    /// Returns whose receipt is unknown (or dated before its purchase).
    pub orphan_returns: u32,
    /// Purchases ignored because the same receipt was already recorded.
    pub duplicate_receipts: u32,
    /// Purchases or events for a member not in the store.
    pub unknown_members: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Replay {
    pub as_of: NaiveDate,
    pub members: Vec<MemberOutcome>,
    pub totals: Totals,
    /// Which purchases and returns this replay counted, so that figures
    /// beside it (programme health) count the same ones without finding
    /// them again. Shared by the replays of one history.
    #[serde(skip)]
    pub counted: Arc<Counted>,
}

/// The purchases and returns a replay counted, by their positions in the
/// store it replayed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// Per purchase, in the store's order: the position of its member
    /// among the store's members, or [`NONE`] when it does not count
    /// (after the as-of date, of no member in the store, or its receipt
    /// already recorded for that member at that moment).
    member: Vec<u32>,
    /// (return, purchase) positions of the returns up to the as-of date
    /// whose purchase was found, dated on or after it.
    returns: Vec<(u32, u32)>,
}

impl Counted {
    /// The position of the member purchase `i` counts for, if it counts.
    pub fn member_of(&self, i: usize) -> Option<usize> {
        self.member
            .get(i)
            .filter(|&&m| m != NONE)
            .map(|&m| m as usize)
    }

    /// (return, purchase) positions, as above.
    pub fn returns(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.returns.iter().map(|&(r, p)| (r as usize, p as usize))
    }
}

/// A tier that differs between two replays of the same store.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierMove {
    pub member: MemberId,
    pub from: Option<TierIdx>,
    pub to: Option<TierIdx>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub up: Vec<TierMove>,
    pub down: Vec<TierMove>,
}

/// Members whose tier under `b` differs from `a` (both replays of one store).
pub fn compare(a: &Replay, b: &Replay) -> Comparison {
    let mut out = Comparison::default();
    let by_id: HashMap<MemberId, Option<TierIdx>> =
        a.members.iter().map(|m| (m.member, m.tier)).collect();
    for m in &b.members {
        let from = by_id.get(&m.member).copied().flatten();
        let mv = TierMove {
            member: m.member,
            from,
            to: m.tier,
        };
        if m.tier > from {
            out.up.push(mv);
        } else if m.tier < from {
            out.down.push(mv);
        }
    }
    out
}

/// Replays the store under its own scheme history, or under the simple
/// preset when it has none.
pub fn replay_store(store: &Store, as_of: NaiveDate) -> Result<Replay, SchemeError> {
    if store.schemes.is_empty() {
        let s = [DatedScheme {
            effective_from: NaiveDate::MIN,
            scheme: crate::points::scheme::presets::simple(),
        }];
        History::new(store, as_of).replay(&s)
    } else {
        History::new(store, as_of).replay(&store.schemes)
    }
}

/// Replays the whole history under one scheme (the scheme lab's question).
pub fn replay_under(
    store: &Store,
    scheme: &Scheme,
    as_of: NaiveDate,
) -> Result<Replay, SchemeError> {
    History::new(store, as_of).replay_one(scheme)
}

const ORD_PURCHASE: u8 = 0;
const ORD_REFERRAL: u8 = 1;
const ORD_EVENT: u8 = 2;
pub(crate) const ORD_RETURN: u8 = 3;
const ORD_REFERRAL_RETURN: u8 = 4;
/// Derived from the member record, not stored: the sign-up bonus on the
/// join date and the birthday gift on each birthday (`idx`: the year).
const ORD_SIGN_UP: u8 = 5;
const ORD_BIRTHDAY_GIFT: u8 = 6;
const NONE: u32 = u32::MAX;

#[derive(Copy, Clone, Debug)]
pub(crate) struct Ev {
    pub(crate) at: NaiveDateTime,
    pub(crate) ord: u8,
    pub(crate) idx: u32,
    /// For returns: the purchase returned.
    pub(crate) aux: u32,
}

impl Ev {
    /// One named order for both sorts of events: each closure would be its
    /// own copy of the sort in the first load.
    fn by_moment(a: &Ev, b: &Ev) -> std::cmp::Ordering {
        a.at.cmp(&b.at).then(a.ord.cmp(&b.ord))
    }
}

/// The store's inputs indexed by member, built once and replayable under
/// any number of schemes.
pub struct History<'a> {
    pub(crate) store: &'a Store,
    pub(crate) as_of: NaiveDate,
    /// Purchases per member position, chronological, duplicates dropped.
    pub(crate) p_start: Vec<u32>,
    pub(crate) p_order: Vec<u32>,
    /// When and how much, parallel to `p_order`: replay reads these in
    /// order instead of reaching into the (large) purchase records.
    p_facts: Vec<(NaiveDateTime, i64)>,
    /// Returns, events and referral rewards per member position.
    pub(crate) x_start: Vec<u32>,
    pub(crate) x_items: Vec<Ev>,
    orphan_returns: u32,
    duplicate_receipts: u32,
    unknown_members: u32,
    counted: Arc<Counted>,
}

/// At most this many id series get a dense vector (tag 0: the ids of
/// older stores and the demo, 1..N; then a series per device that enrolled
/// members, each counting up from 1), the first ones seen.
const DENSE_SERIES: usize = 8;

/// Positions of the members by id: a vector by serial for each of the
/// first id series, a map for the rest (more series, sparse ids). A lookup
/// scans a few tags, then indexes, so a store that mixes older ids with
/// several devices' stays on the fast path.
struct MemberIndex {
    /// (tag, position by serial).
    series: Vec<(u64, Vec<u32>)>,
    /// `usize` positions: the same map type as analytics' member index, so
    /// the console's wasm holds one copy of its code.
    rest: FxMap<MemberId, usize>,
}

impl MemberIndex {
    fn new(members: &[Member]) -> MemberIndex {
        // Serials count the members a device enrolled, so they stay near
        // the store's size; a larger one goes to the map, which bounds each
        // vector (older ids: as the single dense vector before series did).
        let limit = 2 * members.len() as u64 + 1024;
        let mut series: Vec<(u64, Vec<u32>)> = Vec::new();
        let mut rest = FxMap::default();
        for (i, m) in members.iter().enumerate() {
            let (tag, serial) = (m.id.tag(), m.id.serial());
            let mut at = series.iter().position(|s| s.0 == tag);
            if at.is_none() && series.len() < DENSE_SERIES && serial < limit {
                series.push((tag, Vec::new()));
                at = Some(series.len() - 1);
            }
            match at {
                Some(k) if serial < limit => {
                    let by_serial = &mut series[k].1;
                    let s = serial as usize;
                    if by_serial.len() <= s {
                        by_serial.resize(s + 1, NONE);
                    }
                    // The first of two members with one id, as the map keeps.
                    if by_serial[s] == NONE {
                        by_serial[s] = i as u32;
                    }
                }
                _ => {
                    rest.entry(m.id).or_insert(i);
                }
            }
        }
        MemberIndex { series, rest }
    }

    #[inline]
    fn get(&self, id: MemberId) -> Option<u32> {
        let tag = id.tag();
        if let Some((_, by_serial)) = self.series.iter().find(|s| s.0 == tag) {
            // Past the vector's end: a serial above the limit, in the map.
            if let Some(&p) = by_serial.get(id.serial() as usize) {
                return (p != NONE).then_some(p);
            }
        }
        self.rest.get(&id).map(|&p| p as u32)
    }
}

fn csr(n: usize, keys: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for &k in keys {
        if k != NONE {
            start[k as usize + 1] += 1;
        }
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut order = vec![0u32; start[n] as usize];
    for (i, &k) in keys.iter().enumerate() {
        if k != NONE {
            let f = &mut fill[k as usize];
            order[*f as usize] = i as u32;
            *f += 1;
        }
    }
    (start, order)
}

impl<'a> History<'a> {
    pub fn new(store: &'a Store, as_of: NaiveDate) -> History<'a> {
        let n = store.members.len();
        let index = MemberIndex::new(&store.members);
        let mut unknown = 0u32;
        let mut facts: Vec<(NaiveDateTime, i64)> = Vec::with_capacity(store.purchases.len());
        let mut keys: Vec<u32> = store
            .purchases
            .iter()
            .map(|p| {
                facts.push((p.at, p.amount.0));
                if p.at.date() > as_of {
                    return NONE;
                }
                index.get(p.member).unwrap_or_else(|| {
                    unknown += 1;
                    NONE
                })
            })
            .collect();
        let (p_start_raw, p_order_raw) = csr(n, &keys);
        let purchases = &store.purchases;
        let mut p_start = Vec::with_capacity(n + 1);
        let mut p_order = Vec::with_capacity(p_order_raw.len());
        let mut p_facts = Vec::with_capacity(p_order_raw.len());
        let mut duplicates = 0u32;
        // Per member: chronological, then by receipt, then by position;
        // the same receipt at the same moment counts once. Sorting copies
        // of the times keeps the large purchase records out of the cache.
        let mut sorted: Vec<(NaiveDateTime, u32)> = Vec::new();
        p_start.push(0u32);
        for m in 0..n {
            let slice = &p_order_raw[p_start_raw[m] as usize..p_start_raw[m + 1] as usize];
            sorted.clear();
            sorted.extend(slice.iter().map(|&i| (facts[i as usize].0, i)));
            sorted.sort_unstable();
            let mut a = 0;
            while a < sorted.len() {
                let mut b = a + 1;
                while b < sorted.len() && sorted[b].0 == sorted[a].0 {
                    b += 1;
                }
                if b - a == 1 {
                    p_order.push(sorted[a].1);
                    p_facts.push(facts[sorted[a].1 as usize]);
                } else {
                    let run = &mut sorted[a..b];
                    run.sort_unstable_by(|x, y| {
                        purchases[x.1 as usize]
                            .receipt
                            .cmp(&purchases[y.1 as usize].receipt)
                            .then(x.1.cmp(&y.1))
                    });
                    let mut prev: Option<u32> = None;
                    for &(_, i) in run.iter() {
                        if let Some(pr) = prev {
                            if purchases[pr as usize].receipt == purchases[i as usize].receipt {
                                duplicates += 1;
                                keys[i as usize] = NONE;
                                continue;
                            }
                        }
                        p_order.push(i);
                        p_facts.push(facts[i as usize]);
                        prev = Some(i);
                    }
                }
                a = b;
            }
            p_start.push(p_order.len() as u32);
        }
        drop(facts);
        // Which purchase each return refers to: only receipts that returns
        // name are hashed, so stores with few returns stay cheap.
        let owner_of_purchase = |idx: u32| keys[idx as usize];
        let mut x_keys: Vec<u32> = Vec::new();
        let mut x_items: Vec<Ev> = Vec::new();
        let mut orphans = 0u32;
        let mut counted_returns: Vec<(u32, u32)> = Vec::new();
        let returns: Vec<usize> = (0..store.returns.len())
            .filter(|&i| store.returns[i].at.date() <= as_of)
            .collect();
        let mut first_purchase_referrer: FxMap<u32, u32> = FxMap::default();
        for m in 0..n {
            let first = p_start[m];
            if first == p_start[m + 1] {
                continue;
            }
            if let Some(r) = store.members[m].referrer.and_then(|r| index.get(r)) {
                // The referred member's first receipt with something
                // bought: a receipt of nothing is no purchase.
                let bought = (first..p_start[m + 1]).find(|&k| p_facts[k as usize].1 > 0);
                if let (Some(k), true) = (bought, r as usize != m) {
                    let pidx = p_order[k as usize];
                    first_purchase_referrer.insert(pidx, r);
                    x_keys.push(r);
                    x_items.push(Ev {
                        at: purchases[pidx as usize].at,
                        ord: ORD_REFERRAL,
                        idx: pidx,
                        aux: m as u32,
                    });
                }
            }
        }
        if !returns.is_empty() {
            let mut by_receipt: FxMap<&str, u32> = returns
                .iter()
                .map(|&i| (store.returns[i].receipt.as_str(), NONE))
                .collect();
            // The first kept purchase in member-then-time order wins;
            // reading the purchases in store order keeps memory access
            // sequential, so compare positions in that order instead.
            let mut rank = vec![NONE; purchases.len()];
            for (r, &i) in p_order.iter().enumerate() {
                rank[i as usize] = r as u32;
            }
            for (i, p) in purchases.iter().enumerate() {
                let r = rank[i];
                if r == NONE {
                    continue;
                }
                if let Some(slot) = by_receipt.get_mut(p.receipt.as_str()) {
                    if *slot == NONE || r < rank[*slot as usize] {
                        *slot = i as u32;
                    }
                }
            }

            for &ri in &returns {
                let r = &store.returns[ri];
                let pidx = by_receipt.get(r.receipt.as_str()).copied().unwrap_or(NONE);
                // Unknown, or dated before its purchase: nothing to take
                // back (yet), so it is counted as an orphan and left aside.
                if pidx == NONE || r.at < purchases[pidx as usize].at {
                    orphans += 1;
                    continue;
                }
                let owner = owner_of_purchase(pidx);
                counted_returns.push((ri as u32, pidx));
                x_keys.push(owner);
                x_items.push(Ev {
                    at: r.at,
                    ord: ORD_RETURN,
                    idx: ri as u32,
                    aux: pidx,
                });
                if let Some(&referrer) = first_purchase_referrer.get(&pidx) {
                    x_keys.push(referrer);
                    x_items.push(Ev {
                        at: r.at,
                        ord: ORD_REFERRAL_RETURN,
                        idx: ri as u32,
                        aux: pidx,
                    });
                }
            }
        }
        for (i, e) in store.points_events.iter().enumerate() {
            if e.at.date() > as_of {
                continue;
            }
            match index.get(e.member) {
                Some(m) => {
                    x_keys.push(m);
                    x_items.push(Ev {
                        at: e.at,
                        ord: ORD_EVENT,
                        idx: i as u32,
                        aux: NONE,
                    });
                }
                None => unknown += 1,
            }
        }
        let (x_start, x_order) = csr(n, &x_keys);
        let mut x_items: Vec<Ev> = x_order.iter().map(|&i| x_items[i as usize]).collect();
        // Each member's returns, events and referral rewards in replay
        // order (stable, so same-moment items keep the order above); replay
        // merges them with the purchases.
        for m in 0..n {
            let xs = &mut x_items[x_start[m] as usize..x_start[m + 1] as usize];
            if xs.len() > 1 {
                xs.sort_by(Ev::by_moment);
            }
        }
        History {
            store,
            as_of,
            p_start,
            p_order,
            p_facts,
            x_start,
            x_items,
            orphan_returns: orphans,
            duplicate_receipts: duplicates,
            unknown_members: unknown,
            counted: Arc::new(Counted {
                member: keys,
                returns: counted_returns,
            }),
        }
    }

    pub fn replay_one(&self, scheme: &Scheme) -> Result<Replay, SchemeError> {
        scheme.validate()?;
        let timeline = [(NaiveDate::MIN, scheme)];
        self.run(&timeline, None)
    }

    pub fn replay(&self, schemes: &[DatedScheme]) -> Result<Replay, SchemeError> {
        if schemes.is_empty() {
            return Err(SchemeError::NoScheme);
        }
        let mut timeline: Vec<(NaiveDate, &Scheme)> = schemes
            .iter()
            .map(|d| (d.effective_from, &d.scheme))
            .collect();
        crate::order::sort_by_key_pair(&mut timeline, |t| (crate::order::day_key(t.0), 0));
        for (_, s) in &timeline {
            s.validate()?;
        }
        self.run(&timeline, None)
    }

    /// Replays the members (or only one); a total that does not fit the
    /// ledger's integers is [`SchemeError::Overflow`], never a wrapped number.
    fn run(
        &self,
        timeline: &[(NaiveDate, &Scheme)],
        only: Option<usize>,
    ) -> Result<Replay, SchemeError> {
        let n = self.store.members.len();
        let mut members = Vec::with_capacity(if only.is_some() { 1 } else { n });
        let mut scratch: Vec<Ev> = Vec::new();
        let mut derived: Vec<Ev> = Vec::new();
        // One list of receipts for every member in turn, rather than an
        // allocation per member (a reopen at 100k replays every member).
        let mut bought: Vec<Bought> = Vec::new();
        // Only a scheme that reads items, or gives a sign-up bonus or a
        // birthday gift, costs anything here: others replay as before.
        let uses_items = timeline.iter().any(|t| t.1.earning.uses_items());
        let sign_up = timeline.iter().any(|t| t.1.bonuses.sign_up > 0);
        let gift = timeline.iter().any(|t| {
            t.1.bonuses
                .birthday_gift
                .as_ref()
                .is_some_and(|g| g.points > 0)
        });
        let uses_lines = timeline.iter().any(|t| t.1.earning.uses_lines());
        let store = self.store;
        let lines_of = |i: u32| -> &[crate::members::model::LineItem] {
            if uses_lines {
                store.purchases.get(i as usize).map_or(&[], |p| &p.lines)
            } else {
                &[]
            }
        };
        let items_of = |i: u32| -> u32 {
            if uses_items {
                self.store
                    .purchases
                    .get(i as usize)
                    .map_or(1, |p| p.item_count())
            } else {
                1
            }
        };
        let mut totals = self.totals_start(timeline);
        let range = match only {
            Some(p) => p..p + 1,
            None => 0..n,
        };
        for m in range {
            let range = self.p_start[m] as usize..self.p_start[m + 1] as usize;
            let ps = &self.p_order[range.clone()];
            let pf = &self.p_facts[range];
            let mut xs = &self.x_items[self.x_start[m] as usize..self.x_start[m + 1] as usize];
            let member = &self.store.members[m];
            bought.clear();
            bought.reserve(ps.len());
            let mut st = MemberState::new(member, timeline, ps.len(), xs.len(), bought);
            st.history_before = self.opening_day(xs);
            if sign_up || gift {
                derived_events(member, self.as_of, sign_up, gift, &mut derived);
                if !derived.is_empty() {
                    derived.extend_from_slice(xs);
                    derived.sort_by(Ev::by_moment);
                    xs = &derived;
                }
            }
            if xs.is_empty() {
                for (&i, &(at, amount)) in ps.iter().zip(pf) {
                    let d = at.date();
                    st.advance(d);
                    st.purchase(i, amount, (items_of(i), lines_of(i)), d);
                }
            } else {
                // Both lists are in replay order already: merge them. A
                // purchase goes before anything else at the same moment.
                scratch.clear();
                scratch.reserve(ps.len() + xs.len());
                let mut x = 0;
                for (k, (&i, &(at, _))) in ps.iter().zip(pf).enumerate() {
                    while x < xs.len() && xs[x].at < at {
                        scratch.push(xs[x]);
                        x += 1;
                    }
                    scratch.push(Ev {
                        at,
                        ord: ORD_PURCHASE,
                        idx: i,
                        // Where its facts are in `pf`.
                        aux: k as u32,
                    });
                }
                scratch.extend_from_slice(&xs[x..]);
                for ev in &scratch {
                    if ev.ord == ORD_PURCHASE {
                        let d = ev.at.date();
                        st.advance(d);
                        let goods = (items_of(ev.idx), lines_of(ev.idx));
                        st.purchase(ev.idx, pf[ev.aux as usize].1, goods, d);
                    } else {
                        st.step(self.store, ev);
                    }
                }
            }
            totals.discount_cost = totals.discount_cost.saturating_add(st.discount_cost);
            let overflowed = st.overflowed;
            let outcome;
            (outcome, bought) = st.finish(self.as_of);
            if overflowed || outcome.ledger.checked_balance().is_none() {
                return Err(SchemeError::Overflow);
            }
            totals.add(&outcome).ok_or(SchemeError::Overflow)?;
            members.push(outcome);
        }
        let totals = totals.finish(scheme_at(timeline, self.as_of));
        Ok(Replay {
            as_of: self.as_of,
            members,
            totals,
            counted: self.counted.clone(),
        })
    }

    /// The day of a member's latest opening balance (among the member's
    /// events up to the as-of date): the balance carried over holds what
    /// the purchases before it earned.
    fn opening_day(&self, xs: &[Ev]) -> Option<NaiveDate> {
        xs.iter()
            .filter(|e| e.ord == ORD_EVENT)
            .filter(|e| {
                self.store
                    .points_events
                    .get(e.idx as usize)
                    .is_some_and(|p| matches!(p.kind, PointsEventKind::OpeningBalance { .. }))
            })
            .map(|e| e.at.date())
            .max()
    }

    fn totals_start(&self, timeline: &[(NaiveDate, &Scheme)]) -> TotalsAcc {
        let scheme = scheme_at(timeline, self.as_of);
        TotalsAcc {
            t: Totals {
                tier_counts: vec![0; scheme.tiers.tiers.len()],
                orphan_returns: self.orphan_returns,
                duplicate_receipts: self.duplicate_receipts,
                unknown_members: self.unknown_members,
                ..Totals::default()
            },
            discount_cost: 0,
        }
    }
}

/// Totals gathered member by member while each ledger is still in cache.
struct TotalsAcc {
    t: Totals,
    discount_cost: i128,
}

impl TotalsAcc {
    /// Adds one member; `None` when a total no longer fits.
    fn add(&mut self, m: &MemberOutcome) -> Option<()> {
        let t = &mut self.t;
        t.members += 1;
        match m.tier.and_then(|i| t.tier_counts.get_mut(usize::from(i))) {
            Some(c) => *c += 1,
            None => t.no_tier += 1,
        }
        t.outstanding = t.outstanding.checked_add(m.balance)?;
        for e in &m.ledger.entries {
            let total = match e.reason {
                // Points given back by a return undo part of a payment.
                Reason::PointsRefunded { .. } => &mut t.redeemed,
                _ if e.lot.is_some() => {
                    t.issued = t.issued.checked_add(e.points)?;
                    continue;
                }
                Reason::Redeemed { .. } | Reason::PaidWithPoints { .. } => &mut t.redeemed,
                Reason::Expired | Reason::Lapsed => &mut t.expired,
                Reason::Returned { .. }
                | Reason::TierEntryReversed { .. }
                | Reason::ClawedBack
                | Reason::NegativeBalance => &mut t.reversed,
                Reason::RedemptionRefused { .. } => {
                    t.refused_redemptions += 1;
                    continue;
                }
                Reason::Adjustment | Reason::OpeningBalance => &mut t.deducted,
                _ => continue,
            };
            *total = total.checked_sub(e.points)?;
        }
        Some(())
    }

    fn finish(self, scheme: &Scheme) -> Totals {
        let mut t = self.t;
        let liability = i128::from(t.outstanding) * i128::from(scheme.point_value_milli) / 1000;
        t.liability = Money(i64::try_from(liability).unwrap_or(i64::MAX));
        t.discount_cost = Money(i64::try_from(self.discount_cost).unwrap_or(i64::MAX));
        t
    }
}

/// The events a member record implies (not stored): the sign-up bonus at
/// the start of the join date and the birthday gift at the start of each
/// birthday from joining to `as_of`. A 29 February birthday gets a
/// candidate on 28 February and on 1 March of common years; the scheme in
/// force on the day keeps the one its rule names.
fn derived_events(member: &Member, as_of: NaiveDate, sign_up: bool, gift: bool, out: &mut Vec<Ev>) {
    out.clear();
    let joined = member.joined;
    if joined > as_of {
        return;
    }
    let start_of = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    if sign_up {
        out.push(Ev {
            at: start_of(joined),
            ord: ORD_SIGN_UP,
            idx: 0,
            aux: NONE,
        });
    }
    let Some(bd) = member.birthday.filter(|_| gift) else {
        return;
    };
    let leap_days: &[LeapDay] = if bd.month == 2 && bd.day == 29 {
        &[LeapDay::Feb28, LeapDay::Mar1]
    } else {
        &[LeapDay::Feb28]
    };
    // Dates within the file limits keep this to a few hundred years.
    let first = joined.year().max(as_of.year().saturating_sub(400));
    for year in first..=as_of.year() {
        let Ok(idx) = u32::try_from(year) else {
            continue;
        };
        let mut last = None;
        for &leap in leap_days {
            let day = bd.in_year_with(year, leap);
            if day < joined || day > as_of || last == Some(day) {
                continue;
            }
            last = Some(day);
            out.push(Ev {
                at: start_of(day),
                ord: ORD_BIRTHDAY_GIFT,
                idx,
                aux: NONE,
            });
        }
    }
}

fn scheme_at<'s>(timeline: &[(NaiveDate, &'s Scheme)], d: NaiveDate) -> &'s Scheme {
    let i = timeline.partition_point(|t| t.0 <= d);
    timeline[i.saturating_sub(1)].1
}

/// A purchase as the member's state sees it.
#[derive(Copy, Clone, Debug)]
struct Bought {
    purchase: u32,
    date: NaiveDate,
    amount: i64,
    returned: i64,
    lot: u32,
    discount: u8,
    birthday_prev: Option<Option<i32>>,
    /// Last activity before this purchase: a receipt returned in full was
    /// no activity, so the inactivity clock goes back.
    activity_prev: Option<NaiveDate>,
}

struct MemberState<'a> {
    member: &'a Member,
    timeline: &'a [(NaiveDate, &'a Scheme)],
    scheme_pos: usize,
    ledger: Ledger,
    tier: Option<TierIdx>,
    since: NaiveDate,
    history: Vec<TierChange>,
    last_upgrade: Option<(u32, Option<TierIdx>, NaiveDate)>,
    /// Tiers whose entry reward (升级礼) this member has had, once each.
    entry_given: Vec<TierIdx>,
    /// The entry rewards of the last upgrade (tier, lot or `NONE`), which a
    /// return that undoes the upgrade takes back.
    upgrade_entries: Vec<(TierIdx, u32)>,
    bought: Vec<Bought>,
    lifetime: i64,
    count: i64,
    first_receipt: Option<u32>,
    check_in: Option<NaiveDate>,
    profile_done: bool,
    birthday_year: Option<i32>,
    /// The last year a birthday gift was given.
    gift_year: Option<i32>,
    last_activity: Option<NaiveDate>,
    /// The purchase that set `last_activity`, if a purchase did.
    activity_by: Option<u32>,
    referral_lots: Vec<(u32, u32, i64, i64)>,
    /// 积分抵现 replayed: (event, points paid, points given back so far).
    payments: Vec<(u32, i64, i64)>,
    discount_cost: i128,
    /// An imported opening tier the member keeps at least until the next
    /// review (for good under an upgrade-only scheme).
    opening_floor: Option<TierIdx>,
    /// The day an inactivity rule took effect after a scheme without one
    /// (`None`: in force from the start).
    inactivity_from: Option<NaiveDate>,
    /// The day of the member's latest opening balance: purchases dated
    /// before it are history (tiers, spend) but earn no points, which the
    /// balance carried over already holds.
    history_before: Option<NaiveDate>,
    /// A sum did not fit (values past the file limits): replay refuses.
    overflowed: bool,
}

impl<'a> MemberState<'a> {
    fn new(
        member: &'a Member,
        timeline: &'a [(NaiveDate, &'a Scheme)],
        purchases: usize,
        others: usize,
        bought: Vec<Bought>,
    ) -> Self {
        let scheme = timeline[0].1;
        MemberState {
            member,
            timeline,
            scheme_pos: 0,
            ledger: Ledger::with_capacity(purchases + others, purchases + others + 2),
            tier: scheme.tiers.entry_tier(),
            since: member.joined,
            history: Vec::new(),
            last_upgrade: None,
            entry_given: Vec::new(),
            upgrade_entries: Vec::new(),
            bought,
            lifetime: 0,
            count: 0,
            first_receipt: None,
            check_in: None,
            profile_done: false,
            birthday_year: None,
            gift_year: None,
            last_activity: None,
            activity_by: None,
            referral_lots: Vec::new(),
            payments: Vec::new(),
            discount_cost: 0,
            opening_floor: None,
            inactivity_from: None,
            history_before: None,
            overflowed: false,
        }
    }

    fn scheme(&self) -> &'a Scheme {
        self.timeline[self.scheme_pos].1
    }

    fn metrics(&self, d: NaiveDate) -> MetricValues {
        let s = self.scheme();
        let mut v = MetricValues {
            lifetime: self.lifetime,
            purchases: self.count,
            ..MetricValues::default()
        };
        let tiers = &s.tiers;
        let need12 = tiers.uses(Metric::SpendLast12Months);
        let need_year = tiers.uses(Metric::SpendCalendarYear);
        let need_day = tiers.uses(Metric::SingleDaySpend);
        if !(need12 || need_year || need_day) {
            return v;
        }
        let window_start = d
            .checked_sub_months(Months::new(12))
            .unwrap_or(NaiveDate::MIN);
        let mut day: Option<NaiveDate> = None;
        let mut day_sum = 0i64;
        let year = tiers.growth_year(d);
        for b in self.bought.iter().rev() {
            if b.date > d {
                continue;
            }
            if b.date <= window_start && !need_year {
                break;
            }
            let net = b.amount - b.returned;
            if b.date > window_start {
                v.last_12_months = v.last_12_months.saturating_add(net);
                if day == Some(b.date) {
                    day_sum = day_sum.saturating_add(net);
                } else {
                    day = Some(b.date);
                    day_sum = net;
                }
                v.single_day = v.single_day.max(day_sum);
            }
            if tiers.growth_year(b.date) == year {
                v.calendar_year = v.calendar_year.saturating_add(net);
            } else if b.date <= window_start {
                break;
            }
        }
        v
    }

    fn set_tier(&mut self, to: Option<TierIdx>, date: NaiveDate, reason: TierReason) {
        if to != self.tier {
            self.history.push(TierChange {
                date,
                from: self.tier,
                to,
                reason,
            });
            self.tier = to;
        }
        self.since = date;
    }

    /// Everything that happens with the passing of time before `d`:
    /// scheme switches, tier reviews, expiry.
    fn advance(&mut self, d: NaiveDate) {
        let mut p = self.scheme_pos;
        while p + 1 < self.timeline.len() && self.timeline[p + 1].0 <= d {
            // Inactivity that ran out under the outgoing scheme lapses
            // under it; an incoming inactivity rule starts its clock on the
            // day it takes effect, never before.
            let from = self.timeline[p + 1].0;
            self.lapse_inactive(self.timeline[p].1, from);
            let was = matches!(self.timeline[p].1.expiry, ExpiryPolicy::Inactivity { .. });
            if !was {
                self.inactivity_from = Some(from);
            }
            p += 1;
        }
        if p != self.scheme_pos {
            self.scheme_pos = p;
            let tiers = &self.scheme().tiers;
            let mut q = tiers.qualifying(&self.metrics(d), self.count > 0);
            if let Some(floor) = self.opening_floor {
                let top = tiers.tiers.len().saturating_sub(1);
                q = q.max(Some(
                    floor.min(TierIdx::try_from(top).unwrap_or(TierIdx::MAX)),
                ));
            }
            if q != self.tier {
                self.set_tier(q, d, TierReason::SchemeChanged);
                self.last_upgrade = None;
                self.upgrade_entries.clear();
            }
        }
        let scheme = self.scheme();
        if let GrowthMode::UpgradeDowngrade { max_drop, .. } = scheme.tiers.growth {
            while let Some(cur) = self.tier {
                let Some(review) = scheme.tiers.review_after(self.since) else {
                    break;
                };
                if review > d || review <= self.since {
                    break;
                }
                let v = self.metrics(scheme.tiers.review_values_day(review));
                let q = scheme.tiers.qualifying(&v, self.count > 0);
                let metric = scheme.tiers.metric_of(usize::from(cur));
                let reason = TierReason::ValidityEnded {
                    metric,
                    value: v.get(metric),
                };
                let to = if q >= Some(cur) || cur < max_drop {
                    q
                } else {
                    q.max(Some(cur - max_drop))
                };
                self.set_tier(to, review, reason);
                // A review can move a member up when a return undid the
                // upgrade that had kept them from being reviewed: they
                // reached the tier, so its reward (if not standing) comes.
                if to > Some(cur) {
                    let before_opening = self.before_opening(review);
                    for tier in scheme.tiers.passed(Some(cur), to) {
                        self.tier_entry(tier, review, before_opening);
                    }
                }
                if scheme.tiers.validity_to_year_end {
                    // Judged on 31 December: the next period runs from
                    // that day, so a tier kept is reviewed yearly.
                    self.since = scheme.tiers.review_values_day(review);
                }
                self.last_upgrade = None;
                self.upgrade_entries.clear();
                // From the first review on, the usual rules alone decide.
                self.opening_floor = None;
            }
        }
        self.lapse_inactive(scheme, d);
        self.ledger.expire_before(d);
    }

    /// The last day of activity counted under an inactivity rule: the
    /// clock starts no earlier than the day the rule took effect.
    fn inactivity_deadline(&self, months: u32) -> Option<NaiveDate> {
        let last = self.last_activity?;
        let start = self.inactivity_from.map_or(last, |f| f.max(last));
        start.checked_add_months(Months::new(months))
    }

    /// Lapses the balance if `scheme`'s inactivity deadline passed before
    /// `d`. Points still pending then stay: they lapse no earlier than
    /// the rule's months after they became spendable.
    fn lapse_inactive(&mut self, scheme: &Scheme, d: NaiveDate) {
        let ExpiryPolicy::Inactivity { months } = scheme.expiry else {
            return;
        };
        let Some(deadline) = self.inactivity_deadline(months) else {
            return;
        };
        if deadline < d {
            let when = deadline.succ_opt().unwrap_or(deadline);
            self.last_activity = self.ledger.lapse_all(when, Source::Event { event: NONE });
            self.activity_by = None;
            if self.last_activity.is_some() {
                self.lapse_inactive(scheme, d);
            }
        }
    }

    fn step(&mut self, store: &Store, ev: &Ev) {
        let d = ev.at.date();
        self.advance(d);
        match ev.ord {
            ORD_RETURN => self.return_(store, ev.idx, ev.aux, d),
            ORD_EVENT => self.event(store, ev.idx, d),
            ORD_REFERRAL => self.referral(store, ev.idx, ev.aux, d),
            ORD_REFERRAL_RETURN => self.referral_return(store, ev.idx, ev.aux, d),
            ORD_SIGN_UP => self.sign_up(d),
            ORD_BIRTHDAY_GIFT => self.birthday_gift(ev.idx, d),
            _ => {}
        }
    }

    fn add_lot(
        &mut self,
        points: i64,
        d: NaiveDate,
        spendable: NaiveDate,
        expires: Option<NaiveDate>,
        source: Source,
        reason: Reason,
    ) -> u32 {
        self.last_activity = Some(d);
        self.activity_by = None;
        self.ledger.earn(Lot {
            points,
            remaining: points,
            expired: 0,
            earned: d,
            spendable_from: spendable,
            expires,
            source,
            reason,
        })
    }

    /// Whether a day's earning is history the member's opening balance
    /// already holds.
    fn before_opening(&self, d: NaiveDate) -> bool {
        self.history_before.is_some_and(|o| d < o)
    }

    /// 注册礼: the scheme in force on the join date gives its sign-up bonus,
    /// if the date lies within its programme dates.
    fn sign_up(&mut self, d: NaiveDate) {
        let scheme = self.scheme();
        let bonus = scheme.bonuses.sign_up;
        if bonus <= 0 || self.before_opening(d) {
            return;
        }
        if !scheme.in_programme(d) {
            self.ledger.note(
                d,
                Source::SignUp,
                Reason::OutsideProgramme {
                    missed: Missed::SignUp,
                },
            );
            return;
        }
        self.add_lot(
            bonus,
            d,
            d,
            lot_expiry(&scheme.expiry, d),
            Source::SignUp,
            Reason::SignUp,
        );
    }

    /// 生日礼 of `year`, on day `d` if that is the birthday under the
    /// scheme in force (its 29 February rule), once a year, when the
    /// birthday was recorded in time and `d` is within the programme dates.
    fn birthday_gift(&mut self, year: u32, d: NaiveDate) {
        let scheme = self.scheme();
        let Some(g) = scheme
            .bonuses
            .birthday_gift
            .as_ref()
            .filter(|g| g.points > 0)
        else {
            return;
        };
        let Ok(year) = i32::try_from(year) else {
            return;
        };
        if scheme.member_birthday(self.member, year) != Some(d)
            || self.gift_year == Some(year)
            || self.before_opening(d)
            || !birthday_noticed(self.member, d, d, g.min_notice_days)
        {
            return;
        }
        let source = Source::BirthdayGift { year };
        if !scheme.in_programme(d) {
            self.ledger.note(
                d,
                source,
                Reason::OutsideProgramme {
                    missed: Missed::BirthdayGift,
                },
            );
            return;
        }
        self.gift_year = Some(year);
        // Not activity for inactivity expiry: the member did nothing, and
        // a yearly gift must not keep a dormant balance alive.
        let (last, by) = (self.last_activity, self.activity_by);
        self.add_lot(
            g.points,
            d,
            d,
            lot_expiry(&scheme.expiry, d),
            source,
            Reason::BirthdayGift { year },
        );
        (self.last_activity, self.activity_by) = (last, by);
    }

    /// Purchase `idx` of `amount` (as stored) with its item count and lines
    /// (those a scheme reads) on day `d`.
    fn purchase(
        &mut self,
        idx: u32,
        amount: i64,
        (items, lines): (u32, &[crate::members::model::LineItem]),
        d: NaiveDate,
    ) {
        let scheme = self.scheme();
        let amount = amount.max(0);
        let activity_prev = self.last_activity;
        self.bought.push(Bought {
            purchase: idx,
            date: d,
            amount,
            returned: 0,
            lot: NONE,
            discount: 0,
            birthday_prev: None,
            activity_prev,
        });
        // A receipt of nothing (or a negative one, a refund on its own) is
        // no purchase: it counts toward no tier, takes no first-purchase
        // or birthday bonus and earns nothing. It stays listed, so a
        // return naming it finds it (and has nothing to take back).
        if amount == 0 {
            return;
        }
        match self.lifetime.checked_add(amount) {
            Some(v) => self.lifetime = v,
            None => self.overflowed = true,
        }
        self.count += 1;
        let v = self.metrics(d);
        let q = scheme.tiers.qualifying(&v, true);
        let mut reached = None;
        if q > self.tier {
            let metric = scheme.tiers.metric_of(q.map_or(0, usize::from));
            self.last_upgrade = Some((idx, self.tier, self.since));
            reached = Some((self.tier, q));
            self.set_tier(
                q,
                d,
                TierReason::Qualified {
                    metric,
                    value: v.get(metric),
                },
            );
        }
        // A receipt the earning rule does not count (outside the programme
        // dates, below a minimum) takes no bonus and uses none up.
        let earns = receipt_earns(scheme, Money(amount), items, d).is_ok();
        let first = earns && self.first_receipt.is_none();
        if first {
            self.first_receipt = Some(idx);
        }
        let mut birthday = false;
        let mut birthday_prev = None;
        if let Some(b) = scheme.bonuses.birthday.as_ref().filter(|_| earns) {
            if let Some((year, _)) = birthday_window(b, scheme.leap_birthday, self.member, d) {
                if self.birthday_year != Some(year) {
                    birthday = true;
                    birthday_prev = Some(self.birthday_year);
                    self.birthday_year = Some(year);
                }
            }
        }
        let facts = ReceiptFacts {
            amount: Money(amount),
            date: d,
            tier: self.tier,
            first_purchase: first,
            birthday,
            items,
            lines,
        };
        let (points, reason) = earn_for_receipt(scheme, &facts);
        // Earning saturates there: the receipt's points did not fit.
        self.overflowed |= points == i64::MAX;
        let before_opening = self.before_opening(d);
        let points = if before_opening { 0 } else { points };
        let discount = scheme.tiers.discount_percent(self.tier);
        if discount > 0 {
            self.discount_cost +=
                i128::from(amount) * i128::from(discount) / i128::from(100 - discount);
        }
        let lot = if points > 0 {
            let spendable = d
                .checked_add_days(Days::new(u64::from(scheme.pending_days)))
                .unwrap_or(d);
            // The validity runs from the day the points become spendable,
            // so a pending lot never expires before it could be spent.
            self.add_lot(
                points,
                d,
                spendable,
                lot_expiry(&scheme.expiry, spendable),
                Source::Purchase { purchase: idx },
                Reason::Purchase(reason),
            )
        } else {
            self.last_activity = Some(d);
            if reason.not_earned.is_some() && !before_opening {
                // A zero line that says why the receipt earned nothing.
                self.ledger.note(
                    d,
                    Source::Purchase { purchase: idx },
                    Reason::Purchase(reason),
                );
            }
            NONE
        };
        if let Some((from, to)) = reached {
            self.upgrade_entries.clear();
            for tier in scheme.tiers.passed(from, to) {
                self.tier_entry(tier, d, before_opening);
            }
        }
        self.activity_by = Some(idx);
        if let Some(b) = self.bought.last_mut() {
            b.lot = lot;
            b.discount = discount;
            b.birthday_prev = birthday_prev;
        }
    }

    fn return_(&mut self, store: &Store, ridx: u32, pidx: u32, d: NaiveDate) {
        let Some(r) = store.returns.get(ridx as usize) else {
            return;
        };
        let Some(bi) = self.bought.iter().rposition(|b| b.purchase == pidx) else {
            // Not bought before it: History leaves such returns aside.
            return;
        };
        let scheme = self.scheme();
        let b = self.bought[bi];
        let before = b.returned;
        let after = before.saturating_add(r.amount.0.max(0)).min(b.amount);
        let delta = after - before;
        if delta <= 0 {
            return;
        }
        self.bought[bi].returned = after;
        // A purchase whose amount overflowed the total was never added to it.
        match self.lifetime.checked_sub(delta) {
            Some(v) => self.lifetime = v,
            None => self.overflowed = true,
        }
        let fully = after == b.amount;
        if fully {
            self.count -= 1;
            if self.first_receipt == Some(pidx) {
                self.first_receipt = None;
            }
            if let Some(prev) = b.birthday_prev {
                self.birthday_year = prev;
            }
            if self.activity_by == Some(pidx) {
                self.last_activity = b.activity_prev;
                self.activity_by = None;
            }
        }
        if b.discount > 0 {
            self.discount_cost -=
                i128::from(delta) * i128::from(b.discount) / i128::from(100 - b.discount);
        }
        if b.lot != NONE {
            let points = self.ledger.lots[b.lot as usize].points;
            let rev = pro_rata(points, after, b.amount) - pro_rata(points, before, b.amount);
            self.ledger.reverse(
                b.lot,
                rev,
                d,
                Source::Purchase { purchase: pidx },
                Reason::Returned {
                    returned: Money(delta),
                },
                scheme.returns == ReturnPolicy::ClawBack,
            );
        }
        self.refund_payment(store, pidx, before, after, b.amount, d);
        if let Some((up_by, prev_tier, prev_since)) = self.last_upgrade {
            if up_by == pidx {
                let v = self.metrics(d);
                let q = scheme.tiers.qualifying(&v, self.count > 0);
                if q < self.tier {
                    let to = q.max(prev_tier);
                    let metric = scheme.tiers.metric;
                    self.set_tier(
                        to,
                        d,
                        TierReason::ReturnReversed {
                            metric,
                            value: v.get(metric),
                        },
                    );
                    if to == prev_tier {
                        self.since = prev_since;
                    }
                    self.last_upgrade = None;
                    self.undo_entries(to, d, scheme.returns == ReturnPolicy::ClawBack);
                }
            }
        }
    }

    /// A return that brings purchase `pidx`'s returned money from `before`
    /// to `after` of `amount` gives back that share of the points that
    /// paid for it (积分抵现), counted on the running total so the whole
    /// receipt returned gives back every point. They come back as points
    /// earned on the return's day, valid as the scheme says from then.
    fn refund_payment(
        &mut self,
        store: &Store,
        pidx: u32,
        before: i64,
        after: i64,
        amount: i64,
        d: NaiveDate,
    ) {
        let Some(receipt) = store.purchases.get(pidx as usize).map(|p| &p.receipt) else {
            return;
        };
        let paid_for = |eidx: u32| {
            matches!(
                store.points_events.get(eidx as usize).map(|e| &e.kind),
                Some(PointsEventKind::PaidWithPoints { receipt: r, .. }) if r == receipt
            )
        };
        let Some(k) = self.payments.iter().position(|p| paid_for(p.0)) else {
            return;
        };
        let (eidx, points, given) = self.payments[k];
        let due = pro_rata(points, after, amount).max(given);
        let back = due - given;
        if back <= 0 || before >= after {
            return;
        }
        self.payments[k].2 = due;
        let scheme = self.scheme();
        self.add_lot(
            back,
            d,
            d,
            lot_expiry(&scheme.expiry, d),
            Source::Event { event: eidx },
            Reason::PointsRefunded {
                returned: Money(after - before),
            },
        );
    }

    fn referral(&mut self, store: &Store, pidx: u32, referred: u32, d: NaiveDate) {
        let scheme = self.scheme();
        let bonus = scheme.bonuses.referral;
        let Some(p) = store.purchases.get(pidx as usize) else {
            return;
        };
        if bonus <= 0 {
            return;
        }
        if !scheme.in_programme(d) {
            self.ledger.note(
                d,
                Source::Referral { purchase: pidx },
                Reason::OutsideProgramme {
                    missed: Missed::Referral,
                },
            );
            return;
        }
        let referred_id = store.members.get(referred as usize).map_or(0, |m| m.id.0);
        let lot = self.add_lot(
            bonus,
            d,
            d,
            lot_expiry(&scheme.expiry, d),
            Source::Referral { purchase: pidx },
            Reason::Referral {
                referred: referred_id,
            },
        );
        self.referral_lots.push((pidx, lot, p.amount.0.max(0), 0));
    }

    fn referral_return(&mut self, store: &Store, ridx: u32, pidx: u32, d: NaiveDate) {
        let Some(r) = store.returns.get(ridx as usize) else {
            return;
        };
        let Some(k) = self.referral_lots.iter().position(|x| x.0 == pidx) else {
            return;
        };
        let (_, lot, amount, before) = self.referral_lots[k];
        let after = before.saturating_add(r.amount.0.max(0)).min(amount);
        if after <= before {
            return;
        }
        self.referral_lots[k].3 = after;
        let points = self.ledger.lots[lot as usize].points;
        let rev = pro_rata(points, after, amount) - pro_rata(points, before, amount);
        let claw = self.scheme().returns == ReturnPolicy::ClawBack;
        self.ledger.reverse(
            lot,
            rev,
            d,
            Source::Referral { purchase: pidx },
            Reason::Returned {
                returned: Money(after - before),
            },
            claw,
        );
    }

    /// A stored spend of `wanted` points (a redemption, a payment): made
    /// when the balance covers it, else a "refused" line. Whether it was made.
    fn spend_stored(&mut self, wanted: i64, d: NaiveDate, source: Source, reason: Reason) -> bool {
        if wanted <= 0 {
            return false;
        }
        let available = self.ledger.available(d);
        if wanted > available {
            self.ledger
                .note(d, source, Reason::RedemptionRefused { wanted, available });
            return false;
        }
        self.last_activity = Some(d);
        self.activity_by = None;
        self.ledger.spend(d, wanted, source, reason);
        true
    }

    fn event(&mut self, store: &Store, eidx: u32, d: NaiveDate) {
        let Some(e) = store.points_events.get(eidx as usize) else {
            return;
        };
        let scheme = self.scheme();
        let source = Source::Event { event: eidx };
        let expires = lot_expiry(&scheme.expiry, d);
        match &e.kind {
            PointsEventKind::Redemption { reward, points, .. } => {
                let reward = reward.as_deref().and_then(|id| {
                    scheme
                        .rewards
                        .iter()
                        .position(|r| r.id == id)
                        .and_then(|i| u16::try_from(i).ok())
                });
                self.spend_stored(*points, d, source, Reason::Redeemed { reward });
            }
            PointsEventKind::PaidWithPoints { points, value, .. } => {
                let reason = Reason::PaidWithPoints { value: *value };
                if self.spend_stored(*points, d, source, reason) {
                    self.payments.push((eidx, *points, 0));
                }
            }
            PointsEventKind::CheckIn => {
                if self.check_in == Some(d) {
                    self.ledger.note(d, source, Reason::AlreadyAwarded);
                    return;
                }
                self.check_in = Some(d);
                let bonus = scheme.bonuses.daily_check_in;
                if bonus > 0 && !scheme.in_programme(d) {
                    let missed = Missed::CheckIn;
                    self.ledger
                        .note(d, source, Reason::OutsideProgramme { missed });
                } else if bonus > 0 {
                    self.add_lot(bonus, d, d, expires, source, Reason::CheckIn);
                }
            }
            PointsEventKind::ProfileCompleted => {
                if self.profile_done {
                    self.ledger.note(d, source, Reason::AlreadyAwarded);
                    return;
                }
                let bonus = scheme.bonuses.profile_completion;
                if bonus > 0 && !scheme.in_programme(d) {
                    // Not used up: completing it again within the
                    // programme dates earns the bonus.
                    let missed = Missed::ProfileCompleted;
                    self.ledger
                        .note(d, source, Reason::OutsideProgramme { missed });
                    return;
                }
                self.profile_done = true;
                if bonus > 0 {
                    self.add_lot(bonus, d, d, expires, source, Reason::ProfileCompleted);
                }
            }
            PointsEventKind::Adjustment { points, .. } => {
                self.adjust(*points, d, expires, source, Reason::Adjustment);
            }
            PointsEventKind::OpeningBalance {
                points, expires: e, ..
            } => {
                let exp = e.or(expires);
                self.adjust(*points, d, exp, source, Reason::OpeningBalance);
            }
            PointsEventKind::OpeningTier { tier, .. } => self.opening_tier(*tier, d),
        }
    }

    /// The member holds at least `tier` (clamped to the ladder) from `d`;
    /// a higher tier they already hold stays. Holding it starts the tier's
    /// validity period, as reaching it would.
    fn opening_tier(&mut self, tier: TierIdx, d: NaiveDate) {
        let n = self.scheme().tiers.tiers.len();
        let Some(top) = n.checked_sub(1) else {
            return;
        };
        let t = tier.min(TierIdx::try_from(top).unwrap_or(TierIdx::MAX));
        self.opening_floor = Some(self.opening_floor.map_or(t, |f| f.max(t)));
        // Reached in the other system: no entry reward for it or below.
        for tier in 0..=t {
            if !self.entry_given.contains(&tier) {
                self.entry_given.push(tier);
            }
        }
        if Some(t) > self.tier {
            self.set_tier(Some(t), d, TierReason::OpeningTier);
            // Not a purchase's upgrade: a return cannot undo it.
            self.last_upgrade = None;
            self.upgrade_entries.clear();
        }
    }

    /// 升级礼: the entry reward of `tier`, reached on `d` by a purchase,
    /// once per tier per member. A tier whose entry reward was given
    /// before (the member dropped and climbed again) gives nothing; one
    /// reached before the member's opening balance, or outside the
    /// programme dates (a zero line), is used up without points.
    fn tier_entry(&mut self, tier: TierIdx, d: NaiveDate, before_opening: bool) {
        let scheme = self.scheme();
        let Some(t) = scheme.tiers.tiers.get(usize::from(tier)) else {
            return;
        };
        let b = &t.benefits;
        if (b.entry_points <= 0 && b.entry_reward.is_none()) || self.entry_given.contains(&tier) {
            return;
        }
        self.entry_given.push(tier);
        let source = Source::TierEntry { tier };
        if before_opening {
            self.upgrade_entries.push((tier, NONE));
            return;
        }
        if !scheme.in_programme(d) {
            self.upgrade_entries.push((tier, NONE));
            self.ledger.note(
                d,
                source,
                Reason::OutsideProgramme {
                    missed: Missed::TierEntry,
                },
            );
            return;
        }
        let reward = b.entry_reward.as_deref().and_then(|id| {
            scheme
                .rewards
                .iter()
                .position(|r| r.id == id)
                .and_then(|i| u16::try_from(i).ok())
        });
        let reason = Reason::TierEntry { tier, reward };
        let lot = if b.entry_points > 0 {
            self.add_lot(
                b.entry_points,
                d,
                d,
                lot_expiry(&scheme.expiry, d),
                source,
                reason,
            )
        } else {
            // A reward without points: a zero line records it.
            self.ledger.note(d, source, reason);
            NONE
        };
        self.upgrade_entries.push((tier, lot));
    }

    /// A return undid the last upgrade down to `to`: the entry rewards of
    /// the tiers above it are taken back (a zero line for a reward given
    /// without points) and may be earned again by reaching them again.
    fn undo_entries(&mut self, to: Option<TierIdx>, d: NaiveDate, claw_back: bool) {
        let entries = std::mem::take(&mut self.upgrade_entries);
        for (tier, lot) in entries {
            if Some(tier) <= to {
                continue;
            }
            self.entry_given.retain(|&t| t != tier);
            let source = Source::TierEntry { tier };
            let reason = Reason::TierEntryReversed { tier };
            match self.ledger.lots.get(lot as usize).map(|l| l.points) {
                Some(points) => self
                    .ledger
                    .reverse(lot, points, d, source, reason, claw_back),
                None => self.ledger.note(d, source, reason),
            }
        }
    }

    fn adjust(
        &mut self,
        points: i64,
        d: NaiveDate,
        expires: Option<NaiveDate>,
        source: Source,
        reason: Reason,
    ) {
        if points > 0 {
            self.add_lot(points, d, d, expires, source, reason);
        } else if points < 0 {
            self.last_activity = Some(d);
            self.activity_by = None;
            self.ledger
                .deduct(d, points.checked_neg().unwrap_or(i64::MAX), source, reason);
        }
    }

    /// The member's outcome, and the list of receipts to reuse.
    fn finish(mut self, as_of: NaiveDate) -> (MemberOutcome, Vec<Bought>) {
        self.advance(as_of);
        let scheme = self.scheme();
        let metrics = self.metrics(as_of);
        let soon = as_of.checked_add_days(Days::new(30)).unwrap_or(as_of);
        let balance = self.ledger.balance();
        let mut expiring = self.ledger.expiring_by(soon);
        if let ExpiryPolicy::Inactivity { months } = scheme.expiry {
            if let Some(deadline) = self.inactivity_deadline(months) {
                if deadline <= soon {
                    expiring = self.ledger.open_points();
                }
            }
        }
        let hold = match scheme.tiers.growth {
            GrowthMode::UpgradeDowngrade { .. } => self.tier.and_then(|cur| {
                let review = scheme.tiers.review_after(self.since)?;
                let metric = scheme.tiers.metric_of(usize::from(cur));
                let threshold = scheme.tiers.tiers.get(usize::from(cur))?.threshold;
                let at_review = self
                    .metrics(scheme.tiers.review_values_day(review))
                    .get(metric);
                Some(TierHold {
                    review,
                    metric,
                    needed: threshold.saturating_sub(at_review).max(0),
                })
            }),
            GrowthMode::UpgradeOnly => None,
        };
        let outcome = MemberOutcome {
            hold,
            member: self.member.id,
            tier: self.tier,
            qualifying: metrics.get(scheme.tiers.metric),
            balance,
            available: self.ledger.available(as_of),
            expiring_30d: expiring,
            ledger: self.ledger,
            tier_history: self.history,
        };
        (outcome, self.bought)
    }
}

/// `points × part / whole`, rounded down: cumulative shares of a receipt
/// so that a full return reverses exactly what was earned.
fn pro_rata(points: i64, part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    let v = i128::from(points) * i128::from(part) / i128::from(whole);
    i64::try_from(v).unwrap_or(i64::MAX)
}
