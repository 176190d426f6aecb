//! Per-member purchase figures from the store's history up to an as-of date.

use crate::fxhash::FxMap;
use crate::members::model::MemberId;
use crate::money::Money;
use crate::store::document::Store;
use chrono::NaiveDate;

/// One member's purchase days up to the as-of date: (day, net spend that
/// day), sorted by day. Several receipts on one day make one purchase day;
/// returns made up to the as-of date are taken off their receipts.
pub(crate) fn purchase_days(store: &Store, as_of: NaiveDate) -> Vec<Vec<(NaiveDate, i64)>> {
    let index: FxMap<MemberId, usize> = store
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id, i))
        .collect();
    let mut returned: FxMap<&str, i64> = FxMap::default();
    for r in &store.returns {
        if r.date() <= as_of {
            *returned.entry(r.receipt.as_str()).or_insert(0) += r.amount.0.max(0);
        }
    }
    let mut days: Vec<Vec<(NaiveDate, i64)>> = vec![Vec::new(); store.members.len()];
    for p in &store.purchases {
        let d = p.date();
        if d > as_of {
            continue;
        }
        let Some(&i) = index.get(&p.member) else {
            continue;
        };
        let back = if returned.is_empty() {
            0
        } else {
            returned.get(p.receipt.as_str()).copied().unwrap_or(0)
        };
        days[i].push((d, p.amount.0.saturating_sub(back).max(0)));
    }
    for v in &mut days {
        merge_days(v);
    }
    days
}

/// One shared sort for (day, spend) entries: same-day entries are summed
/// after, so ordering them by spend too changes nothing.
#[inline(never)]
pub(crate) fn sort_days(v: &mut [(NaiveDate, i64)]) {
    v.sort_unstable();
}

/// Sorts one member's (day, spend) entries and sums each day's into one.
pub(crate) fn merge_days(v: &mut Vec<(NaiveDate, i64)>) {
    if v.len() > 1 {
        sort_days(v);
        v.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 = kept.1.saturating_add(later.1);
            }
            same
        });
    }
}

/// Figures a member's history gives on its own.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Figures {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    pub purchase_days: u32,
    pub recency_days: Option<i64>,
    pub tenure_days: Option<i64>,
    pub total: Money,
    pub average: Option<Money>,
    pub last_12_months: Money,
    pub average_gap_days: Option<f64>,
    pub overdue_ratio: Option<f64>,
    /// Mean net spend of the repeat purchase days (after the first), in
    /// minor units; 0 without repeats.
    pub repeat_mean: f64,
}

/// Mean net spend of the purchase days after the first, in minor units;
/// 0 without repeats.
pub(crate) fn repeat_mean(days: &[(NaiveDate, i64)]) -> f64 {
    match days.len() {
        0 | 1 => 0.0,
        n => days[1..].iter().map(|d| d.1 as f64).sum::<f64>() / (n - 1) as f64,
    }
}

pub(crate) fn figures(days: &[(NaiveDate, i64)], as_of: NaiveDate) -> Figures {
    let n = days.len();
    let first = days.first().map(|d| d.0);
    let last = days.last().map(|d| d.0);
    let total: i64 = days.iter().fold(0i64, |s, d| s.saturating_add(d.1));
    // "Last 12 months" is the 365 days ending on the as-of date.
    let year_ago = as_of - chrono::Duration::days(365);
    let last_12: i64 = days
        .iter()
        .filter(|d| d.0 > year_ago)
        .fold(0i64, |s, d| s.saturating_add(d.1));
    let gap = match (first, last) {
        (Some(f), Some(l)) if n >= 2 => Some((l - f).num_days() as f64 / (n - 1) as f64),
        _ => None,
    };
    let recency = last.map(|l| (as_of - l).num_days());
    let overdue = match (gap, recency) {
        (Some(g), Some(r)) if g > 0.0 => Some(r as f64 / g),
        _ => None,
    };
    let repeat_mean = repeat_mean(days);
    Figures {
        first,
        last,
        purchase_days: n as u32,
        recency_days: recency,
        tenure_days: first.map(|f| (as_of - f).num_days()),
        total: Money(total),
        average: (n > 0).then(|| Money(total / n as i64)),
        last_12_months: Money(last_12),
        average_gap_days: gap,
        overdue_ratio: overdue,
        repeat_mean,
    }
}
