//! The shared model: members and purchases. Every engine module (points,
//! tiers, analytics, import/export) works on these types; nothing here
//! reads a clock.

use crate::money::Money;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Internal, stable member key. Card numbers can be re-issued or edited;
/// this never changes, so purchases and ledgers refer to it. New ids come
/// from the enrolling device's series ([`crate::members::ids`]), so two devices
/// never hand out the same one; ids stay below 2^53 (JSON numbers).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MemberId(pub u64);

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
}

/// A day of the year that recurs: birthdays and anniversaries. The year is
/// optional because customers often give only month and day.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

impl MonthDay {
    /// Checks month/day against the longest month (29 February is valid).
    pub fn new(month: u32, day: u32, year: Option<i32>) -> Option<MonthDay> {
        let check_year = year.unwrap_or(2000); // a leap year, so 02-29 passes
        NaiveDate::from_ymd_opt(check_year, month, day)?;
        Some(MonthDay { month, day, year })
    }

    /// Reads "3-8", "03/08", "1990-03-08", "1990/3/8" or "3月8日": month
    /// and day, with the year first when given.
    pub fn parse(text: &str) -> Option<MonthDay> {
        let parts: Vec<&str> = text
            .trim()
            .split(|c: char| matches!(c, '-' | '/' | '.' | '年' | '月' | '日') || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .collect();
        let num = |s: &str| s.parse::<i64>().ok();
        match parts.as_slice() {
            [m, d] => MonthDay::new(
                u32::try_from(num(m)?).ok()?,
                u32::try_from(num(d)?).ok()?,
                None,
            ),
            [y, m, d] if y.len() == 4 => MonthDay::new(
                u32::try_from(num(m)?).ok()?,
                u32::try_from(num(d)?).ok()?,
                Some(i32::try_from(num(y)?).ok()?),
            ),
            _ => None,
        }
    }

    /// "03-08" or "1990-03-08", the form [`MonthDay::parse`] reads back.
    pub fn to_text(&self) -> String {
        match self.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", self.month, self.day),
            None => format!("{:02}-{:02}", self.month, self.day),
        }
    }

    /// The date this day falls on in `year`. 29 February falls on
    /// 28 February in common years, the usual retail convention
    /// ([`LeapDay::Feb28`]; see [`MonthDay::in_year_with`]).
    pub fn in_year(&self, year: i32) -> NaiveDate {
        self.in_year_with(year, LeapDay::Feb28)
    }

