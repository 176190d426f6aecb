//! A store built from bare transactions (member key, day, amount): what the
//! `clientele` command reads from a purchases CSV, and what the published
//! model checks run on.

use crate::members::model::{Member, MemberId, Purchase};
use crate::money::Money;
use crate::store::document::Store;
use chrono::NaiveDate;
use std::collections::HashMap;

/// One row of a transaction file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// The file's member id, kept as the card number.
    pub member: String,
    pub date: NaiveDate,
    pub amount: Money,
    /// Receipt number when the file has one.
    pub receipt: Option<String>,
}

/// Members in order of first appearance (ids 1, 2, ...; joined on their
/// first transaction), one purchase per row at noon.
pub fn store_from_transactions(rows: &[Transaction]) -> Store {
    let mut store = Store::default();
    let mut ids: HashMap<&str, MemberId> = HashMap::new();
    store.purchases.reserve(rows.len());
    for (n, t) in rows.iter().enumerate() {
        let id = match ids.get(t.member.as_str()) {
            Some(id) => *id,
            None => {
                let id = MemberId(store.members.len() as u64 + 1);
                ids.insert(t.member.as_str(), id);
                store
                    .members
                    .push(Member::new(id, t.member.clone(), t.member.clone(), t.date));
                id
            }
        };
        let i = (id.0 - 1) as usize;
        if t.date < store.members[i].joined {
            store.members[i].joined = t.date;
        }
        store.purchases.push(Purchase {
            receipt: t.receipt.clone().unwrap_or_else(|| format!("T{}", n + 1)),
            member: id,
            at: t.date.and_hms_opt(12, 0, 0).unwrap_or_default(),
            amount: t.amount,
            store: String::new(),
            device: String::new(),
            lines: Vec::new(),
            staff: String::new(),
        });
    }
    store
}

/// Members as the analysis reads them: who, their satisfaction score, and
/// their purchase days up to the as-of date (day, net spend in minor
/// units), sorted, one entry per day. All the days live in one list, each
/// member a run of it. Only [`Histories::of_store`] and [`HistoryBuilder`]
/// make them, so that shape always holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Histories {
    members: Vec<Head>,
    days: Vec<(NaiveDate, i64)>,
}

#[derive(Copy, Clone, Debug, PartialEq)]
struct Head {
    member: MemberId,
    satisfaction: Option<u8>,
    start: usize,
    end: usize,
}

impl Histories {
    /// Every member of the store, in store order, with purchases net of
    /// returns made up to `as_of`.
    pub fn of_store(store: &Store, as_of: NaiveDate) -> Histories {
        let per_member = super::figures::purchase_days(store, as_of);
        let mut out = Histories {
            members: Vec::with_capacity(per_member.len()),
            days: Vec::with_capacity(per_member.iter().map(Vec::len).sum()),
        };
        for (days, m) in per_member.into_iter().zip(&store.members) {
            let start = out.days.len();
            out.days.extend(days);
            out.members.push(Head {
                member: m.id,
                satisfaction: m.satisfaction,
                start,
                end: out.days.len(),
            });
        }
        out
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn member(&self, i: usize) -> MemberId {
        self.members[i].member
    }

    pub fn satisfaction(&self, i: usize) -> Option<u8> {
        self.members[i].satisfaction
    }

    /// Member `i`'s purchase days.
    pub fn days(&self, i: usize) -> &[(NaiveDate, i64)] {
        let h = &self.members[i];
        &self.days[h.start..h.end]
    }
}

/// Histories straight from transaction rows, without a store: members in
/// order of first appearance (ids 1, 2, ...), keyed by the file's member
/// id; rows after the as-of date register the member but add no purchase;
/// a negative amount counts as a purchase day with nothing spent, as a
/// store purchase of that amount would.
#[derive(Debug)]
pub struct HistoryBuilder {
    as_of: NaiveDate,
    index: crate::fxhash::FxMap<Box<str>, u32>,
    /// The member of the previous row: files sorted by member repeat it,
    /// and comparing beats hashing.
    last: Option<u32>,
    last_key: String,
    /// Every purchase row up to the as-of date, (member index, day, spend),
    /// in file order.
    rows: Vec<(u32, NaiveDate, i64)>,
    /// Whether each member's rows have come together so far (files sorted
    /// by member): then the rows are already in member order.
    grouped: bool,
}

impl HistoryBuilder {
    pub fn new(as_of: NaiveDate) -> HistoryBuilder {
        HistoryBuilder {
            as_of,
            index: Default::default(),
            last: None,
            last_key: String::new(),
            rows: Vec::new(),
            grouped: true,
        }
    }

