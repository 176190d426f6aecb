//! Reading dates from the store's records fast. chrono reads a date
//! through its general format parser; a store of a million purchases reads
//! a million of them on every open, nearly all in the one plain form chrono
//! writes (`2026-11-23T10:05:00`, `2026-11-23`). That form is read here
//! directly; anything else goes to chrono, which reads (or refuses) it as
//! before.

use chrono::{NaiveDate, NaiveDateTime};
use serde::de::{Deserializer, Error, Visitor};
use std::fmt;

fn two(b: &[u8]) -> Option<u32> {
    let (a, c) = (b[0].wrapping_sub(b'0'), b[1].wrapping_sub(b'0'));
    (a < 10 && c < 10).then(|| u32::from(a) * 10 + u32::from(c))
}

/// `YYYY-MM-DD`, a four-digit year.
fn plain_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two(&b[0..2])? * 100 + two(&b[2..4])?;
    NaiveDate::from_ymd_opt(year as i32, two(&b[5..7])?, two(&b[8..10])?)
}

/// `YYYY-MM-DDTHH:MM:SS`, whole seconds.
fn plain_date_time(b: &[u8]) -> Option<NaiveDateTime> {
    if b.len() != 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    plain_date(&b[..10])?.and_hms_opt(two(&b[11..13])?, two(&b[14..16])?, two(&b[17..19])?)
}

pub(crate) fn parse_date(s: &str) -> chrono::ParseResult<NaiveDate> {
    plain_date(s.as_bytes()).map_or_else(|| s.parse(), Ok)
}

pub(crate) fn parse_date_time(s: &str) -> chrono::ParseResult<NaiveDateTime> {
    plain_date_time(s.as_bytes()).map_or_else(|| s.parse(), Ok)
}

struct Text<T>(fn(&str) -> chrono::ParseResult<T>, &'static str);

impl<T> Visitor<'_> for Text<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.1)
    }
    fn visit_str<E: Error>(self, s: &str) -> Result<T, E> {
        (self.0)(s).map_err(E::custom)
    }
}

/// `#[serde(deserialize_with)]` for a `NaiveDate` written by chrono.
pub(crate) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(Text(parse_date, "a date"))
}

/// `#[serde(deserialize_with)]` for a `NaiveDateTime` written by chrono.
pub(crate) fn date_time<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    d.deserialize_str(Text(parse_date_time, "a date and time"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_forms_read_as_chrono_reads_them() {
        let t = parse_date_time("2026-11-23T10:05:09").unwrap();
        assert_eq!(t, "2026-11-23T10:05:09".parse::<NaiveDateTime>().unwrap());
        assert_eq!(
            parse_date("2028-02-29").unwrap(),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
        // Chrono's other forms still read, through chrono.
        assert_eq!(
            parse_date_time("2026-11-23T10:05:09.250").unwrap(),
            "2026-11-23T10:05:09.250".parse::<NaiveDateTime>().unwrap()
        );
        for bad in ["2027-02-29", "2026-13-01", "２０２６-01-01", ""] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        for bad in [
            "2026-11-23T24:00:00",
            "2026-11-23 10:05:09",
            "2026-11-23T10:05",
        ] {
            assert!(parse_date_time(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Any text: read here exactly as chrono reads it, or refused as
        /// chrono refuses it.
        #[test]
        fn same_answer_as_chrono(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2})?|[0-9T:. +-]{0,21}") {
            prop_assert_eq!(parse_date(&s).ok(), s.parse::<NaiveDate>().ok());
            prop_assert_eq!(parse_date_time(&s).ok(), s.parse::<NaiveDateTime>().ok());
        }

        #[test]
        fn every_written_date_time_reads_back(secs in 0i64..8_000_000_000) {
            let t = chrono::DateTime::from_timestamp(secs, 0).unwrap().naive_utc();
            let text = serde_json::to_string(&t).unwrap();
            prop_assert_eq!(parse_date_time(text.trim_matches('"')).unwrap(), t);
            prop_assert_eq!(parse_date(&t.date().to_string()).unwrap(), t.date());
        }
    }
}