    /// The date this day falls on in `year`, a 29 February falling in
    /// common years where `leap` says (the scheme's setting,
    /// `Scheme::leap_birthday`). The one place the engine decides which
    /// day a birthday or special day falls on.
    pub fn in_year_with(&self, year: i32, leap: LeapDay) -> NaiveDate {
        if let Some(d) = NaiveDate::from_ymd_opt(year, self.month, self.day) {
            return d;
        }
        let moved = if leap == LeapDay::Mar1 && self.month == 2 && self.day == 29 {
            NaiveDate::from_ymd_opt(year, 3, 1)
        } else {
            None
        };
        moved
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day.checked_sub(1)?))
            .or_else(|| NaiveDate::from_ymd_opt(year, 1, 1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The next occurrence on or after `from` (29 February on 28 February
    /// in common years).
    pub fn next_on_or_after(&self, from: NaiveDate) -> NaiveDate {
        self.next_on_or_after_with(from, LeapDay::Feb28)
    }

    /// The next occurrence on or after `from`, 29 February falling where
    /// `leap` says in common years.
    pub fn next_on_or_after_with(&self, from: NaiveDate, leap: LeapDay) -> NaiveDate {
        let this_year = self.in_year_with(from.year(), leap);
        if this_year >= from {
            this_year
        } else {
            self.in_year_with(from.year().saturating_add(1), leap)
        }
    }
}

/// Where a 29 February birthday (or special day) falls in common years:
/// the scheme's setting (`Scheme::leap_birthday`, 闰年生日).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeapDay {
    /// 28 February (the default, the usual retail convention).
    #[default]
    Feb28,
    /// 1 March.
    Mar1,
}

impl LeapDay {
    pub fn is_default(&self) -> bool {
        *self == LeapDay::Feb28
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyMember {
    /// Free text such as "spouse", "daughter", 女儿.
    pub relation: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<MonthDay>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    /// e.g. "wedding anniversary", 结婚纪念日.
    pub label: String,
    pub date: MonthDay,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colours: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub styles: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

impl Preferences {
    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
            && self.colours.is_empty()
            && self.styles.is_empty()
            && self.categories.is_empty()
    }
}

/// Channels the member agreed to be contacted on (隐私权政策).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    #[serde(default)]
    pub sms: bool,
    #[serde(default)]
    pub phone: bool,
    #[serde(default)]
    pub email: bool,
}

/// A member record (顾客档案). Only `name` plus `card_no` or `mobile` are
/// required; everything else fills in step by step (循序渐进).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    /// Member number / card number (会员卡号), unique in the store.
    pub card_no: String,
    pub name: String,
    /// Normalised digits (see [`normalize_mobile`]); empty when unknown.
    #[serde(default)]
    pub mobile: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<MonthDay>,
    /// When the birthday was entered: a birthday entered shortly before it
    /// falls earns no birthday bonus that year (anti-gaming rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday_recorded_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub family: Vec<FamilyMember>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_days: Vec<SpecialDay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workplace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Preferences::is_empty")]
    pub preferences: Preferences,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(deserialize_with = "crate::dates::date")]
    pub joined: NaiveDate,
    /// Home store code (单网点 / 多网点).
    #[serde(default)]
    pub store: String,
    /// Responsible staff member (导购 / 会员管理专员).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    /// Who brought this member (老带新).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<MemberId>,
    #[serde(default)]
    pub consent: Consent,
    /// Satisfaction / attitude score 0-10 from a survey, when one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
    /// Why the member stopped buying, when staff found out (VIP客户挽留).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub churn: Option<ChurnRecord>,
}

/// `from` was merged into `into` on `on` (合并会员): the store's record of
/// it. `members::merge` says what a merge does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberMerge {
    pub from: MemberId,
    pub into: MemberId,
    pub on: NaiveDate,
}

/// Why a member left: a fixed taxonomy so the console can count reasons.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChurnReason {
    /// 商品: quality, price, packaging.
    Product,
    /// 购物环境.
    StoreEnvironment,
    /// 销售过程: service during the sale.
    SalesService,
    /// 售后服务: after-sales and complaints.
    AfterSales,
    /// 竞争对手.
    Competitor,
    MovedAway,
    /// Anything else; the record's `note` says what.
    Other,
}

impl ChurnReason {
    pub const ALL: [ChurnReason; 7] = [
        ChurnReason::Product,
        ChurnReason::StoreEnvironment,
        ChurnReason::SalesService,
        ChurnReason::AfterSales,
        ChurnReason::Competitor,
        ChurnReason::MovedAway,
        ChurnReason::Other,
    ];
}

/// A reason for leaving recorded on a member, with the day staff recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChurnRecord {
    pub reason: ChurnReason,
    /// Free text: required in spirit for `Other`, optional detail otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub recorded_on: NaiveDate,
}

impl Member {
    /// A member with only the required fields; the rest start empty.
    pub fn new(
        id: MemberId,
        card_no: impl Into<String>,
        name: impl Into<String>,
        joined: NaiveDate,
    ) -> Member {
        Member {
            id,
            card_no: card_no.into(),
            name: name.into(),
            mobile: String::new(),
            email: None,
            gender: None,
            birthday: None,
            birthday_recorded_on: None,
            family: Vec::new(),
            special_days: Vec::new(),
            workplace: None,
            job: None,
            address: None,
            preferences: Preferences::default(),
            tags: Vec::new(),
            notes: String::new(),
            joined,
            store: String::new(),
            staff: None,
            referrer: None,
            consent: Consent::default(),
            satisfaction: None,
            churn: None,
        }
    }
}

