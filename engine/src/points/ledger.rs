//! The points ledger as lots. Every earning is a lot; every spend, expiry
//! or reversal records which lots it drew from. The balance is derived
//! from the lots (and any negative balance left by a reversal), never kept
//! on its own.

use crate::points::explain::Reason;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a lot came from. Indices point into the store's `purchases` and
/// `points_events`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Source {
    Purchase {
        purchase: u32,
    },
    Referral {
        purchase: u32,
    },
    Event {
        event: u32,
    },
    /// The sign-up bonus (注册礼), from the member record's join date.
    SignUp,
    /// The birthday gift (生日礼) of `year`, from the member's birthday.
    BirthdayGift {
        year: i32,
    },
    /// The entry reward (升级礼) of `tier`, from the upgrade that reached it.
    TierEntry {
        tier: u8,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lot {
    /// Points as earned.
    pub points: i64,
    /// Points still open; never below zero.
    pub remaining: i64,
    /// Points of this lot that expired (a later reversal does not charge them again).
    pub expired: i64,
    pub earned: NaiveDate,
    pub spendable_from: NaiveDate,
    /// Last day the lot counts; `None` never expires on its own.
    pub expires: Option<NaiveDate>,
    pub source: Source,
    pub reason: Reason,
}

/// A movement drawn from one lot.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    pub lot: u32,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub date: NaiveDate,
    /// Change to the balance (negative for spends, expiries, reversals).
    pub points: i64,
    /// The lot created by an earning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<u32>,
    /// The lots this movement drew from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub draws: Vec<Draw>,
    /// The stored input this line comes from.
    pub source: Source,
    pub reason: Reason,
}

/// One member's ledger.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub lots: Vec<Lot>,
    pub entries: Vec<Entry>,
    /// Negative balance left by reversing points already spent.
    pub debt: i64,
    /// Lots before this index are all empty (speeds up expiry and spends).
    #[serde(skip)]
    first_open: usize,
    #[serde(skip)]
    next_expiry: Option<NaiveDate>,
    /// A sum did not fit an `i64` (only values past the file limits can do
    /// this): the numbers shown are saturated and replay refuses the result.
    #[serde(skip)]
    pub overflowed: bool,
}

/// The sum, or `None` when it does not fit.
fn checked_sum(mut values: impl Iterator<Item = i64>) -> Option<i64> {
    values.try_fold(0i64, |acc, v| acc.checked_add(v))
}

impl Ledger {
    /// An empty ledger with room for `lots` lots and `entries` lines.
    pub fn with_capacity(lots: usize, entries: usize) -> Ledger {
        Ledger {
            lots: Vec::with_capacity(lots),
            entries: Vec::with_capacity(entries),
            ..Ledger::default()
        }
    }

    /// Points open in lots, less any negative balance.
    pub fn balance(&self) -> i64 {
        self.open_points().saturating_sub(self.debt)
    }

    pub fn open_points(&self) -> i64 {
        self.checked_open_points().unwrap_or(i64::MAX)
    }

    fn checked_open_points(&self) -> Option<i64> {
        checked_sum(
            self.lots[self.first_open.min(self.lots.len())..]
                .iter()
                .map(|l| l.remaining),
        )
    }

    /// The balance, or `None` when some sum of this ledger did not fit.
    pub fn checked_balance(&self) -> Option<i64> {
        if self.overflowed {
            return None;
        }
        self.checked_open_points()?.checked_sub(self.debt)
    }

    /// Points that may be spent on `date`: open, past the pending period,
    /// less any negative balance.
    pub fn available(&self, date: NaiveDate) -> i64 {
        let open = checked_sum(
            self.lots[self.first_open.min(self.lots.len())..]
                .iter()
                .filter(|l| l.spendable_from <= date)
                .map(|l| l.remaining),
        )
        .unwrap_or(i64::MAX);
        open.saturating_sub(self.debt).max(0)
    }

    /// Points that expire on or before `until` (already past `as_of`).
    pub fn expiring_by(&self, until: NaiveDate) -> i64 {
        checked_sum(
            self.lots[self.first_open.min(self.lots.len())..]
                .iter()
                .filter(|l| l.expires.is_some_and(|e| e <= until))
                .map(|l| l.remaining),
        )
        .unwrap_or(i64::MAX)
    }

    /// Open points by the day they expire, soonest first: what a member
    /// asks at the counter ("when do my points run out?").
    pub fn expiry_schedule(&self) -> Vec<(NaiveDate, i64)> {
        let mut by_day: std::collections::BTreeMap<NaiveDate, i64> = Default::default();
        for l in &self.lots[self.first_open.min(self.lots.len())..] {
            if let (Some(e), true) = (l.expires, l.remaining > 0) {
                let day = by_day.entry(e).or_default();
                *day = day.saturating_add(l.remaining);
            }
        }
        by_day.into_iter().collect()
    }

