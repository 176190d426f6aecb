//! What the checkout and the member screen call: record inputs with typed
//! refusals, preview what a sale earns, and read one member's points.
//! Every answer comes from replaying that member's stored history.

use crate::members::model::{LineItem, MemberId, Purchase, Return};
use crate::money::Money;
use crate::points::events::{PointsEvent, PointsEventKind};
use crate::points::explain::{EarnReason, Reason};
use crate::points::ledger::Source;
use crate::points::replay::{replay_store, MemberOutcome};
use crate::points::rules::SchemeError;
use crate::points::scheme::{presets, Scheme};
use crate::points::tiers::{TierChange, TierIdx};
use crate::store::document::Store;
use crate::store::facts::FactIndex;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PointsError {
    UnknownMember(MemberId),
    /// The receipt number is already used by a different purchase.
    DuplicateReceipt {
        receipt: String,
    },
    /// The return slip number is already used by a different return.
    DuplicateReturn {
        id: String,
    },
    UnknownReceipt {
        receipt: String,
    },
    /// More is being returned than is left on the receipt.
    ReturnExceedsPurchase {
        receipt: String,
        remaining: Money,
    },
    /// A redemption above the spendable balance.
    OverRedemption {
        wanted: i64,
        available: i64,
    },
    UnknownReward {
        id: String,
    },
    OutOfStock {
        id: String,
        left: u32,
    },
    /// Negative purchase, zero return or zero redemption.
    InvalidAmount,
    /// Manual adjustments need a reason.
    AdjustmentWithoutReason,
    /// The scheme in force does not let points pay for receipts.
    PayWithPointsOff,
    /// Points pay in whole steps of `step` points.
    PointsStep {
        step: i64,
    },
    /// More points than this receipt may take: its cap, the receipt, or
    /// the member's spendable balance allow at most `max`.
    OverPointsCap {
        max: i64,
    },
    InvalidScheme(SchemeError),
}

impl std::fmt::Display for PointsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for PointsError {}

impl From<SchemeError> for PointsError {
    fn from(e: SchemeError) -> Self {
        PointsError::InvalidScheme(e)
    }
}

/// Whether recording changed the store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    Added,
    /// The identical input was already there: nothing changed.
    AlreadyRecorded,
}

/// The scheme in force on `date` (the simple preset when the store has none).
pub fn scheme_on(store: &Store, date: NaiveDate) -> Scheme {
    store
        .schemes
        .iter()
        .filter(|s| s.effective_from <= date)
        .max_by_key(|s| s.effective_from)
        .or_else(|| store.schemes.iter().min_by_key(|s| s.effective_from))
        .map(|s| s.scheme.clone())
        .unwrap_or_else(presets::simple)
}

/// The next receipt number of the day: `R` + the day + a 4-digit
/// sequence not used by that day's purchases. Only the day's purchases are
/// read (their time is in the record; the receipt text is one pointer
/// away), so it costs little after every sale in a store of a million; a
/// number someone typed on another day's purchase is still refused by
/// [`record_purchase`]. A device that shares its store with others (sync)
/// passes its [`DeviceTag::code`](crate::members::ids::DeviceTag::code) as
/// `device`: two devices selling while apart must not hand out the same
/// receipt number (`R20261204-K3X9-0001`). Alone, `device` is empty.
pub fn next_receipt_no(store: &Store, day: NaiveDate, device: &str) -> String {
    next_free(
        &number_prefix('R', day, device),
        store
            .purchases
            .iter()
            .filter(|p| p.at.date() == day)
            .map(|p| p.receipt.as_str()),
    )
}

/// A return slip number not yet used: `T` + the day (+ the device's code,
/// as for receipts) + a sequence.
pub fn next_return_no(store: &Store, day: NaiveDate, device: &str) -> String {
    next_free(
        &number_prefix('T', day, device),
        store.returns.iter().map(|r| r.id.as_str()),
    )
}

fn number_prefix(letter: char, day: NaiveDate, device: &str) -> String {
    let day = crate::store::document::DateFormat::Iso
        .format(day)
        .replace('-', "");
    match device {
        "" => format!("{letter}{day}"),
        code => format!("{letter}{day}-{code}-"),
    }
}