/// A profile field a store may choose to track for completeness.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileField {
    Mobile,
    Email,
    Gender,
    Birthday,
    Family,
    SpecialDays,
    Workplace,
    Job,
    Address,
    Preferences,
    Staff,
}

impl ProfileField {
    pub const ALL: [ProfileField; 11] = [
        ProfileField::Mobile,
        ProfileField::Email,
        ProfileField::Gender,
        ProfileField::Birthday,
        ProfileField::Family,
        ProfileField::SpecialDays,
        ProfileField::Workplace,
        ProfileField::Job,
        ProfileField::Address,
        ProfileField::Preferences,
        ProfileField::Staff,
    ];

    pub fn is_filled(self, m: &Member) -> bool {
        match self {
            ProfileField::Mobile => !m.mobile.is_empty(),
            ProfileField::Email => m.email.as_deref().is_some_and(|s| !s.is_empty()),
            ProfileField::Gender => m.gender.is_some(),
            ProfileField::Birthday => m.birthday.is_some(),
            ProfileField::Family => !m.family.is_empty(),
            ProfileField::SpecialDays => !m.special_days.is_empty(),
            ProfileField::Workplace => m.workplace.as_deref().is_some_and(|s| !s.is_empty()),
            ProfileField::Job => m.job.as_deref().is_some_and(|s| !s.is_empty()),
            ProfileField::Address => m.address.as_deref().is_some_and(|s| !s.is_empty()),
            ProfileField::Preferences => !m.preferences.is_empty(),
            ProfileField::Staff => m.staff.as_deref().is_some_and(|s| !s.is_empty()),
        }
    }
}

/// Profile completeness in whole percent (rounded down) of the fields the
/// store tracks. With no tracked fields a profile counts as complete.
pub fn profile_completeness(m: &Member, tracked: &[ProfileField]) -> u8 {
    if tracked.is_empty() {
        return 100;
    }
    let filled = tracked.iter().filter(|f| f.is_filled(m)).count();
    (filled * 100 / tracked.len()) as u8
}

/// Keeps only the digits that identify a mobile number, so "+86 138-0013-8000",
/// "0086 13800138000" and "138 0013 8000" all match.
pub fn normalize_mobile(raw: &str) -> String {
    mobile_digits(raw).into_owned()
}

/// [`normalize_mobile`] borrowing from `raw` when it is digits already
/// (as every stored mobile is), so a pass over 100,000 members allocates
/// only for the odd one typed with spaces or a +86.
pub fn mobile_digits(raw: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if raw.bytes().all(|b| b.is_ascii_digit()) {
        return Cow::Borrowed(national(raw, false));
    }
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let plus = raw.trim_start().starts_with('+');
    Cow::Owned(national(&digits, plus).to_string())
}

/// The national number in `digits`: without China's country code when it
/// was written +86, 0086 or as 13 digits starting 86.
fn national(digits: &str, plus: bool) -> &str {
    if plus {
        digits
            .strip_prefix("86")
            .filter(|d| d.len() == 11)
            .unwrap_or(digits)
    } else if let Some(rest) = digits.strip_prefix("0086") {
        rest
    } else if digits.len() == 13 && digits.starts_with("86") {
        &digits[2..]
    } else {
        digits
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    pub sku: String,
    #[serde(default)]
    pub category: String,
    pub quantity: i32,
    pub amount: Money,
}

/// A sale on one receipt. `amount` is what the member paid, in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    /// Receipt number (小票号), unique per store.
    pub receipt: String,
    pub member: MemberId,
    #[serde(deserialize_with = "crate::dates::date_time")]
    pub at: NaiveDateTime,
    pub amount: Money,
    #[serde(default)]
    pub store: String,
    /// The device that rang it up (its name in Settings → Sync), when the
    /// store is shared by several; empty on a device alone and for imports.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub device: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineItem>,
    /// The staff member who made the sale (导购), when named.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub staff: String,
}

impl Purchase {
    pub fn date(&self) -> NaiveDate {
        self.at.date()
    }

