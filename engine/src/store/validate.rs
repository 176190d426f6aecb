//! The values a store or backup file must keep before it is opened: a file
//! can have the right shape and still say absurd things (an amount of
//! 10^18, a birthday on day 0 of month 13, a return larger than its
//! receipt). [`check_store`] lists every record that breaks a rule, with
//! the field and the reason, so the file is refused with that list and
//! never replays into wrapped numbers. The limits are documented in
//! `docs/store-format.md` ("Value limits").

use crate::care::log::CareLog;
use crate::members::ids::MAX_MEMBER_ID;
use crate::members::model::{LineItem, Member, MemberId, MonthDay};
use crate::money::Money;
use crate::points::events::PointsEventKind;
use crate::points::rules::{SchemeError, SchemeField};
use crate::points::scheme::DatedScheme;
use crate::store::document::Store;
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The largest amount, in minor units, a record may state: 10^12 fen is
/// ten billion yuan, far above any boutique receipt, yet a million such
/// receipts still sum inside an `i64`.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// The largest number of points a record may state.
pub const MAX_POINTS: i64 = 1_000_000_000_000;
/// The largest quantity on a receipt line.
pub const MAX_QUANTITY: i64 = 1_000_000;
/// Dates must fall in these years (a typo such as 20255 or 0202 is refused).
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 9999;

/// Which list of the store a refused record is in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Member,
    Purchase,
    Return,
    PointsEvent,
    Scheme,
    Contact,
    CarePlan,
    TodayMark,
    Settings,
}

impl RecordKind {
    /// The record's list in the file.
    pub fn key(self) -> &'static str {
        match self {
            RecordKind::Member => "members",
            RecordKind::Purchase => "purchases",
            RecordKind::Return => "returns",
            RecordKind::PointsEvent => "points_events",
            RecordKind::Scheme => "schemes",
            RecordKind::Contact => "care.contacts",
            RecordKind::CarePlan => "care.plan",
            RecordKind::TodayMark => "care.marks",
            RecordKind::Settings => "settings",
        }
    }
}

/// The field at fault, named as in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Id,
    Member,
    Referrer,
    Receipt,
    Amount,
    Points,
    Quantity,
    /// `at`, `joined`, `on`, `due` … : the record's own date.
    Date(&'static str),
    Birthday,
    /// `family[i].birthday`.
    FamilyBirthday(usize),
    /// `special_days[i].date`.
    SpecialDay(usize),
    /// `lines[i].amount` / `lines[i].quantity`.
    LineAmount(usize),
    LineQuantity(usize),
    /// A part of a scheme (`schemes[i].scheme`), as the lab names it.
    Scheme(SchemeField),
    /// A number of a scheme outside the limits, by its name in the file.
    SchemeValue(&'static str),
    /// A rule of the Today list (`today.<path>`).
    TodayRule(String),
    /// Another part of the settings, by its path (`staff[2].name`).
    Setting(String),
    /// A Today mark's key.
    Key,
}

impl Field {
    /// The field's path inside its record, as written in the file.
    pub fn path(&self) -> String {
        match self {
            Field::Id => "id".into(),
            Field::Member => "member".into(),
            Field::Referrer => "referrer".into(),
            Field::Receipt => "receipt".into(),
            Field::Amount => "amount".into(),
            Field::Points => "points".into(),
            Field::Quantity => "quantity".into(),
            Field::Date(name) => (*name).into(),
            Field::Birthday => "birthday".into(),
            Field::FamilyBirthday(i) => format!("family[{i}].birthday"),
            Field::SpecialDay(i) => format!("special_days[{i}].date"),
            Field::LineAmount(i) => format!("lines[{i}].amount"),
            Field::LineQuantity(i) => format!("lines[{i}].quantity"),
            Field::Scheme(f) => format!("scheme.{}", scheme_field_path(*f)),
            Field::SchemeValue(name) => format!("scheme.{name}"),
            Field::TodayRule(path) => format!("today.{path}"),
            Field::Setting(path) => path.clone(),
            Field::Key => "key".into(),
        }
    }
}

fn scheme_field_path(f: SchemeField) -> String {
    match f {
        SchemeField::Rate => "earning".into(),
        SchemeField::Band(i) => format!("earning.bands[{i}]"),
        SchemeField::Promotion(i) => format!("promotions[{i}]"),
        SchemeField::FirstPurchaseBonus => "bonuses.first_purchase".into(),
        SchemeField::ProfileBonus => "bonuses.profile_completion".into(),
        SchemeField::CheckInBonus => "bonuses.daily_check_in".into(),
        SchemeField::ReferralBonus => "bonuses.referral".into(),
        SchemeField::Birthday => "bonuses.birthday".into(),
        SchemeField::Pending => "pending_days".into(),
        SchemeField::PointValue => "point_value_milli".into(),
        SchemeField::Expiry => "expiry".into(),
        SchemeField::Reward(i) => format!("rewards[{i}]"),
        SchemeField::Tiers => "tiers".into(),
        SchemeField::Tier(i) => format!("tiers.tiers[{i}]"),
        SchemeField::Growth => "tiers.growth".into(),
        SchemeField::SignUpBonus => "bonuses.sign_up".into(),
        SchemeField::BirthdayGift => "bonuses.birthday_gift".into(),
        SchemeField::Programme => "programme_from".into(),
        SchemeField::Minimum => "earning.min_amount".into(),
        SchemeField::ReceiptPoints => "earning.per_receipt".into(),
        SchemeField::PayWithPoints => "pay_with_points".into(),
        SchemeField::LineRule(i) => format!("earning.line_rules[{i}]"),
    }
}

/// Why the value is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Beyond ± `limit` (an amount in minor units, points, a quantity).
    OutOfRange { value: i64, limit: i64 },
    /// Below zero where only zero or more makes sense.
    Negative { value: i64 },
    /// No such day: month 13, day 0, 30 February, 29 February of a common year.
    NoSuchDay { month: u32, day: u32 },
    /// A year outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
    YearOutOfRange { year: i32 },
    /// The returns against a receipt add up to more than it was.
    ReturnsAboveReceipt { receipt: Money, returned: Money },
    /// A return dated before the receipt it returns.
    ReturnBeforeReceipt,
    /// No member has this id.
    UnknownMember { id: MemberId },
    /// No purchase has this receipt number.
    UnknownReceipt,
    /// Another member already has this id.
    DuplicateMemberId { id: MemberId },
    /// The scheme cannot be replayed.
    Scheme(SchemeError),
    /// Outside `min`..=`max` (a setting).
    Outside { value: i64, min: i64, max: i64 },
}

