//! The counter's index of facts answers exactly as reading the whole store
//! does, built at once or kept up as sales are appended.

mod common;
use common::*;

use chrono::NaiveDate;
use clientele_engine::demo::{demo_store_sized, DemoLanguage};
use clientele_engine::members::model::MemberId;
use clientele_engine::money::Money;
use clientele_engine::points::checkout::{member_points, next_receipt_no, preview_sale_paying};
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::store::document::Store;
use clientele_engine::store::facts::FactIndex;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Buy { member: u64, day: u32, yuan: i64 },
    Return { nth: usize, day: u32, yuan: i64 },
    CheckIn { member: u64, day: u32 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (1u64..=4, 0u32..20, 1i64..900).prop_map(|(member, day, yuan)| Op::Buy { member, day, yuan }),
        2 => (0usize..40, 0u32..20, 1i64..50).prop_map(|(nth, day, yuan)| Op::Return { nth, day, yuan }),
        1 => (1u64..=4, 0u32..20).prop_map(|(member, day)| Op::CheckIn { member, day }),
    ]
}

fn when(n: u32) -> chrono::NaiveDateTime {
    at(2026, 3, 1) + chrono::Duration::days(i64::from(n))
}

fn apply(s: &mut Store, ops: &[Op], from: usize) {
    for (i, o) in ops.iter().enumerate() {
        let i = i + from;
        match *o {
            Op::Buy { member, day, yuan } => {
                buy(s, member, &format!("R{day:02}-{i:04}"), when(day), yuan)
            }
            Op::Return { nth, day, yuan } => {
                if let Some(p) = s.purchases.get(nth % s.purchases.len().max(1)) {
                    let receipt = p.receipt.clone();
                    ret(s, &receipt, when(day), yuan);
                }
            }
            Op::CheckIn { member, day } => event(s, member, when(day), PointsEventKind::CheckIn),
        }
    }
}

/// Four members; the second and third were referred by the first, whose
/// points include a referral's first purchase.
fn members() -> Store {
    let mut s = store_with(4);
    s.members[1].referrer = Some(MemberId(1));
    s.members[2].referrer = Some(MemberId(1));
    s
}

/// One member's history read plainly: the member and those they referred,
/// their purchases, the returns of those receipts, the member's events.
fn plain_history(s: &Store, id: MemberId) -> Store {
    let members: Vec<_> = s
        .members
        .iter()
        .filter(|m| m.id == id || m.referrer == Some(id))
        .cloned()
        .collect();
    let purchases: Vec<_> = s
        .purchases
        .iter()
        .filter(|p| members.iter().any(|m| m.id == p.member))
        .cloned()
        .collect();
    Store {
        settings: s.settings.clone(),
        schemes: s.schemes.clone(),
        returns: s
            .returns
            .iter()
            .filter(|r| purchases.iter().any(|p| p.receipt == r.receipt))
            .cloned()
            .collect(),
        points_events: s
            .points_events
            .iter()
            .filter(|e| e.member == id)
            .cloned()
            .collect(),
        members,
        purchases,
        ..Store::default()
    }
}

/// Every member's points, the next receipt of every day and a preview
/// agree between the index and a reading of the whole store.
fn agrees(s: &Store, index: &FactIndex) -> Result<(), TestCaseError> {
    let as_of = when(25).date();
    for m in 1..=5u64 {
        let id = MemberId(m);
        prop_assert_eq!(index.member_store(s, id), plain_history(s, id));
        prop_assert_eq!(
            index.member_points(s, id, as_of),
            member_points(s, id, as_of)
        );
        prop_assert_eq!(
            index.preview_sale(s, id, Money::from_major(300), Vec::new(), 0, when(21)),
            preview_sale_paying(s, id, Money::from_major(300), Vec::new(), 0, when(21))
        );
    }
    for day in 0..21 {
        let day: NaiveDate = when(day).date();
        prop_assert_eq!(
            index.next_receipt_no(s, day, ""),
            next_receipt_no(s, day, "")
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn index_answers_as_the_whole_store(ops in prop::collection::vec(op(), 0..40), day in 0u32..20) {
        let mut s = members();
        apply(&mut s, &ops, 0);
        agrees(&s, &FactIndex::new(&s, when(day).date()))?;
    }

    #[test]
    fn index_kept_up_by_appends_answers_as_built_anew(
        before in prop::collection::vec(op(), 0..30),
        after in prop::collection::vec(op(), 1..20),
        day in 0u32..20,
    ) {
        let mut s = members();
        apply(&mut s, &before, 0);
        let mut index = FactIndex::new(&s, when(day).date());
        apply(&mut s, &after, before.len());
        index.catch_up(&s);
        agrees(&s, &index)?;
    }
}

#[test]
fn a_member_only_in_the_index_of_another_store_is_unknown() {
    let mut s = members();
    buy(&mut s, 1, "A1", when(1), 100);
    let index = FactIndex::new(&s, when(1).date());
    assert!(index
        .member_points(&s, MemberId(9), when(2).date())
        .is_err());
    // Members changed without a new index: it reads the store again.
    s.members.remove(0);
    let mut kept = index.clone();
    kept.catch_up(&s);
    assert!(kept.member_points(&s, MemberId(1), when(2).date()).is_err());
    assert_eq!(
        kept.member_points(&s, MemberId(2), when(2).date()),
        member_points(&s, MemberId(2), when(2).date())
    );
}

#[test]
fn demo_boutique_members_read_the_same_from_the_index() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let s = demo_store_sized(7, today, DemoLanguage::English, 300);
    let index = FactIndex::new(&s, today);
    for m in &s.members {
        assert_eq!(
            index.member_points(&s, m.id, today),
            member_points(&s, m.id, today),
            "member {}",
            m.card_no
        );
    }
    assert_eq!(
        index.next_receipt_no(&s, today, "K3X9"),
        next_receipt_no(&s, today, "K3X9")
    );
}
