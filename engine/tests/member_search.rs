//! The packed search index answers every query exactly as the plain scan
//! of the member list does (same members, same order), including names
//! with capitals, Chinese names, mobiles typed with +86 and dashes, and
//! queries that could straddle two fields or two members.

use chrono::NaiveDate;
use clientele_engine::members::model::{Member, MemberId};
use clientele_engine::members::search::{find_members, SearchIndex};
use clientele_engine::Store;
use proptest::prelude::*;

fn member(i: usize, card: String, name: String, mobile: String) -> Member {
    let mut m = Member::new(
        MemberId(i as u64 + 1),
        card,
        name,
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    );
    m.mobile = mobile;
    m
}

fn scan(store: &Store, query: &str) -> Vec<MemberId> {
    find_members(store, query).iter().map(|m| m.id).collect()
}

fn indexed(store: &Store, index: &SearchIndex, query: &str) -> Vec<MemberId> {
    index
        .find(&store.members, query)
        .into_iter()
        .map(|i| store.members[i].id)
        .collect()
}

#[test]
fn worked_examples() {
    let store = Store {
        members: vec![
            member(0, "VIP000001".into(), "王芳".into(), "13800138000".into()),
            member(
                1,
                "VIP000002".into(),
                "Alice Chen".into(),
                "13912345678".into(),
            ),
            member(2, "VIP000013".into(), "李娜".into(), "15000008000".into()),
            member(3, "138".into(), "Ann".into(), "".into()),
        ],
        ..Default::default()
    };
    let index = SearchIndex::new(&store.members);
    let ids = |q: &str| -> Vec<u64> { indexed(&store, &index, q).iter().map(|m| m.0).collect() };
    // The last four digits, written any way.
    assert_eq!(ids("8000"), vec![1, 3]);
    assert_eq!(ids("+86 138-0013-8000"), vec![1]);
    // An exact card number first, then the mobiles containing it.
    assert_eq!(ids("138"), vec![4, 1]);
    // Names ignore case; a query never spans the card and the name.
    assert_eq!(ids("alice"), vec![2]);
    assert_eq!(ids("0002alice"), Vec::<u64>::new());
    assert_eq!(ids("芳"), vec![1]);
    assert_eq!(ids("vip00001"), vec![3]);
    assert_eq!(ids("  "), vec![1, 2, 3, 4]);
    // A stale index (the list changed since) still answers correctly.
    let mut grown = store.clone();
    grown
        .members
        .push(member(4, "VIP000099".into(), "Alicia".into(), "".into()));
    assert_eq!(indexed(&grown, &index, "ali").len(), 2);
}

/// A number whose digits and pairs are all in a line, but not in a row,
/// is not in the line: the digit sets only narrow the search.
#[test]
fn digits_in_a_line_but_not_in_a_row_do_not_match() {
    let store = Store {
        members: vec![
            member(0, "12-23".into(), "Ann 31".into(), "12023".into()),
            member(1, "C9".into(), "Bo".into(), "9123".into()),
        ],
        ..Default::default()
    };
    let index = SearchIndex::new(&store.members);
    for query in ["123", "231", "1", "12", "23", "202", "31"] {
        assert_eq!(
            indexed(&store, &index, query),
            scan(&store, query),
            "{query}"
        );
    }
    assert_eq!(indexed(&store, &index, "123"), vec![MemberId(2)]);
    assert_eq!(indexed(&store, &index, "31"), vec![MemberId(1)]);
}

fn field() -> impl Strategy<Value = String> {
    let parts = vec![
        "A", "a", "n", "王", "芳", "1", "3", "8", "0", "-", " ", "İ", "ß", "\u{1f}",
    ];
    prop::collection::vec(prop::sample::select(parts), 0..6).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn index_answers_as_the_scan_does(
        rows in prop::collection::vec((field(), field(), prop::collection::vec(prop::sample::select(vec!["1", "3", "8", "0"]), 0..8)), 0..12),
        query in prop::collection::vec(prop::sample::select(vec!["A", "a", "n", "王", "1", "3", "8", "0", "-", " ", "+86", "İ", "\u{1f}", "\n"]), 0..5),
    ) {
        let store = Store {
            members: rows.into_iter().enumerate().map(|(i, (card, name, mobile))| member(i, card, name, mobile.concat())).collect(),
            ..Default::default()
        };
        let index = SearchIndex::new(&store.members);
        let query = query.concat();
        prop_assert_eq!(indexed(&store, &index, &query), scan(&store, &query));
    }
}
