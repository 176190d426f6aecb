//! Every file in tests/data/malformed/store/ (written by its make.py) is a
//! backup of the right shape whose values break one rule of the store: the
//! restore refuses it naming the record, the field and the reason, and
//! nothing changes. Files whose dates do not exist are refused as not a
//! backup before any rule runs (chrono reads no 30 February, month 13 or day 0).

use clientele_engine::members::model::MemberId;
use clientele_engine::money::Money;
use clientele_engine::points::rules::SchemeError;
use clientele_engine::store::validate::{Reason, RecordKind};
use clientele_engine::Store;
use clientele_io::export::{read_backup, RestoreError};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/malformed/store")
}

/// (file, record kind, index, field path, reason)
type Case = (
    &'static str,
    RecordKind,
    usize,
    &'static str,
    fn(&Reason) -> bool,
);

fn cases() -> Vec<Case> {
    use RecordKind::*;
    vec![
        ("amount_above_limit", Purchase, 1, "amount", |r| {
            matches!(
                r,
                Reason::OutOfRange {
                    value: 1_000_000_000_001,
                    ..
                }
            )
        }),
        ("amount_i64_max", Purchase, 1, "amount", |r| {
            matches!(
                r,
                Reason::OutOfRange {
                    value: i64::MAX,
                    ..
                }
            )
        }),
        ("line_amount_i64_min", Purchase, 0, "lines[0].amount", |r| {
            matches!(
                r,
                Reason::OutOfRange {
                    value: i64::MIN,
                    ..
                }
            )
        }),
        (
            "line_quantity_above_limit",
            Purchase,
            0,
            "lines[0].quantity",
            |r| {
                matches!(
                    r,
                    Reason::OutOfRange {
                        value: 2_000_000,
                        ..
                    }
                )
            },
        ),
        ("points_above_limit", PointsEvent, 0, "points", |r| {
            matches!(r, Reason::OutOfRange { .. })
        }),
        ("opening_balance_i64_max", PointsEvent, 0, "points", |r| {
            matches!(
                r,
                Reason::OutOfRange {
                    value: i64::MAX,
                    ..
                }
            )
        }),
        ("negative_redemption", PointsEvent, 0, "points", |r| {
            *r == Reason::Negative { value: -5 }
        }),
        ("birthday_month_13", Member, 0, "birthday", |r| {
            *r == Reason::NoSuchDay { month: 13, day: 1 }
        }),
        ("birthday_day_0", Member, 0, "birthday", |r| {
            *r == Reason::NoSuchDay { month: 3, day: 0 }
        }),
        ("birthday_february_30", Member, 0, "birthday", |r| {
            *r == Reason::NoSuchDay { month: 2, day: 30 }
        }),
        (
            "birthday_february_29_common_year",
            Member,
            0,
            "birthday",
            |r| *r == Reason::NoSuchDay { month: 2, day: 29 },
        ),
        (
            "family_birthday_day_32",
            Member,
            1,
            "family[0].birthday",
            |r| *r == Reason::NoSuchDay { month: 1, day: 32 },
        ),
        (
            "special_day_month_0",
            Member,
            1,
            "special_days[0].date",
            |r| *r == Reason::NoSuchDay { month: 0, day: 5 },
        ),
        ("year_out_of_range", Purchase, 1, "at", |r| {
            *r == Reason::YearOutOfRange { year: 202 }
        }),
        ("return_above_receipt", Return, 1, "amount", |r| {
            *r == Reason::ReturnsAboveReceipt {
                receipt: Money(50_000),
                returned: Money(60_000),
            }
        }),
        ("return_before_receipt", Return, 0, "at", |r| {
            *r == Reason::ReturnBeforeReceipt
        }),
        ("return_unknown_receipt", Return, 0, "receipt", |r| {
            *r == Reason::UnknownReceipt
        }),
        ("negative_return", Return, 0, "amount", |r| {
            *r == Reason::Negative { value: -100 }
        }),
        ("purchase_unknown_member", Purchase, 1, "member", |r| {
            *r == Reason::UnknownMember { id: MemberId(7) }
        }),
        (
            "paid_with_points_unknown_receipt",
            PointsEvent,
            0,
            "receipt",
            |r| *r == Reason::UnknownReceipt,
        ),
        (
            "paid_with_points_above_limit",
            PointsEvent,
            0,
            "points",
            |r| {
                matches!(
                    r,
                    Reason::OutOfRange {
                        value: 1_000_000_000_001,
                        ..
                    }
                )
            },
        ),
        (
            "scheme_line_rule_extra_above_limit",
            Scheme,
            0,
            "scheme.earning.line_rules[0]",
            |r| matches!(r, Reason::OutOfRange { .. }),
        ),
        (
            "scheme_line_rule_names_nothing",
            Scheme,
            0,
            "scheme.earning.line_rules[0]",
            |r| *r == Reason::Scheme(SchemeError::EmptyMatch),
        ),
        (
            "scheme_pay_with_points_above_limit",
            Scheme,
            0,
            "scheme.pay_with_points",
            |r| matches!(r, Reason::OutOfRange { .. }),
        ),
        ("event_unknown_member", PointsEvent, 0, "member", |r| {
            *r == Reason::UnknownMember { id: MemberId(9) }
        }),
        ("referrer_unknown", Member, 1, "referrer", |r| {
            *r == Reason::UnknownMember { id: MemberId(42) }
        }),
        ("duplicate_member_id", Member, 1, "id", |r| {
            *r == Reason::DuplicateMemberId { id: MemberId(1) }
        }),
        ("contact_unknown_member", Contact, 0, "member", |r| {
            *r == Reason::UnknownMember { id: MemberId(5) }
        }),
        ("scheme_zero_rate", Scheme, 0, "scheme.earning", |r| {
            *r == Reason::Scheme(SchemeError::ZeroRate)
        }),
        (
            "scheme_bonus_above_limit",
            Scheme,
            0,
            "scheme.bonuses.first_purchase",
            |r| matches!(r, Reason::OutOfRange { .. }),
        ),
    ]
}

