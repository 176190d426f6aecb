//! Numbers and dates as the store's settings ask for them.

use chrono::NaiveDate;
use clientele_engine::store::document::StoreSettings;
use clientele_engine::Money;

pub fn money(settings: &StoreSettings, m: Money) -> String {
    if m.is_negative() {
        format!("-{}{}", settings.currency_symbol, (-m).format_plain())
    } else {
        format!("{}{}", settings.currency_symbol, m.format_plain())
    }
}

/// Large totals in whole units, rounded half up (¥6,313,960): fen are noise
/// at that scale, and the dashboard tile stays on one line on a tablet.
/// Amounts under 10,000 keep their fen.
pub fn money_total(settings: &StoreSettings, m: Money) -> String {
    let minor = m.minor();
    if minor.unsigned_abs() < 1_000_000 {
        return money(settings, m);
    }
    let whole = (minor.unsigned_abs() + 50) / 100;
    let sign = if minor < 0 { "-" } else { "" };
    format!(
        "{sign}{}{}",
        settings.currency_symbol,
        count(whole as usize)
    )
}

pub fn date(settings: &StoreSettings, d: NaiveDate) -> String {
    settings.date_format.format(d)
}

/// Whole numbers with thousands separators: 12,345.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A probability as a whole percent: 0.374 → "37%". Integer formatting,
/// because float formatting would add its code to the first load.
pub fn percent(p: f64) -> String {
    format!("{}%", (p * 100.0).round() as i64)
}

/// One decimal place: 2.46 → "2.5".
pub fn one_decimal(x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_uses_the_store_symbol() {
        let mut s = StoreSettings::default();
        assert_eq!(money(&s, Money(129_900)), "¥1,299.00");
        s.currency_symbol = "HK$".into();
        assert_eq!(money(&s, Money(-50)), "-HK$0.50");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(12), "12");
    }

    #[test]
    fn shares_and_ratios_round_half_away_from_zero() {
        assert_eq!(percent(0.374), "37%");
        assert_eq!(percent(0.995), "100%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(one_decimal(2.46), "2.5");
        assert_eq!(one_decimal(3.0), "3.0");
        assert_eq!(one_decimal(0.04), "0.0");
        assert_eq!(one_decimal(-1.25), "-1.3");
        assert_eq!(one_decimal(f64::NAN), "0.0");
    }

    #[test]
    fn large_totals_drop_their_fen() {
        let s = StoreSettings::default();
        assert_eq!(money_total(&s, Money(631_396_050)), "¥6,313,961");
        assert_eq!(money_total(&s, Money(-1_000_049)), "-¥10,000");
        assert_eq!(money_total(&s, Money(999_999)), "¥9,999.99");
    }
}
