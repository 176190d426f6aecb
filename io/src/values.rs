//! Cell text to typed values: dates in the forms shops write them, money
//! with currency signs and either decimal mark, points, yes/no, gender.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use clientele_engine::members::model::{Gender, MonthDay};
use clientele_engine::Money;
use serde::{Deserialize, Serialize};

/// How to read `05/03/2024`: the user confirms this when a file's dates
/// could be read both ways.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateIssue {
    /// Not a date in any form we read.
    Unreadable,
    /// A day that does not exist (2024-02-30) or a year out of range.
    Impossible,
    /// `05/03/2024` with no day/month order chosen.
    Ambiguous,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountIssue {
    NotANumber,
    Negative,
    TooManyDecimals,
    TooLarge,
}

/// Years outside this range are typing mistakes, not shop history.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Excel's day zero (serial 1 is 1900-01-01; 1900-02-29 never existed,
/// which 1899-12-30 as the epoch accounts for after February 1900).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

pub fn from_excel_serial(serial: f64) -> Option<NaiveDateTime> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.floor();
    let seconds = ((serial - days) * 86_400.0).round() as u32;
    let date = excel_epoch().checked_add_days(Days::new(days as u64))?;
    let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds.min(86_399), 0)?;
    Some(date.and_time(time))
}

/// An xlsx date cell as the text [`parse_datetime`] reads back.
pub fn excel_serial_text(serial: f64) -> String {
    match from_excel_serial(serial) {
        Some(dt) => datetime_text(dt),
        None => format!("{serial}"),
    }
}