fn current() -> Store {
    let mut s = Store::default();
    s.settings.store_name = "now".into();
    s
}

#[test]
fn every_refused_value_names_its_record_field_and_reason() {
    let cases = cases();
    for (file, kind, index, field, reason) in &cases {
        let bytes = std::fs::read(dir().join(format!("{file}.json"))).unwrap();
        let before = current();
        let got = read_backup(&bytes, &before);
        let Err(RestoreError::Refused(list)) = got else {
            panic!("{file}: {got:?}");
        };
        assert_eq!(list.len(), 1, "{file}: {list:?}");
        let r = &list[0];
        assert_eq!(
            (r.kind, r.index, r.field.path().as_str()),
            (*kind, *index, *field),
            "{file}"
        );
        assert!(reason(&r.reason), "{file}: {:?}", r.reason);
        // The message names the record and the field.
        let text = RestoreError::Refused(list.clone()).to_string();
        assert!(text.contains(&format!("{}[{index}]", kind.key())), "{text}");
        assert!(text.contains(field), "{text}");
        assert_eq!(before, current());
    }
    // Every file in the folder is listed here.
    let listed = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .count();
    assert_eq!(listed, cases.len() + shape_refused().len());
}

fn shape_refused() -> [&'static str; 3] {
    ["purchase_february_30", "joined_month_13", "joined_day_0"]
}

#[test]
fn days_that_do_not_exist_are_not_a_backup() {
    for file in shape_refused() {
        let bytes = std::fs::read(dir().join(format!("{file}.json"))).unwrap();
        let got = read_backup(&bytes, &current());
        assert!(
            matches!(got, Err(RestoreError::NotABackup(_))),
            "{file}: {got:?}"
        );
    }
}

#[test]
fn the_untouched_base_restores() {
    // The same document without the broken value is a good backup.
    let text = std::fs::read_to_string(dir().join("negative_return.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["data"]["returns"] = serde_json::json!([]);
    let bytes = serde_json::to_vec(&doc).unwrap();
    assert!(read_backup(&bytes, &current()).is_ok());
}