/// The first `<prefix>NNNN` not among `used`. Only numbers with the prefix
/// are collected: hashing a million receipts after every sale froze the
/// counter.
fn next_free<'a>(prefix: &str, used: impl Iterator<Item = &'a str>) -> String {
    let used: HashSet<&str> = used.filter(|u| u.starts_with(prefix)).collect();
    (1..)
        .map(|n| format!("{prefix}{n:04}"))
        .find(|r| !used.contains(r.as_str()))
        .unwrap_or_else(|| prefix.to_string())
}

/// What is left to return on a receipt.
pub fn returnable(store: &Store, receipt: &str) -> Option<Money> {
    let p = store.purchases.iter().find(|p| p.receipt == receipt)?;
    let back: Money = store
        .returns
        .iter()
        .filter(|r| r.receipt == receipt)
        .map(|r| r.amount)
        .sum();
    Some(p.amount - back)
}

fn check_member(store: &Store, member: MemberId) -> Result<(), PointsError> {
    if store.members.iter().any(|m| m.id == member) {
        Ok(())
    } else {
        Err(PointsError::UnknownMember(member))
    }
}

pub fn record_purchase(store: &mut Store, p: Purchase) -> Result<Recorded, PointsError> {
    check_member(store, p.member)?;
    if p.amount.0 < 0 {
        return Err(PointsError::InvalidAmount);
    }
    if let Some(old) = store.purchases.iter().find(|o| o.receipt == p.receipt) {
        return if *old == p {
            Ok(Recorded::AlreadyRecorded)
        } else {
            Err(PointsError::DuplicateReceipt { receipt: p.receipt })
        };
    }
    store.purchases.push(p);
    Ok(Recorded::Added)
}

pub fn record_return(store: &mut Store, r: Return) -> Result<Recorded, PointsError> {
    if let Some(old) = store.returns.iter().find(|o| o.id == r.id) {
        return if *old == r {
            Ok(Recorded::AlreadyRecorded)
        } else {
            Err(PointsError::DuplicateReturn { id: r.id })
        };
    }
    if r.amount.0 <= 0 {
        return Err(PointsError::InvalidAmount);
    }
    let Some(p) = store.purchases.iter().find(|p| p.receipt == r.receipt) else {
        return Err(PointsError::UnknownReceipt { receipt: r.receipt });
    };
    let returned: Money = store
        .returns
        .iter()
        .filter(|o| o.receipt == r.receipt)
        .map(|o| o.amount)
        .sum();
    let remaining = p.amount - returned;
    if r.amount > remaining {
        return Err(PointsError::ReturnExceedsPurchase {
            receipt: r.receipt,
            remaining,
        });
    }
    store.returns.push(r);
    Ok(Recorded::Added)
}

/// One member's points, tier and ledger as of a day (their history read
/// in one pass over the store).
pub fn member_points(
    store: &Store,
    member: MemberId,
    as_of: NaiveDate,
) -> Result<MemberOutcome, PointsError> {
    FactIndex::for_member(store, member).member_points(store, member, as_of)
}

/// The counter's questions about one member, answered from an index of
/// the store kept between sales (the same answers as the functions of the
/// same name, which read the whole store each time).
impl FactIndex {
    pub fn member_points(
        &self,
        store: &Store,
        member: MemberId,
        as_of: NaiveDate,
    ) -> Result<MemberOutcome, PointsError> {
        if !self.has_member(member) {
            return Err(PointsError::UnknownMember(member));
        }
        replay_store(&self.member_store(store, member), as_of)?
            .members
            .into_iter()
            .find(|m| m.member == member)
            .ok_or(PointsError::UnknownMember(member))
    }

    /// [`preview_sale_paying`] from the index.
    pub fn preview_sale(
        &self,
        store: &Store,
        member: MemberId,
        total: Money,
        lines: Vec<LineItem>,
        points: i64,
        at: NaiveDateTime,
    ) -> Result<SalePreview, PointsError> {
        if !self.has_member(member) {
            return Err(PointsError::UnknownMember(member));
        }
        let mini = self.member_store(store, member);
        preview_in(store, mini, member, total, lines, points, at)
    }