/// `2024-03-05` at midnight, else `2024-03-05 14:30:00`.
pub fn datetime_text(dt: NaiveDateTime) -> String {
    let d = dt.date();
    let base = clientele_engine::store::document::DateFormat::Iso.format(d);
    let secs = dt
        .time()
        .signed_duration_since(NaiveTime::MIN)
        .num_seconds();
    if secs == 0 {
        base
    } else {
        format!(
            "{base} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

fn ymd(y: i64, m: i64, d: i64) -> Result<NaiveDate, DateIssue> {
    let y = i32::try_from(y).map_err(|_| DateIssue::Impossible)?;
    if !YEARS.contains(&y) {
        return Err(DateIssue::Impossible);
    }
    let m = u32::try_from(m).map_err(|_| DateIssue::Impossible)?;
    let d = u32::try_from(d).map_err(|_| DateIssue::Impossible)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateIssue::Impossible)
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim().trim_end_matches('Z');
    if t.is_empty() {
        return Some(NaiveTime::MIN);
    }
    // Drop fractional seconds and a timezone offset: shop systems write
    // local time and we keep the wall clock.
    let t = t.split(['.', '+']).next().unwrap_or(t);
    let parts: Vec<&str> = t.split(':').collect();
    let num = |s: &str| -> Option<u32> {
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (num(h)?, num(m)?, 0),
        [h, m, s] => (num(h)?, num(m)?, num(s)?),
        _ => return None,
    };
    NaiveTime::from_hms_opt(h, m, s)
}

/// Whether a slash date such as `05/03/2024` reads both ways.
pub fn is_ambiguous(text: &str) -> bool {
    let date_part = text.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = date_part.split(['/', '.', '-']).collect();
    if let [a, b, y] = parts.as_slice() {
        if y.len() == 4 && a.len() <= 2 && b.len() <= 2 {
            if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
                return (1..=12).contains(&a) && (1..=12).contains(&b) && a != b;
            }
        }
    }
    false
}

/// Reads a date with an optional time:
/// `2024-03-05`, `2024/3/5`, `2024.3.5`, `20240305`, `2024年3月5日`,
/// `05/03/2024` or `03/05/2024` (by `order`; unambiguous ones need none),
/// an Excel serial number such as `45356` or `45356.5`, each optionally
/// followed by ` 14:30` / `T14:30:00`.
pub fn parse_datetime(text: &str, order: Option<DateOrder>) -> Result<NaiveDateTime, DateIssue> {
    let t = text.trim();
    if t.is_empty() {
        return Err(DateIssue::Unreadable);
    }
    // Chinese form: 2024年3月5日 [14:30]
    if let Some((y, rest)) = t.split_once('年') {
        let (m, rest) = rest.split_once('月').ok_or(DateIssue::Unreadable)?;
        let (d, time) = rest.split_once('日').unwrap_or((rest, ""));
        let n = |s: &str| s.trim().parse::<i64>().map_err(|_| DateIssue::Unreadable);
        let date = ymd(n(y)?, n(m)?, n(d)?)?;
        let time = parse_time(time).ok_or(DateIssue::Unreadable)?;
        return Ok(date.and_time(time));
    }
    let (date_part, time_part) = match t.find([' ', 'T']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    let time = parse_time(time_part).ok_or(DateIssue::Unreadable)?;
    let all_digits = !date_part.is_empty() && date_part.bytes().all(|b| b.is_ascii_digit());
    if all_digits && date_part.len() == 8 {
        let n = |r: std::ops::Range<usize>| date_part[r].parse::<i64>().unwrap_or(0);
        return Ok(ymd(n(0..4), n(4..6), n(6..8))?.and_time(time));
    }
    if time_part.is_empty()
        && date_part.len() <= 20
        && date_part.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && date_part.bytes().filter(|&b| b == b'.').count() <= 1
    {
        if let Ok(serial) = date_part.parse::<f64>() {
            return from_excel_serial(serial).ok_or(DateIssue::Impossible);
        }
    }
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    let nums: Vec<i64> = parts
        .iter()
        .map(|p| {
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                Err(DateIssue::Unreadable)
            } else {
                p.parse::<i64>().map_err(|_| DateIssue::Unreadable)
            }
        })
        .collect::<Result<_, _>>()?;
    let date = match (parts.as_slice(), nums.as_slice()) {
        ([y, _, _], [yy, m, d]) if y.len() == 4 => ymd(*yy, *m, *d)?,
        ([_, _, y], [a, b, yy]) if y.len() == 4 => {
            let day_first = ymd(*yy, *b, *a);
            let month_first = ymd(*yy, *a, *b);
            match (day_first, month_first, order) {
                (Ok(d), Ok(m), _) if d == m => d,
                (Ok(d), Ok(_), Some(DateOrder::DayFirst)) => d,
                (Ok(_), Ok(m), Some(DateOrder::MonthFirst)) => m,
                (Ok(_), Ok(_), None) => return Err(DateIssue::Ambiguous),
                (Ok(d), Err(_), Some(DateOrder::DayFirst) | None) => d,
                (Err(_), Ok(m), Some(DateOrder::MonthFirst) | None) => m,
                _ => return Err(DateIssue::Impossible),
            }
        }
        _ => return Err(DateIssue::Unreadable),
    };
    Ok(date.and_time(time))
}

/// A birthday: a full date keeps its year; `3-8` or `3月8日` has none.
pub fn parse_birthday(text: &str, order: Option<DateOrder>) -> Result<MonthDay, DateIssue> {
    if let Some(md) = MonthDay::parse(text) {
        return Ok(md);
    }
    let dt = parse_datetime(text, order)?;
    use chrono::Datelike;
    let d = dt.date();
    MonthDay::new(d.month(), d.day(), Some(d.year())).ok_or(DateIssue::Impossible)
}

/// Reads money as shops export it: `¥1,299.00`, `1 299,50`, `1.299,50`,
/// `12,5`, `RMB 88`, `88元`. A single comma or dot followed by one or two
/// digits is the decimal mark; groups of three are thousands. Negative
/// amounts (`-5`, `(5.00)`) are reported, not silently flipped.
pub fn parse_amount(text: &str) -> Result<Money, AmountIssue> {
    let mut t: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{00A0}' && *c != '\u{202F}' && *c != '\'')
        .collect();
    for prefix in ["RMB", "CNY", "USD", "EUR", "HK$", "US$"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_string();
        }
    }
    let negative_paren = t.starts_with('(') && t.ends_with(')');
    let t = t.trim_matches(['(', ')']);
    let negative = negative_paren || t.starts_with('-') || t.ends_with('-');
    let t = t
        .trim_matches('-')
        .trim_start_matches('+')
        .trim_start_matches(['¥', '￥', '$', '€', '£'])
        .trim_end_matches(['元', '¥', '￥', '€'])
        .trim_start_matches('-');
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return Err(AmountIssue::NotANumber);
    }
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return Err(AmountIssue::NotANumber);
    }
    // Find the decimal mark: the last separator, when what follows it is
    // not a group of exactly three digits (or it is the only dot).
    let last_sep = t.rfind([',', '.']);
    let (whole, frac) = match last_sep {
        Some(i) => {
            let sep = t.as_bytes()[i];
            let after = &t[i + 1..];
            let seps_of_kind = t.bytes().filter(|&b| b == sep).count();
            let other = if sep == b',' { b'.' } else { b',' };
            let has_other = t.bytes().any(|b| b == other);
            let is_decimal = if after.len() != 3 {
                true
            } else {
                // "1,299" is thousands; "1.299" alone is read as thousands
                // only when another mark precedes it ("1,299.000" is odd).
                sep == b'.' && seps_of_kind == 1 && !has_other
            };
            if is_decimal {
                if seps_of_kind > 1 {
                    return Err(AmountIssue::NotANumber);
                }
                (&t[..i], after)
            } else {
                (t, "")
            }
        }
        None => (t, ""),
    };
    let digits: String = whole.chars().filter(|c| c.is_ascii_digit()).collect();
    if frac.len() > 2 {
        return Err(AmountIssue::TooManyDecimals);
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountIssue::NotANumber);
    }
    if negative {
        return Err(AmountIssue::Negative);
    }
    if digits.len() > 15 {
        return Err(AmountIssue::TooLarge);
    }
    let major: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| AmountIssue::TooLarge)?
    };
    let minor: i64 = format!("{frac:0<2}")
        .parse()
        .map_err(|_| AmountIssue::NotANumber)?;
    major
        .checked_mul(100)
        .and_then(|m| m.checked_add(minor))
        .map(Money)
        .ok_or(AmountIssue::TooLarge)
}

