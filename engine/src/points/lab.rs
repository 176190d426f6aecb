//! The scheme lab: try candidate schemes on the store's own history, see how
//! calibrated thresholds drifted, apply a candidate from a date, and move
//! schemes between stores as JSON files.
//!
//! Every trial of one as-of date replays from a single [`Bench`] (one
//! [`History`]), so the store's inputs are indexed once however many
//! schemes are compared, and again only when the store or the date changes.

use crate::members::model::MemberId;
use crate::money::Money;
use crate::points::calibrate::{
    metric_values_from, shares_for_thresholds, thresholds_for_shares, CalibrateError, Calibration,
    WHOLE,
};
use crate::points::replay::{compare, Comparison, History, Replay, Totals};
use crate::points::rules::{SchemeError, SchemeProblem};
use crate::points::scheme::{presets, DatedScheme, ExpiryPolicy, Scheme};
use crate::points::tiers::{Metric, TierIdx, TierScheme};
use crate::store::document::Store;
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
/// [`crate::points::replay::replay_store`] reads them).
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

/// A store's history as of one day, indexed once and replayable under any
/// number of schemes. The lab keeps one while only the candidates change,
/// so an edit replays without re-indexing the store; the baseline and each
/// candidate are separate steps, so the console can show progress and
/// yield to the browser between them.
pub struct Bench<'a> {
    store: &'a Store,
    history: History<'a>,
}

/// The store under its own scheme history, which candidates are compared
/// against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    replay: Result<Replay, SchemeError>,
    trial: Result<Trial, SchemeError>,
}

impl Baseline {
    /// The baseline as a trial of its own (no moves).
    pub fn trial(&self) -> &Result<Trial, SchemeError> {
        &self.trial
    }
}

impl<'a> Bench<'a> {
    pub fn new(store: &'a Store, as_of: NaiveDate) -> Bench<'a> {
        Bench {
            store,
            history: History::new(store, as_of),
        }
    }

    /// The store's own scheme history replayed (twice when a scheme in it
    /// expires points: once more with nothing expiring).
    pub fn baseline(&self) -> Baseline {
        let timeline = store_timeline(self.store);
        let replay = self.history.replay(&timeline);
        let never = if timeline
            .iter()
            .any(|d| d.scheme.expiry != ExpiryPolicy::Never)
        {
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
            self.history.replay(&stripped).ok()
        } else {
            None
        };
        let trial = match &replay {
            Ok(r) => Ok(summarise(r.clone(), never, None)),
            Err(e) => Err(e.clone()),
        };
        Baseline { replay, trial }
    }

    /// One candidate over the whole history, against the baseline. An
    /// invalid candidate gets its error.
    pub fn trial(&self, baseline: &Baseline, candidate: &Scheme) -> Result<Trial, SchemeError> {
        let replay = self.history.replay_one(candidate)?;
        let never = without_expiry(candidate).and_then(|s| self.history.replay_one(&s).ok());
        Ok(summarise(replay, never, baseline.replay.as_ref().ok()))
    }
}

/// Replays a scheme's trial takes: two when it expires points (the second
/// with nothing expiring, for [`Trial::expiry_effect`]). Lets the console
/// judge how much work a comparison is.
pub fn replays_for(scheme: &Scheme) -> usize {
    if scheme.expiry == ExpiryPolicy::Never {
        1
    } else {
        2
    }
}

/// The store under its own scheme history (the baseline) and under each
/// candidate, all as of `as_of` and from one [`Bench`]. A candidate that
/// does not validate gets its error; the others are still replayed.
pub fn try_schemes(
    store: &Store,
    as_of: NaiveDate,
    candidates: &[Scheme],
) -> (Result<Trial, SchemeError>, Vec<Result<Trial, SchemeError>>) {
    let bench = Bench::new(store, as_of);
    let baseline = bench.baseline();
    let trials = candidates
        .iter()
        .map(|c| bench.trial(&baseline, c))
        .collect();
    (baseline.trial, trials)
}

/// The schemes the lab offers to start from. The engine names them by id;
/// the console words them in the reader's language.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// 1 point per yuan, the online-shop ladder.
    Simple,
    /// Banded earning, the metals ladder.
    Banded,
    /// The department store's four cards, two of them judged on a single day.
    DepartmentStore,
    /// The simple earning with tiers up and down on the last 12 months.
    Classic,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::Simple,
        Preset::Banded,
        Preset::DepartmentStore,
        Preset::Classic,
    ];

    /// A stable code for forms and files.
    pub fn code(self) -> &'static str {
        match self {
            Preset::Simple => "simple",
            Preset::Banded => "banded",
            Preset::DepartmentStore => "department",
            Preset::Classic => "classic",
        }
    }

    pub fn from_code(code: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn scheme(self) -> Scheme {
        match self {
            Preset::Simple => presets::simple(),
            Preset::Banded => presets::banded(),
            Preset::DepartmentStore => presets::department_store(),
            Preset::Classic => Scheme {
                name: "classic".into(),
                tiers: crate::points::tiers::presets::classic(),
                ..presets::simple()
            },
        }
    }

    /// The preset a scheme's name says it is, while the name is still the
    /// one the engine gave it (so the console can word it).
    pub fn named(name: &str) -> Option<Preset> {
        Preset::ALL
            .into_iter()
            .find(|p| p.scheme().name == name.trim())
    }
}