    /// Room for about `rows` rows, so a big file is not copied as it grows.
    pub fn with_capacity(as_of: NaiveDate, rows: usize) -> HistoryBuilder {
        let mut b = HistoryBuilder::new(as_of);
        b.rows.reserve(rows);
        b
    }

    pub fn push(&mut self, member: &str, date: NaiveDate, amount: Money) {
        let i = match self.last {
            Some(i) if self.last_key == member => i,
            _ => {
                let i = match self.index.get(member) {
                    Some(&i) => {
                        self.grouped = false;
                        i
                    }
                    None => {
                        let i = self.index.len() as u32;
                        self.index.insert(member.into(), i);
                        i
                    }
                };
                self.last = Some(i);
                self.last_key.clear();
                self.last_key.push_str(member);
                i
            }
        };
        if date <= self.as_of {
            self.rows.push((i, date, amount.0.max(0)));
        }
    }

    /// The file's member ids and the histories, in the same order.
    pub fn finish(self) -> (Vec<String>, Histories) {
        let n = self.index.len();
        // Rows in member order (as they came when grouped, else by a
        // counting sort, stable so file order holds within a member), then
        // each member's run sorted by day and its same-day rows summed in
        // place.
        let mut starts = vec![0usize; n + 1];
        for r in &self.rows {
            starts[r.0 as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut days: Vec<(NaiveDate, i64)> = if self.grouped {
            // Same size and alignment: the rows' own memory is reused.
            self.rows.into_iter().map(|(_, d, a)| (d, a)).collect()
        } else {
            let mut next = starts.clone();
            let mut days = vec![(NaiveDate::MIN, 0i64); self.rows.len()];
            for (i, d, a) in self.rows {
                let slot = &mut next[i as usize];
                days[*slot] = (d, a);
                *slot += 1;
            }
            days
        };
        let mut members = Vec::with_capacity(n);
        let mut kept = 0;
        for i in 0..n {
            let (from, to) = (starts[i], starts[i + 1]);
            let run = &mut days[from..to];
            if run.len() > 1 && run.windows(2).any(|w| w[1].0 <= w[0].0) {
                super::figures::sort_days(run);
            }
            let start = kept;
            for k in from..to {
                let e = days[k];
                if kept > start && days[kept - 1].0 == e.0 {
                    days[kept - 1].1 = days[kept - 1].1.saturating_add(e.1);
                } else {
                    days[kept] = e;
                    kept += 1;
                }
            }
            members.push(Head {
                member: MemberId(i as u64 + 1),
                satisfaction: None,
                start,
                end: kept,
            });
        }
        days.truncate(kept);
        let mut keys = vec![String::new(); n];
        for (k, i) in self.index {
            keys[i as usize] = k.into_string();
        }
        (keys, Histories { members, days })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn rows_become_sorted_purchase_days_per_member() {
        let mut b = HistoryBuilder::new(day(20));
        b.push("B", day(9), Money(500));
        b.push("A", day(5), Money(100));
        b.push("B", day(2), Money(300));
        b.push("B", day(9), Money(250)); // same day: one purchase day
        b.push("A", day(25), Money(900)); // after the as-of date
        b.push("C", day(21), Money(700)); // only after: a member, no days
        b.push("A", day(3), Money(-40)); // a refund row: a day, nothing spent
        let (keys, h) = b.finish();
        assert_eq!(keys, ["B", "A", "C"]);
        assert_eq!(h.len(), 3);
        assert_eq!(h.member(0), MemberId(1));
        assert_eq!(h.days(0), [(day(2), 300), (day(9), 750)]);
        assert_eq!(h.days(1), [(day(3), 0), (day(5), 100)]);
        assert!(h.days(2).is_empty());
        assert_eq!(h.satisfaction(2), None);

        // The same rows with each member's together give the same.
        let mut b = HistoryBuilder::new(day(20));
        b.push("B", day(9), Money(500));
        b.push("B", day(2), Money(300));
        b.push("B", day(9), Money(250));
        b.push("A", day(5), Money(100));
        b.push("A", day(25), Money(900));
        b.push("A", day(3), Money(-40));
        b.push("C", day(21), Money(700));
        assert_eq!(b.finish(), (keys, h));
    }
}
