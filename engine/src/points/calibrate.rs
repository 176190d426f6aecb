//! Scheme lab arithmetic: the thresholds that give target tier shares, and
//! the shares that given thresholds produce, on the store's own data.
//!
//! Ties: a member whose value equals a threshold qualifies for that tier.
//! When calibrating, members with equal values are never split, so the
//! share at or above a tier never exceeds its target; the threshold is the
//! lowest value held by a member inside the group (see
//! `docs/points-and-tiers.md`).

use crate::members::model::MemberId;
use crate::points::replay::{History, ORD_RETURN};
use crate::points::tiers::{Metric, YearStart};
use crate::store::document::Store;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// Basis points: 10,000 = 100 %.
pub const WHOLE: u32 = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalibrateError {
    /// The target shares add up to more than 100 %.
    SharesAboveWhole {
        total_bp: u32,
    },
    NoMembers,
}

impl std::fmt::Display for CalibrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for CalibrateError {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Calibration {
    /// Thresholds of the tiers above the base, lowest first.
    pub thresholds: Vec<i64>,
    /// Members per tier, base first.
    pub counts: Vec<u32>,
    /// Share of members per tier in basis points, base first (rounded half up).
    pub shares_bp: Vec<u32>,
}

/// Every member's value on `metric` as of a day, net of returns, in the
/// store's member order.
pub fn metric_values(store: &Store, metric: Metric, as_of: NaiveDate) -> Vec<(MemberId, i64)> {
    metric_values_from(store, metric, None, as_of)
}

/// As [`metric_values`], with `spend_calendar_year` counted from
/// `year_start` (成长值年度清零; `None`: 1 January), as the ladder's
/// `growth_year_start` says.
pub fn metric_values_from(
    store: &Store,
    metric: Metric,
    year_start: Option<YearStart>,
    as_of: NaiveDate,
) -> Vec<(MemberId, i64)> {
    let year_of = |d: NaiveDate| year_start.map_or(d.year(), |y| y.year_of(d));
    let this_year = year_of(as_of);
    let h = History::new(store, as_of);
    let mut out = Vec::with_capacity(store.members.len());
    let mut net: Vec<(NaiveDate, i64, u32)> = Vec::new();
    let window_start = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    for (m, member) in store.members.iter().enumerate() {
        net.clear();
        for &i in &h.p_order[h.p_start[m] as usize..h.p_start[m + 1] as usize] {
            let p = &store.purchases[i as usize];
            net.push((p.at.date(), p.amount.0.max(0), i));
        }
        for x in &h.x_items[h.x_start[m] as usize..h.x_start[m + 1] as usize] {
            if x.ord != ORD_RETURN {
                continue;
            }
            let amount = store.returns.get(x.idx as usize).map_or(0, |r| r.amount.0);
            if let Some(e) = net.iter_mut().find(|e| e.2 == x.aux) {
                e.1 = (e.1 - amount.max(0)).max(0);
            }
        }
        let v = match metric {
            Metric::LifetimeSpend => net.iter().map(|e| e.1).sum(),
            Metric::PurchaseCount => net.iter().filter(|e| e.1 > 0).count() as i64,
            Metric::SpendLast12Months => {
                net.iter().filter(|e| e.0 > window_start).map(|e| e.1).sum()
            }
            Metric::SpendCalendarYear => net
                .iter()
                .filter(|e| year_of(e.0) == this_year)
                .map(|e| e.1)
                .sum(),
            Metric::SingleDaySpend => {
                let mut best = 0i64;
                let mut day = None;
                let mut sum = 0i64;
                for e in net.iter().filter(|e| e.0 > window_start) {
                    if day == Some(e.0) {
                        sum += e.1;
                    } else {
                        day = Some(e.0);
                        sum = e.1;
                    }
                    best = best.max(sum);
                }
                best
            }
        };
        out.push((member.id, v));
    }
    out
}

/// Thresholds for tiers above the base so that at most `upper_shares_bp[k]`
/// of members sit in tier k+1 (lowest upper tier first); the base tier
/// takes the rest. E.g. `[1500, 500, 100]` for a 79/15/5/1 pyramid.
pub fn thresholds_for_shares(
    values: &[i64],
    upper_shares_bp: &[u32],
) -> Result<Calibration, CalibrateError> {
    let total: u32 = upper_shares_bp
        .iter()
        .fold(0u32, |a, &b| a.saturating_add(b));
    if total > WHOLE {
        return Err(CalibrateError::SharesAboveWhole { total_bp: total });
    }
    if values.is_empty() {
        return Err(CalibrateError::NoMembers);
    }
    let mut desc = values.to_vec();
    desc.sort_unstable_by(|a, b| b.cmp(a));
    let n = desc.len();
    let mut thresholds = vec![0i64; upper_shares_bp.len()];
    let mut cumulative = 0u64;
    for k in (0..upper_shares_bp.len()).rev() {
        cumulative += u64::from(upper_shares_bp[k]);
        let target = (n as u64 * cumulative / u64::from(WHOLE)) as usize;
        thresholds[k] = if target >= n {
            desc[n - 1]
        } else {
            let outside = desc[target];
            // Members with the first excluded value stay out together.
            let inside = desc.partition_point(|&x| x > outside);
            if inside == 0 {
                outside.saturating_add(1)
            } else {
                desc[inside - 1]
            }
        };
    }
    // Thresholds climb strictly and the first upper tier needs some value,
    // so the ladder validates; a squeezed tier ends up empty, not merged.
    let mut floor = 1i64;
    for t in thresholds.iter_mut() {
        *t = (*t).max(floor);
        floor = t.saturating_add(1);
    }
    Ok(shares_for_thresholds(values, &thresholds))
}

/// The tier shares that thresholds (of the tiers above the base, lowest
/// first) produce. A value equal to a threshold qualifies.
pub fn shares_for_thresholds(values: &[i64], thresholds: &[i64]) -> Calibration {
    let mut counts = vec![0u32; thresholds.len() + 1];
    for &v in values {
        // The highest tier whose threshold the value meets, as replay does.
        let tier = thresholds
            .iter()
            .rposition(|&t| v >= t)
            .map_or(0, |k| k + 1);
        counts[tier] += 1;
    }
    let n = values.len().max(1) as u64;
    let shares_bp = counts
        .iter()
        .map(|&c| ((u64::from(c) * u64::from(WHOLE) * 2 + n) / (2 * n)) as u32)
        .collect();
    Calibration {
        thresholds: thresholds.to_vec(),
        counts,
        shares_bp,
    }
}
