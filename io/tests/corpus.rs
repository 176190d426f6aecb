//! Every file in tests/data/malformed/ gives its stated message (row,
//! column, reason, or a read error) and leaves the store byte-identical.

use chrono::NaiveDate;
use clientele_engine::members::model::{Member, MemberId, Purchase};
use clientele_engine::store::document::{write_envelope, Envelope};
use clientele_engine::{Money, Store};
use clientele_io::mapping::{Field, ImportKind, Requirement};
use clientele_io::plan::{self, ImportError, ImportSettings, MergeMode, RowReason};
use clientele_io::read::{self, ReadError, ReadOptions, TextEncoding};
use clientele_io::values::{AmountIssue, DateIssue};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/malformed")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Two members and one receipt: C001 王芳 bought R001 for ¥500.
fn base_store() -> Store {
    let mut s = Store::default();
    s.settings.store_name = "莲 Lotus".into();
    let mut a = Member::new(MemberId(1), "C001", "王芳", day(2024, 1, 1));
    a.mobile = "13800138000".into();
    let mut b = Member::new(MemberId(2), "C002", "Li Na", day(2024, 1, 2));
    b.mobile = "13900139000".into();
    s.members = vec![a, b];
    s.purchases.push(Purchase {
        receipt: "R001".into(),
        member: MemberId(1),
        at: day(2024, 3, 1).and_hms_opt(10, 0, 0).unwrap(),
        amount: Money(50_000),
        store: String::new(),
        device: String::new(),
        lines: Vec::new(),
        staff: String::new(),
    });
    s
}

fn bytes_of(s: &Store) -> String {
    write_envelope(&Envelope::new(s.clone(), 1, "t"))
}