    /// [`next_receipt_no`] from the index (for its day; another day reads
    /// the store).
    pub fn next_receipt_no(&self, store: &Store, day: NaiveDate, device: &str) -> String {
        match self.receipts_today(store) {
            (today, receipts) if today == day => {
                next_free(&number_prefix('R', day, device), receipts)
            }
            _ => next_receipt_no(store, day, device),
        }
    }
}

/// What a sale would do, shown before it is recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalePreview {
    pub points: i64,
    pub reason: Option<EarnReason>,
    pub tier_before: Option<TierIdx>,
    pub tier_after: Option<TierIdx>,
    /// The tier change this sale causes, if any.
    pub tier_change: Option<TierChange>,
    /// Discount the member's tier gives on this sale, in percent.
    pub discount_percent: u8,
    pub balance_before: i64,
    pub balance_after: i64,
    /// The entry rewards (升级礼) the sale's upgrade gives, lowest tier
    /// first: points and the ledger line's reason (`Reason::TierEntry`, or
    /// a zero line outside the programme dates), worded by `describe`.
    /// Included in `balance_after`, not in `points`.
    pub entry_rewards: Vec<(i64, Reason)>,
    /// 积分抵现 on this sale, when the scheme lets points pay.
    pub pay: Option<PointsPay>,
}

/// Paying part of a sale with points, as previewed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PointsPay {
    /// Points used and the money they pay.
    pub points: i64,
    pub value: Money,
    /// The most this receipt may take (its caps, the receipt, the
    /// member's spendable balance), in points and money.
    pub max_points: i64,
    pub max_value: Money,
    /// What is left to pay in money: the receipt's recorded amount.
    pub cash: Money,
}

/// The money `points` pay on a receipt of `total` under `scheme`, for a
/// member with `available` spendable points; refused when the scheme has
/// no 积分抵现, the points are not whole steps, or they exceed the cap.
pub fn points_payment(
    scheme: &Scheme,
    total: Money,
    points: i64,
    available: i64,
) -> Result<Money, PointsError> {
    let rule = scheme
        .pay_with_points
        .as_ref()
        .ok_or(PointsError::PayWithPointsOff)?;
    let value = rule
        .value_of(points)
        .ok_or(PointsError::PointsStep { step: rule.points })?;
    let (max, _) = rule.limit(total, available);
    if points > max {
        return Err(PointsError::OverPointsCap { max });
    }
    Ok(value)
}

/// The points event of `points` paying `value` of `receipt`.
fn payment(
    member: MemberId,
    at: NaiveDateTime,
    receipt: String,
    points: i64,
    value: Money,
) -> PointsEvent {
    PointsEvent {
        member,
        at,
        kind: PointsEventKind::PaidWithPoints {
            receipt,
            points,
            value,
        },
        staff: None,
    }
}

/// Records a sale of `p.amount` (the receipt's total) of which `points`
/// pay part (积分抵现; zero: all in money). The purchase is recorded with
/// what was paid in money, and the payment as a points event naming the
/// receipt; both or neither.
pub fn record_sale(
    store: &mut Store,
    mut p: Purchase,
    points: i64,
) -> Result<Recorded, PointsError> {
    if points == 0 {
        return record_purchase(store, p);
    }
    if points < 0 || p.amount.0 <= 0 {
        return Err(PointsError::InvalidAmount);
    }
    let day = p.at.date();
    let available = member_points(store, p.member, day)?.available;
    let value = points_payment(&scheme_on(store, day), p.amount, points, available)?;
    p.amount -= value;
    let (member, at, receipt) = (p.member, p.at, p.receipt.clone());
    let recorded = record_purchase(store, p)?;
    if recorded == Recorded::Added {
        store
            .points_events
            .push(payment(member, at, receipt, points, value));
    }
    Ok(recorded)
}

