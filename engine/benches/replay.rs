//! Replay of a large boutique chain's history, and tier calibration.
//! Data comes from a small deterministic PRNG so runs compare.

use chrono::{Duration, NaiveDate};
use clientele_engine::analytics::health::programme_health;
use clientele_engine::members::model::{Member, MemberId, Purchase, Return};
use clientele_engine::money::Money;
use clientele_engine::points::calibrate::{shares_for_thresholds, thresholds_for_shares};
use clientele_engine::points::events::{PointsEvent, PointsEventKind};
use clientele_engine::points::replay::History;
use clientele_engine::points::rules::Milli;
use clientele_engine::points::scheme::{presets, ExpiryPolicy, Promotion, Scheme};
use clientele_engine::store::document::Store;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const MEMBERS: u32 = 100_000;
const PURCHASES: usize = 1_000_000;

/// xorshift64*: tiny, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
}

/// Ids of the members: `1..=MEMBERS`, or with `tagged` every 20th member
/// enrolled on another device (a large, sparse id).
fn ids(tagged: bool) -> Vec<MemberId> {
    (1..=MEMBERS)
        .map(|i| {
            if tagged && i % 20 == 0 {
                other_device(i)
            } else {
                MemberId(i.into())
            }
        })
        .collect()
}

fn make_store(ids: &[MemberId]) -> Store {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut s = Store::default();
    for (i, &id) in ids.iter().enumerate() {
        s.members.push(Member::new(
            id,
            format!("C{i:06}"),
            format!("M{i}"),
            start(),
        ));
    }
    let t0 = start().and_hms_opt(10, 0, 0).unwrap();
    for i in 0..PURCHASES {
        // Skewed towards low member numbers, like real regulars.
        let a = rng.below(u64::from(MEMBERS));
        let b = rng.below(u64::from(MEMBERS));
        let member = ids[a.min(b) as usize];
        let at = t0 + Duration::minutes(rng.below(730 * 24 * 60) as i64);
        let amount = Money(5_000 + rng.below(150_000) as i64);
        s.purchases.push(Purchase {
            receipt: format!("S{i:07}"),
            member,
            at,
            amount,
            store: String::new(),
            device: String::new(),
            lines: Vec::new(),
            staff: String::new(),
        });
        if rng.below(100) == 0 {
            let p = &s.purchases[i];
            s.returns.push(Return {
                id: format!("R{i:07}"),
                receipt: p.receipt.clone(),
                at: p.at + Duration::days(3),
                amount: Money(p.amount.0 / 2),
                lines: Vec::new(),
                staff: String::new(),
            });
        }
        if rng.below(20) == 0 {
            s.points_events.push(PointsEvent {
                member,
                at: at + Duration::days(1),
                kind: PointsEventKind::Redemption {
                    reward: None,
                    quantity: 1,
                    points: 100 + rng.below(400) as i64,
                },
                staff: None,
            });
        }
    }
    s
}

/// Bands, tier multipliers, a double-points promotion and rolling expiry.
fn scheme() -> Scheme {
    let mut s = presets::banded();
    s.tiers = clientele_engine::points::tiers::presets::online_shop();
    s.tiers.tiers[3].threshold = Money::from_major(20_000).0;
    s.tiers.tiers[2].threshold = Money::from_major(8_000).0;
    s.tiers.tiers[1].threshold = Money::from_major(2_000).0;
    s.promotions.push(Promotion {
        name: "double-points week".into(),
        from: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2025, 6, 7).unwrap(),
        multiplier: Milli(2000),
    });
    s.expiry = ExpiryPolicy::EndOfMonthAfter { months: 12 };
    s
}

fn benches(c: &mut Criterion) {
    let store = make_store(&ids(false));
    let sc = scheme();
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let mut g = c.benchmark_group("points");
    g.sample_size(10);
    g.bench_function("replay 100k members, 1M purchases (index + replay)", |b| {
        b.iter(|| {
            let h = History::new(black_box(&store), as_of);
            black_box(h.replay_one(&sc).unwrap().totals.outstanding)
        })
    });
    let h = History::new(&store, as_of);
    g.bench_function("replay only (index built once)", |b| {
        b.iter(|| black_box(h.replay_one(black_box(&sc)).unwrap().totals.outstanding))
    });
    let r = h.replay_one(&sc).unwrap();
    // On a reopen's path to the dashboard, right after the replay.
    g.bench_function("programme health 100k members (after the replay)", |b| {
        b.iter(|| black_box(programme_health(black_box(&store), &r, as_of).sales_12m))
    });
    let values: Vec<i64> = r.members.iter().map(|m| m.qualifying).collect();
    g.bench_function("calibrate 100k members (thresholds + shares)", |b| {
        b.iter(|| {
            let c = thresholds_for_shares(black_box(&values), &[1_500, 500, 100]).unwrap();
            black_box(shares_for_thresholds(&values, &c.thresholds))
        })
    });
    let mixed = make_store(&ids(true));
    g.bench_function(
        "replay 100k members, 5% from other devices (index + replay)",
        |b| {
            b.iter(|| {
                let h = History::new(black_box(&mixed), as_of);
                black_box(h.replay_one(&sc).unwrap().totals.outstanding)
            })
        },
    );
    g.finish();
}

criterion_group!(points, benches);
criterion_main!(points);

/// A member enrolled on another device: an id of that device's series.
fn other_device(i: u32) -> MemberId {
    let tag = clientele_engine::DeviceTag::new(1_234_567).unwrap();
    tag.id(u64::from(i)).unwrap()
}