/// One refused record: which one (its list, position and own number or
/// name), the field and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RecordKind,
    /// Position in its list, from 0.
    pub index: usize,
    /// The record's own number: card number, receipt, return slip, scheme
    /// name, or the member's id for records that have no number of their own.
    pub id: String,
    pub field: Field,
    pub reason: Reason,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::OutOfRange { value, limit } => {
                write!(f, "{value} is beyond the limit of ±{limit}")
            }
            Reason::Negative { value } => write!(f, "{value} is below zero"),
            Reason::NoSuchDay { month, day } => write!(f, "there is no day {day} of month {month}"),
            Reason::YearOutOfRange { year } => {
                write!(f, "the year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
            }
            Reason::ReturnsAboveReceipt { receipt, returned } => write!(
                f,
                "returns add up to {returned}, more than the receipt's {receipt}"
            ),
            Reason::ReturnBeforeReceipt => write!(f, "dated before its receipt"),
            Reason::UnknownMember { id } => write!(f, "no member has id {}", id.0),
            Reason::UnknownReceipt => write!(f, "no purchase has this receipt number"),
            Reason::DuplicateMemberId { id } => {
                write!(f, "member id {} is used twice", id.0)
            }
            Reason::Scheme(e) => write!(f, "{e}"),
            Reason::Outside { value, min, max } => {
                write!(f, "{value} is outside {min}..={max}")
            }
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] ({}) {}: {}",
            self.kind.key(),
            self.index,
            self.id,
            self.field.path(),
            self.reason
        )
    }
}

