//! Programme health (会员体系的日常监控) as of a date: how many members,
//! how the list grows, who is active, who comes back, who was lost, where
//! the sales come from, and where the points stand.
//!
//! Every figure keeps the members behind it, so the console can open the
//! list a number stands for. Shares are basis points (10,000 = 100 %),
//! rounded half up; a share of nothing is 0.
//!
//! Definitions (the usual retail ones, fixed here so the numbers can be
//! checked by hand):
//! - a purchase counts when it is dated on or before the as-of day and its
//!   receipt is not fully returned; returns are netted against the receipt
//!   they refer to, at the purchase's date;
//! - active: bought in the 12 months up to and including the as-of day;
//! - repeat-purchase rate: of members who ever bought, the share who bought
//!   at least twice;
//! - annual churn: of members who bought in the 12 months before the last
//!   12, the share who did not buy in the last 12;
//! - sales by tier, Pareto: net sales of the last 12 months; the Pareto
//!   figure is over the members who bought in that window, best first.

use crate::fxhash::FxMap;
use crate::members::model::MemberId;
use crate::money::Money;
use crate::points::calibrate::WHOLE;
use crate::points::replay::Replay;
use crate::points::tiers::TierIdx;
use crate::store::document::Store;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// How many months the growth chart covers, ending with the as-of month.
pub const GROWTH_MONTHS: u32 = 12;