/// Every member's value on each measure a ladder's upper tiers are judged
/// on, as of a day: what calibration works on. A tier can have its own
/// measure ([`crate::points::tiers::Tier::metric`]), so there is one column of
/// values per measure in use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LadderValues {
    /// For each tier above the base, the column of its measure.
    tier_column: Vec<usize>,
    /// The measure of each column.
    metrics: Vec<Metric>,
    /// Values per column, in the store's member order.
    columns: Vec<Vec<i64>>,
    /// The base tier's measure and threshold: upper tiers on the same
    /// measure must sit above it.
    base: (Metric, i64),
    members: usize,
}

impl LadderValues {
    /// Upper tiers are judged on more than one measure.
    pub fn mixed(&self) -> bool {
        self.columns.len() > 1
    }

    pub fn members(&self) -> usize {
        self.members
    }

    /// The measures in use, one per column.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }
}

fn ladder_values_among(
    store: &Store,
    ladder: &TierScheme,
    as_of: NaiveDate,
    joined_only: bool,
) -> LadderValues {
    let mut metrics: Vec<Metric> = Vec::new();
    let tier_column = (1..ladder.tiers.len())
        .map(|i| {
            let m = ladder.metric_of(i);
            metrics.iter().position(|x| *x == m).unwrap_or_else(|| {
                metrics.push(m);
                metrics.len() - 1
            })
        })
        .collect();
    if metrics.is_empty() {
        metrics.push(ladder.metric);
    }
    let keep: Vec<bool> = store
        .members
        .iter()
        .map(|m| !joined_only || m.joined <= as_of)
        .collect();
    let columns: Vec<Vec<i64>> = metrics
        .iter()
        .map(|&m| {
            metric_values_from(store, m, ladder.growth_year_start, as_of)
                .into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|((_, v), _)| v)
                .collect()
        })
        .collect();
    let members = keep.iter().filter(|k| **k).count();
    LadderValues {
        tier_column,
        metrics,
        columns,
        base: (
            ladder.metric_of(0),
            ladder.tiers.first().map_or(0, |t| t.threshold),
        ),
        members,
    }
}

/// Every member's values for calibrating `ladder` as of a day.
pub fn ladder_values(store: &Store, ladder: &TierScheme, as_of: NaiveDate) -> LadderValues {
    ladder_values_among(store, ladder, as_of, false)
}

/// The tier shares thresholds (of the tiers above the base, lowest first)
/// give: each member sits in the highest tier whose own measure they meet,
/// as replay judges a ladder; a value equal to a threshold qualifies.
pub fn ladder_shares(values: &LadderValues, thresholds: &[i64]) -> Calibration {
    if !values.mixed() {
        let col = values.columns.first().map_or(&[][..], |c| &c[..]);
        return shares_for_thresholds(col, thresholds);
    }
    let n = values.members;
    let mut counts = vec![0u32; thresholds.len() + 1];
    for i in 0..n {
        let tier = thresholds
            .iter()
            .zip(&values.tier_column)
            .rposition(|(&t, &c)| values.columns[c][i] >= t)
            .map_or(0, |k| k + 1);
        counts[tier] += 1;
    }
    let whole = n.max(1) as u64;
    let shares_bp = counts
        .iter()
        .map(|&c| ((u64::from(c) * u64::from(WHOLE) * 2 + whole) / (2 * whole)) as u32)
        .collect();
    Calibration {
        thresholds: thresholds.to_vec(),
        counts,
        shares_bp,
    }
}

