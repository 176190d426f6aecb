//! Numbers and dates as the store's settings ask for them.

use chrono::NaiveDate;
use clientele_engine::store::StoreSettings;
use clientele_engine::Money;

pub fn money(settings: &StoreSettings, m: Money) -> String {
    if m.is_negative() {
        format!("-{}{}", settings.currency_symbol, (-m).format_plain())
    } else {
        format!("{}{}", settings.currency_symbol, m.format_plain())
    }
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
}