/// Every record of `store` that breaks a value rule, in file order (members,
/// purchases, returns, points events, schemes, care log). Empty means the
/// store may be opened.
pub fn check_store(store: &Store) -> Vec<Refusal> {
    let mut c = Checker::default();
    let members: HashSet<MemberId> = store.members.iter().map(|m| m.id).collect();
    let mut seen = HashSet::new();
    for (i, m) in store.members.iter().enumerate() {
        c.at(RecordKind::Member, i, &m.card_no);
        if !seen.insert(m.id) {
            c.refuse(Field::Id, Reason::DuplicateMemberId { id: m.id });
        }
        if m.id.0 > MAX_MEMBER_ID {
            // JavaScript (the database) would round it into another id.
            c.refuse(
                Field::Id,
                Reason::OutOfRange {
                    value: m.id.sort_key(),
                    limit: MAX_MEMBER_ID as i64,
                },
            );
        }
        member(&mut c, m, &members);
    }
    // The receipt a return refers to is the first purchase with that number,
    // as replay takes it.
    let mut receipts: HashMap<&str, usize> = HashMap::new();
    for (i, p) in store.purchases.iter().enumerate() {
        receipts.entry(p.receipt.as_str()).or_insert(i);
        c.at(RecordKind::Purchase, i, &p.receipt);
        c.known(Field::Member, p.member, &members);
        c.date(Field::Date("at"), p.at.date());
        c.amount(Field::Amount, p.amount.0, true);
        c.lines(&p.lines);
    }
    let mut returned: HashMap<usize, i64> = HashMap::new();
    for (i, r) in store.returns.iter().enumerate() {
        c.at(RecordKind::Return, i, &r.id);
        c.date(Field::Date("at"), r.at.date());
        c.amount(Field::Amount, r.amount.0, false);
        c.lines(&r.lines);
        let Some(&p) = receipts.get(r.receipt.as_str()) else {
            c.refuse(Field::Receipt, Reason::UnknownReceipt);
            continue;
        };
        let purchase = &store.purchases[p];
        if r.at < purchase.at {
            c.refuse(Field::Date("at"), Reason::ReturnBeforeReceipt);
        }
        let sum = returned.entry(p).or_default();
        *sum = sum.saturating_add(r.amount.0.max(0));
        if *sum > purchase.amount.0.max(0) {
            c.refuse(
                Field::Amount,
                Reason::ReturnsAboveReceipt {
                    receipt: purchase.amount,
                    returned: Money(*sum),
                },
            );
        }
    }
    for (i, e) in store.points_events.iter().enumerate() {
        c.at(RecordKind::PointsEvent, i, &e.member.0.to_string());
        c.known(Field::Member, e.member, &members);
        c.date(Field::Date("at"), e.at.date());
        match &e.kind {
            PointsEventKind::Redemption {
                points, quantity, ..
            } => {
                c.points(Field::Points, *points, false);
                c.limit(Field::Quantity, i64::from(*quantity), MAX_QUANTITY, true);
            }
            PointsEventKind::PaidWithPoints {
                receipt,
                points,
                value,
            } => {
                c.points(Field::Points, *points, false);
                c.amount(Field::Amount, value.0, false);
                if !receipts.contains_key(receipt.as_str()) {
                    c.refuse(Field::Receipt, Reason::UnknownReceipt);
                }
            }
            PointsEventKind::Adjustment { points, .. } => c.points(Field::Points, *points, true),
            PointsEventKind::OpeningBalance {
                points, expires, ..
            } => {
                c.points(Field::Points, *points, true);
                if let Some(x) = expires {
                    c.date(Field::Date("expires"), *x);
                }
            }
            PointsEventKind::CheckIn
            | PointsEventKind::ProfileCompleted
            | PointsEventKind::OpeningTier { .. } => {}
        }
    }
    for (i, s) in store.schemes.iter().enumerate() {
        scheme(&mut c, i, s);
    }
    care(&mut c, &store.care, &members);
    use crate::care::staff::{MAX_NAME, MAX_STAFF};
    let staff = &store.settings.staff;
    c.at(RecordKind::Settings, 0, "staff");
    c.limit(
        Field::Setting("staff".into()),
        staff.len() as i64,
        MAX_STAFF as i64,
        false,
    );
    for (i, s) in staff.iter().enumerate() {
        for (what, text) in [("name", &s.name), ("shop", &s.shop)] {
            let chars = text.chars().count() as i64;
            c.limit(
                Field::Setting(format!("staff[{i}].{what}")),
                chars,
                MAX_NAME as i64,
                false,
            );
        }
    }
    use crate::care::message::{MAX_TEMPLATES, MAX_TEMPLATE_CHARS};
    let templates = &store.settings.templates;
    c.limit(
        Field::Setting("templates".into()),
        templates.len() as i64,
        MAX_TEMPLATES as i64,
        false,
    );
    for (i, t) in templates.iter().enumerate() {
        let chars = t.text.chars().count() as i64;
        c.limit(
            Field::Setting(format!("templates[{i}].text")),
            chars,
            MAX_TEMPLATE_CHARS as i64,
            false,
        );
    }
    if let Err(e) = store.settings.today.check() {
        c.at(RecordKind::Settings, 0, "today");
        c.refuse(
            Field::TodayRule(e.field),
            Reason::Outside {
                value: e.value,
                min: e.min,
                max: e.max,
            },
        );
    }
    c.out
}

