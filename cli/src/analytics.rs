//! `clientele fit` and `clientele analyze`: the lifetime-value models and
//! the segmentation over a purchases CSV or a store JSON file.

use chrono::NaiveDate;
use clientele_engine::analytics::input::{store_from_transactions, Transaction};
use clientele_engine::analytics::{analyze_store, fit_models, AnalysisSettings, Period};
use clientele_engine::money::Money;
use clientele_engine::store::{read_envelope, Store};
use serde_json::json;
use std::io::Write;

struct Args {
    input: String,
    as_of: NaiveDate,
    period: Period,
    horizon: Option<u32>,
}

fn parse(cmd: &str, args: &[String], with_horizon: bool) -> Result<Args, String> {
    let mut input = None;
    let mut as_of = None;
    let mut period = Period::Week;
    let mut horizon = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--purchases" | "--store" => {
                input = Some(it.next().ok_or(format!("{a} needs a file"))?.clone())
            }
            "--as-of" => {
                let v = it.next().ok_or("--as-of needs a date")?;
                as_of = Some(
                    NaiveDate::parse_from_str(v, "%Y-%m-%d")
                        .map_err(|e| format!("--as-of {v}: {e}"))?,
                );
            }
            "--period" => {
                period = match it.next().map(String::as_str) {
                    Some("day") => Period::Day,
                    Some("week") => Period::Week,
                    other => return Err(format!("--period must be day or week, not {other:?}")),
                }
            }
            "--horizon" if with_horizon => {
                let v = it.next().ok_or("--horizon needs a number of periods")?;
                horizon = Some(
                    v.parse::<u32>()
                        .map_err(|_| format!("--horizon {v}: not a whole number"))?,
                );
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s if input.is_none() => input = Some(s.to_string()),
            s => return Err(format!("unexpected argument {s}")),
        }
    }
    Ok(Args {
        input: input.ok_or(format!(
            "{cmd} needs --purchases FILE.csv or --store FILE.json"
        ))?,
        as_of: as_of.ok_or(format!("{cmd} needs --as-of YYYY-MM-DD"))?,
        period,
        horizon,
    })
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let day = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .ok()
}

/// Reads a purchases CSV: a header naming member_id, date and amount
/// (receipt_id optional), in any order.
pub fn read_purchases_csv(path: &str) -> Result<Vec<Transaction>, String> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| format!("{path}: {e}"))?;
    let headers = r.headers().map_err(|e| format!("{path}: {e}"))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let member = col("member_id").ok_or(format!("{path}: no member_id column"))?;
    let date = col("date").ok_or(format!("{path}: no date column"))?;
    let amount = col("amount").ok_or(format!("{path}: no amount column"))?;
    let receipt = col("receipt_id");
    let mut rows = Vec::new();
    for (n, rec) in r.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| format!("{path}: {e}"))?;
        let field = |i: usize| rec.get(i).unwrap_or("");
        let d = parse_date(field(date)).ok_or(format!(
            "{path}:{line}: date '{}' is not YYYY-MM-DD",
            field(date)
        ))?;
        let raw = field(amount);
        let a = match raw.strip_prefix('-') {
            Some(pos) => Money::parse(pos).map(|m| Money(-m.0)),
            None => Money::parse(raw),
        }
        .ok_or(format!("{path}:{line}: amount '{raw}' is not a number"))?;
        rows.push(Transaction {
            member: field(member).to_string(),
            date: d,
            amount: a,
            receipt: receipt
                .map(|i| field(i).to_string())
                .filter(|s| !s.is_empty()),
        });
    }
    Ok(rows)
}

fn load(path: &str) -> Result<Store, String> {
    if path.to_ascii_lowercase().ends_with(".json") {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        Ok(read_envelope(&text)
            .map_err(|e| format!("{path}: {e}"))?
            .envelope
            .data)
    } else {
        Ok(store_from_transactions(&read_purchases_csv(path)?))
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

pub fn run_fit(args: &[String]) -> Result<(), String> {
    let a = parse("fit", args, false)?;
    let store = load(&a.input)?;
    let (bg, gg) = fit_models(&store, a.as_of, &settings(&a));
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

fn name<T: serde::Serialize>(v: &Option<T>) -> String {
    match v.as_ref().map(serde_json::to_value) {
        Some(Ok(serde_json::Value::String(s))) => s,
        _ => String::new(),
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.6}")).unwrap_or_default()
}

/// Plain decimal, no thousands separator, for machines.
fn plain(m: Money) -> String {
    let sign = if m.0 < 0 { "-" } else { "" };
    let a = m.0.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn money(v: Option<Money>) -> String {
    v.map(plain).unwrap_or_default()
}

pub fn run_analyze(args: &[String]) -> Result<(), String> {
    match write_analysis(args) {
        Err(e) if e.is_empty() => Ok(()),
        other => other,
    }
}

fn write_analysis(args: &[String]) -> Result<(), String> {
    let a = parse("analyze", args, true)?;
    let store = load(&a.input)?;
    let analysis = analyze_store(&store, a.as_of, &settings(&a));
    if let Err(e) = &analysis.bgnbd {
        eprintln!("clientele: BG/NBD not fitted: {e}; model columns are empty");
    }
    let out = std::io::stdout();
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(out.lock()));
    // A closed pipe (`| head`) is the reader's choice, not an error.
    let err = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe => String::new(),
        _ => e.to_string(),
    };
    w.write_record([
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
    ])
    .map_err(err)?;
    for (m, member) in analysis.members.iter().zip(&store.members) {
        let score = |f: fn(&clientele_engine::analytics::RfmScores) -> u8| {
            m.rfm.as_ref().map(|s| f(s).to_string()).unwrap_or_default()
        };
        let bought = m.has_purchases();
        w.write_record([
            member.card_no.clone(),
            m.frequency.to_string(),
            if bought {
                format!("{:.4}", m.recency)
            } else {
                String::new()
            },
            if bought {
                format!("{:.4}", m.age)
            } else {
                String::new()
            },
            plain(m.monetary),
            score(|s| s.r),
            score(|s| s.f),
            score(|s| s.m),
            name(&m.rfm_segment),
            name(&m.loyalty_value_cell),
            name(&m.value_curve_cell),
            name(&m.strategy),
            name(&Some(m.pyramid_layer)),
            name(&Some(m.value_class)),
            num(m.p_alive),
            num(m.expected_purchases),
            money(m.expected_spend),
            money(m.clv),
        ])
        .map_err(err)?;
    }
    let _ = w.flush();
    let _ = std::io::stdout().flush();
    Ok(())
}
