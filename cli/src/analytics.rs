//! `clientele fit` and `clientele analyze`: the lifetime-value models and
//! the segmentation over a purchases CSV or a store JSON file.

use crate::csv_out::CsvOut;
use chrono::NaiveDate;
use clientele_engine::analytics::Analysis;
use clientele_engine::analytics::{
    analyze_histories, fit_histories, AnalysisSettings, Histories, HistoryBuilder, Period,
};
use clientele_engine::analytics::{
    LoyaltyValueCell, PyramidLayer, RfmSegment, Strategy, ValueClass, ValueCurveCell,
};
use clientele_engine::money::Money;
use clientele_engine::store::document::{read_envelope, Store};
use serde_json::json;
use std::collections::HashMap;

/// What `fit` and `analyze` were asked (parsed by clap in main.rs).
pub struct Args {
    pub input: String,
    pub as_of: NaiveDate,
    pub period: Period,
    pub horizon: Option<u32>,
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let day = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .ok()
}

/// "YYYY-MM-DD" without the general parser.
fn fast_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// "-123", "123.4" or "123.45" without the general parser.
fn fast_money(s: &[u8]) -> Option<Money> {
    let (neg, digits) = match s.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = match digits.iter().position(|&c| c == b'.') {
        Some(dot) => (&digits[..dot], &digits[dot + 1..]),
        None => (digits, &b""[..]),
    };
    if whole.is_empty() || whole.len() > 15 || frac.len() > 2 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in whole {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    let mut cents: i64 = 0;
    for (i, &c) in frac.iter().enumerate() {
        if !c.is_ascii_digit() {
            return None;
        }
        cents += i64::from(c - b'0') * if i == 0 { 10 } else { 1 };
    }
    let m = v * 100 + cents;
    Some(Money(if neg { -m } else { m }))
}

/// Reads a purchases CSV (a header naming member_id, date and amount, in
/// any order; receipt_id and other columns are ignored) straight into the
/// members' histories up to `as_of`: one pass, no store, no per-row
/// allocation beyond a member's first row.
pub fn read_purchases_csv(
    path: &str,
    as_of: NaiveDate,
) -> Result<(Vec<String>, Histories), String> {
    // A purchases row is rarely under 16 bytes; room reserved but never
    // written costs nothing.
    let size = std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    match read_unquoted(path, as_of, size)? {
        Some(read) => Ok(read),
        None => read_quoted(path, as_of, size),
    }
}

/// Where the three columns the models need are.
struct Columns {
    member: usize,
    date: usize,
    amount: usize,
}

impl Columns {
    fn find<'h>(
        path: &str,
        headers: impl Iterator<Item = &'h [u8]> + Clone,
    ) -> Result<Columns, String> {
        let col = |name: &str| {
            headers
                .clone()
                .position(|h| h.trim_ascii().eq_ignore_ascii_case(name.as_bytes()))
                .ok_or(format!("{path}: no {name} column"))
        };
        Ok(Columns {
            member: col("member_id")?,
            date: col("date")?,
            amount: col("amount")?,
        })
    }

    /// One data row, its fields by position; `line` names it in errors.
    fn push<'f>(
        &self,
        path: &str,
        line: usize,
        field: impl Fn(usize) -> &'f [u8],
        histories: &mut HistoryBuilder,
    ) -> Result<(), String> {
        // Only the member id must be text; dates and amounts in their
        // common forms are read as bytes.
        let bytes = |i: usize| field(i).trim_ascii();
        let text = |i: usize| String::from_utf8_lossy(bytes(i));
        let d = fast_date(bytes(self.date))
            .or_else(|| parse_date(&text(self.date)))
            .ok_or_else(|| {
                format!(
                    "{path}:{line}: date '{}' is not YYYY-MM-DD",
                    text(self.date)
                )
            })?;
        let a = fast_money(bytes(self.amount))
            .or_else(|| {
                let raw = text(self.amount);
                match raw.strip_prefix('-') {
                    Some(pos) => Money::parse(pos).map(|m| Money(-m.0)),
                    None => Money::parse(&raw),
                }
            })
            .ok_or_else(|| {
                format!(
                    "{path}:{line}: amount '{}' is not a number",
                    text(self.amount)
                )
            })?;
        let id = std::str::from_utf8(bytes(self.member))
            .map_err(|_| format!("{path}:{line}: member_id is not UTF-8 text"))?;
        histories.push(id, d, a);
        Ok(())
    }
}

