//! `clientele fit` and `clientele analyze` on the CDNOW sample and on a
//! store file.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clientele"))
}

/// A file of its own for each call: the tests run in parallel, and two
/// writing the same file made one read it half written.
fn tmp(name: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("clientele-cli-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The CDNOW sample as a purchases CSV (columns in a different order, with
/// receipt ids, to check the header is read by name).
fn cdnow_csv() -> PathBuf {
    let path = tmp("cdnow.csv");
    let text = include_str!("../../tests/data/CDNOW_sample.txt");
    let mut out = String::from("date,amount,receipt_id,member_id\n");
    for (n, l) in text.lines().enumerate() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() < 5 {
            continue;
        }
        let d = f[2];
        out.push_str(&format!(
            "{}-{}-{},{},R{n},{}\n",
            &d[..4],
            &d[4..6],
            &d[6..],
            f[4],
            f[0]
        ));
    }
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn fit_prints_the_published_cdnow_parameters() {
    let csv = cdnow_csv();
    let out = bin()
        .args([
            "fit",
            "--purchases",
            csv.to_str().unwrap(),
            "--as-of",
            "1997-09-30",
        ])
        .args(["--period", "week"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let g = |a: &str, b: &str| v[a][b].as_f64().unwrap();
    assert!((g("bgnbd", "r") - 0.243).abs() < 0.0005);
    assert!((g("bgnbd", "alpha") - 4.414).abs() < 0.0005);
    assert!((g("bgnbd", "a") - 0.793).abs() < 0.0005);
    assert!((g("bgnbd", "b") - 2.426).abs() < 0.0005);
    assert!((g("bgnbd", "log_likelihood") + 9582.4).abs() < 0.05);
    assert!((g("gamma_gamma", "p") - 6.25).abs() < 0.005);
    assert!((g("gamma_gamma", "q") - 3.74).abs() < 0.005);
    assert!((g("gamma_gamma", "v") - 15.44).abs() < 0.005);
    assert!(g("gamma_gamma", "log_likelihood").is_finite());

    // Days instead of weeks: alpha scales by 7, the rest stays.
    let out = bin()
        .args([
            "fit",
            "--purchases",
            csv.to_str().unwrap(),
            "--as-of",
            "1997-09-30",
        ])
        .args(["--period", "day"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!((v["bgnbd"]["alpha"].as_f64().unwrap() / 7.0 - 4.414).abs() < 0.002);
    assert!((v["bgnbd"]["r"].as_f64().unwrap() - 0.243).abs() < 0.0005);
}

#[test]
fn analyze_prints_one_row_per_member_with_the_listed_columns() {
    let csv = cdnow_csv();
    let out = bin()
        .args([
            "analyze",
            "--purchases",
            csv.to_str().unwrap(),
            "--as-of",
            "1997-09-30",
        ])
        .args(["--horizon", "39"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "member_id,frequency,recency,T,monetary,r_score,f_score,m_score,rfm_segment,\
         loyalty_value_cell,value_curve_cell,strategy,pyramid_layer,value_class,p_alive,\
         expected_purchases,expected_spend,clv"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2357);
    // Customer 00004: x = 2, t_x = 30.43, T = 38.86 weeks, 1.226 purchases
    // expected in the next 39 weeks (as lifetimes predicts).
    let first = &rows[0];
    assert_eq!(first[0], "00004");
    assert_eq!(first[1], "2");
    assert_eq!(first[4], "22.35");
    let e: f64 = first[15].parse().unwrap();
    assert!((e - 1.226).abs() < 0.001, "{e}");
    for r in &rows {
        let p: f64 = r[14].parse().unwrap();
        assert!((0.0..=1.0).contains(&p));
    }
}

#[test]
fn a_store_file_works_and_too_little_history_is_a_clear_error() {
    let store = tmp("tiny.json");
    std::fs::write(
        &store,
        r#"{"schema":1,"rev":1,"saved_at":"","data":{
            "members":[{"id":1,"card_no":"C1","name":"Li","joined":"2026-01-01"}],
            "purchases":[
              {"receipt":"R1","member":1,"at":"2026-01-02T10:00:00","amount":10000},
              {"receipt":"R2","member":1,"at":"2026-03-02T10:00:00","amount":5000}]}}"#,
    )
    .unwrap();
    let out = bin()
        .args([
            "fit",
            "--store",
            store.to_str().unwrap(),
            "--as-of",
            "2026-06-30",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("only 1 members bought more than once"),
        "{err}"
    );

    // analyze still reports the member, model columns empty.
    let out = bin()
        .args(["analyze", store.to_str().unwrap(), "--as-of", "2026-06-30"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[0], "C1");
    assert_eq!(row[1], "1");
    assert_eq!(row[4], "50.00");
    assert_eq!(row[14], "");
    assert_eq!(row[17], "");
}