fn member(c: &mut Checker, m: &Member, members: &HashSet<MemberId>) {
    c.date(Field::Date("joined"), m.joined);
    if let Some(b) = &m.birthday {
        c.month_day(Field::Birthday, b);
    }
    if let Some(d) = m.birthday_recorded_on {
        c.date(Field::Date("birthday_recorded_on"), d);
    }
    for (k, f) in m.family.iter().enumerate() {
        if let Some(b) = &f.birthday {
            c.month_day(Field::FamilyBirthday(k), b);
        }
    }
    for (k, s) in m.special_days.iter().enumerate() {
        c.month_day(Field::SpecialDay(k), &s.date);
    }
    if let Some(r) = m.referrer {
        c.known(Field::Referrer, r, members);
    }
    if let Some(ch) = &m.churn {
        c.date(Field::Date("churn.recorded_on"), ch.recorded_on);
    }
}

fn scheme(c: &mut Checker, i: usize, d: &DatedScheme) {
    let s = &d.scheme;
    c.at(RecordKind::Scheme, i, &s.name);
    c.date(Field::Date("effective_from"), d.effective_from);
    if let Err(p) = s.check_replayable() {
        c.refuse(Field::Scheme(p.field), Reason::Scheme(p.error));
    }
    let e = &s.earning;
    c.amount(Field::Scheme(SchemeField::Rate), e.per.0, false);
    for (k, b) in e.bands.iter().enumerate() {
        c.amount(Field::Scheme(SchemeField::Band(k)), b.from.0, false);
        if let Some(to) = b.to {
            c.amount(Field::Scheme(SchemeField::Band(k)), to.0, false);
        }
    }
    for (k, p) in s.promotions.iter().enumerate() {
        c.date(Field::Scheme(SchemeField::Promotion(k)), p.from);
        c.date(Field::Scheme(SchemeField::Promotion(k)), p.to);
    }
    c.amount(Field::Scheme(SchemeField::Minimum), e.min_amount.0, false);
    c.limit(
        Field::SchemeValue("earning.min_items"),
        i64::from(e.min_items),
        MAX_QUANTITY,
        false,
    );
    if let Some(from) = s.programme_from {
        c.date(Field::Scheme(SchemeField::Programme), from);
    }
    if let Some(to) = s.programme_to {
        c.date(Field::Scheme(SchemeField::Programme), to);
    }
    let b = &s.bonuses;
    for (v, name) in [
        (e.per_receipt, "earning.per_receipt"),
        (e.per_item, "earning.per_item"),
        (b.sign_up, "bonuses.sign_up"),
        (
            b.birthday_gift.as_ref().map_or(0, |x| x.points),
            "bonuses.birthday_gift.points",
        ),
        (b.first_purchase, "bonuses.first_purchase"),
        (b.profile_completion, "bonuses.profile_completion"),
        (b.daily_check_in, "bonuses.daily_check_in"),
        (b.referral, "bonuses.referral"),
        (
            b.birthday.as_ref().map_or(0, |x| x.points),
            "bonuses.birthday.points",
        ),
        (s.point_value_milli, "point_value_milli"),
    ] {
        c.points(Field::SchemeValue(name), v, false);
    }
    for (k, r) in s.rewards.iter().enumerate() {
        c.points(Field::Scheme(SchemeField::Reward(k)), r.points, false);
    }
    for (k, r) in e.line_rules.iter().enumerate() {
        if let crate::points::scheme::LineEffect::ExtraPoints { points } = r.effect {
            c.points(Field::Scheme(SchemeField::LineRule(k)), points, false);
        }
    }
    if let Some(p) = &s.pay_with_points {
        let field = Field::Scheme(SchemeField::PayWithPoints);
        c.points(field.clone(), p.points, false);
        c.amount(field.clone(), p.value.0, false);
        c.amount(field, p.max_amount.0, false);
    }
    for (k, t) in s.tiers.tiers.iter().enumerate() {
        // Thresholds are money or a purchase count; the amount limit covers both.
        c.amount(Field::Scheme(SchemeField::Tier(k)), t.threshold, false);
        // 升级礼: the entry reward's points, within the points limit.
        c.points(
            Field::Scheme(SchemeField::Tier(k)),
            t.benefits.entry_points,
            false,
        );
    }
}