    /// Adds a lot and its entry; pays off any negative balance from it first.
    pub fn earn(&mut self, mut lot: Lot) -> u32 {
        let idx = self.lots.len() as u32;
        lot.remaining = lot.points;
        if let Some(e) = lot.expires {
            if self.next_expiry.is_none_or(|n| e < n) {
                self.next_expiry = Some(e);
            }
        }
        self.entries.push(Entry {
            date: lot.earned,
            points: lot.points,
            lot: Some(idx),
            draws: Vec::new(),
            source: lot.source,
            reason: lot.reason,
        });
        let date = lot.earned;
        let source = lot.source;
        self.lots.push(lot);
        if self.debt > 0 && lot.points > 0 {
            let pay = self.debt.min(lot.points);
            if let Some(l) = self.lots.last_mut() {
                l.remaining -= pay;
            }
            self.debt -= pay;
            self.entries.push(Entry {
                date,
                points: 0,
                lot: None,
                draws: vec![Draw {
                    lot: idx,
                    points: pay,
                }],
                source,
                reason: Reason::DebtSettled,
            });
        }
        idx
    }

    /// Expires every lot whose last valid day is before `date`.
    pub fn expire_before(&mut self, date: NaiveDate) {
        match self.next_expiry {
            Some(n) if n < date => {}
            _ => return,
        }
        let mut draws = Vec::new();
        let mut next = None;
        for (i, l) in self.lots.iter_mut().enumerate().skip(self.first_open) {
            let Some(e) = l.expires else { continue };
            if l.remaining <= 0 {
                continue;
            }
            if e < date {
                draws.push(Draw {
                    lot: i as u32,
                    points: l.remaining,
                });
                l.expired += l.remaining;
                l.remaining = 0;
            } else if next.is_none_or(|n| e < n) {
                next = Some(e);
            }
        }
        self.next_expiry = next;
        self.advance_first_open();
        if draws.is_empty() {
            return;
        }
        // Grouped by the day each lot lapsed so the ledger reads naturally.
        crate::order::sort_by_key_pair(&mut draws, |d| {
            let day = self.lots[d.lot as usize]
                .expires
                .map_or(i64::MIN, crate::order::day_key);
            (day, i64::from(d.lot))
        });
        let first_day = self.lots[draws[0].lot as usize].expires;
        let last_day = self.lots[draws[draws.len() - 1].lot as usize].expires;
        if first_day == last_day {
            // One day lapsed (the usual case): the draws are the group.
            let total = self.total(&draws);
            let when = first_day.and_then(|d| d.succ_opt()).unwrap_or(date);
            let source = self.lots[draws[0].lot as usize].source;
            self.entries.push(Entry {
                date: when,
                points: -total,
                lot: None,
                draws,
                source,
                reason: Reason::Expired,
            });
            return;
        }
        let mut start = 0;
        while start < draws.len() {
            let day = self.lots[draws[start].lot as usize].expires;
            let mut end = start;
            while end < draws.len() && self.lots[draws[end].lot as usize].expires == day {
                end += 1;
            }
            let group: Vec<Draw> = draws[start..end].to_vec();
            let total = self.total(&group);
            let when = day.and_then(|d| d.succ_opt()).unwrap_or(date);
            let source = self.lots[group[0].lot as usize].source;
            self.entries.push(Entry {
                date: when,
                points: -total,
                lot: None,
                draws: group,
                source,
                reason: Reason::Expired,
            });
            start = end;
        }
    }

    /// Expires everything open that was spendable by `date` (inactivity
    /// policy). Returns the latest day a lot left open becomes spendable:
    /// pending points are not taken before they could ever be spent.
    pub fn lapse_all(&mut self, date: NaiveDate, source: Source) -> Option<NaiveDate> {
        let mut draws = Vec::new();
        let mut pending: Option<NaiveDate> = None;
        for (i, l) in self.lots.iter_mut().enumerate().skip(self.first_open) {
            if l.remaining > 0 && l.spendable_from > date {
                pending = pending.max(Some(l.spendable_from));
            } else if l.remaining > 0 {
                draws.push(Draw {
                    lot: i as u32,
                    points: l.remaining,
                });
                l.expired += l.remaining;
                l.remaining = 0;
            }
        }
        self.next_expiry = self.lots[self.first_open..]
            .iter()
            .filter(|l| l.remaining > 0)
            .filter_map(|l| l.expires)
            .min();
        self.advance_first_open();
        if !draws.is_empty() {
            let total = self.total(&draws);
            self.entries.push(Entry {
                date,
                points: -total,
                lot: None,
                draws,
                source,
                reason: Reason::Lapsed,
            });
        }
        pending
    }

