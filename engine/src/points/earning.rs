//! Points a receipt earns: base rate × band × tier × promotion × birthday,
//! multiplied exactly as integers and rounded once, plus fixed bonuses.

use crate::members::model::{LeapDay, LineItem, Member};
use crate::money::Money;
use crate::points::explain::{EarnReason, NotEarned};
use crate::points::rules::Milli;
use crate::points::scheme::{
    BirthdayBonus, BirthdayWindow, Earning, ExpiryPolicy, LineEffect, LineStacking, Scheme,
};
use crate::points::tiers::TierIdx;
use chrono::{Datelike, Days, Months, NaiveDate};

/// What the engine knows about a receipt when it earns.
#[derive(Copy, Clone, Debug)]
pub struct ReceiptFacts<'a> {
    pub amount: Money,
    pub date: NaiveDate,
    /// The tier after this purchase counted toward qualification.
    pub tier: Option<TierIdx>,
    pub first_purchase: bool,
    pub birthday: bool,
    /// The receipt's item count (`Purchase::item_count`: 1 for a receipt
    /// without lines); read only by a scheme with a minimum item count or
    /// points per item.
    pub items: u32,
    /// The receipt's lines, read only by a scheme with line rules (replay
    /// passes none otherwise).
    pub lines: &'a [LineItem],
}

/// What the line rules make of a receipt's lines.
struct LineSum {
    /// Σ line amount × its weight in thousandths, and Σ line amount: the
    /// receipt's amount earns × `weighted / (total × 1000)`, so a discount
    /// on the receipt is shared by its lines.
    weighted: u128,
    total: u128,
    /// Extra points for the items of the lines.
    extra: i64,
    /// The lines that earn nothing, at their own amounts.
    excluded: i64,
    /// Lines that some rule matched.
    matched: u16,
}

/// The line rules applied to `lines`: `None` without rules, without lines,
/// or with lines of no positive amount (the receipt then earns as usual).
fn line_sum(e: &Earning, lines: &[LineItem]) -> Option<LineSum> {
    if e.line_rules.is_empty() {
        return None;
    }
    let includes = e.line_rules.iter().any(|r| r.effect == LineEffect::Include);
    let mut sum = LineSum {
        weighted: 0,
        total: 0,
        extra: 0,
        excluded: 0,
        matched: 0,
    };
    for line in lines {
        let amount = line.amount.0.max(0);
        let qty = i64::from(line.quantity.max(0));
        let mut included = !includes;
        let mut excluded = false;
        let mut any = false;
        let mut extras: Option<i64> = None;
        let mut mults: Option<u64> = None;
        for r in e.line_rules.iter().filter(|r| r.on.matches(line)) {
            any = true;
            match r.effect {
                LineEffect::Include => included = true,
                LineEffect::Exclude => excluded = true,
                LineEffect::Multiplier { multiplier } => {
                    let m = u64::from(multiplier.0);
                    mults = Some(match (e.line_stacking, mults) {
                        (_, None) => m,
                        // ×2 and ×1.5 add their extras: ×2.5.
                        (LineStacking::Add, Some(w)) => (w + m).saturating_sub(1000),
                        (LineStacking::Best, Some(w)) => w.max(m),
                    });
                }
                LineEffect::ExtraPoints { points } => {
                    let p = points.max(0);
                    extras = Some(match (e.line_stacking, extras) {
                        (_, None) => p,
                        (LineStacking::Add, Some(x)) => x.saturating_add(p),
                        (LineStacking::Best, Some(x)) => x.max(p),
                    });
                }
            }
        }
        sum.matched = sum.matched.saturating_add(u16::from(any));
        let weight = if excluded || !included {
            sum.excluded = sum.excluded.saturating_add(amount);
            0
        } else {
            sum.extra = sum
                .extra
                .saturating_add(extras.unwrap_or(0).saturating_mul(qty));
            mults.unwrap_or(1000)
        };
        sum.weighted = sum
            .weighted
            .saturating_add((amount as u128).saturating_mul(u128::from(weight)));
        sum.total = sum.total.saturating_add(amount as u128);
    }
    (sum.total > 0).then_some(sum)
}

/// Whether the earning rule counts a receipt at all: its day within the
/// programme dates, its amount at least the minimum receipt, its items at
/// least the minimum count. A receipt it does not count earns nothing, not
/// even a bonus, and uses up no bonus (replay decides the bonuses after
/// asking this).
pub fn receipt_earns(
    scheme: &Scheme,
    amount: Money,
    items: u32,
    date: NaiveDate,
) -> Result<(), NotEarned> {
    if !scheme.in_programme(date) {
        return Err(NotEarned::OutsideProgramme);
    }
    let e = &scheme.earning;
    if amount < e.min_amount {
        return Err(NotEarned::BelowMinimumAmount { min: e.min_amount });
    }
    if items < e.min_items {
        return Err(NotEarned::BelowMinimumItems {
            min: e.min_items,
            items,
        });
    }
    Ok(())
}