/// The longest Today mark key a file may hold (keys name a date, a
/// receipt, a reward: far below this).
pub const MAX_KEY: usize = 400;

fn care(c: &mut Checker, log: &CareLog, members: &HashSet<MemberId>) {
    // A mark of a member merged or deleted since hides nothing: no
    // member check, so a merge never makes the store unreadable.
    for (i, x) in log.marks.iter().enumerate() {
        c.at(RecordKind::TodayMark, i, &x.member.0.to_string());
        c.date(Field::Date("on"), x.on);
        if let crate::care::today::MarkAction::Snoozed { until } = x.action {
            c.date(Field::Date("until"), until);
        }
        c.limit(
            Field::Key,
            x.key.chars().count() as i64,
            MAX_KEY as i64,
            false,
        );
    }
    for (i, x) in log.contacts.iter().enumerate() {
        c.at(RecordKind::Contact, i, &x.member.0.to_string());
        c.known(Field::Member, x.member, members);
        c.date(Field::Date("on"), x.on);
    }
    for (i, x) in log.plan.iter().enumerate() {
        c.at(RecordKind::CarePlan, i, &x.id.to_string());
        c.known(Field::Member, x.member, members);
        c.date(Field::Date("due"), x.due);
        if let Some(d) = x.done_on {
            c.date(Field::Date("done_on"), d);
        }
    }
}

/// Collects refusals for the record being looked at.
#[derive(Default)]
struct Checker {
    out: Vec<Refusal>,
    kind: Option<RecordKind>,
    index: usize,
    id: String,
}

impl Checker {
    fn at(&mut self, kind: RecordKind, index: usize, id: &str) {
        self.kind = Some(kind);
        self.index = index;
        self.id.clear();
        self.id.push_str(id);
    }

    fn refuse(&mut self, field: Field, reason: Reason) {
        self.out.push(Refusal {
            kind: self.kind.unwrap_or(RecordKind::Member),
            index: self.index,
            id: self.id.clone(),
            field,
            reason,
        });
    }

    /// `value` within ±`limit` (within 0..=`limit` unless `signed`).
    fn limit(&mut self, field: Field, value: i64, limit: i64, signed: bool) {
        if !signed && value < 0 {
            self.refuse(field, Reason::Negative { value });
        } else if value.unsigned_abs() > limit.unsigned_abs() {
            self.refuse(field, Reason::OutOfRange { value, limit });
        }
    }

    fn amount(&mut self, field: Field, minor: i64, signed: bool) {
        self.limit(field, minor, MAX_AMOUNT, signed);
    }

    fn points(&mut self, field: Field, points: i64, signed: bool) {
        self.limit(field, points, MAX_POINTS, signed);
    }

    fn lines(&mut self, lines: &[LineItem]) {
        for (k, l) in lines.iter().enumerate() {
            self.amount(Field::LineAmount(k), l.amount.0, true);
            self.limit(
                Field::LineQuantity(k),
                i64::from(l.quantity),
                MAX_QUANTITY,
                true,
            );
        }
    }

    fn known(&mut self, field: Field, id: MemberId, members: &HashSet<MemberId>) {
        if !members.contains(&id) {
            self.refuse(field, Reason::UnknownMember { id });
        }
    }

    fn date(&mut self, field: Field, d: NaiveDate) {
        self.year(field, d.year());
    }

    fn year(&mut self, field: Field, year: i32) {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            self.refuse(field, Reason::YearOutOfRange { year });
        }
    }

    fn month_day(&mut self, field: Field, md: &MonthDay) {
        if MonthDay::new(md.month, md.day, None).is_none() {
            self.refuse(
                field,
                Reason::NoSuchDay {
                    month: md.month,
                    day: md.day,
                },
            );
        } else if let Some(y) = md.year {
            if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
                self.refuse(field, Reason::YearOutOfRange { year: y });
            } else if MonthDay::new(md.month, md.day, Some(y)).is_none() {
                self.refuse(
                    field,
                    Reason::NoSuchDay {
                        month: md.month,
                        day: md.day,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_boutique_keeps_every_rule() {
        let store = crate::demo::demo_store(
            7,
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            crate::demo::DemoLanguage::Chinese,
        );
        assert_eq!(check_store(&store), vec![]);
    }
}