    /// The receipt's item count, for the scheme's minimum item count and
    /// points per item: the sum of its lines' positive quantities. A
    /// receipt recorded without lines (the checkout records only the
    /// amount) counts as one item.
    pub fn item_count(&self) -> u32 {
        if self.lines.is_empty() {
            return 1;
        }
        self.lines
            .iter()
            .map(|l| u32::try_from(l.quantity.max(0)).unwrap_or(0))
            .fold(0u32, u32::saturating_add)
    }
}

/// A return against an earlier receipt, full or partial. `amount` is the
/// positive value refunded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Return {
    /// The return's own slip number, unique per store.
    pub id: String,
    /// Receipt number of the purchase being returned.
    pub receipt: String,
    #[serde(deserialize_with = "crate::dates::date_time")]
    pub at: NaiveDateTime,
    pub amount: Money,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineItem>,
    /// The staff member who took the return back, when named.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub staff: String,
}

impl Return {
    pub fn date(&self) -> NaiveDate {
        self.at.date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_match_whatever_the_punctuation() {
        assert_eq!(normalize_mobile("+86 138-0013-8000"), "13800138000");
        assert_eq!(normalize_mobile("0086 13800138000"), "13800138000");
        assert_eq!(normalize_mobile("138 0013 8000"), "13800138000");
        assert_eq!(normalize_mobile("8613800138000"), "13800138000");
        assert_eq!(normalize_mobile("+1 (415) 555-0100"), "14155550100");
    }

    #[test]
    fn leap_day_birthdays_fall_on_28_february_in_common_years() {
        let d = MonthDay::new(2, 29, None).unwrap();
        assert_eq!(
            d.in_year(2025),
            NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()
        );
        assert_eq!(
            d.in_year(2028),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
        assert!(MonthDay::new(2, 30, None).is_none());
        assert!(MonthDay::new(2, 29, Some(2023)).is_none());
    }

    #[test]
    fn month_days_parse_in_the_forms_staff_type() {
        assert_eq!(MonthDay::parse("3-8"), MonthDay::new(3, 8, None));
        assert_eq!(MonthDay::parse("03/08"), MonthDay::new(3, 8, None));
        assert_eq!(
            MonthDay::parse("1990-03-08"),
            MonthDay::new(3, 8, Some(1990))
        );
        assert_eq!(
            MonthDay::parse("1990年3月8日"),
            MonthDay::new(3, 8, Some(1990))
        );
        assert_eq!(MonthDay::parse("3月8日"), MonthDay::new(3, 8, None));
        assert_eq!(MonthDay::parse("2-30"), None);
        assert_eq!(MonthDay::parse("13-1"), None);
        assert_eq!(MonthDay::parse(""), None);
        assert_eq!(MonthDay::parse("99999999999999999999-1"), None);
        let d = MonthDay::new(2, 29, Some(1996)).unwrap();
        assert_eq!(MonthDay::parse(&d.to_text()), Some(d));
    }

    #[test]
    fn next_occurrence_wraps_into_next_year() {
        let d = MonthDay::new(1, 5, None).unwrap();
        let from = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            d.next_on_or_after(from),
            NaiveDate::from_ymd_opt(2027, 1, 5).unwrap()
        );
        let same = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        assert_eq!(d.next_on_or_after(same), same);
    }

    #[test]
    fn completeness_counts_only_tracked_fields() {
        let mut m = Member::new(
            MemberId(1),
            "C1",
            "Li",
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        );
        let tracked = [
            ProfileField::Mobile,
            ProfileField::Birthday,
            ProfileField::Address,
            ProfileField::Job,
        ];
        assert_eq!(profile_completeness(&m, &tracked), 0);
        m.mobile = "13800138000".into();
        m.birthday = MonthDay::new(3, 8, None);
        assert_eq!(profile_completeness(&m, &tracked), 50);
        m.job = Some("teacher".into());
        assert_eq!(profile_completeness(&m, &tracked), 75);
        assert_eq!(profile_completeness(&m, &[]), 100);
    }
}