/// Steps on the Pareto curve: one point every 5 % of buyers.
pub const PARETO_STEPS: u32 = 20;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthGrowth {
    pub year: i32,
    pub month: u32,
    /// Members who joined in this month.
    pub joined: u32,
    /// Members on the list at the end of the month (or on the as-of day).
    pub total: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierRow {
    /// `None` is the row for members holding no tier (restricted entry).
    pub tier: Option<TierIdx>,
    pub members: Vec<MemberId>,
    pub member_share_bp: u32,
    /// The common target pyramid's share for this tier (0 for "no tier").
    pub target_bp: u32,
    /// Net sales of the last 12 months by members now in this tier.
    pub sales: Money,
    pub sales_share_bp: u32,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParetoPoint {
    /// Share of buyers, best first.
    pub members_bp: u32,
    /// Share of the window's sales they made.
    pub sales_bp: u32,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PointsFigures {
    pub issued: i64,
    pub redeemed: i64,
    pub expired: i64,
    pub outstanding: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Health {
    pub as_of: NaiveDate,
    pub members: u32,
    /// Oldest month first, the as-of month last.
    pub growth: Vec<MonthGrowth>,
    /// Members who joined in the as-of month.
    pub joined_this_month: Vec<MemberId>,
    pub active: Vec<MemberId>,
    pub active_bp: u32,
    /// Members with at least one purchase.
    pub buyers: u32,
    pub repeaters: Vec<MemberId>,
    pub repeat_bp: u32,
    /// Members active in the year before the last one: churn's base.
    pub previous_year_active: u32,
    pub churned: Vec<MemberId>,
    pub churn_bp: u32,
    /// Net sales in the last 12 months.
    pub sales_12m: Money,
    /// Base tier first, then a "no tier" row when anyone holds none.
    pub tiers: Vec<TierRow>,
    /// The best 20 % of the window's buyers (at least one when anyone bought).
    pub top20: Vec<MemberId>,
    pub top20_sales_bp: u32,
    /// From (0, 0) to (100 %, 100 %) in [`PARETO_STEPS`] steps.
    pub pareto: Vec<ParetoPoint>,
    pub points: PointsFigures,
    /// Members with points expiring from the as-of day to the end of its
    /// month, with how many, most first.
    pub expiring_this_month: Vec<(MemberId, i64)>,
    pub expiring_points: i64,
}

/// The common target pyramid (DOMAIN.md section 4), base tier first, in
/// basis points: most members at the base, a few at the top.
pub fn target_shares(tiers: usize) -> Vec<u32> {
    match tiers {
        0 => Vec::new(),
        4 => vec![7_900, 1_500, 500, 100],
        3 => vec![8_000, 1_500, 500],
        2 => vec![9_000, 1_000],
        n => vec![WHOLE / n as u32; n],
    }
}

/// `part / whole` in basis points, rounded half up; 0 when `whole` is 0.
pub fn share_bp(part: i128, whole: i128) -> u32 {
    if whole <= 0 || part <= 0 {
        return 0;
    }
    let bp = (part * i128::from(WHOLE) * 2 + whole) / (whole * 2);
    bp.clamp(0, i128::from(WHOLE)) as u32
}

#[derive(Clone, Copy, Default)]
struct Activity {
    purchases: u32,
    /// Net sales in the last 12 months.
    sales_12m: i64,
    recent: bool,
    previous: bool,
}

/// Programme health of `store` as of `as_of`. `replay` is the store's
/// replay on the same day (the console already holds one); tiers and
/// points come from it.
pub fn programme_health(store: &Store, replay: &Replay, as_of: NaiveDate) -> Health {
    let year_ago = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let two_years_ago = as_of
        .checked_sub_months(Months::new(24))
        .unwrap_or(NaiveDate::MIN);
    // The purchases and returns the replay counted, so that these figures
    // agree with the points and tiers beside them (and no receipt is
    // hashed again: that was most of this function's time at 670k).
    let counted = &replay.counted;
    // Returned per purchase, at most its amount, as the replay applies it.
    let mut returned: FxMap<usize, i64> = FxMap::default();
    for (r, i) in counted.returns() {
        let (Some(r), Some(p)) = (store.returns.get(r), store.purchases.get(i)) else {
            continue;
        };
        let back = returned.entry(i).or_insert(0);
        *back = back
            .saturating_add(r.amount.0.max(0))
            .min(p.amount.0.max(0));
    }
    let mut act = vec![Activity::default(); store.members.len()];
    for (i, p) in store.purchases.iter().enumerate() {
        let Some(a) = counted.member_of(i).and_then(|m| act.get_mut(m)) else {
            continue;
        };
        let net = p.amount.0 - returned.get(&i).copied().unwrap_or(0);
        // Returned in full: no purchase (a receipt of nothing still is).
        if net <= 0 && p.amount.0 > 0 {
            continue;
        }
        let d = p.date();
        a.purchases += 1;
        if d > year_ago {
            a.recent = true;
            a.sales_12m += net;
        } else if d > two_years_ago {
            a.previous = true;
        }
    }

    let members = store.members.len() as u32;
    let ids = |f: &dyn Fn(&Activity) -> bool| -> Vec<MemberId> {
        store
            .members
            .iter()
            .zip(&act)
            .filter(|(_, a)| f(a))
            .map(|(m, _)| m.id)
            .collect()
    };
    let active = ids(&|a| a.recent);
    let repeaters = ids(&|a| a.purchases >= 2);
    let churned = ids(&|a| a.previous && !a.recent);
    let buyers = act.iter().filter(|a| a.purchases > 0).count() as u32;
    let previous_year_active = act.iter().filter(|a| a.previous).count() as u32;
    let sales_12m: i64 = act.iter().map(|a| a.sales_12m).sum();

    // Growth: join dates counted into month buckets, then a running total.
    let first = month_start(as_of)
        .checked_sub_months(Months::new(GROWTH_MONTHS - 1))
        .unwrap_or(NaiveDate::MIN);
    let mut growth: Vec<MonthGrowth> = (0..GROWTH_MONTHS)
        .filter_map(|k| first.checked_add_months(Months::new(k)))
        .map(|d| MonthGrowth {
            year: d.year(),
            month: d.month(),
            joined: 0,
            total: 0,
        })
        .collect();
    let mut before = 0u32;
    let mut joined_this_month = Vec::new();
    for m in store.members.iter().filter(|m| m.joined <= as_of) {
        if m.joined < first {
            before += 1;
            continue;
        }
        let k =
            (m.joined.year() - first.year()) * 12 + m.joined.month() as i32 - first.month() as i32;
        if let Some(g) = growth.get_mut(k as usize) {
            g.joined += 1;
        }
        if k as u32 == GROWTH_MONTHS - 1 {
            joined_this_month.push(m.id);
        }
    }
    for g in &mut growth {
        before += g.joined;
        g.total = before;
    }

    // Tiers from the replay, in the store's member order.
    let tier_of: FxMap<MemberId, Option<TierIdx>> =
        replay.members.iter().map(|o| (o.member, o.tier)).collect();
    let n_tiers = replay.totals.tier_counts.len();
    let targets = target_shares(n_tiers);
    let mut rows: Vec<TierRow> = (0..=n_tiers)
        .map(|i| TierRow {
            tier: (i < n_tiers).then_some(i as TierIdx),
            members: Vec::new(),
            member_share_bp: 0,
            target_bp: targets.get(i).copied().unwrap_or(0),
            sales: Money(0),
            sales_share_bp: 0,
        })
        .collect();
    for (m, a) in store.members.iter().zip(&act) {
        let row = match tier_of.get(&m.id).copied().flatten() {
            Some(t) if usize::from(t) < n_tiers => usize::from(t),
            _ => n_tiers,
        };
        rows[row].members.push(m.id);
        rows[row].sales += Money(a.sales_12m);
    }
    for r in &mut rows {
        r.member_share_bp = share_bp(r.members.len() as i128, i128::from(members));
        r.sales_share_bp = share_bp(i128::from(r.sales.0), i128::from(sales_12m));
    }
    if rows.last().is_some_and(|r| r.members.is_empty()) {
        rows.pop();
    }

    // Pareto over the window's buyers, best first; a member whose returns
    // exceed purchases counts as zero rather than pulling the curve down.
    let mut ranked: Vec<(i64, MemberId)> = store
        .members
        .iter()
        .zip(&act)
        .filter(|(_, a)| a.recent)
        .map(|(m, a)| (a.sales_12m.max(0), m.id))
        .collect();
    crate::order::sort_by_key_pair(&mut ranked, |a| (!a.0, a.1.sort_key()));
    let positive_total: i128 = ranked.iter().map(|r| i128::from(r.0)).sum();
    let n = ranked.len();
    let take = |k: usize| -> i128 { ranked[..k].iter().map(|r| i128::from(r.0)).sum() };
    let mut pareto = Vec::with_capacity(PARETO_STEPS as usize + 1);
    for s in 0..=PARETO_STEPS {
        let k = (n * s as usize * 2 + PARETO_STEPS as usize) / (PARETO_STEPS as usize * 2);
        let k = k.min(n);
        pareto.push(ParetoPoint {
            members_bp: s * (WHOLE / PARETO_STEPS),
            sales_bp: if s == PARETO_STEPS && positive_total > 0 {
                WHOLE
            } else {
                share_bp(take(k), positive_total)
            },
        });
    }
    let top_k = if n == 0 { 0 } else { ((n * 2 + 5) / 10).max(1) };
    let top20: Vec<MemberId> = ranked[..top_k].iter().map(|r| r.1).collect();
    let top20_sales_bp = share_bp(take(top_k), positive_total);

    // Points expiring by the end of the as-of month.
    let month_end = month_start(as_of)
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(as_of);
    let mut expiring_this_month: Vec<(MemberId, i64)> = replay
        .members
        .iter()
        .map(|o| (o.member, o.ledger.expiring_by(month_end)))
        .filter(|(_, p)| *p > 0)
        .collect();
    crate::order::sort_by_key_pair(&mut expiring_this_month, |a| (!a.1, a.0.sort_key()));
    let expiring_points = expiring_this_month.iter().map(|e| e.1).sum();

    let t = &replay.totals;
    Health {
        as_of,
        members,
        growth,
        joined_this_month,
        active_bp: share_bp(active.len() as i128, i128::from(members)),
        active,
        buyers,
        repeat_bp: share_bp(repeaters.len() as i128, i128::from(buyers)),
        repeaters,
        previous_year_active,
        churn_bp: share_bp(churned.len() as i128, i128::from(previous_year_active)),
        churned,
        sales_12m: Money(sales_12m),
        tiers: rows,
        top20,
        top20_sales_bp,
        pareto,
        points: PointsFigures {
            issued: t.issued,
            redeemed: t.redeemed,
            expired: t.expired,
            outstanding: t.outstanding,
        },
        expiring_this_month,
        expiring_points,
    }
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::model::{Member, Purchase, Return};
    use crate::points::replay::replay_store;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn buy(store: &mut Store, member: u32, on: NaiveDate, yuan: i64) {
        let n = store.purchases.len() + 1;
        store.purchases.push(Purchase {
            receipt: format!("R{n}"),
            member: MemberId(member.into()),
            at: on.and_hms_opt(12, 0, 0).unwrap(),
            amount: Money::from_major(yuan),
            store: String::new(),
            device: String::new(),
            lines: Vec::new(),
            staff: String::new(),
        });
    }

    fn give_back(store: &mut Store, id: &str, receipt: &str, on: NaiveDate, yuan: i64) {
        store.returns.push(Return {
            id: id.into(),
            receipt: receipt.into(),
            at: on.and_hms_opt(10, 0, 0).unwrap(),
            amount: Money::from_major(yuan),
            lines: Vec::new(),
            staff: String::new(),
        });
    }

    /// Five members as of 2026-11-23 under the simple preset (lifetime
    /// spend: Regular from 0, Senior from 399, VIP from 688, Supreme from 888).
    fn boutique() -> (Store, NaiveDate) {
        let as_of = d(2026, 11, 23);
        let mut s = Store::default();
        for (id, joined) in [
            (1, d(2024, 5, 1)),
            (2, d(2025, 1, 10)),
            (3, d(2025, 12, 2)),
            (4, d(2026, 11, 3)),
            (5, d(2026, 11, 20)),
        ] {
            s.members.push(Member::new(
                MemberId(id),
                format!("C{id}"),
                format!("M{id}"),
                joined,
            ));
        }
        // 1: bought last year and twice this year: active repeater, Supreme (1,000).
        buy(&mut s, 1, d(2025, 6, 1), 200);
        buy(&mut s, 1, d(2026, 2, 1), 300);
        buy(&mut s, 1, d(2026, 10, 1), 500);
        // 2: bought only in the previous year: churned, Senior (400).
        buy(&mut s, 2, d(2025, 3, 1), 400);
        // 3: one purchase this year, partly returned: 100 net, Regular.
        buy(&mut s, 3, d(2026, 1, 5), 150);
        give_back(&mut s, "X1", "R5", d(2026, 1, 9), 50);
        // 4: one purchase this month: 100. 5: never bought.
        buy(&mut s, 4, d(2026, 11, 4), 100);
        // A future-dated purchase is ignored.
        buy(&mut s, 5, d(2026, 12, 1), 999);
        (s, as_of)
    }

    fn health() -> Health {
        let (s, as_of) = boutique();
        let r = replay_store(&s, as_of).unwrap();
        programme_health(&s, &r, as_of)
    }

    #[test]
    fn counts_activity_repeat_and_churn() {
        let h = health();
        assert_eq!(h.members, 5);
        // Active: 1, 3, 4 of 5 = 60 %.
        assert_eq!(h.active, vec![MemberId(1), MemberId(3), MemberId(4)]);
        assert_eq!(h.active_bp, 6_000);
        // Buyers 1-4; only 1 bought twice or more: 25 %.
        assert_eq!(h.buyers, 4);
        assert_eq!(h.repeaters, vec![MemberId(1)]);
        assert_eq!(h.repeat_bp, 2_500);
        // Active the year before: 1 and 2; 2 did not come back: 50 % churn.
        assert_eq!(h.previous_year_active, 2);
        assert_eq!(h.churned, vec![MemberId(2)]);
        assert_eq!(h.churn_bp, 5_000);
        // Last 12 months: 300 + 500 + (150 - 50) + 100 = 1,000.
        assert_eq!(h.sales_12m, Money::from_major(1_000));
    }

    #[test]
    fn a_receipt_recorded_twice_counts_once_with_its_return() {
        let (mut s, as_of) = boutique();
        // Member 4's receipt R6 again (a second device's copy), and a
        // purchase dated after the as-of day under member 1's R1.
        let mut again = s.purchases[5].clone();
        again.amount = Money::from_major(700);
        s.purchases.push(again);
        let mut later = s.purchases[0].clone();
        later.at = d(2026, 12, 2).and_hms_opt(9, 0, 0).unwrap();
        s.purchases.push(later);
        give_back(&mut s, "X2", "R6", d(2026, 11, 5), 40);
        let r = replay_store(&s, as_of).unwrap();
        let h = programme_health(&s, &r, as_of);
        // R6: the first copy (100) less the return (40); the copy of 700
        // and the future R1 count for nothing: 1,000 - 40.
        assert_eq!(h.sales_12m, Money::from_major(960));
        assert_eq!(h.buyers, 4);
        assert_eq!(h.repeaters, vec![MemberId(1)]);
    }

    #[test]
    fn purchases_count_as_the_replay_counts_them() {
        let (mut s, as_of) = boutique();
        // Member 2 back this month under member 4's receipt number R6
        // (another shop numbers its receipts alike): the replay counts
        // both, and so does health. 2 is active again and a repeater.
        let mut other = s.purchases[5].clone();
        other.member = MemberId(2);
        other.amount = Money::from_major(60);
        s.purchases.push(other);
        // More given back on R5 than its 150: at most 150 comes back, so
        // member 3's only purchase is returned in full and no purchase.
        give_back(&mut s, "X2", "R5", d(2026, 2, 1), 500);
        let r = replay_store(&s, as_of).unwrap();
        assert_eq!(r.totals.duplicate_receipts, 0);
        let h = programme_health(&s, &r, as_of);
        assert_eq!(h.active, vec![MemberId(1), MemberId(2), MemberId(4)]);
        assert_eq!(h.buyers, 3);
        assert_eq!(h.repeaters, vec![MemberId(1), MemberId(2)]);
        assert!(h.churned.is_empty());
        // 300 + 500 + 0 + 100 + 60.
        assert_eq!(h.sales_12m, Money::from_major(960));
    }

    #[test]
    fn a_return_dated_before_its_purchase_changes_nothing() {
        let (mut s, as_of) = boutique();
        // R6 (member 4, 100 on 2026-11-04) "returned" the day before.
        give_back(&mut s, "X2", "R6", d(2026, 11, 3), 100);
        let r = replay_store(&s, as_of).unwrap();
        assert_eq!(r.totals.orphan_returns, 1);
        assert_eq!(programme_health(&s, &r, as_of), health());
    }

    #[test]
    fn growth_runs_month_by_month() {
        let h = health();
        assert_eq!(h.growth.len(), 12);
        let first = h.growth[0];
        assert_eq!((first.year, first.month), (2025, 12));
        // Members 1 and 2 joined before December 2025; 3 joined in it.
        assert_eq!((first.joined, first.total), (1, 3));
        let last = h.growth[11];
        assert_eq!(
            (last.year, last.month, last.joined, last.total),
            (2026, 11, 2, 5)
        );
        assert_eq!(h.joined_this_month, vec![MemberId(4), MemberId(5)]);
    }

    #[test]
    fn sales_by_tier_against_the_target_pyramid() {
        let h = health();
        // Regular: 3, 4, 5 (100 + 100 of sales); Senior: 2 (nothing this
        // year); VIP: nobody; Supreme: 1 (800).
        let row = |i: usize| &h.tiers[i];
        assert_eq!(h.tiers.len(), 4);
        assert_eq!(row(0).members, vec![MemberId(3), MemberId(4), MemberId(5)]);
        assert_eq!(row(0).member_share_bp, 6_000);
        assert_eq!(row(0).target_bp, 7_900);
        assert_eq!(row(0).sales, Money::from_major(200));
        assert_eq!(row(0).sales_share_bp, 2_000);
        assert_eq!(row(1).members, vec![MemberId(2)]);
        assert_eq!(row(1).sales, Money(0));
        assert!(row(2).members.is_empty());
        assert_eq!(row(3).members, vec![MemberId(1)]);
        assert_eq!(row(3).sales_share_bp, 8_000);
        assert_eq!(row(3).target_bp, 100);
    }

    #[test]
    fn pareto_figure_and_curve() {
        let h = health();
        // Window buyers, best first: 1 (800), 3 (100), 4 (100). The top
        // 20 % of three buyers rounds to one member: 800 of 1,000 = 80 %.
        assert_eq!(h.top20, vec![MemberId(1)]);
        assert_eq!(h.top20_sales_bp, 8_000);
        assert_eq!(h.pareto.len(), 21);
        assert_eq!(
            h.pareto[0],
            ParetoPoint {
                members_bp: 0,
                sales_bp: 0
            }
        );
        // 50 % of 3 buyers rounds to 2: 900 of 1,000.
        assert_eq!(
            h.pareto[10],
            ParetoPoint {
                members_bp: 5_000,
                sales_bp: 9_000
            }
        );
        assert_eq!(
            h.pareto[20],
            ParetoPoint {
                members_bp: 10_000,
                sales_bp: 10_000
            }
        );
        // The curve never falls.
        assert!(h.pareto.windows(2).all(|w| w[0].sales_bp <= w[1].sales_bp));
    }

    #[test]
    fn points_come_from_the_replay() {
        let (s, as_of) = boutique();
        let r = replay_store(&s, as_of).unwrap();
        let h = programme_health(&s, &r, as_of);
        assert_eq!(h.points.issued, r.totals.issued);
        assert_eq!(h.points.outstanding, r.totals.outstanding);
        // The simple preset never expires points.
        assert!(h.expiring_this_month.is_empty());
        assert_eq!(h.expiring_points, 0);
        assert!(h.points.issued > 0);
    }

    #[test]
    fn an_empty_store_has_only_zeros() {
        let s = Store::default();
        let as_of = d(2026, 11, 23);
        let r = replay_store(&s, as_of).unwrap();
        let h = programme_health(&s, &r, as_of);
        assert_eq!(h.members, 0);
        assert_eq!(
            (h.active_bp, h.repeat_bp, h.churn_bp, h.top20_sales_bp),
            (0, 0, 0, 0)
        );
        assert!(h.top20.is_empty());
        assert!(h.pareto.iter().all(|p| p.sales_bp == 0));
    }

    #[test]
    fn shares_round_half_up() {
        assert_eq!(share_bp(1, 3), 3_333);
        assert_eq!(share_bp(2, 3), 6_667);
        assert_eq!(share_bp(1, 0), 0);
        assert_eq!(share_bp(-5, 10), 0);
        assert_eq!(target_shares(4).iter().sum::<u32>(), WHOLE);
    }
}