    /// The points of `draws`, saturated (and flagged) when they do not fit.
    fn total(&mut self, draws: &[Draw]) -> i64 {
        checked_sum(draws.iter().map(|d| d.points)).unwrap_or_else(|| {
            self.overflowed = true;
            i64::MAX
        })
    }

    /// Adds to the negative balance, saturated (and flagged) when it does not fit.
    fn add_debt(&mut self, points: i64) {
        self.debt = self.debt.checked_add(points).unwrap_or_else(|| {
            self.overflowed = true;
            i64::MAX
        });
    }

    fn advance_first_open(&mut self) {
        while self.first_open < self.lots.len() && self.lots[self.first_open].remaining <= 0 {
            self.first_open += 1;
        }
    }

    /// Takes up to `points` from open lots, those expiring first (lots that
    /// never expire last, then oldest first). With `spendable_on`, only lots
    /// past their pending period are used. Returns the draws made.
    pub fn draw(
        &mut self,
        points: i64,
        spendable_on: Option<NaiveDate>,
        skip: Option<u32>,
    ) -> Vec<Draw> {
        let mut order: Vec<u32> = (self.first_open..self.lots.len())
            .filter(|&i| {
                let l = &self.lots[i];
                l.remaining > 0
                    && spendable_on.is_none_or(|d| l.spendable_from <= d)
                    && skip != Some(i as u32)
            })
            .map(|i| i as u32)
            .collect();
        // Soonest expiry first (never last), then oldest; `i` breaks ties.
        crate::order::sort_by_key_pair(&mut order, |&i| {
            let l = &self.lots[i as usize];
            let expires = l.expires.map_or(i64::MAX, crate::order::day_key);
            (
                expires,
                (crate::order::day_key(l.earned) << 32) | i64::from(i),
            )
        });
        let mut left = points;
        let mut draws = Vec::new();
        for i in order {
            if left <= 0 {
                break;
            }
            let l = &mut self.lots[i as usize];
            let take = left.min(l.remaining);
            l.remaining -= take;
            left -= take;
            draws.push(Draw {
                lot: i,
                points: take,
            });
        }
        self.advance_first_open();
        draws
    }

    /// Records a spend already checked against [`Ledger::available`].
    pub fn spend(&mut self, date: NaiveDate, points: i64, source: Source, reason: Reason) {
        let draws = self.draw(points, Some(date), None);
        let total = self.total(&draws);
        self.entries.push(Entry {
            date,
            points: -total,
            lot: None,
            draws,
            source,
            reason,
        });
    }

    /// Takes `points` back from lot `lot` (a return). What is still open
    /// comes from the lot; what expired is not charged again; what was
    /// spent is clawed back from other lots or left as a negative balance.
    pub fn reverse(
        &mut self,
        lot: u32,
        points: i64,
        date: NaiveDate,
        source: Source,
        reason: Reason,
        claw_back: bool,
    ) {
        let Some(l) = self.lots.get_mut(lot as usize) else {
            return;
        };
        if points <= 0 {
            return;
        }
        let from_lot = points.min(l.remaining);
        l.remaining -= from_lot;
        let mut left = points - from_lot;
        let from_expired = left.min(l.expired);
        l.expired -= from_expired;
        left -= from_expired;
        self.advance_first_open();
        self.entries.push(Entry {
            date,
            points: -from_lot,
            lot: None,
            draws: if from_lot > 0 {
                vec![Draw {
                    lot,
                    points: from_lot,
                }]
            } else {
                Vec::new()
            },
            source,
            reason,
        });
        if left <= 0 {
            return;
        }
        if claw_back {
            let draws = self.draw(left, None, Some(lot));
            let taken = self.total(&draws);
            if taken > 0 {
                left -= taken;
                self.entries.push(Entry {
                    date,
                    points: -taken,
                    lot: None,
                    draws,
                    source,
                    reason: Reason::ClawedBack,
                });
            }
        }
        if left > 0 {
            self.add_debt(left);
            self.entries.push(Entry {
                date,
                points: -left,
                lot: None,
                draws: Vec::new(),
                source,
                reason: Reason::NegativeBalance,
            });
        }
    }

    /// A negative adjustment: drawn from any open lot, expiring first; a
    /// shortfall becomes a negative balance.
    pub fn deduct(&mut self, date: NaiveDate, points: i64, source: Source, reason: Reason) {
        let draws = self.draw(points, None, None);
        let taken = self.total(&draws);
        let left = points - taken;
        self.add_debt(left);
        self.entries.push(Entry {
            date,
            points: points.checked_neg().unwrap_or(-i64::MAX),
            lot: None,
            draws,
            source,
            reason,
        });
    }

    /// A line that changes nothing but must be visible (refused or repeated inputs).
    pub fn note(&mut self, date: NaiveDate, source: Source, reason: Reason) {
        self.entries.push(Entry {
            date,
            points: 0,
            lot: None,
            draws: Vec::new(),
            source,
            reason,
        });
    }
}