/// The common case, a file without a single quote character: lines split
/// on commas, several times faster than the general reader. `None` as soon
/// as a quote shows up, for [`read_quoted`] to read the file instead.
fn read_unquoted(
    path: &str,
    as_of: NaiveDate,
    size: usize,
) -> Result<Option<(Vec<String>, Histories)>, String> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = std::io::BufReader::with_capacity(1 << 16, file);
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    let mut fields: Vec<(usize, usize)> = Vec::with_capacity(8);
    let mut columns = None;
    let mut histories = HistoryBuilder::with_capacity(as_of, size / 16);
    let mut line = 0;
    loop {
        buf.clear();
        let n = lines
            .read_until(b'\n', &mut buf)
            .map_err(|e| format!("{path}: {e}"))?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.contains(&b'"') {
            return Ok(None);
        }
        let mut text: &[u8] = &buf;
        if line == 1 {
            text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        }
        while let [rest @ .., b'\n' | b'\r'] = text {
            text = rest;
        }
        if text.is_empty() {
            continue;
        }
        fields.clear();
        let mut start = 0;
        for (i, &c) in text.iter().enumerate() {
            if c == b',' {
                fields.push((start, i));
                start = i + 1;
            }
        }
        fields.push((start, text.len()));
        let field = |i: usize| fields.get(i).map_or(&b""[..], |&(a, b)| &text[a..b]);
        match &columns {
            None => {
                columns = Some(Columns::find(
                    path,
                    fields.iter().map(|&(a, b)| &text[a..b]),
                )?)
            }
            Some(c) => c.push(path, line, field, &mut histories)?,
        }
    }
    if columns.is_none() {
        return Err(format!("{path}: no header row"));
    }
    Ok(Some(histories.finish()))
}

/// Any CSV, quoted fields and line breaks inside them included.
fn read_quoted(
    path: &str,
    as_of: NaiveDate,
    size: usize,
) -> Result<(Vec<String>, Histories), String> {
    let mut r = csv::ReaderBuilder::new()
        .from_path(path)
        .map_err(|e| format!("{path}: {e}"))?;
    let headers = r
        .byte_headers()
        .map_err(|e| format!("{path}: {e}"))?
        .clone();
    let columns = Columns::find(path, headers.iter())?;
    let mut histories = HistoryBuilder::with_capacity(as_of, size / 16);
    let mut rec = csv::ByteRecord::new();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("{path}: {e}")),
        }
        let line = rec.position().map_or(0, |p| p.line() as usize);
        columns.push(path, line, |i| rec.get(i).unwrap_or(b""), &mut histories)?;
    }
    Ok(histories.finish())
}

/// The file's member ids (card numbers for a store) and histories up to
/// `as_of`, in the same order.
fn load(path: &str, as_of: NaiveDate) -> Result<(Vec<String>, Histories), String> {
    if path.to_ascii_lowercase().ends_with(".json") {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let store: Store = read_envelope(&text)
            .map_err(|e| format!("{path}: {e}"))?
            .envelope
            .data;
        let keys = store.members.iter().map(|m| m.card_no.clone()).collect();
        Ok((keys, Histories::of_store(&store, as_of)))
    } else {
        read_purchases_csv(path, as_of)
    }
}

fn settings(a: &Args) -> AnalysisSettings {
    let mut s = AnalysisSettings {
        period: a.period,
        ..AnalysisSettings::default()
    };
    if let Some(h) = a.horizon {
        s.horizon_days = (f64::from(h) * a.period.days()).round() as u32;
    }
    s
}

pub fn run_fit(a: &Args) -> Result<(), String> {
    let (_, histories) = load(&a.input, a.as_of)?;
    let (bg, gg) = fit_histories(&histories, a.as_of, &settings(a));
    let bg = bg.map_err(|e| format!("BG/NBD: {e}"))?;
    let gamma_gamma = match gg {
        Ok(g) => json!({
            "p": g.params.p,
            "q": g.params.q,
            "v": g.params.v,
            "log_likelihood": g.log_likelihood,
        }),
        Err(e) => {
            eprintln!("clientele: Gamma-Gamma: {e}");
            serde_json::Value::Null
        }
    };
    let out = json!({
        "bgnbd": {
            "r": bg.params.r,
            "alpha": bg.params.alpha,
            "a": bg.params.a,
            "b": bg.params.b,
            "log_likelihood": bg.log_likelihood,
        },
        "gamma_gamma": gamma_gamma,
    });
    println!("{out}");
    Ok(())
}

/// The snake_case names serde gives an enum's values, looked up once.
struct Names<T>(Vec<(T, String)>);

impl<T: serde::Serialize + Copy + PartialEq> Names<T> {
    fn of(all: &[T]) -> Names<T> {
        Names(
            all.iter()
                .map(|&v| match serde_json::to_value(v) {
                    Ok(serde_json::Value::String(s)) => (v, s),
                    _ => (v, String::new()),
                })
                .collect(),
        )
    }

    fn get(&self, v: Option<T>) -> &str {
        v.and_then(|v| self.0.iter().find(|(k, _)| *k == v))
            .map_or("", |(_, s)| s.as_str())
    }
}

pub fn run_analyze(a: &Args) -> Result<(), String> {
    let (keys, histories) = load(&a.input, a.as_of)?;
    let analysis = analyze_histories(&histories, a.as_of, &settings(a), &HashMap::new());
    if let Err(e) = &analysis.bgnbd {
        eprintln!("clientele: BG/NBD not fitted: {e}; model columns are empty");
    }
    match write_analysis(&analysis, &keys) {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| format!("writing the analysis: {e}")),
    }
}

const COLUMNS: [&str; 18] = [
    "member_id",
    "frequency",
    "recency",
    "T",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "rfm_segment",
    "loyalty_value_cell",
    "value_curve_cell",
    "strategy",
    "pyramid_layer",
    "value_class",
    "p_alive",
    "expected_purchases",
    "expected_spend",
    "clv",
];

