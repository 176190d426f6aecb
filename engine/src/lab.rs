//! The scheme lab: try candidate schemes on the store's own history, see how
//! calibrated thresholds drifted, apply a candidate from a date, and move
//! schemes between stores as JSON files.
//!
//! Every trial of one as-of date replays from a single [`History`], so the
//! store's inputs are indexed once however many schemes are compared.

use crate::calibrate::{metric_values, thresholds_for_shares, CalibrateError, Calibration};
use crate::model::MemberId;
use crate::money::Money;
use crate::replay::{compare, Comparison, History, Replay, Totals};
use crate::scheme::{presets, DatedScheme, ExpiryPolicy, Scheme, SchemeError, SchemeProblem};
use crate::store::Store;
use crate::tiers::{Metric, TierIdx};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// One scheme replayed over the store's history as of a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trial {
    pub totals: Totals,
    /// Each member's tier, in the store's member order.
    pub tiers: Vec<(MemberId, Option<TierIdx>)>,
    /// Points due to expire within 30 days after the as-of day.
    pub expiring_30d: i64,
    /// What members would hold if nothing ever expired: the gap to
    /// `totals.outstanding` is what the expiry policy has taken so far.
    pub outstanding_never_expiring: i64,
    /// Members whose tier differs from the store's own scheme history.
    pub moves: Comparison,
}

impl Trial {
    /// Points the expiry policy has removed from balances.
    pub fn expiry_effect(&self) -> i64 {
        self.outstanding_never_expiring - self.totals.outstanding
    }
}

/// The store's own schemes, or the simple preset when it has none (as
/// [`crate::replay::replay_store`] reads them).
pub fn store_timeline(store: &Store) -> Vec<DatedScheme> {
    if store.schemes.is_empty() {
        vec![DatedScheme {
            effective_from: NaiveDate::MIN,
            scheme: presets::simple(),
        }]
    } else {
        store.schemes.clone()
    }
}

fn summarise(replay: Replay, never: Option<Replay>, base: Option<&Replay>) -> Trial {
    let moves = base.map(|b| compare(b, &replay)).unwrap_or_default();
    let expiring_30d = replay.members.iter().map(|m| m.expiring_30d).sum();
    let outstanding_never_expiring =
        never.map_or(replay.totals.outstanding, |r| r.totals.outstanding);
    Trial {
        tiers: replay.members.iter().map(|m| (m.member, m.tier)).collect(),
        totals: replay.totals,
        expiring_30d,
        outstanding_never_expiring,
        moves,
    }
}

fn without_expiry(scheme: &Scheme) -> Option<Scheme> {
    if scheme.expiry == ExpiryPolicy::Never {
        return None;
    }
    Some(Scheme {
        expiry: ExpiryPolicy::Never,
        ..scheme.clone()
    })
}

/// The store under its own scheme history (the baseline) and under each
/// candidate, all as of `as_of` and from one [`History`]. A candidate that
/// does not validate gets its error; the others are still replayed.
pub fn try_schemes(
    store: &Store,
    as_of: NaiveDate,
    candidates: &[Scheme],
) -> (Result<Trial, SchemeError>, Vec<Result<Trial, SchemeError>>) {
    let history = History::new(store, as_of);
    let timeline = store_timeline(store);
    let base = history.replay(&timeline);
    let never_base = {
        let stripped: Vec<DatedScheme> = timeline
            .iter()
            .map(|d| DatedScheme {
                effective_from: d.effective_from,
                scheme: Scheme {
                    expiry: ExpiryPolicy::Never,
                    ..d.scheme.clone()
                },
            })
            .collect();
        history.replay(&stripped).ok()
    };
    let trials = candidates
        .iter()
        .map(|c| {
            let replay = history.replay_one(c)?;
            let never = without_expiry(c).and_then(|s| history.replay_one(&s).ok());
            Ok(summarise(replay, never, base.as_ref().ok()))
        })
        .collect();
    let base = base.map(|r| summarise(r, never_base, None));
    (base, trials)
}

/// The thresholds that would have produced the target shares a year before
/// `as_of` and on `as_of`, each among the members who had joined by then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub year_ago: NaiveDate,
    pub then: Calibration,
    pub now: Calibration,
}

pub fn threshold_drift(
    store: &Store,
    metric: Metric,
    upper_shares_bp: &[u32],
    as_of: NaiveDate,
) -> Result<Drift, CalibrateError> {
    let year_ago = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let values_on = |day: NaiveDate| -> Vec<i64> {
        metric_values(store, metric, day)
            .into_iter()
            .zip(&store.members)
            .filter(|(_, m)| m.joined <= day)
            .map(|((_, v), _)| v)
            .collect()
    };
    Ok(Drift {
        year_ago,
        then: thresholds_for_shares(&values_on(year_ago), upper_shares_bp)?,
        now: thresholds_for_shares(&values_on(as_of), upper_shares_bp)?,
    })
}

