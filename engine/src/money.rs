//! Money in integer minor units (fen / cents). No floats ever hold money.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount in minor units: 1 yuan = 100 fen. Negative for refunds.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_major(units: i64) -> Money {
        Money(units.saturating_mul(100))
    }

    pub fn checked_add(self, o: Money) -> Option<Money> {
        self.0.checked_add(o.0).map(Money)
    }

    pub fn checked_sub(self, o: Money) -> Option<Money> {
        self.0.checked_sub(o.0).map(Money)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    /// Whole major units, truncated toward zero.
    pub const fn major(self) -> i64 {
        self.0 / 100
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `self * num / den`, rounded down, computed in i128 so that large
    /// totals never overflow. Used for pro-rata shares (partial returns).
    pub fn mul_div_floor(self, num: i64, den: i64) -> Money {
        if den == 0 {
            return Money::ZERO;
        }
        let p = self.0 as i128 * num as i128;
        let q = p.div_euclid(den as i128);
        Money(i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX }))
    }

    /// Reads what staff type at the till: "1299", "1,299.00", "¥ 88.5".
    /// At most two decimals; no negatives (returns are their own action).
    pub fn parse(text: &str) -> Option<Money> {
        let t: String = text
            .trim()
            .trim_start_matches(['¥', '￥', '$', '€', '£'])
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t.as_str(), ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        if !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 2
        {
            return None;
        }
        let major: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let minor: i64 = format!("{frac:0<2}").parse().ok()?;
        major.checked_mul(100)?.checked_add(minor).map(Money)
    }

    /// Formats as `1,299.00` with a thousands separator; the currency symbol is
    /// added by the caller because it is a store setting.
    pub fn format_plain(self) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let major = abs / 100;
        let minor = abs % 100;
        let digits = major.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{}{}.{:02}", if neg { "-" } else { "" }, grouped, minor)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_plain())
    }
}

// The operators saturate rather than wrap or panic: a file's values are
// bounded by `validate::check_store`, and where a total must be exact the
// engine uses `checked_add` and reports the overflow.
impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0.saturating_add(o.0))
    }
}
impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0.saturating_sub(o.0))
    }
}
impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}
impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        *self = *self + o;
    }
}
impl SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        *self = *self - o;
    }
}
impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_grouping_and_two_decimals() {
        assert_eq!(Money(129900).format_plain(), "1,299.00");
        assert_eq!(Money(5).format_plain(), "0.05");
        assert_eq!(Money(-123456789).format_plain(), "-1,234,567.89");
        assert_eq!(Money(0).format_plain(), "0.00");
    }

    #[test]
    fn parses_till_input() {
        assert_eq!(Money::parse("1299"), Some(Money(129_900)));
        assert_eq!(Money::parse("1,299.00"), Some(Money(129_900)));
        assert_eq!(Money::parse("¥ 88.5"), Some(Money(8_850)));
        assert_eq!(Money::parse(".5"), Some(Money(50)));
        assert_eq!(Money::parse("0"), Some(Money(0)));
        for bad in [
            "",
            "abc",
            "1.234",
            "-5",
            "1.2.3",
            "12a",
            "99999999999999999999",
        ] {
            assert_eq!(Money::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn pro_rata_rounds_down_without_overflow() {
        assert_eq!(Money(1000).mul_div_floor(1, 3), Money(333));
        assert_eq!(Money(i64::MAX / 2).mul_div_floor(2, 2), Money(i64::MAX / 2));
        assert_eq!(Money(100).mul_div_floor(1, 0), Money::ZERO);
        assert_eq!(Money(i64::MAX).mul_div_floor(3, 1), Money(i64::MAX));
    }

    #[test]
    fn sums_saturate_instead_of_wrapping() {
        assert_eq!(Money(i64::MAX) + Money(1), Money(i64::MAX));
        assert_eq!(Money(i64::MIN) - Money(1), Money(i64::MIN));
        assert_eq!(-Money(i64::MIN), Money(i64::MAX));
        let total: Money = [Money(i64::MAX), Money(i64::MAX)].into_iter().sum();
        assert_eq!(total, Money(i64::MAX));
        assert_eq!(Money(i64::MAX).checked_add(Money(1)), None);
    }
}