/// What a sale of `amount` (no item lines: one item) would earn; see
/// [`preview_sale_lines`].
pub fn preview_sale(
    store: &Store,
    member: MemberId,
    amount: Money,
    at: NaiveDateTime,
) -> Result<SalePreview, PointsError> {
    preview_sale_lines(store, member, amount, Vec::new(), at)
}

/// What a sale of `amount` with item `lines` would earn (the lines give
/// the item count for a scheme's minimum item count and points per item).
/// A sale that earns nothing under the earning rule (outside the programme
/// dates, below a minimum) still has its `reason`, whose `not_earned` says why.
pub fn preview_sale_lines(
    store: &Store,
    member: MemberId,
    amount: Money,
    lines: Vec<LineItem>,
    at: NaiveDateTime,
) -> Result<SalePreview, PointsError> {
    preview_sale_paying(store, member, amount, lines, 0, at)
}

/// What a sale of `total` with item `lines` would do when `points` pay part
/// of it (积分抵现; zero: none): the payment is refused as
/// [`record_sale`] would refuse it, and the points earned are on what is
/// left to pay in money.
pub fn preview_sale_paying(
    store: &Store,
    member: MemberId,
    total: Money,
    lines: Vec<LineItem>,
    points: i64,
    at: NaiveDateTime,
) -> Result<SalePreview, PointsError> {
    FactIndex::for_member(store, member).preview_sale(store, member, total, lines, points, at)
}