/// What applying a scheme from a date would do, stated before confirming.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApplyPreview {
    pub effective_from: NaiveDate,
    /// Tier moves as of `as_of` against the schemes in force now.
    pub moves: Comparison,
    pub outstanding_before: i64,
    pub outstanding_after: i64,
    pub liability_after: Money,
    /// A scheme already dated that day is replaced.
    pub replaces_same_day: bool,
}

/// The store's scheme history with `scheme` in force from `from`. A store
/// without schemes keeps the simple preset for the time before `from`, so
/// history before the change is still read as it was.
pub fn with_scheme_from(store: &Store, scheme: &Scheme, from: NaiveDate) -> Vec<DatedScheme> {
    let mut schemes = store.schemes.clone();
    if schemes.is_empty() {
        let earliest = store
            .members
            .iter()
            .map(|m| m.joined)
            .chain(store.purchases.iter().map(|p| p.at.date()))
            .chain(store.points_events.iter().map(|e| e.at.date()))
            .min()
            .unwrap_or(from)
            .min(from);
        if earliest < from {
            schemes.push(DatedScheme {
                effective_from: earliest,
                scheme: presets::simple(),
            });
        }
    }
    schemes.retain(|d| d.effective_from != from);
    schemes.push(DatedScheme {
        effective_from: from,
        scheme: scheme.clone(),
    });
    schemes.sort_by_key(|d| d.effective_from);
    schemes
}

pub fn preview_apply(
    store: &Store,
    scheme: &Scheme,
    from: NaiveDate,
    as_of: NaiveDate,
) -> Result<ApplyPreview, SchemeProblem> {
    scheme.check()?;
    let history = History::new(store, as_of);
    let wrap = |error| SchemeProblem {
        field: crate::scheme::SchemeField::Tiers,
        error,
    };
    let before = history.replay(&store_timeline(store)).map_err(wrap)?;
    let after = history
        .replay(&with_scheme_from(store, scheme, from))
        .map_err(wrap)?;
    Ok(ApplyPreview {
        effective_from: from,
        moves: compare(&before, &after),
        outstanding_before: before.totals.outstanding,
        outstanding_after: after.totals.outstanding,
        liability_after: after.totals.liability,
        replaces_same_day: store.schemes.iter().any(|d| d.effective_from == from),
    })
}

/// Puts `scheme` in force from `from`. Earned points keep their amounts
/// (they are replayed from the same inputs); tiers are recomputed under the
/// new rules from that day. Nothing changes when the scheme is invalid.
pub fn apply_scheme(
    store: &mut Store,
    scheme: &Scheme,
    from: NaiveDate,
) -> Result<(), SchemeProblem> {
    scheme.check()?;
    store.schemes = with_scheme_from(store, scheme, from);
    Ok(())
}

/// The file a scheme travels in between stores.
#[derive(Serialize, Deserialize)]
struct SchemeFile {
    kind: String,
    version: u32,
    scheme: Scheme,
}

const FILE_KIND: &str = "clientele.scheme";
const FILE_VERSION: u32 = 1;

/// Why a scheme file could not be read. Nothing changes on any of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemeFileError {
    /// Not UTF-8 text.
    NotText,
    /// Not JSON, or JSON that does not describe a scheme; `line` is 1-based.
    Unreadable { line: usize, detail: String },
    /// Written by a newer Clientele.
    NewerVersion { version: u32 },
    /// A scheme, but one that fails validation.
    Invalid(SchemeProblem),
}

impl std::fmt::Display for SchemeFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for SchemeFileError {}

