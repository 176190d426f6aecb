#![allow(dead_code)]
//! Small builders for points tests: a store, its members and purchases.

pub mod device;

use chrono::{NaiveDate, NaiveDateTime};
use clientele_engine::members::model::{Member, MemberId, Purchase, Return};
use clientele_engine::money::Money;
use clientele_engine::points::events::{PointsEvent, PointsEventKind};
use clientele_engine::points::replay::{replay_under, MemberOutcome};
use clientele_engine::points::scheme::Scheme;
use clientele_engine::store::document::Store;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn at(y: i32, m: u32, day: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(12, 0, 0).unwrap()
}

pub fn store_with(members: u32) -> Store {
    let mut s = Store::default();
    for i in 1..=members {
        s.members.push(Member::new(
            MemberId(i.into()),
            format!("C{i:03}"),
            format!("M{i}"),
            d(2024, 1, 1),
        ));
    }
    s
}

pub fn buy(s: &mut Store, member: u64, receipt: &str, when: NaiveDateTime, yuan: i64) {
    s.purchases.push(Purchase {
        receipt: receipt.into(),
        member: MemberId(member),
        at: when,
        amount: Money::from_major(yuan),
        store: String::new(),
        device: String::new(),
        lines: Vec::new(),
        staff: String::new(),
    });
}

pub fn ret(s: &mut Store, receipt: &str, when: NaiveDateTime, yuan: i64) {
    let id = format!("R{}", s.returns.len());
    s.returns.push(Return {
        id,
        receipt: receipt.into(),
        at: when,
        amount: Money::from_major(yuan),
        lines: Vec::new(),
        staff: String::new(),
    });
}

pub fn event(s: &mut Store, member: u64, when: NaiveDateTime, kind: PointsEventKind) {
    s.points_events.push(PointsEvent {
        member: MemberId(member),
        at: when,
        kind,
        staff: None,
    });
}

pub fn redeem(s: &mut Store, member: u64, when: NaiveDateTime, points: i64) {
    event(
        s,
        member,
        when,
        PointsEventKind::Redemption {
            reward: None,
            quantity: 1,
            points,
        },
    );
}

pub fn outcome(s: &Store, scheme: &Scheme, as_of: NaiveDate, member: u64) -> MemberOutcome {
    replay_under(s, scheme, as_of)
        .unwrap()
        .members
        .into_iter()
        .find(|m| m.member == MemberId(member))
        .unwrap()
}

/// 1 point per yuan, one open tier at ×1, nothing expires.
pub fn flat() -> Scheme {
    let mut s = clientele_engine::points::scheme::presets::simple();
    for t in &mut s.tiers.tiers {
        t.benefits.points_multiplier = clientele_engine::points::rules::Milli::ONE;
    }
    s
}