/// Makes the thresholds of each measure climb strictly up the ladder and
/// start above the base tier's threshold on the same measure (and at 1 at
/// least), so the ladder validates; a squeezed tier ends up empty, not
/// merged.
fn climb(values: &LadderValues, thresholds: &mut [i64]) {
    for (c, &m) in values.metrics.iter().enumerate() {
        let mut floor = if values.base.0 == m {
            values.base.1.saturating_add(1).max(1)
        } else {
            1
        };
        for (t, _) in thresholds
            .iter_mut()
            .zip(&values.tier_column)
            .filter(|(_, col)| **col == c)
        {
            *t = (*t).max(floor);
            floor = t.saturating_add(1);
        }
    }
}

/// Thresholds for the tiers above the base so that at most
/// `upper_shares_bp[k]` of members sit in tier k+1 (lowest upper tier
/// first), each on its tier's own measure.
///
/// One measure: exactly [`thresholds_for_shares`]. Several: the ladder is
/// settled from the top down. A member sits in the highest tier they
/// qualify for, so each tier's threshold is chosen among the members not
/// already placed higher, on that tier's measure, such that at most the
/// target share of all members sits at or above it; equal values are never
/// split (the tie rule of [`crate::points::calibrate`]). Shares are then counted
/// as replay judges the ladder ([`ladder_shares`]).
pub fn calibrate_ladder(
    values: &LadderValues,
    upper_shares_bp: &[u32],
) -> Result<Calibration, CalibrateError> {
    let uppers = values.tier_column.len();
    let shares: Vec<u32> = (0..uppers)
        .map(|k| upper_shares_bp.get(k).copied().unwrap_or(0))
        .collect();
    if !values.mixed() {
        let col = values.columns.first().map_or(&[][..], |c| &c[..]);
        let mut c = thresholds_for_shares(col, &shares)?;
        let before = c.thresholds.clone();
        climb(values, &mut c.thresholds);
        if c.thresholds != before {
            c = shares_for_thresholds(col, &c.thresholds);
        }
        return Ok(c);
    }
    let total: u32 = shares.iter().fold(0u32, |a, &b| a.saturating_add(b));
    if total > WHOLE {
        return Err(CalibrateError::SharesAboveWhole { total_bp: total });
    }
    let n = values.members;
    if n == 0 {
        return Err(CalibrateError::NoMembers);
    }
    let mut placed = vec![false; n];
    let mut above = 0usize;
    let mut cumulative = 0u64;
    let mut thresholds = vec![0i64; uppers];
    for k in (0..uppers).rev() {
        cumulative += u64::from(shares[k]);
        let allowed = ((n as u64 * cumulative / u64::from(WHOLE)) as usize).saturating_sub(above);
        let column = values.tier_column[k];
        let col = &values.columns[column];
        let mut desc: Vec<i64> = (0..n).filter(|&i| !placed[i]).map(|i| col[i]).collect();
        desc.sort_unstable_by(|a, b| b.cmp(a));
        let t = match desc.get(allowed) {
            // Everyone is placed higher already: any threshold leaves the
            // tier empty (the highest tier a member meets wins).
            None if desc.is_empty() => 1,
            // Room for everyone left: the lowest value left qualifies.
            None => desc[desc.len() - 1],
            Some(&outside) => {
                // Members with the first excluded value stay out together.
                let inside = desc.partition_point(|&x| x > outside);
                if inside == 0 {
                    outside.saturating_add(1)
                } else {
                    desc[inside - 1]
                }
            }
        };
        // Members placed higher all sit above any value left, so this is
        // at most a tier above on the same measure; `climb` settles a tie
        // by raising the higher one, which only empties it.
        let t = t.max(1);
        thresholds[k] = t;
        for (p, v) in placed.iter_mut().zip(col) {
            if !*p && *v >= t {
                *p = true;
                above += 1;
            }
        }
    }
    climb(values, &mut thresholds);
    Ok(ladder_shares(values, &thresholds))
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
    ladder: &TierScheme,
    upper_shares_bp: &[u32],
    as_of: NaiveDate,
) -> Result<Drift, CalibrateError> {
    let year_ago = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let on = |day: NaiveDate| ladder_values_among(store, ladder, day, true);
    Ok(Drift {
        year_ago,
        then: calibrate_ladder(&on(year_ago), upper_shares_bp)?,
        now: calibrate_ladder(&on(as_of), upper_shares_bp)?,
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
        field: crate::points::rules::SchemeField::Tiers,
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
    use crate::members::model::{Member, Purchase};
    use crate::points::calibrate::metric_values;
    use crate::points::rules::SchemeField;
    use crate::points::tiers::presets as tiers;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Members 1..=n joined on 2024-01-01; member i spends `yuan[i-1]` on `day`.
    fn store(spends: &[(u32, NaiveDate, i64)], members: u32) -> Store {
        let mut s = Store::default();
        for i in 1..=members {
            s.members.push(Member::new(
                MemberId(i.into()),
                format!("C{i}"),
                format!("M{i}"),
                d(2024, 1, 1),
            ));
        }
        for (k, &(m, day, yuan)) in spends.iter().enumerate() {
            s.purchases.push(Purchase {
                receipt: format!("R{k}"),
                member: MemberId(m.into()),
                at: day.and_hms_opt(12, 0, 0).unwrap(),
                amount: Money::from_major(yuan),
                store: String::new(),
                device: String::new(),
                lines: Vec::new(),
                staff: String::new(),
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

    /// Base tier and one tier above it, both on lifetime spend.
    fn lifetime_ladder() -> TierScheme {
        let mut t = tiers::online_shop();
        t.tiers.truncate(2);
        t.metric = Metric::LifetimeSpend;
        for x in &mut t.tiers {
            x.metric = None;
        }
        t
    }

    #[test]
    fn one_measure_calibrates_as_calibrate_does() {
        let day = d(2025, 3, 1);
        let spends: Vec<_> = (1..=20u32)
            .map(|i| (i, day, i64::from(i % 7) * 150))
            .collect();
        let s = store(&spends, 20);
        let ladder = tiers::online_shop();
        let values = ladder_values(&s, &ladder, d(2025, 6, 1));
        assert!(!values.mixed());
        let plain: Vec<i64> = metric_values(&s, ladder.metric, d(2025, 6, 1))
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        let shares = [1_500, 500, 100];
        assert_eq!(
            calibrate_ladder(&values, &shares).unwrap(),
            thresholds_for_shares(&plain, &shares).unwrap()
        );
        let own = [39_900, 68_800, 88_800];
        assert_eq!(
            ladder_shares(&values, &own),
            shares_for_thresholds(&plain, &own)
        );
    }

    /// Members 1..=8 spend 100 yuan a day on i days; member 9 spends 500
    /// and member 10 600 yuan on a single day.
    fn mixed_store() -> Store {
        let mut spends = Vec::new();
        for i in 1..=8u32 {
            for k in 0..i {
                spends.push((i, d(2025, 1, 1 + k), 100));
            }
        }
        spends.push((9, d(2025, 2, 1), 500));
        spends.push((10, d(2025, 2, 1), 600));
        store(&spends, 10)
    }

    /// Base, a tier on lifetime spend, a top tier on the biggest single day.
    fn mixed_ladder() -> TierScheme {
        let mut t = lifetime_ladder();
        let mut top = t.tiers[1].clone();
        top.name = "日冠".into();
        top.metric = Some(Metric::SingleDaySpend);
        t.tiers.push(top);
        t
    }

    #[test]
    fn a_tier_on_its_own_measure_is_calibrated_on_that_measure() {
        // Target 20 % in the lifetime tier and 10 % in the single-day tier.
        // Top down: the best single day is 600 (member 10) → 600 yuan. Among
        // the other nine, lifetime 800, 700 fit in the 30 % at or above the
        // lifetime tier; the next value (600) stays out → 700 yuan.
        // Calibrating on the ladder's measure alone would put the top tier at
        // 800 yuan of single-day spend, which nobody reaches.
        let s = mixed_store();
        let ladder = mixed_ladder();
        let values = ladder_values(&s, &ladder, d(2025, 6, 1));
        assert!(values.mixed());
        assert_eq!(
            values.metrics(),
            &[Metric::LifetimeSpend, Metric::SingleDaySpend]
        );
        let c = calibrate_ladder(&values, &[2_000, 1_000]).unwrap();
        assert_eq!(
            c.thresholds,
            vec![Money::from_major(700).0, Money::from_major(600).0]
        );
        assert_eq!(c.counts, vec![7, 2, 1]);
        assert_eq!(c.shares_bp, vec![7_000, 2_000, 1_000]);

        // Replay agrees: the ladder with these thresholds gives the same tiers.
        let mut scheme = presets::simple();
        scheme.tiers = ladder;
        for (t, v) in scheme.tiers.tiers.iter_mut().skip(1).zip(&c.thresholds) {
            t.threshold = *v;
        }
        let (_, trials) = try_schemes(&s, d(2025, 6, 1), &[scheme.clone()]);
        assert_eq!(trials[0].as_ref().unwrap().totals.tier_counts, c.counts);

        // And the shares of given thresholds are counted the same way.
        let own = ladder_shares(
            &values,
            &[Money::from_major(500).0, Money::from_major(500).0],
        );
        // Members 9 and 10 reach 500 in a day (top); 5..=8 reach 500 in all.
        assert_eq!(own.counts, vec![4, 4, 2]);
    }

    #[test]
    fn calibrated_mixed_ladders_validate_and_stay_within_the_targets() {
        let today = d(2026, 11, 23);
        let s = crate::demo::demo_store(7, today, crate::demo::DemoLanguage::English);
        let ladder = tiers::department_store();
        let values = ladder_values(&s, &ladder, today);
        assert!(values.mixed());
        for shares in [
            [1_500, 500, 100],
            [3_000, 1_000, 500],
            [0, 0, 0],
            [5_000, 3_000, 2_000],
        ] {
            let c = calibrate_ladder(&values, &shares).unwrap();
            let mut l = ladder.clone();
            for (t, v) in l.tiers.iter_mut().skip(1).zip(&c.thresholds) {
                t.threshold = *v;
            }
            assert_eq!(l.check(), Ok(()), "{shares:?} → {:?}", c.thresholds);
            assert_eq!(c.counts.iter().sum::<u32>() as usize, values.members());
            // At most the target share sits at or above each upper tier.
            let n = values.members() as u64;
            let mut at_or_above = 0u64;
            let mut target = 0u64;
            for k in (0..3).rev() {
                at_or_above += u64::from(c.counts[k + 1]);
                target += u64::from(shares[k]);
                assert!(
                    at_or_above * u64::from(WHOLE) <= target * n,
                    "{shares:?} tier {}",
                    k + 1
                );
            }
        }
        assert!(matches!(
            calibrate_ladder(&values, &[6_000, 3_000, 2_000]),
            Err(CalibrateError::SharesAboveWhole { .. })
        ));
    }

    #[test]
    fn drift_of_a_mixed_ladder_uses_each_tier_measure() {
        let s = mixed_store();
        let drift = threshold_drift(&s, &mixed_ladder(), &[2_000, 1_000], d(2025, 6, 1)).unwrap();
        assert_eq!(drift.now.thresholds[1], Money::from_major(600).0);
        // A year before, nobody had bought: the ladder is squeezed empty.
        assert_eq!(drift.then.counts, vec![10, 0, 0]);
    }

    #[test]
    fn the_bench_replays_candidates_against_one_baseline() {
        let s = mixed_store();
        let bench = Bench::new(&s, d(2025, 6, 1));
        let baseline = bench.baseline();
        let (base, trials) = try_schemes(&s, d(2025, 6, 1), &[presets::banded()]);
        assert_eq!(baseline.trial(), &base);
        assert_eq!(bench.trial(&baseline, &presets::banded()), trials[0]);
        assert_eq!(replays_for(&presets::simple()), 1);
        assert_eq!(replays_for(&presets::department_store()), 2);
    }

    #[test]
    fn presets_have_codes_and_are_recognised_by_their_engine_names() {
        for p in Preset::ALL {
            assert_eq!(Preset::from_code(p.code()), Some(p));
            assert_eq!(Preset::named(&p.scheme().name), Some(p));
            assert_eq!(p.scheme().check(), Ok(()));
        }
        assert_eq!(Preset::named("本店方案"), None);
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
        let drift = threshold_drift(&s, &lifetime_ladder(), &[1_000], d(2025, 6, 1)).unwrap();
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
        let drift = threshold_drift(&s, &lifetime_ladder(), &[5_000], d(2025, 6, 1)).unwrap();
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
        let r = crate::points::replay::replay_store(&s, d(2025, 6, 1)).unwrap();
        assert_eq!(r.members[0].tier, Some(0));
        assert_eq!(r.members[0].balance, 500);
        // Before the date the old ladder still reads the old way.
        let r = crate::points::replay::replay_store(&s, d(2024, 12, 31)).unwrap();
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
        s.earning.bands[1].multiplier = crate::points::rules::Milli(0);
        assert_eq!(s.check().unwrap_err().field, SchemeField::Band(1));
        let mut s = presets::simple();
        s.bonuses.referral = -1;
        assert_eq!(s.check().unwrap_err().field, SchemeField::ReferralBonus);
        let mut s = presets::simple();
        s.rewards.push(crate::points::scheme::Reward {
            id: "a".into(),
            name: "A".into(),
            points: 0,
            stock: None,
        });
        assert_eq!(s.check().unwrap_err().field, SchemeField::Reward(0));
        let mut s = presets::simple();
        s.tiers.tiers[3].benefits.points_multiplier = crate::points::rules::Milli(0);
        let p = s.check().unwrap_err();
        assert_eq!(p.field, SchemeField::Tier(3));
        assert_eq!(s.validate(), Err(p.error));
    }
}
