//! The published results on the CDNOW sample (2,357 customers, calibration
//! to 1997-09-30, time in weeks): Fader, Hardie & Lee (2005) and the
//! lifetimes package report BG/NBD r = 0.243, alpha = 4.414, a = 0.793,
//! b = 2.426, LL = -9582.4, and Gamma-Gamma p = 6.25, q = 3.74, v = 15.44.

use chrono::NaiveDate;
use clientele_engine::analytics::input::{store_from_transactions, Transaction};
use clientele_engine::analytics::{analyze_store, AnalysisSettings, Period};
use clientele_engine::money::Money;
use clientele_engine::store::document::Store;

fn cdnow() -> Store {
    let text = include_str!("../../tests/data/CDNOW_sample.txt");
    let rows: Vec<Transaction> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Transaction {
                member: f[0].to_string(),
                date: NaiveDate::parse_from_str(f[2], "%Y%m%d").unwrap(),
                amount: Money::parse(f[4]).unwrap(),
                receipt: None,
            }
        })
        .collect();
    store_from_transactions(&rows)
}

fn close(got: f64, want: f64, places: i32) -> bool {
    (got - want).abs() <= 0.5 * 10f64.powi(-places) + 1e-9
}

#[test]
fn cdnow_fit_matches_the_published_parameters() {
    let store = cdnow();
    assert_eq!(store.members.len(), 2357);
    let as_of = NaiveDate::from_ymd_opt(1997, 9, 30).unwrap();
    let settings = AnalysisSettings {
        period: Period::Week,
        ..AnalysisSettings::default()
    };
    let a = analyze_store(&store, as_of, &settings);
    let bg = a.bgnbd.as_ref().expect("BG/NBD fits");
    let p = bg.params;
    assert!(close(p.r, 0.243, 3), "r = {}", p.r);
    assert!(close(p.alpha, 4.414, 3), "alpha = {}", p.alpha);
    assert!(close(p.a, 0.793, 3), "a = {}", p.a);
    assert!(close(p.b, 2.426, 3), "b = {}", p.b);
    assert!(
        close(bg.log_likelihood, -9582.4, 1),
        "LL = {}",
        bg.log_likelihood
    );
    let gg = a.gamma_gamma.as_ref().expect("Gamma-Gamma fits");
    assert!(close(gg.params.p, 6.25, 2), "p = {}", gg.params.p);
    assert!(close(gg.params.q, 3.74, 2), "q = {}", gg.params.q);
    assert!(close(gg.params.v, 15.44, 2), "v = {}", gg.params.v);

    // Customer 00004 (lifetimes' ID 1): x = 2, t_x = 30.43, T = 38.86 weeks,
    // mean repeat spend 22.35.
    let first = &a.members[0];
    assert_eq!(first.frequency, 2);
    assert!(close(first.recency, 30.43, 2) && close(first.age, 38.86, 2));
    assert_eq!(first.monetary, Money(2235));
    for m in &a.members {
        let p = m.p_alive.unwrap();
        assert!((0.0..=1.0).contains(&p));
        if m.frequency == 0 {
            assert_eq!(p, 1.0);
        }
    }
}

/// The command's path (rows straight into histories, no store) and the
/// console's path (a store) must give every member the same answers.
#[test]
fn histories_from_rows_analyse_exactly_as_the_store_does() {
    use clientele_engine::analytics::{analyze_histories, HistoryBuilder};
    let text = include_str!("../../tests/data/CDNOW_sample.txt");
    let as_of = NaiveDate::from_ymd_opt(1997, 9, 30).unwrap();
    let settings = AnalysisSettings {
        period: Period::Week,
        ..AnalysisSettings::default()
    };
    // Rows in reverse, so every member's days arrive out of order.
    let mut builder = HistoryBuilder::new(as_of);
    for l in text.lines().rev().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = l.split_whitespace().collect();
        builder.push(
            f[0],
            NaiveDate::parse_from_str(f[2], "%Y%m%d").unwrap(),
            Money::parse(f[4]).unwrap(),
        );
    }
    let (keys, histories) = builder.finish();
    let by_rows = analyze_histories(&histories, as_of, &settings, &Default::default());
    let store = cdnow();
    let by_store = analyze_store(&store, as_of, &settings);
    assert_eq!(by_rows.bgnbd, by_store.bgnbd);
    assert_eq!(by_rows.gamma_gamma, by_store.gamma_gamma);
    assert_eq!(keys.len(), store.members.len());
    // Members come in order of first appearance: reversed here.
    let position: std::collections::HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    for (m, member) in by_store.members.iter().zip(&store.members) {
        let mut other = by_rows.members[position[member.card_no.as_str()]].clone();
        other.member = m.member;
        assert_eq!(&other, m, "member {}", member.card_no);
    }
}