/// The promotions in force on `date`: by default only the best one (the
/// first listed wins a tie); with stacking, all of them multiplied.
pub fn promotion_on(scheme: &Scheme, date: NaiveDate) -> (Option<u16>, u8, u128, u32) {
    let mut best: Option<(u16, Milli)> = None;
    let mut count = 0u8;
    let mut num: u128 = 1;
    let mut den_pow = 0u32;
    for (i, p) in scheme.promotions.iter().enumerate() {
        if p.from <= date && date <= p.to {
            count = count.saturating_add(1);
            if scheme.stack_promotions {
                num = num.saturating_mul(u128::from(p.multiplier.0));
                den_pow += 1;
            }
            if best.is_none_or(|(_, m)| p.multiplier > m) {
                best = Some((u16::try_from(i).unwrap_or(u16::MAX), p.multiplier));
            }
        }
    }
    if !scheme.stack_promotions {
        if let Some((_, m)) = best {
            num = u128::from(m.0);
            den_pow = 1;
        }
    }
    (best.map(|(i, _)| i), count, num, den_pow)
}

/// Points for one receipt and why. Rounds once, by the scheme's rule.
pub fn earn_for_receipt(scheme: &Scheme, f: &ReceiptFacts) -> (i64, EarnReason) {
    let mut reason = EarnReason::default();
    if f.amount.0 <= 0 {
        return (0, reason);
    }
    if let Err(why) = receipt_earns(scheme, f.amount, f.items, f.date) {
        reason.not_earned = Some(why);
        return (0, reason);
    }
    let e = &scheme.earning;
    // num / den in u128: amount (< 2^63) × points (< 2^32) × four
    // multipliers (< 2^32 each) could overflow, so saturate rather than panic.
    let per = e.per.0.max(1) as u128;
    let mut num: u128 = (f.amount.0 as u128).saturating_mul(u128::from(e.points));
    // Points per receipt and per item join the amount's points before the
    // multipliers, so the receipt still rounds once: over `per`, they
    // add (per_receipt + items × per_item) × per to the numerator.
    let receipt_points = e.per_receipt.max(0);
    let item_points = if e.uses_items() {
        reason.items = f.items;
        e.per_item.max(0).saturating_mul(i64::from(f.items))
    } else {
        0
    };
    reason.receipt_points = receipt_points;
    reason.item_points = item_points;
    let mut den: u128 = per;
    let mut fixed = receipt_points.saturating_add(item_points);
    // Rules by category or SKU weigh the amount by its lines (all in the
    // one fraction, so the receipt still rounds once).
    if let Some(l) = line_sum(e, f.lines) {
        num = num.saturating_mul(l.weighted);
        den = den.saturating_mul(l.total.saturating_mul(1000));
        fixed = fixed.saturating_add(l.extra);
        reason.line_multiplier = Milli(u32::try_from(l.weighted / l.total).unwrap_or(u32::MAX));
        reason.line_points = l.extra;
        reason.line_excluded = Money(l.excluded);
        reason.lines_matched = l.matched;
        num = num.saturating_add((fixed.max(0) as u128).saturating_mul(den));
    } else {
        num = num.saturating_add((fixed.max(0) as u128).saturating_mul(per));
    }
    if let Some((i, band)) = scheme.band_for(f.amount) {
        reason.band = Some(u8::try_from(i).unwrap_or(u8::MAX));
        reason.band_multiplier = band.multiplier;
        num = num.saturating_mul(u128::from(band.multiplier.0));
        den *= 1000;
    }
    let tm = scheme.tiers.multiplier(f.tier);
    reason.tier = f.tier;
    reason.tier_multiplier = tm;
    if tm != Milli::ONE {
        num = num.saturating_mul(u128::from(tm.0));
        den *= 1000;
    }
    let (promo, count, pnum, pden) = promotion_on(scheme, f.date);
    reason.promotion = promo;
    reason.promotions = count;
    if promo.is_some() {
        num = num.saturating_mul(pnum);
        den = den.saturating_mul(1000u128.saturating_pow(pden));
    }
    let mut bonus = 0i64;
    if f.birthday {
        if let Some(b) = &scheme.bonuses.birthday {
            reason.birthday = true;
            if b.multiplier != Milli::ONE {
                num = num.saturating_mul(u128::from(b.multiplier.0));
                den *= 1000;
            }
            bonus = bonus.saturating_add(b.points);
        }
    }
    if f.first_purchase && scheme.bonuses.first_purchase > 0 {
        reason.first_purchase = true;
        bonus = bonus.saturating_add(scheme.bonuses.first_purchase);
    }
    let num = i128::try_from(num).unwrap_or(i128::MAX);
    let den = i128::try_from(den).unwrap_or(i128::MAX);
    let rate_points = e.rounding.apply(num, den);
    reason.rate_points = rate_points;
    reason.bonus_points = bonus;
    (rate_points.saturating_add(bonus), reason)
}

