//! `clientele replay`: help for every subcommand, errors with the usage,
//! and `--check`, which lists every record a store file's values break.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tmp(name: &str, body: &str) -> String {
    let dir = std::env::temp_dir().join(format!("clientele-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path.to_string_lossy().into_owned()
}

fn corpus(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/malformed/store")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

const GOOD: &str = r#"{"schema":1,"rev":1,"saved_at":"","data":{
    "members":[{"id":1,"card_no":"C1","name":"Li","joined":"2026-01-01"}],
    "purchases":[{"receipt":"R1","member":1,"at":"2026-01-02T10:00:00","amount":10000}]}}"#;

/// Two broken records: a birthday on day 0 and a purchase by member 7.
const BROKEN: &str = r#"{"schema":1,"rev":1,"saved_at":"","data":{
    "members":[{"id":1,"card_no":"C1","name":"Li","joined":"2026-01-01","birthday":{"month":3,"day":0}}],
    "purchases":[{"receipt":"R1","member":1,"at":"2026-01-02T10:00:00","amount":10000},
                 {"receipt":"R2","member":7,"at":"2026-01-03T10:00:00","amount":500}]}}"#;

#[test]
fn every_subcommand_has_help() {
    for cmd in [
        &["--help"][..],
        &["replay", "--help"],
        &["fit", "--help"],
        &["analyze", "--help"],
        &["help", "replay"],
    ] {
        let out = run(cmd);
        assert!(out.status.success(), "{cmd:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("Usage: clientele"), "{cmd:?}");
    }
    let help = text(&run(&["replay", "--help"]).stdout);
    for option in ["--as-of", "--scheme", "--ledger", "--lang", "--check"] {
        assert!(help.contains(option), "{option} in {help}");
    }
}

#[test]
fn errors_show_the_usage() {
    for (args, says) in [
        (&["replay", "store.json"][..], "--as-of"),
        (
            &["replay", "store.json", "--as-of", "2026-02-30"],
            "not a YYYY-MM-DD day",
        ),
        (
            &[
                "replay",
                "store.json",
                "--as-of",
                "2026-01-01",
                "--frobnicate",
            ],
            "--frobnicate",
        ),
        (&["replay", "--check", "store.json", "--ledger"], "--ledger"),
        (&["fit", "--as-of", "2026-01-01"], "FILE"),
        (&["refund"], "refund"),
    ] {
        let out = run(args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("Usage: clientele"), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn check_lists_every_refused_record_and_fails() {
    let path = tmp("broken.json", BROKEN);
    let out = run(&["replay", "--check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(
        lines,
        [
            "members[0] (C1) birthday: there is no day 0 of month 3",
            "purchases[1] (R2) member: no member has id 7",
        ]
    );
    assert!(text(&out.stderr).contains("2 records refused"));

    // Replaying the same file refuses it too, and says how to list them.
    let out = run(&["replay", &path, "--as-of", "2026-06-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--check"),
        "{}",
        text(&out.stderr)
    );

    // A file of the corpus.
    let out = run(&["replay", "--check", &corpus("amount_i64_max.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("purchases[1] (R002) amount: 9223372036854775807 is beyond")
    );
}

#[test]
fn a_good_store_checks_clean_and_replays() {
    let path = tmp("good.json", GOOD);
    let out = run(&["replay", "--check", &path]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    let out = run(&["replay", &path, "--as-of", "2026-06-30"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().nth(1), Some("C1,Regular,100.00,100,0"));
}