pub fn export_scheme(scheme: &Scheme) -> String {
    let file = SchemeFile {
        kind: FILE_KIND.into(),
        version: FILE_VERSION,
        scheme: scheme.clone(),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Reads a scheme file (or a bare scheme object) and validates it.
pub fn import_scheme(bytes: &[u8]) -> Result<Scheme, SchemeFileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| SchemeFileError::NotText)?;
    let text = text.trim_start_matches('\u{feff}');
    let unreadable = |e: serde_json::Error| SchemeFileError::Unreadable {
        line: e.line(),
        detail: e.to_string(),
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(unreadable)?;
    let scheme = if value.get("kind").is_some() || value.get("scheme").is_some() {
        let file: SchemeFile = serde_json::from_value(value).map_err(unreadable)?;
        if file.version > FILE_VERSION {
            return Err(SchemeFileError::NewerVersion {
                version: file.version,
            });
        }
        file.scheme
    } else {
        serde_json::from_value(value).map_err(unreadable)?
    };
    scheme.check().map_err(SchemeFileError::Invalid)?;
    Ok(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Member, Purchase};
    use crate::scheme::SchemeField;
    use crate::tiers::presets as tiers;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Members 1..=n joined on 2024-01-01; member i spends `yuan[i-1]` on `day`.
    fn store(spends: &[(u32, NaiveDate, i64)], members: u32) -> Store {
        let mut s = Store::default();
        for i in 1..=members {
            s.members.push(Member::new(
                MemberId(i),
                format!("C{i}"),
                format!("M{i}"),
                d(2024, 1, 1),
            ));
        }
        for (k, &(m, day, yuan)) in spends.iter().enumerate() {
            s.purchases.push(Purchase {
                receipt: format!("R{k}"),
                member: MemberId(m),
                at: day.and_hms_opt(12, 0, 0).unwrap(),
                amount: Money::from_major(yuan),
                store: String::new(),
                lines: Vec::new(),
            });
        }
        s
    }

    #[test]
    fn a_candidate_ladder_moves_members_against_the_store_scheme() {
        // Spends 100, 500, 700, 900 yuan. The store's online-shop ladder
        // (0/399/688/888) puts them in tiers 0,1,2,3; the three-step ladder
        // (0/10,000/20,000) puts everyone in the base tier: three move down.
        let day = d(2025, 3, 1);
        let s = store(
            &[(1, day, 100), (2, day, 500), (3, day, 700), (4, day, 900)],
            4,
        );
        let mut candidate = presets::simple();
        candidate.tiers = tiers::three_step();
        let (base, trials) = try_schemes(&s, d(2025, 6, 1), &[candidate]);
        let base = base.unwrap();
        assert_eq!(base.totals.tier_counts, vec![1, 1, 1, 1]);
        let t = trials[0].as_ref().unwrap();
        assert_eq!(t.totals.tier_counts, vec![4, 0, 0]);
        assert_eq!(t.moves.down.len(), 3);
        assert!(t.moves.up.is_empty());
        // 1 point per yuan, nothing expires: 2,200 points outstanding.
        assert_eq!(t.totals.outstanding, 2_200);
        assert_eq!(t.expiry_effect(), 0);
    }

    #[test]
    fn expiry_effect_is_what_the_policy_took_from_balances() {
        // 300 yuan in January 2024 under 90-day expiry: all 300 points have
        // lapsed by June; 200 yuan in May 2025 are still open.
        let s = store(&[(1, d(2024, 1, 10), 300), (1, d(2025, 5, 20), 200)], 1);
        let mut candidate = presets::simple();
        candidate.expiry = ExpiryPolicy::AfterDays { days: 90 };
        let (_, trials) = try_schemes(&s, d(2025, 6, 1), &[candidate]);
        let t = trials[0].as_ref().unwrap();
        assert_eq!(t.totals.outstanding, 200);
        assert_eq!(t.outstanding_never_expiring, 500);
        assert_eq!(t.expiry_effect(), 300);
        assert_eq!(t.totals.expired, 300);
    }

    #[test]
    fn an_invalid_candidate_gets_its_error_and_the_others_still_run() {
        let s = store(&[(1, d(2025, 1, 1), 100)], 1);
        let mut bad = presets::simple();
        bad.tiers.tiers[2].threshold = 1;
        let (_, trials) = try_schemes(&s, d(2025, 6, 1), &[bad, presets::banded()]);
        assert_eq!(
            trials[0],
            Err(SchemeError::UnorderedThresholds { index: 2 })
        );
        assert!(trials[1].is_ok());
    }

    #[test]
    fn drift_finds_the_thresholds_a_year_ago_and_now() {
        // Ten members. A year ago (2024-06-01) member i had spent i×100 yuan;
        // since then each spent another i×100. For the top 10 % the
        // threshold was 1,000 yuan then and is 2,000 yuan now.
        let mut spends = Vec::new();
        for i in 1..=10u32 {
            spends.push((i, d(2024, 3, 1), i64::from(i) * 100));
            spends.push((i, d(2025, 3, 1), i64::from(i) * 100));
        }
        let s = store(&spends, 10);
        let drift = threshold_drift(&s, Metric::LifetimeSpend, &[1_000], d(2025, 6, 1)).unwrap();
        assert_eq!(drift.year_ago, d(2024, 6, 1));
        assert_eq!(drift.then.thresholds, vec![Money::from_major(1_000).0]);
        assert_eq!(drift.now.thresholds, vec![Money::from_major(2_000).0]);
        assert_eq!(drift.now.counts, vec![9, 1]);
    }

    #[test]
    fn drift_counts_only_members_who_had_joined() {
        let mut s = store(&[(1, d(2024, 3, 1), 500), (2, d(2024, 3, 1), 100)], 2);
        s.members
            .push(Member::new(MemberId(3), "C3", "M3", d(2025, 1, 1)));
        let drift = threshold_drift(&s, Metric::LifetimeSpend, &[5_000], d(2025, 6, 1)).unwrap();
        assert_eq!(drift.then.counts.iter().sum::<u32>(), 2);
        assert_eq!(drift.now.counts.iter().sum::<u32>(), 3);
    }

    #[test]
    fn applying_keeps_earned_points_and_recomputes_tiers_from_the_date() {
        // Member 1 spent 500 yuan in 2024: 高级会员 under the simple preset.
        // The three-step ladder from 2025-01-01 drops them to the base tier;
        // their 500 points stay.
        let mut s = store(&[(1, d(2024, 3, 1), 500)], 1);
        let mut candidate = presets::simple();
        candidate.name = "three step".into();
        candidate.tiers = tiers::three_step();
        let from = d(2025, 1, 1);
        let preview = preview_apply(&s, &candidate, from, d(2025, 6, 1)).unwrap();
        assert_eq!(preview.moves.down.len(), 1);
        assert_eq!(preview.outstanding_before, 500);
        assert_eq!(preview.outstanding_after, 500);
        apply_scheme(&mut s, &candidate, from).unwrap();
        assert_eq!(s.schemes.len(), 2);
        assert_eq!(s.schemes[0].scheme, presets::simple());
        assert_eq!(s.schemes[1].effective_from, from);
        let r = crate::replay::replay_store(&s, d(2025, 6, 1)).unwrap();
        assert_eq!(r.members[0].tier, Some(0));
        assert_eq!(r.members[0].balance, 500);
        // Before the date the old ladder still reads the old way.
        let r = crate::replay::replay_store(&s, d(2024, 12, 31)).unwrap();
        assert_eq!(r.members[0].tier, Some(1));
    }

    #[test]
    fn applying_an_invalid_scheme_changes_nothing() {
        let mut s = store(&[], 1);
        let mut bad = presets::simple();
        bad.earning.points = 0;
        let err = apply_scheme(&mut s, &bad, d(2025, 1, 1)).unwrap_err();
        assert_eq!(err.field, SchemeField::Rate);
        assert!(s.schemes.is_empty());
    }

    #[test]
    fn a_scheme_survives_export_and_import() {
        let scheme = presets::department_store();
        let back = import_scheme(export_scheme(&scheme).as_bytes()).unwrap();
        assert_eq!(back, scheme);
        // A bare scheme object is accepted too.
        let bare = serde_json::to_string(&presets::banded()).unwrap();
        assert_eq!(import_scheme(bare.as_bytes()).unwrap(), presets::banded());
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert_eq!(
            import_scheme(&[0xff, 0xfe, 0x00]),
            Err(SchemeFileError::NotText)
        );
        assert!(matches!(
            import_scheme(b"{\n  \"name\": "),
            Err(SchemeFileError::Unreadable { line: 2, .. })
        ));
        assert!(matches!(
            import_scheme(b"[1, 2]"),
            Err(SchemeFileError::Unreadable { .. })
        ));
        let newer = export_scheme(&presets::simple()).replace("\"version\": 1", "\"version\": 9");
        assert_eq!(
            import_scheme(newer.as_bytes()),
            Err(SchemeFileError::NewerVersion { version: 9 })
        );
        let mut bad = presets::simple();
        bad.tiers.tiers[0].threshold = 5;
        assert_eq!(
            import_scheme(export_scheme(&bad).as_bytes()),
            Err(SchemeFileError::Invalid(SchemeProblem {
                field: SchemeField::Tier(0),
                error: SchemeError::OpenEntryWithThreshold,
            }))
        );
    }

    #[test]
    fn problems_name_the_field_at_fault() {
        let mut s = presets::banded();
        s.earning.bands[1].multiplier = crate::scheme::Milli(0);
        assert_eq!(s.check().unwrap_err().field, SchemeField::Band(1));
        let mut s = presets::simple();
        s.bonuses.referral = -1;
        assert_eq!(s.check().unwrap_err().field, SchemeField::ReferralBonus);
        let mut s = presets::simple();
        s.rewards.push(crate::scheme::Reward {
            id: "a".into(),
            name: "A".into(),
            points: 0,
            stock: None,
        });
        assert_eq!(s.check().unwrap_err().field, SchemeField::Reward(0));
        let mut s = presets::simple();
        s.tiers.tiers[3].benefits.points_multiplier = crate::scheme::Milli(0);
        let p = s.check().unwrap_err();
        assert_eq!(p.field, SchemeField::Tier(3));
        assert_eq!(s.validate(), Err(p.error));
    }
}