/// The birthday window that contains `date`, as (year, first day of the
/// window), or `None` when `date` is outside it. 29 February falls where
/// the scheme's `leap` rule says in common years.
pub fn birthday_window(
    b: &BirthdayBonus,
    leap: LeapDay,
    member: &Member,
    date: NaiveDate,
) -> Option<(i32, NaiveDate)> {
    let bd = member.birthday?;
    let on = bd.in_year_with(date.year(), leap);
    let start = match b.window {
        BirthdayWindow::Day => {
            if on != date {
                return None;
            }
            on
        }
        BirthdayWindow::Month => {
            if on.month() != date.month() {
                return None;
            }
            on.with_day(1)?
        }
    };
    if !birthday_noticed(member, start, date, b.min_notice_days) {
        return None;
    }
    Some((date.year(), start))
}

/// Anti-gaming, for every birthday rule: a birthday recorded fewer than
/// `min_notice_days` before its window `opens` (or inside it), or after
/// `date`, earns nothing that year. A birthday with no recorded date passes.
pub fn birthday_noticed(
    member: &Member,
    opens: NaiveDate,
    date: NaiveDate,
    min_notice_days: u32,
) -> bool {
    let Some(rec) = member.birthday_recorded_on else {
        return true;
    };
    if min_notice_days > 0 {
        let Some(notice_from) = opens.checked_sub_days(Days::new(u64::from(min_notice_days)))
        else {
            return false;
        };
        if rec > notice_from {
            return false;
        }
    }
    rec <= date
}

/// The last day a lot earned on `earned` still counts, under `policy`.
/// Inactivity expiry is per member, not per lot, so it yields `None` here.
pub fn lot_expiry(policy: &ExpiryPolicy, earned: NaiveDate) -> Option<NaiveDate> {
    match *policy {
        ExpiryPolicy::Never | ExpiryPolicy::Inactivity { .. } => None,
        ExpiryPolicy::AfterDays { days } => earned.checked_add_days(Days::new(u64::from(days))),
        ExpiryPolicy::EndOfMonthAfter { months } if months < 120_000 => {
            // The day before the first of the month `months + 1` after
            // the earning month; plain arithmetic, as chrono's month
            // addition gives for a first of the month.
            let total =
                i64::from(earned.year()) * 12 + i64::from(earned.month0()) + i64::from(months) + 1;
            let year = i32::try_from(total.div_euclid(12)).ok()?;
            let month = u32::try_from(total.rem_euclid(12)).ok()? + 1;
            NaiveDate::from_ymd_opt(year, month, 1)?.pred_opt()
        }
        ExpiryPolicy::EndOfMonthAfter { months } => {
            let first = earned.with_day(1)?;
            first
                .checked_add_months(Months::new(months.saturating_add(1)))?
                .pred_opt()
        }
        ExpiryPolicy::AnnualClear {
            month,
            day,
            extra_years,
        } => {
            let this = annual_date(earned.year(), month, day)?;
            let first = if this >= earned {
                this
            } else {
                annual_date(earned.year() + 1, month, day)?
            };
            annual_date(
                first.year().checked_add(i32::try_from(extra_years).ok()?)?,
                month,
                day,
            )
        }
    }
}

fn annual_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| NaiveDate::from_ymd_opt(year, month, 28))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The month arithmetic matches chrono's month addition.
    #[test]
    fn end_of_month_expiry_matches_chrono() {
        let mut d = NaiveDate::from_ymd_opt(1999, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2031, 3, 1).unwrap();
        while d < end {
            for months in [0u32, 1, 2, 11, 12, 13, 24, 35, 119_999] {
                let slow = d
                    .with_day(1)
                    .and_then(|f| f.checked_add_months(Months::new(months + 1)))
                    .and_then(|f| f.pred_opt());
                let fast = lot_expiry(&ExpiryPolicy::EndOfMonthAfter { months }, d);
                assert_eq!(fast, slow, "{d} + {months}");
            }
            d = d.succ_opt().unwrap();
        }
        let last = NaiveDate::MAX;
        for months in [0u32, 1, 12, 119_999, 120_000, u32::MAX] {
            let slow = last
                .with_day(1)
                .and_then(|f| f.checked_add_months(Months::new(months.saturating_add(1))))
                .and_then(|f| f.pred_opt());
            assert_eq!(
                lot_expiry(&ExpiryPolicy::EndOfMonthAfter { months }, last),
                slow
            );
            let first = NaiveDate::MIN;
            let slow = first
                .with_day(1)
                .and_then(|f| f.checked_add_months(Months::new(months.saturating_add(1))))
                .and_then(|f| f.pred_opt());
            assert_eq!(
                lot_expiry(&ExpiryPolicy::EndOfMonthAfter { months }, first),
                slow
            );
        }
    }
}