/// [`preview_sale_paying`] on the member's own history, `mini`.
fn preview_in(
    store: &Store,
    mut mini: Store,
    member: MemberId,
    total: Money,
    lines: Vec<LineItem>,
    points: i64,
    at: NaiveDateTime,
) -> Result<SalePreview, PointsError> {
    if total.0 < 0 || points < 0 {
        return Err(PointsError::InvalidAmount);
    }
    let day = at.date();
    let scheme = scheme_on(store, day);
    let before = replay_store(&mini, day)?;
    let before = before
        .members
        .iter()
        .find(|m| m.member == member)
        .ok_or(PointsError::UnknownMember(member))?;
    let value = match points {
        0 => Money(0),
        _ => points_payment(&scheme, total, points, before.available)?,
    };
    let pay = scheme.pay_with_points.as_ref().map(|rule| {
        let (max_points, max_value) = rule.limit(total, before.available);
        PointsPay {
            points,
            value,
            max_points,
            max_value,
            cash: total - value,
        }
    });
    // Sorts after every real receipt, so a sale rung up in the same second
    // as the previous one is still previewed as the later of the two.
    let receipt = "\u{10FFFF}preview".to_string();
    let idx = mini.purchases.len() as u32;
    mini.purchases.push(Purchase {
        receipt: receipt.clone(),
        member,
        at,
        amount: total - value,
        store: String::new(),
        device: String::new(),
        lines,
        staff: String::new(),
    });
    if points > 0 {
        mini.points_events
            .push(payment(member, at, receipt, points, value));
    }
    let after = replay_store(&mini, day)?;
    let after = after
        .members
        .into_iter()
        .find(|m| m.member == member)
        .ok_or(PointsError::UnknownMember(member))?;
    let lot = after
        .ledger
        .lots
        .iter()
        .find(|l| l.source == Source::Purchase { purchase: idx });
    // The lot's reason, or the zero line's when the sale earns nothing.
    let source = Source::Purchase { purchase: idx };
    let reason = after
        .ledger
        .entries
        .iter()
        .filter(|e| e.source == source)
        .find_map(|e| match e.reason {
            crate::points::explain::Reason::Purchase(r) => Some(r),
            _ => None,
        });
    let tier_change = after
        .tier_history
        .iter()
        .rev()
        .find(|c| c.date == day && c.to == after.tier && after.tier != before.tier)
        .copied();
    let entry = |m: &MemberOutcome| -> Vec<(NaiveDate, i64, Reason)> {
        m.ledger
            .entries
            .iter()
            .filter(|e| matches!(e.source, Source::TierEntry { .. }))
            .map(|e| (e.date, e.points, e.reason))
            .collect()
    };
    let mut had = entry(before);
    let mut entry_rewards = Vec::new();
    for line in entry(&after) {
        match had.iter().position(|h| *h == line) {
            Some(i) => {
                had.remove(i);
            }
            None if line.0 == day && !matches!(line.2, Reason::TierEntryReversed { .. }) => {
                entry_rewards.push((line.1, line.2));
            }
            None => {}
        }
    }
    Ok(SalePreview {
        pay,
        entry_rewards,
        points: lot.map_or(0, |l| l.points),
        reason,
        tier_before: before.tier,
        tier_after: after.tier,
        tier_change,
        discount_percent: scheme.tiers.discount_percent(before.tier),
        balance_before: before.balance,
        balance_after: after.balance,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redeemed {
    pub points: i64,
    pub balance_after: i64,
}

/// Redeems a catalogue reward (`reward`, times `quantity`) or a plain
/// number of points. Refused, with nothing recorded, when it would exceed
/// the spendable balance or the reward's remaining stock.
pub fn record_redemption(
    store: &mut Store,
    member: MemberId,
    reward: Option<&str>,
    quantity: u32,
    points: Option<i64>,
    at: NaiveDateTime,
) -> Result<Redeemed, PointsError> {
    check_member(store, member)?;
    let scheme = scheme_on(store, at.date());
    let cost = match reward {
        Some(id) => {
            let r = scheme
                .rewards
                .iter()
                .find(|r| r.id == id)
                .ok_or_else(|| PointsError::UnknownReward { id: id.into() })?;
            if let Some(stock) = r.stock {
                let used: u64 = store
                    .points_events
                    .iter()
                    .filter_map(|e| match &e.kind {
                        PointsEventKind::Redemption {
                            reward: Some(rid),
                            quantity,
                            ..
                        } if rid == id => Some(u64::from(*quantity)),
                        _ => None,
                    })
                    .sum();
                let left = u64::from(stock).saturating_sub(used);
                if u64::from(quantity) > left {
                    return Err(PointsError::OutOfStock {
                        id: id.into(),
                        left: u32::try_from(left).unwrap_or(u32::MAX),
                    });
                }
            }
            r.points.saturating_mul(i64::from(quantity))
        }
        None => points.unwrap_or(0),
    };
    if cost <= 0 || quantity == 0 {
        return Err(PointsError::InvalidAmount);
    }
    let now = member_points(store, member, at.date())?;
    if cost > now.available {
        return Err(PointsError::OverRedemption {
            wanted: cost,
            available: now.available,
        });
    }
    store.points_events.push(PointsEvent {
        member,
        at,
        kind: PointsEventKind::Redemption {
            reward: reward.map(str::to_string),
            quantity,
            points: cost,
        },
        staff: None,
    });
    Ok(Redeemed {
        points: cost,
        balance_after: now.balance - cost,
    })
}

/// Records a check-in, profile completion, adjustment or opening balance
/// (redemptions go through [`record_redemption`]).
pub fn record_points_event(store: &mut Store, e: PointsEvent) -> Result<Recorded, PointsError> {
    check_member(store, e.member)?;
    match &e.kind {
        PointsEventKind::Redemption {
            reward,
            quantity,
            points,
        } => {
            let (reward, quantity, points) = (reward.clone(), *quantity, *points);
            record_redemption(
                store,
                e.member,
                reward.as_deref(),
                quantity,
                Some(points),
                e.at,
            )?;
            return Ok(Recorded::Added);
        }
        PointsEventKind::Adjustment { note, points } => {
            if note.trim().is_empty() {
                return Err(PointsError::AdjustmentWithoutReason);
            }
            if *points == 0 {
                return Err(PointsError::InvalidAmount);
            }
        }
        // 每日签到 counts once a day: a second tap changes nothing.
        PointsEventKind::CheckIn => {
            let day = e.at.date();
            if store.points_events.iter().any(|o| {
                o.member == e.member && o.kind == PointsEventKind::CheckIn && o.at.date() == day
            }) {
                return Ok(Recorded::AlreadyRecorded);
            }
        }
        _ => {}
    }
    if store.points_events.contains(&e) {
        return Ok(Recorded::AlreadyRecorded);
    }
    store.points_events.push(e);
    Ok(Recorded::Added)
}