enum Expect {
    Read(fn(&ReadError) -> bool),
    Mapping,
    /// Row, column letter (or none for the whole row), reason.
    Issue(usize, Option<&'static str>, RowReason),
    Ambiguous(usize, &'static str),
    /// Nothing new: (duplicate, unchanged) rows.
    NothingNew(usize, usize),
    /// Imports as literal text: the member's name.
    LiteralName(&'static str),
}

struct Case {
    file: &'static str,
    kind: ImportKind,
    options: ReadOptions,
    expect: Expect,
}

fn case(file: &'static str, kind: ImportKind, expect: Expect) -> Case {
    Case {
        file,
        kind,
        options: ReadOptions::default(),
        expect,
    }
}

fn cases() -> Vec<Case> {
    use Expect::*;
    use ImportKind::*;
    let date = |issue| RowReason::Date { issue };
    let amount = |issue| RowReason::Amount { issue };
    let mut v = vec![
        case("empty.csv", Members, Read(|e| *e == ReadError::Empty)),
        case(
            "whitespace_only.csv",
            Members,
            Read(|e| *e == ReadError::Empty),
        ),
        case("binary_png.csv", Members, Read(|e| *e == ReadError::Binary)),
        case(
            "zip_renamed.csv",
            Members,
            Read(|e| matches!(e, ReadError::Workbook(_))),
        ),
        case(
            "legacy_xls.csv",
            Members,
            Read(|e| *e == ReadError::LegacyExcel),
        ),
        case("nul_bytes.csv", Members, Read(|e| *e == ReadError::Binary)),
        case(
            "utf16_without_bom.csv",
            Members,
            Read(|e| *e == ReadError::Binary),
        ),
        case(
            "neither_utf8_nor_gbk.csv",
            Members,
            Read(|e| matches!(e, ReadError::Undecodable { .. })),
        ),
        case(
            "gbk_truncated_character.csv",
            Members,
            Read(|e| matches!(e, ReadError::Undecodable { .. })),
        ),
        Case {
            file: "gbk_read_as_utf8.csv",
            kind: Members,
            options: ReadOptions {
                encoding: Some(TextEncoding::Utf8),
                ..Default::default()
            },
            expect: Read(|e| {
                *e == ReadError::Undecodable {
                    encoding: TextEncoding::Utf8,
                }
            }),
        },
        case(
            "unterminated_quote.csv",
            Members,
            Read(|e| *e == ReadError::UnterminatedQuote { row: 2 }),
        ),
        case(
            "unterminated_quote_last_row.csv",
            Members,
            Read(|e| *e == ReadError::UnterminatedQuote { row: 2 }),
        ),
        case(
            "duplicate_headers.csv",
            Members,
            Read(|e| {
                *e == ReadError::DuplicateHeader {
                    name: "姓名".into(),
                    first: 0,
                    second: 2,
                }
            }),
        ),
        case(
            "duplicate_headers_case.csv",
            Members,
            Read(|e| {
                matches!(
                    e,
                    ReadError::DuplicateHeader {
                        first: 0,
                        second: 2,
                        ..
                    }
                )
            }),
        ),
        case("blank_header_row.csv", Members, Mapping),
        case("header_only.csv", Members, NothingNew(0, 0)),
        case("no_header_row.csv", Members, Mapping),
        case("unknown_headers.csv", Members, Mapping),
        case(
            "ragged_row.csv",
            Members,
            Issue(
                2,
                None,
                RowReason::Ragged {
                    expected: 3,
                    found: 5,
                },
            ),
        ),
        case(
            "ragged_row_tabs.tsv",
            Members,
            Issue(
                2,
                None,
                RowReason::Ragged {
                    expected: 3,
                    found: 4,
                },
            ),
        ),
        case(
            "invalid_mobile.csv",
            Members,
            Issue(2, Some("C"), RowReason::Mobile),
        ),
        case(
            "missing_name.csv",
            Members,
            Issue(2, Some("B"), RowReason::Missing { field: Field::Name }),
        ),
        case(
            "missing_card_and_mobile.csv",
            Members,
            Issue(2, Some("A"), RowReason::MissingMemberKey),
        ),
        case(
            "bad_email.csv",
            Members,
            Issue(2, Some("C"), RowReason::Email),
        ),
        case(
            "bad_gender.csv",
            Members,
            Issue(2, Some("C"), RowReason::Gender),
        ),
        case(
            "impossible_birthday.csv",
            Members,
            Issue(2, Some("C"), date(DateIssue::Impossible)),
        ),
        case(
            "unreadable_birthday.csv",
            Members,
            Issue(2, Some("C"), date(DateIssue::Unreadable)),
        ),
        case("ambiguous_joined_date.csv", Members, Ambiguous(2, "C")),
        case(
            "bad_consent.csv",
            Members,
            Issue(2, Some("C"), RowReason::YesNo),
        ),
        case("duplicate_card_in_file.csv", Members, NothingNew(1, 1)),
        case("duplicate_mobile_in_file.csv", Members, NothingNew(1, 1)),
        case(
            "mobile_of_another_member.csv",
            Members,
            Issue(2, Some("C"), RowReason::MobileOfAnotherMember),
        ),
        case(
            "very_long_name.csv",
            Members,
            Issue(2, Some("B"), RowReason::TooLong { limit: 200 }),
        ),
        case(
            "very_long_notes.csv",
            Members,
            Issue(2, Some("C"), RowReason::TooLong { limit: 2000 }),
        ),
        case(
            "very_long_card.csv",
            Members,
            Issue(2, Some("A"), RowReason::TooLong { limit: 200 }),
        ),
        case(
            "html_script_in_name.csv",
            Members,
            LiteralName("<script>alert(1)</script><b>王五</b>"),
        ),
        case(
            "formula_in_name.csv",
            Members,
            LiteralName("=HYPERLINK(\"http://x\",\"点我\")"),
        ),
        case(
            "zero_joined_year.csv",
            Members,
            Issue(2, Some("C"), date(DateIssue::Impossible)),
        ),
        case(
            "receipt_unknown_member.csv",
            Purchases,
            Issue(2, Some("A"), RowReason::UnknownMember),
        ),
        case(
            "receipt_unknown_mobile.csv",
            Purchases,
            Issue(2, Some("A"), RowReason::UnknownMember),
        ),
        case(
            "negative_amount.csv",
            Purchases,
            Issue(2, Some("D"), amount(AmountIssue::Negative)),
        ),
        case(
            "negative_amount_parentheses.csv",
            Purchases,
            Issue(2, Some("D"), amount(AmountIssue::Negative)),
        ),
        case(
            "non_numeric_amount.csv",
            Purchases,
            Issue(2, Some("D"), amount(AmountIssue::NotANumber)),
        ),
        case(
            "formula_amount.csv",
            Purchases,
            Issue(2, Some("D"), amount(AmountIssue::NotANumber)),
        ),
        case(
            "amount_too_many_decimals.csv",
            Purchases,
            Issue(2, Some("D"), amount(AmountIssue::TooManyDecimals)),
        ),
        case(
            "amount_too_large.csv",
            Purchases,
            Issue(2, Some("D"), amount(AmountIssue::TooLarge)),
        ),
        case(
            "amount_missing.csv",
            Purchases,
            Issue(
                2,
                Some("D"),
                RowReason::Missing {
                    field: Field::Amount,
                },
            ),
        ),
        case(
            "amount_two_decimal_commas.csv",
            Purchases,
            Issue(2, Some("D"), amount(AmountIssue::NotANumber)),
        ),
        case(
            "impossible_date.csv",
            Purchases,
            Issue(2, Some("C"), date(DateIssue::Impossible)),
        ),
        case(
            "february_30.csv",
            Purchases,
            Issue(2, Some("C"), date(DateIssue::Impossible)),
        ),
        case(
            "unreadable_date.csv",
            Purchases,
            Issue(2, Some("C"), date(DateIssue::Unreadable)),
        ),
        case("ambiguous_date.csv", Purchases, Ambiguous(2, "C")),
        case(
            "date_missing.csv",
            Purchases,
            Issue(2, Some("C"), RowReason::Missing { field: Field::Date }),
        ),
        case(
            "bad_time.csv",
            Purchases,
            Issue(2, Some("C"), date(DateIssue::Unreadable)),
        ),
        case(
            "receipt_of_another_member.csv",
            Purchases,
            Issue(2, Some("B"), RowReason::ReceiptTaken),
        ),
        case("receipt_already_imported.csv", Purchases, NothingNew(1, 0)),
        case(
            "bad_quantity.csv",
            Purchases,
            Issue(2, Some("E"), RowReason::Quantity),
        ),
        case(
            "return_unknown_receipt.csv",
            Returns,
            Issue(2, Some("B"), RowReason::UnknownReceipt),
        ),
        case(
            "return_exceeds_purchase.csv",
            Returns,
            Issue(
                2,
                Some("D"),
                RowReason::ReturnExceedsPurchase {
                    left: Money(50_000),
                },
            ),
        ),
        case(
            "return_before_purchase.csv",
            Returns,
            Issue(2, Some("C"), RowReason::ReturnBeforePurchase),
        ),
        case(
            "return_missing_receipt.csv",
            Returns,
            Issue(
                2,
                Some("B"),
                RowReason::Missing {
                    field: Field::Receipt,
                },
            ),
        ),
        case(
            "opening_bad_points.csv",
            OpeningBalances,
            Issue(2, Some("B"), RowReason::Points),
        ),
        case(
            "opening_unknown_member.csv",
            OpeningBalances,
            Issue(2, Some("A"), RowReason::UnknownMember),
        ),
        case(
            "opening_fractional_points.csv",
            OpeningBalances,
            Issue(2, Some("B"), RowReason::Points),
        ),
        case(
            "opening_unknown_tier.csv",
            OpeningBalances,
            Issue(2, Some("D"), RowReason::UnknownTier),
        ),
        case(
            "truncated_workbook.xlsx",
            Members,
            Read(|e| matches!(e, ReadError::Workbook(_))),
        ),
        case(
            "empty_sheet.xlsx",
            Members,
            Read(|e| *e == ReadError::Empty),
        ),
        case(
            "xlsx_invalid_mobile.xlsx",
            Members,
            Issue(3, Some("C"), RowReason::Mobile),
        ),
        Case {
            file: "xlsx_invalid_mobile.xlsx",
            kind: Members,
            options: ReadOptions {
                sheet: Some("No such sheet".into()),
                ..Default::default()
            },
            expect: Read(|e| matches!(e, ReadError::NoSuchSheet(_))),
        },
    ];
    v.shrink_to_fit();
    v
}

fn settings(kind: ImportKind, headers: &[String]) -> ImportSettings {
    ImportSettings {
        kind,
        mode: MergeMode::AddAndUpdate,
        mapping: clientele_io::Mapping::guess(headers),
        date_order: None,
        today: day(2026, 11, 23),
        moving_in: Default::default(),
        device: clientele_engine::DeviceTag::new(7).unwrap(),
    }
}

#[test]
fn every_malformed_file_is_reported_and_changes_nothing() {
    let cases = cases();
    let files = std::fs::read_dir(dir())
        .unwrap()
        .filter(|e| {
            let p = e.as_ref().unwrap().path();
            !matches!(p.extension().and_then(|x| x.to_str()), Some("py" | "md"))
        })
        .count();
    assert!(files >= 50, "only {files} files in the corpus");
    for c in &cases {
        let bytes = std::fs::read(dir().join(c.file)).unwrap_or_else(|e| panic!("{}: {e}", c.file));
        let mut store = base_store();
        let before = bytes_of(&store);
        let planned = plan::open(&bytes, &c.options)
            .map_err(ImportError::from)
            .and_then(|o| {
                let s = settings(c.kind, &o.headers);
                plan::Importer::new(o, s, &store)?.run()
            });
        match (&c.expect, &planned) {
            (Expect::Read(ok), Err(ImportError::Read(e))) => assert!(ok(e), "{}: {e:?}", c.file),
            (Expect::Mapping, Err(ImportError::Mapping(m))) => {
                assert!(
                    m.contains(&Requirement::MemberKey) || !m.is_empty(),
                    "{}",
                    c.file
                )
            }
            (Expect::Issue(row, col, reason), Ok(p)) => {
                let i = p
                    .issues
                    .first()
                    .unwrap_or_else(|| panic!("{}: no issue", c.file));
                assert_eq!(i.row, *row, "{}", c.file);
                assert_eq!(
                    i.column.map(read::column_letter).as_deref(),
                    *col,
                    "{}",
                    c.file
                );
                assert_eq!(&i.reason, reason, "{}", c.file);
                assert_eq!(p.counts.invalid, 1, "{}", c.file);
                assert!(p.changes.is_empty(), "{}", c.file);
            }
            (Expect::Ambiguous(row, col), Ok(p)) => {
                assert!(p.needs_date_order, "{}", c.file);
                let i = &p.issues[0];
                assert_eq!(
                    (i.row, read::column_letter(i.column.unwrap())),
                    (*row, col.to_string())
                );
                assert_eq!(
                    i.reason,
                    RowReason::Date {
                        issue: DateIssue::Ambiguous
                    }
                );
            }
            (Expect::NothingNew(dup, unchanged), Ok(p)) => {
                assert_eq!(p.counts.duplicate, *dup, "{}", c.file);
                assert_eq!(p.counts.unchanged, *unchanged, "{}", c.file);
                assert!(p.changes.is_empty(), "{}", c.file);
            }
            (Expect::LiteralName(name), Ok(p)) => {
                let first = p.changes.new_members.first();
                assert_eq!(
                    first.map(|m| m.name.as_str()),
                    Some(*name),
                    "{}: {:?}",
                    c.file,
                    p.issues
                );
                // Applied, the text is stored as data; exported, a formula is neutralised.
                plan::apply(p, &mut store).unwrap();
                let csv = clientele_io::export::to_csv(&clientele_io::export::members_table(
                    &store,
                    day(2026, 11, 23),
                    clientele_engine::points::explain::Lang::Zh,
                    None,
                ));
                let text = String::from_utf8(csv).unwrap();
                assert!(!text.contains(",=HYPERLINK"), "{}", c.file);
                continue;
            }
            (_, other) => panic!("{}: unexpected {other:?}", c.file),
        }
        if let Ok(p) = &planned {
            plan::apply(p, &mut store).unwrap();
        }
        assert_eq!(bytes_of(&store), before, "{} changed the store", c.file);
    }
    assert!(cases.len() >= 50);
}

#[test]
fn files_over_the_limit_are_refused_with_the_limit() {
    let big = vec![b'a'; read::MAX_FILE_BYTES + 1];
    let err = plan::open(&big, &ReadOptions::default()).err().unwrap();
    assert_eq!(
        err,
        ReadError::TooLarge {
            bytes: read::MAX_FILE_BYTES + 1,
            limit: read::MAX_FILE_BYTES
        }
    );
    assert_eq!(err.to_string(), "the file is 101 MB; the limit is 100 MB");
}

/// Writes the xlsx members of the corpus (run once; the files are committed).
#[test]
#[ignore]
fn write_xlsx_fixtures() {
    use clientele_io::export::{to_xlsx, Cell, ExportTable};
    let t = |s: &str| Cell::Text(s.into());
    let good = ExportTable {
        headers: vec!["会员卡号".into(), "姓名".into(), "手机".into()],
        rows: vec![
            vec![t("C001"), t("王芳"), t("13800138000")],
            vec![t("C100"), t("王五"), t("12345")],
        ],
    };
    let bytes = to_xlsx(&good, "会员").unwrap();
    std::fs::write(dir().join("xlsx_invalid_mobile.xlsx"), &bytes).unwrap();
    std::fs::write(
        dir().join("truncated_workbook.xlsx"),
        &bytes[..bytes.len() / 2],
    )
    .unwrap();
    let empty = ExportTable {
        headers: vec![],
        rows: vec![],
    };
    std::fs::write(
        dir().join("empty_sheet.xlsx"),
        to_xlsx(&empty, "Sheet1").unwrap(),
    )
    .unwrap();
    let members = ExportTable {
        headers: vec![
            "Card number".into(),
            "Name".into(),
            "Mobile".into(),
            "Joined".into(),
        ],
        rows: vec![
            vec![
                t("X100"),
                t("Olivia Grant"),
                t("13511112222"),
                t("2024-05-01"),
            ],
            vec![t("X101"), t("陈静"), t("13522223333"), t("2024-05-02")],
            vec![t("X102"), t("Bad Number"), t("999"), t("2024-05-03")],
        ],
    };
    std::fs::write(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/import/members.xlsx"),
        to_xlsx(&members, "Members").unwrap(),
    )
    .unwrap();
}

/// The good samples under tests/data/import/ (the end-to-end test uses
/// them too) plan without surprises.
#[test]
fn good_samples_import() {
    let good = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/import");
    let empty = Store::default();
    let plan_of = |file: &str, kind, store: &Store, order| {
        let bytes = std::fs::read(good.join(file)).unwrap();
        let o = plan::open(&bytes, &ReadOptions::default()).unwrap();
        let mut s = settings(kind, &o.headers);
        s.date_order = order;
        plan::Importer::new(o, s, store).unwrap().run().unwrap()
    };
    let p = plan_of("members_gbk.csv", ImportKind::Members, &empty, None);
    assert_eq!((p.counts.new, p.counts.invalid), (3, 1));
    assert_eq!((p.issues[0].row, p.issues[0].header.as_str()), (5, "手机"));
    assert_eq!(p.changes.new_members[2].name, "张伟, 先生");
    let p = plan_of("members.xlsx", ImportKind::Members, &empty, None);
    assert_eq!((p.counts.new, p.counts.invalid), (2, 1));
    assert_eq!(
        (p.issues[0].row, p.issues[0].header.as_str()),
        (4, "Mobile")
    );
    let p = plan_of("shopify_customers.csv", ImportKind::Members, &empty, None);
    let m = &p.changes.new_members[0];
    assert_eq!((m.name.as_str(), m.card_no.as_str()), ("Ann Lee", "7001"));
    assert_eq!(m.tags, vec!["vip", "silk"]);
    assert!(m.consent.email && !m.consent.sms);
    let p = plan_of("square_customers.csv", ImportKind::Members, &empty, None);
    let m = &p.changes.new_members[0];
    assert_eq!((m.mobile.as_str(), m.consent.email), ("4155550111", true));
    assert_eq!(m.joined, day(2023, 5, 1));
    let p = plan_of(
        "members_semicolon.csv",
        ImportKind::Members,
        &empty,
        Some(clientele_io::values::DateOrder::DayFirst),
    );
    assert_eq!(p.changes.new_members[0].joined, day(2023, 12, 25));
    let mut store = empty.clone();
    plan::apply(
        &plan_of("members_gbk.csv", ImportKind::Members, &empty, None),
        &mut store,
    )
    .unwrap();
    let p = plan_of(
        "order_lines.csv",
        ImportKind::Purchases,
        &store,
        Some(clientele_io::values::DateOrder::DayFirst),
    );
    assert_eq!(p.changes.purchases.len(), 2);
    assert_eq!(p.changes.purchases[0].amount, Money(139_950));
    // A POS member export (GBK): points and tier come in as opening
    // balances when the suggested choice is kept; the other columns are
    // listed as not imported.
    let bytes = std::fs::read(good.join("pos_members_gbk.csv")).unwrap();
    let o = plan::open(&bytes, &ReadOptions::default()).unwrap();
    let mut s = settings(ImportKind::Members, &o.headers);
    s.moving_in = plan::MovingIn::suggested(ImportKind::Members, &s.mapping);
    let p = plan::Importer::new(o, s, &empty).unwrap().run().unwrap();
    assert_eq!((p.counts.new, p.counts.invalid), (2, 0));
    assert_eq!((p.extras.balances, p.extras.tiers), (2, 2));
    let ignored: Vec<&str> = p
        .ignored_columns
        .iter()
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(ignored, vec!["累计消费", "储值余额"]);
}