/// Whole points, signed (an opening balance may be a debt).
pub fn parse_points(text: &str) -> Option<i64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let t = t.strip_suffix(".00").or(t.strip_suffix(".0")).unwrap_or(&t);
    let v: i64 = t.parse().ok()?;
    (v.abs() <= 1_000_000_000_000).then_some(v)
}

pub fn parse_quantity(text: &str) -> Option<i32> {
    let t = text.trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    if t.is_empty() {
        return Some(1);
    }
    t.parse::<i32>().ok().filter(|q| (0..=100_000).contains(q))
}

/// Yes/no in the ways exports write it. `None` is neither.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" => Some(false),
        "yes" | "y" | "true" | "1" | "是" | "同意" | "subscribed" | "opted_in" | "opted in"
        | "✓" => Some(true),
        "no" | "n" | "false" | "0" | "否" | "不同意" | "unsubscribed" | "not_subscribed"
        | "opted_out" | "opted out" | "pending" => Some(false),
        _ => None,
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct NotAGender;

pub fn parse_gender(text: &str) -> Result<Option<Gender>, NotAGender> {
    match text.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "女" | "f" | "female" | "woman" | "w" | "女士" => Ok(Some(Gender::Female)),
        "男" | "m" | "male" | "man" | "先生" => Ok(Some(Gender::Male)),
        "其他" | "other" | "o" | "x" => Ok(Some(Gender::Other)),
        _ => Err(NotAGender),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, day)
            .unwrap()
            .and_time(NaiveTime::MIN)
    }

    #[test]
    fn dates_in_every_form_shops_write() {
        let want = d(2024, 3, 5);
        for text in [
            "2024-03-05",
            "2024/3/5",
            "2024.3.5",
            "20240305",
            "2024年3月5日",
            "45356",
            " 2024-03-05 ",
        ] {
            assert_eq!(parse_datetime(text, None), Ok(want), "{text}");
        }
        assert_eq!(
            parse_datetime("05/03/2024", Some(DateOrder::DayFirst)),
            Ok(want)
        );
        assert_eq!(
            parse_datetime("03/05/2024", Some(DateOrder::MonthFirst)),
            Ok(want)
        );
        assert_eq!(
            parse_datetime("05/03/2024", None),
            Err(DateIssue::Ambiguous)
        );
        // 25 cannot be a month, so no order is needed.
        assert_eq!(parse_datetime("25/03/2024", None), Ok(d(2024, 3, 25)));
        assert_eq!(parse_datetime("03/25/2024", None), Ok(d(2024, 3, 25)));
        assert!(is_ambiguous("05/03/2024"));
        assert!(!is_ambiguous("25/03/2024"));
    }

    #[test]
    fn times_are_kept() {
        let want = NaiveDate::from_ymd_opt(2024, 3, 5)
            .unwrap()
            .and_hms_opt(14, 30, 0)
            .unwrap();
        for text in [
            "2024-03-05 14:30",
            "2024-03-05T14:30:00",
            "2024/3/5 14:30:00",
            "2024年3月5日 14:30",
            "45356.6041666667",
            "2024-03-05T14:30:00.000+08:00",
        ] {
            assert_eq!(parse_datetime(text, None), Ok(want), "{text}");
        }
        assert_eq!(datetime_text(want), "2024-03-05 14:30:00");
    }

    #[test]
    fn impossible_and_unreadable_dates_are_told_apart() {
        assert_eq!(
            parse_datetime("2024-02-30", None),
            Err(DateIssue::Impossible)
        );
        assert_eq!(
            parse_datetime("31/31/2024", None),
            Err(DateIssue::Impossible)
        );
        assert_eq!(
            parse_datetime("0000-01-01", None),
            Err(DateIssue::Impossible)
        );
        assert_eq!(
            parse_datetime("yesterday", None),
            Err(DateIssue::Unreadable)
        );
        assert_eq!(
            parse_datetime("2024-03-05 25:00", None),
            Err(DateIssue::Unreadable)
        );
        assert_eq!(parse_datetime("", None), Err(DateIssue::Unreadable));
    }

    #[test]
    fn amounts_with_signs_separators_and_decimal_commas() {
        for (text, minor) in [
            ("¥1,299.00", 129_900),
            ("1 299,50", 129_950),
            ("1.299,50", 129_950),
            ("12,5", 1_250),
            ("1,299", 129_900),
            ("RMB 88", 8_800),
            ("88元", 8_800),
            ("￥0.5", 50),
            ("1299", 129_900),
            ("$ 19.99", 1_999),
            ("1.5", 150),
        ] {
            assert_eq!(parse_amount(text), Ok(Money(minor)), "{text}");
        }
        assert_eq!(parse_amount("-5"), Err(AmountIssue::Negative));
        assert_eq!(parse_amount("(5.00)"), Err(AmountIssue::Negative));
        assert_eq!(parse_amount("abc"), Err(AmountIssue::NotANumber));
        assert_eq!(parse_amount(""), Err(AmountIssue::NotANumber));
        assert_eq!(parse_amount("1.2345"), Err(AmountIssue::TooManyDecimals));
        assert_eq!(
            parse_amount("99999999999999999999"),
            Err(AmountIssue::TooLarge)
        );
    }

    #[test]
    fn yes_no_and_gender() {
        assert_eq!(parse_yes_no("Yes"), Some(true));
        assert_eq!(parse_yes_no("否"), Some(false));
        assert_eq!(parse_yes_no("maybe"), None);
        assert_eq!(parse_gender("女"), Ok(Some(Gender::Female)));
        assert_eq!(parse_gender("M"), Ok(Some(Gender::Male)));
        assert!(parse_gender("??").is_err());
    }
}