fn write_analysis(analysis: &Analysis, keys: &[String]) -> std::io::Result<()> {
    let mut w = CsvOut::new(std::io::stdout().lock());
    for c in COLUMNS {
        w.text(c);
    }
    w.end_row()?;
    let rfm = Names::of(&RfmSegment::ALL);
    let loyalty = Names::of(&LoyaltyValueCell::ALL);
    let curve = Names::of(&ValueCurveCell::ALL);
    let strategy = Names::of(&Strategy::ALL);
    let layer = Names::of(&PyramidLayer::ALL);
    let class = Names::of(&ValueClass::ALL);
    for (m, key) in analysis.members.iter().zip(keys) {
        w.text(key);
        w.whole(u64::from(m.frequency));
        if m.has_purchases() {
            w.fixed(m.recency, 4);
            w.fixed(m.age, 4);
        } else {
            w.empty();
            w.empty();
        }
        w.money(m.monetary);
        match &m.rfm {
            Some(s) => {
                for score in [s.r, s.f, s.m] {
                    w.whole(u64::from(score));
                }
            }
            None => (0..3).for_each(|_| w.empty()),
        }
        for name in [
            rfm.get(m.rfm_segment),
            loyalty.get(m.loyalty_value_cell),
            curve.get(m.value_curve_cell),
            strategy.get(m.strategy),
            layer.get(Some(m.pyramid_layer)),
            class.get(Some(m.value_class)),
        ] {
            w.text(name);
        }
        for v in [m.p_alive, m.expected_purchases] {
            match v {
                Some(x) => w.fixed(x, 6),
                None => w.empty(),
            }
        }
        for v in [m.expected_spend, m.clv] {
            match v {
                Some(x) => w.money(x),
                None => w.empty(),
            }
        }
        w.end_row()?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_parsers_read_the_common_forms_and_leave_the_rest() {
        assert_eq!(fast_money(b"12.5"), Some(Money(1250)));
        assert_eq!(fast_money(b"12.05"), Some(Money(1205)));
        assert_eq!(fast_money(b"-3"), Some(Money(-300)));
        assert_eq!(fast_money(b"1,299.00"), None);
        assert_eq!(fast_money(b"1.234"), None);
        assert_eq!(fast_money(b""), None);
        assert_eq!(
            fast_date(b"1997-01-31"),
            NaiveDate::from_ymd_opt(1997, 1, 31)
        );
        assert_eq!(fast_date(b"1997-02-30"), None);
        assert_eq!(fast_date(b"19970131"), None);
        assert_eq!(parse_date("19970131"), NaiveDate::from_ymd_opt(1997, 1, 31));
    }

    /// The member ids and each member's (day, spend) list.
    type Read = (Vec<String>, Vec<Vec<(NaiveDate, i64)>>);

    fn read(name: &str, text: &str) -> Result<Read, String> {
        let dir = std::env::temp_dir().join(format!("clientele-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let as_of = NaiveDate::from_ymd_opt(1997, 12, 31).unwrap();
        let (keys, h) = read_purchases_csv(path.to_str().unwrap(), as_of)?;
        Ok((keys, (0..h.len()).map(|i| h.days(i).to_vec()).collect()))
    }

    #[test]
    fn plain_and_quoted_files_read_alike() {
        let day = |m, d| NaiveDate::from_ymd_opt(1997, m, d).unwrap();
        let want = (
            vec!["A 1".to_string(), "B,2".to_string()],
            vec![
                vec![(day(1, 2), 1250), (day(3, 1), 500)],
                vec![(day(2, 5), 700)],
            ],
        );
        // The quick path: a BOM, CRLF line ends, a blank line, columns in
        // another order, an extra column.
        let plain = "\u{feff}date,Amount,member_id,receipt_id\r\n1997-01-02,12.50,A 1,r1\r\n\r\n19970301,5,A 1,r2\r\n1997-02-05,7,\"B,2\",r3\r\n";
        assert_eq!(read("quoted.csv", plain), Ok(want.clone()));
        let plain = plain.replace("\"B,2\"", "B;2");
        let (keys, days) = read("plain.csv", &plain).unwrap();
        assert_eq!(keys, ["A 1", "B;2"]);
        assert_eq!(days, want.1);
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column() {
        let e = read(
            "bad-date.csv",
            "member_id,date,amount\nA,1997-01-02,1\nA,soon,2\n",
        );
        assert_eq!(
            e.unwrap_err().split_once(": ").unwrap().1,
            "date 'soon' is not YYYY-MM-DD"
        );
        let e = read(
            "bad-amount.csv",
            "member_id,date,amount\nA,1997-01-02,lots\n",
        )
        .unwrap_err();
        assert!(
            e.ends_with("bad-amount.csv:2: amount 'lots' is not a number"),
            "{e}"
        );
        let e = read("no-amount.csv", "member_id,date\nA,1997-01-02\n").unwrap_err();
        assert!(e.ends_with(": no amount column"), "{e}");
    }
}
