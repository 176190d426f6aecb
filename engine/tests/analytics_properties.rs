//! Properties: segment assignment is total and exclusive, scores are
//! monotone, P(active) stays in [0, 1] and forecasts never go NaN.

use clientele_engine::analytics::bgnbd::{BgNbdParams, Customer};
use clientele_engine::analytics::segments::quintile_scores;
use clientele_engine::analytics::RfmSegment;
use proptest::prelude::*;

#[test]
fn every_one_of_the_125_score_combinations_has_exactly_one_segment() {
    let mut seen = std::collections::HashSet::new();
    for r in 1..=5 {
        for f in 1..=5 {
            for m in 1..=5 {
                let holders: Vec<RfmSegment> = RfmSegment::ALL
                    .iter()
                    .copied()
                    .filter(|s| s.contains(r, f, m))
                    .collect();
                assert_eq!(holders.len(), 1, "({r},{f},{m}) in {holders:?}");
                assert_eq!(holders[0], RfmSegment::of(r, f, m));
                seen.insert(holders[0]);
            }
        }
    }
    // And every named segment is reachable.
    assert_eq!(seen.len(), RfmSegment::ALL.len());
}

proptest! {
    #[test]
    fn scores_are_monotone_and_ties_share(values in prop::collection::vec(0u32..50, 1..200)) {
        let v: Vec<f64> = values.iter().map(|&x| f64::from(x)).collect();
        let up = quintile_scores(&v, true);
        let down = quintile_scores(&v, false);
        for i in 0..v.len() {
            prop_assert!((1..=5).contains(&up[i]) && (1..=5).contains(&down[i]));
            for j in 0..v.len() {
                if v[i] <= v[j] {
                    prop_assert!(up[i] <= up[j]);
                    prop_assert!(down[i] >= down[j]);
                }
                if v[i] == v[j] {
                    prop_assert_eq!(up[i], up[j]);
                }
            }
        }
    }

    #[test]
    fn p_alive_in_unit_interval_and_forecasts_finite(
        lr in -5.0f64..3.0, la in -5.0f64..6.0, lav in -5.0f64..3.0, lb in -5.0f64..4.0,
        x in 0u32..2000, age in 0.0f64..1000.0, frac in 0.0f64..=1.0, horizon in 0.0f64..500.0,
    ) {
        let p = BgNbdParams { r: lr.exp(), alpha: la.exp(), a: lav.exp(), b: lb.exp() };
        let recency = if x == 0 { 0.0 } else { age * frac };
        let c = Customer { frequency: x, recency, age };
        let pa = p.p_alive(&c);
        prop_assert!(pa.is_finite() && (0.0..=1.0).contains(&pa));
        if x == 0 {
            prop_assert_eq!(pa, 1.0);
        }
        let e = p.expected_purchases(&c, horizon);
        prop_assert!(e.is_finite() && e >= 0.0, "{}", e);
    }
}
