//! Analytics: segments, churn risk and lifetime value from purchase history
//! (issue 4), and programme health ([`health`]).
//! Everything is computed as of an explicit date from the store alone; the
//! models are documented with their defaults in docs/segments-and-churn.md.
//!
//! [`analyze_store`] never fails: when BG/NBD cannot be fitted the
//! [`Analysis`] carries the typed [`FitError`] and the model-based fields
//! are `None`, while RFM, the customer matrix, the pyramid and the value
//! classes still work.

pub mod bgnbd;
pub mod churn;
mod figures;
pub mod gamma_gamma;
pub mod health;
pub mod input;
mod parallel;
pub mod segments;
pub mod special;

pub use bgnbd::{BgNbdFit, BgNbdParams, Customer, FitError};
pub use churn::churn_reason_counts;
pub use gamma_gamma::{GammaGammaFit, GammaGammaParams, Spender};
pub use input::{Histories, HistoryBuilder};
pub use segments::{
    AttitudeLoyalty, LoyaltyValueCell, PyramidLayer, RfmSegment, Strategy, StrategyAction,
    ValueClass, ValueCurveCell,
};

use crate::members::model::MemberId;
use crate::money::Money;
use crate::points::replay::Replay;
use crate::points::tiers::TierIdx;
use crate::store::document::Store;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The time unit the models measure in. Purchases are always collapsed to
/// one per day; the period only scales time (a week is 7 days), so fitted
/// `alpha` changes with it while every prediction stays the same.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    #[default]
    Week,
}

impl Period {
    pub const ALL: [Period; 2] = [Period::Day, Period::Week];

    pub fn days(self) -> f64 {
        match self {
            Period::Day => 1.0,
            Period::Week => 7.0,
        }
    }
}

/// Which spend ranks members in the pyramid and for MVC.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueBasis {
    /// Net spend in the 365 days up to the as-of date.
    #[default]
    Last12Months,
    /// Net spend over the whole history.
    Total,
}

/// Every threshold the models use. `Default` gives the documented defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisSettings {
    pub period: Period,
    /// Forecast horizon for expected purchases, expected spend and CLV.
    pub horizon_days: u32,
    /// Monthly discount rate for CLV (0.01 = 1% a month).
    pub monthly_discount: f64,
    /// Fewer repeat buyers than this and the models are not fitted.
    pub min_repeat_buyers: usize,
    /// Loyalty is "high" strictly above this percentile of buying members.
    pub loyalty_split_percentile: u8,
    /// Total value, current value and potential value are "high" strictly
    /// above this percentile of buying members.
    pub value_split_percentile: u8,
    /// Pyramid shares of buying members in per mille, top down: A, B, C;
    /// D is the rest. Default 10 / 40 / 150 (1% / 4% / 15% / 80%).
    pub pyramid_permille: [u16; 3],
    pub value_basis: ValueBasis,
    /// MVC: this top percent of buying members by value.
    pub mvc_percent: u8,
    /// MGC: this top percent by growth gap (potential less current value).
    pub mgc_percent: u8,
    /// Gross margin on sales, in percent, for the BZC test.
    pub margin_percent: u8,
    /// Fixed yearly cost of serving one member (mailings, gifts, events).
    pub annual_cost_per_member: Money,
    /// A satisfaction score (0-10) at or above this is a high attitude.
    pub satisfaction_high: u8,
    /// At risk when P(active) falls below this ...
    pub at_risk_p_alive: f64,
    /// ... or when away longer than this many of their own average gaps.
    pub at_risk_overdue_ratio: f64,
    /// The top this-many tiers of the scheme count as VIP tiers.
    pub vip_top_tiers: u8,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        AnalysisSettings {
            period: Period::Week,
            horizon_days: 365,
            monthly_discount: 0.01,
            min_repeat_buyers: 10,
            loyalty_split_percentile: 50,
            value_split_percentile: 50,
            pyramid_permille: [10, 40, 150],
            value_basis: ValueBasis::Last12Months,
            mvc_percent: 5,
            mgc_percent: 10,
            margin_percent: 40,
            annual_cost_per_member: Money::ZERO,
            satisfaction_high: 7,
            at_risk_p_alive: 0.5,
            at_risk_overdue_ratio: 2.0,
            vip_top_tiers: 2,
        }
    }
}

/// What the points and tiers side knows about a member that bears on
/// value: their tier and what serving them costs. Build it with
/// [`member_context_from_replay`]; without it tiers are unknown and the
/// serving cost is only the fixed yearly cost.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberContext {
    pub tier: Option<TierIdx>,
    /// In one of the scheme's top `vip_top_tiers` tiers.
    pub vip_tier: bool,
    /// Value of the points earned in the last 12 months.
    pub points_cost: Money,
    /// The tier's discount in percent, applied to their spend.
    pub discount_percent: u8,
}

/// Tier, VIP-tier flag and points cost per member from a replay.
pub fn member_context_from_replay(
    store: &Store,
    replay: &Replay,
    settings: &AnalysisSettings,
) -> HashMap<MemberId, MemberContext> {
    let scheme = crate::points::checkout::scheme_on(store, replay.as_of);
    let tiers = scheme.tiers.tiers.len();
    let vip_from = tiers.saturating_sub(usize::from(settings.vip_top_tiers));
    let year_ago = replay.as_of - chrono::Duration::days(365);
    replay
        .members
        .iter()
        .map(|o| {
            let points: i64 = o
                .ledger
                .lots
                .iter()
                .filter(|l| l.earned > year_ago && l.points > 0)
                .map(|l| l.points)
                .sum();
            let cost = (points as i128 * scheme.point_value_milli as i128) / 1000;
            (
                o.member,
                MemberContext {
                    tier: o.tier,
                    vip_tier: o.tier.is_some_and(|t| usize::from(t) >= vip_from),
                    points_cost: Money(i64::try_from(cost).unwrap_or(i64::MAX)),
                    discount_percent: scheme.tiers.discount_percent(o.tier),
                },
            )
        })
        .collect()
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmScores {
    pub r: u8,
    pub f: u8,
    pub m: u8,
}

/// One member's figures and classes as of the analysis date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberAnalysis {
    pub member: MemberId,
    // Figures from the history (None without purchases).
    pub first_purchase: Option<NaiveDate>,
    pub last_purchase: Option<NaiveDate>,
    /// Days with a purchase (same-day receipts count once).
    pub purchase_days: u32,
    pub recency_days: Option<i64>,
    /// Days since the first purchase.
    pub tenure_days: Option<i64>,
    /// Net of returns.
    pub total_spend: Money,
    /// Per purchase day.
    pub average_spend: Option<Money>,
    pub spend_last_12_months: Money,
    pub average_gap_days: Option<f64>,
    /// Days away over the average gap: above 1 the member is late against
    /// their own rhythm.
    pub overdue_ratio: Option<f64>,
    // The model's view in periods (lifetimes' frequency, recency, T, monetary).
    pub frequency: u32,
    pub recency: f64,
    pub age: f64,
    /// Mean net spend of the repeat purchase days.
    pub monetary: Money,
    // Segments (None for members without purchases).
    pub rfm: Option<RfmScores>,
    pub rfm_segment: Option<RfmSegment>,
    /// Purchase days per year (at least a year of tenure counted), times
    /// P(active) when the model is fitted.
    pub loyalty: Option<f64>,
    pub loyalty_value_cell: Option<LoyaltyValueCell>,
    pub value_curve_cell: Option<ValueCurveCell>,
    pub strategy: Option<Strategy>,
    pub pyramid_layer: PyramidLayer,
    pub value_class: ValueClass,
    pub attitude: AttitudeLoyalty,
    pub tier: Option<TierIdx>,
    pub vip_tier: bool,
    /// Yearly cost of serving the member: points, tier discount, fixed cost.
    pub serving_cost: Money,
    // Model-based (None when the model could not be fitted or no purchases).
    pub p_alive: Option<f64>,
    pub expected_purchases: Option<f64>,
    pub expected_spend: Option<Money>,
    pub clv: Option<Money>,
}

impl MemberAnalysis {
    pub fn has_purchases(&self) -> bool {
        self.purchase_days > 0
    }

    /// Recommended actions for the member's strategy.
    pub fn actions(&self) -> &'static [StrategyAction] {
        self.strategy.map(Strategy::actions).unwrap_or(&[])
    }
}

/// The whole store's analysis as of one date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    pub as_of: NaiveDate,
    pub settings: AnalysisSettings,
    /// One per store member, in the store's member order.
    pub members: Vec<MemberAnalysis>,
    pub buyers: usize,
    pub bgnbd: Result<BgNbdFit, FitError>,
    pub gamma_gamma: Result<GammaGammaFit, FitError>,
}

impl Analysis {
    pub fn member(&self, id: MemberId) -> Option<&MemberAnalysis> {
        self.members.iter().find(|m| m.member == id)
    }

    /// Members per RFM segment, in [`RfmSegment::ALL`] order.
    pub fn rfm_counts(&self) -> Vec<(RfmSegment, usize)> {
        RfmSegment::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    self.members
                        .iter()
                        .filter(|m| m.rfm_segment == Some(*s))
                        .count(),
                )
            })
            .collect()
    }

    /// Members per pyramid layer, in [`PyramidLayer::ALL`] order.
    pub fn pyramid_counts(&self) -> Vec<(PyramidLayer, usize)> {
        PyramidLayer::ALL
            .iter()
            .map(|l| {
                (
                    *l,
                    self.members
                        .iter()
                        .filter(|m| m.pyramid_layer == *l)
                        .count(),
                )
            })
            .collect()
    }
}

fn money_of(x: f64) -> Money {
    if x.is_finite() {
        Money(x.round().clamp(i64::MIN as f64, i64::MAX as f64) as i64)
    } else {
        Money::ZERO
    }
}

fn value_of(basis: ValueBasis, f: &figures::Figures) -> i64 {
    match basis {
        ValueBasis::Last12Months => f.last_12_months.0,
        ValueBasis::Total => f.total.0,
    }
}

/// Pyramid layers for buyers' values: a member's rank is the number of
/// buyers with strictly more value, so ties share the higher layer.
/// Members with no value are D.
fn pyramid_layers(values: &[i64], permille: [u16; 3]) -> Vec<PyramidLayer> {
    let n = values.len();
    let mut sorted = values.to_vec();
    crate::order::sort_ints(&mut sorted);
    let cut = |pm: u32| (n * pm as usize).div_ceil(1000);
    let a = cut(u32::from(permille[0]));
    let b = cut(u32::from(permille[0]) + u32::from(permille[1]));
    let c = cut(u32::from(permille[0]) + u32::from(permille[1]) + u32::from(permille[2]));
    values
        .iter()
        .map(|&v| {
            if v <= 0 {
                return PyramidLayer::D;
            }
            let rank = n - sorted.partition_point(|&s| s <= v);
            if rank < a {
                PyramidLayer::A
            } else if rank < b {
                PyramidLayer::B
            } else if rank < c {
                PyramidLayer::C
            } else {
                PyramidLayer::D
            }
        })
        .collect()
}

/// Members in the top `percent` by `values` (only positive values count);
/// ties at the boundary are all in.
fn top_share(values: &[f64], percent: u8) -> Vec<bool> {
    let n = values.len();
    let k = (n * usize::from(percent.min(100))).div_ceil(100);
    let mut sorted = values.to_vec();
    crate::order::sort_floats(&mut sorted);
    values
        .iter()
        .map(|&v| v > 0.0 && n - sorted.partition_point(|&s| s <= v) < k)
        .collect()
}

/// What the two models read: each buyer's (frequency, recency, age) and
/// (frequency, mean repeat spend), with the history index of each.
struct ModelInputs {
    buyers: Vec<usize>,
    customers: Vec<Customer>,
    spenders: Vec<Spender>,
}

/// Straight from the histories: a fit needs none of the other figures.
fn model_inputs(
    histories: &Histories,
    as_of: NaiveDate,
    settings: &AnalysisSettings,
) -> ModelInputs {
    let period = settings.period.days();
    let mut m = ModelInputs {
        buyers: Vec::new(),
        customers: Vec::new(),
        spenders: Vec::new(),
    };
    for i in 0..histories.len() {
        let days = histories.days(i);
        let (Some(first), Some(last)) = (days.first(), days.last()) else {
            continue;
        };
        let frequency = days.len() as u32 - 1;
        m.buyers.push(i);
        m.customers.push(Customer {
            frequency,
            recency: (last.0 - first.0).num_days() as f64 / period,
            age: (as_of - first.0).num_days() as f64 / period,
        });
        // Spend is fitted in major units: the fit is scale-free but the
        // optimiser's starting points are tuned to everyday magnitudes.
        m.spenders.push(Spender {
            frequency,
            monetary: figures::repeat_mean(days) / 100.0,
        });
    }
    m
}

fn fit_both(
    customers: &[Customer],
    spenders: &[Spender],
    settings: &AnalysisSettings,
) -> (Result<BgNbdFit, FitError>, Result<GammaGammaFit, FitError>) {
    // The two fits are independent: on a big store each gets a core (the
    // spend fit is thrown away when the purchase model does not fit).
    let (bg, gg) = parallel::join(
        customers.len() >= 5_000,
        || bgnbd::fit(customers, settings.min_repeat_buyers),
        || gamma_gamma::fit(spenders, settings.min_repeat_buyers),
    );
    let gg = match &bg {
        Ok(_) => gg.and_then(|g| {
            if g.params.population_mean().is_some() {
                Ok(g)
            } else {
                Err(FitError::Degenerate)
            }
        }),
        Err(e) => Err(*e),
    };
    (bg, gg)
}

/// Only the two model fits (what `clientele fit` prints). Spend parameters
/// are in major units (yuan, dollars).
pub fn fit_models(
    store: &Store,
    as_of: NaiveDate,
    settings: &AnalysisSettings,
) -> (Result<BgNbdFit, FitError>, Result<GammaGammaFit, FitError>) {
    fit_histories(&Histories::of_store(store, as_of), as_of, settings)
}

/// [`fit_models`] on histories already cut at `as_of`.
pub fn fit_histories(
    histories: &Histories,
    as_of: NaiveDate,
    settings: &AnalysisSettings,
) -> (Result<BgNbdFit, FitError>, Result<GammaGammaFit, FitError>) {
    let m = model_inputs(histories, as_of, settings);
    fit_both(&m.customers, &m.spenders, settings)
}

/// Analyses every member without points-and-tiers context.
pub fn analyze_store(store: &Store, as_of: NaiveDate, settings: &AnalysisSettings) -> Analysis {
    analyze_store_with(store, as_of, settings, &HashMap::new())
}

/// Analyses every member, with tiers and serving costs from `context`
/// (see [`member_context_from_replay`]).
pub fn analyze_store_with(
    store: &Store,
    as_of: NaiveDate,
    settings: &AnalysisSettings,
    context: &HashMap<MemberId, MemberContext>,
) -> Analysis {
    analyze_histories(&Histories::of_store(store, as_of), as_of, settings, context)
}

/// [`analyze_store_with`] on histories already cut at `as_of`: what the
/// `clientele` command runs on a purchases file without building a store.
/// Members come out in the order of `histories`.
pub fn analyze_histories(
    histories: &Histories,
    as_of: NaiveDate,
    settings: &AnalysisSettings,
    context: &HashMap<MemberId, MemberContext>,
) -> Analysis {
    let figs: Vec<figures::Figures> = (0..histories.len())
        .map(|i| figures::figures(histories.days(i), as_of))
        .collect();
    let ModelInputs {
        buyers,
        customers,
        spenders,
    } = model_inputs(histories, as_of, settings);
    let period = settings.period.days();
    let (bg, gg) = fit_both(&customers, &spenders, settings);
    let horizon = f64::from(settings.horizon_days) / period;

    // Per buyer model outputs.
    let mut p_alive = vec![None; buyers.len()];
    let mut exp_purchases = vec![None; buyers.len()];
    let mut exp_spend = vec![None; buyers.len()];
    let mut clv = vec![None; buyers.len()];
    if let Ok(fit) = &bg {
        // Members with identical histories (all one-time buyers of the same
        // day, for one) share the model's answers.
        let mut slot: crate::fxhash::FxMap<(u32, u64, u64), usize> = Default::default();
        let mut distinct: Vec<Customer> = Vec::new();
        let which: Vec<usize> = customers
            .iter()
            .map(|c| {
                *slot
                    .entry((c.frequency, c.recency.to_bits(), c.age.to_bits()))
                    .or_insert_with(|| {
                        distinct.push(*c);
                        distinct.len() - 1
                    })
            })
            .collect();
        // The costly series depends only on frequency and age, which many
        // histories share (everyone who joined the same day and bought as
        // often), so it runs once per such pair; each pair costs a series
        // per month of the horizon (microseconds): worth a thread from a
        // few hundred.
        let steps = gamma_gamma::MonthlySteps::new(horizon, period);
        let mut pair_slot: crate::fxhash::FxMap<(u32, u64), usize> = Default::default();
        let mut pairs: Vec<(u32, f64)> = Vec::new();
        let pair_of: Vec<usize> = distinct
            .iter()
            .map(|c| {
                *pair_slot
                    .entry((c.frequency, c.age.to_bits()))
                    .or_insert_with(|| {
                        pairs.push((c.frequency, c.age));
                        pairs.len() - 1
                    })
            })
            .collect();
        let if_alive: Vec<Vec<f64>> =
            parallel::map(&pairs, 500, |&(x, age)| steps.if_alive(&fit.params, x, age));
        let answers: Vec<(f64, f64, f64)> = distinct
            .iter()
            .zip(&pair_of)
            .map(|(c, &pair)| {
                let (per_unit, at_horizon) = steps.discounted_and_expected(
                    &fit.params,
                    c,
                    &if_alive[pair],
                    settings.monthly_discount,
                );
                let e = at_horizon.unwrap_or_else(|| fit.params.expected_purchases(c, horizon));
                (fit.params.p_alive(c), e, per_unit)
            })
            .collect();
        for k in 0..customers.len() {
            let (p, e, per_unit) = answers[which[k]];
            p_alive[k] = Some(p);
            exp_purchases[k] = Some(e);
            if let Ok(g) = &gg {
                if let Some(per) = g.params.expected_spend(&spenders[k]) {
                    exp_spend[k] = Some(money_of(e * per * 100.0));
                    clv[k] = Some(money_of(per_unit * per * 100.0));
                }
            }
        }
    }

    // Loyalty and value splits among buyers.
    let loyalty: Vec<f64> = buyers
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let f = &figs[i];
            let years = (f.tenure_days.unwrap_or(0) + 1).max(365) as f64 / 365.0;
            f64::from(f.purchase_days) / years * p_alive[k].unwrap_or(1.0)
        })
        .collect();
    let totals: Vec<f64> = buyers.iter().map(|&i| figs[i].total.0 as f64).collect();
    let current: Vec<f64> = buyers
        .iter()
        .map(|&i| figs[i].last_12_months.0 as f64)
        .collect();
    let loyalty_split = segments::split_value(&loyalty, settings.loyalty_split_percentile);
    let total_split = segments::split_value(&totals, settings.value_split_percentile);
    let current_split = segments::split_value(&current, settings.value_split_percentile);
    let potential: Option<Vec<f64>> = exp_spend
        .iter()
        .map(|e| e.map(|m: Money| m.0 as f64))
        .collect();
    let potential_split = potential
        .as_ref()
        .and_then(|p| segments::split_value(p, settings.value_split_percentile));

    // RFM among buyers.
    let r_scores = segments::quintile_scores(
        &buyers
            .iter()
            .map(|&i| figs[i].recency_days.unwrap_or(0) as f64)
            .collect::<Vec<_>>(),
        false,
    );
    let f_scores = segments::quintile_scores(
        &buyers
            .iter()
            .map(|&i| f64::from(figs[i].purchase_days))
            .collect::<Vec<_>>(),
        true,
    );
    let m_scores = segments::quintile_scores(&totals, true);

    // Pyramid and value classes.
    let basis: Vec<i64> = buyers
        .iter()
        .map(|&i| value_of(settings.value_basis, &figs[i]))
        .collect();
    let layers = pyramid_layers(&basis, settings.pyramid_permille);
    let mvc = top_share(
        &basis.iter().map(|&v| v as f64).collect::<Vec<_>>(),
        settings.mvc_percent,
    );
    let growth: Option<Vec<f64>> = potential.as_ref().map(|p| {
        p.iter()
            .zip(&current)
            .map(|(pot, cur)| pot - cur * f64::from(settings.horizon_days) / 365.0)
            .collect()
    });
    let mgc = growth
        .as_ref()
        .map(|g| top_share(g, settings.mgc_percent))
        .unwrap_or_else(|| vec![false; buyers.len()]);

    let mut buyer_slot = vec![usize::MAX; figs.len()];
    for (k, &i) in buyers.iter().enumerate() {
        buyer_slot[i] = k;
    }
    let high = |v: f64, split: Option<f64>| split.is_some_and(|s| v > s);

    let members = (0..histories.len())
        .map(|i| {
            let f = &figs[i];
            let member = histories.member(i);
            let ctx = context.get(&member).copied().unwrap_or_default();
            let discount_cost = if ctx.discount_percent > 0 && ctx.discount_percent < 100 {
                f.last_12_months.mul_div_floor(
                    i64::from(ctx.discount_percent),
                    100 - i64::from(ctx.discount_percent),
                )
            } else {
                Money::ZERO
            };
            let serving_cost = ctx.points_cost + discount_cost + settings.annual_cost_per_member;
            let high_attitude = histories
                .satisfaction(i)
                .map(|s| s >= settings.satisfaction_high);
            let k = buyer_slot[i];
            if k == usize::MAX {
                return MemberAnalysis {
                    member,
                    first_purchase: None,
                    last_purchase: None,
                    purchase_days: 0,
                    recency_days: None,
                    tenure_days: None,
                    total_spend: Money::ZERO,
                    average_spend: None,
                    spend_last_12_months: Money::ZERO,
                    average_gap_days: None,
                    overdue_ratio: None,
                    frequency: 0,
                    recency: 0.0,
                    age: 0.0,
                    monetary: Money::ZERO,
                    rfm: None,
                    rfm_segment: None,
                    loyalty: None,
                    loyalty_value_cell: None,
                    value_curve_cell: None,
                    strategy: None,
                    pyramid_layer: PyramidLayer::D,
                    value_class: ValueClass::None,
                    attitude: AttitudeLoyalty::of(high_attitude, false),
                    tier: ctx.tier,
                    vip_tier: ctx.vip_tier,
                    serving_cost,
                    p_alive: None,
                    expected_purchases: None,
                    expected_spend: None,
                    clv: None,
                };
            }
            let c = customers[k];
            let (r, fs, ms) = (r_scores[k], f_scores[k], m_scores[k]);
            let high_loyalty = high(loyalty[k], loyalty_split);
            let cell = LoyaltyValueCell::of(high_loyalty, high(totals[k], total_split));
            let curve = potential.as_ref().map(|p| {
                ValueCurveCell::of(high(current[k], current_split), high(p[k], potential_split))
            });
            let margin = f
                .last_12_months
                .mul_div_floor(i64::from(settings.margin_percent.min(100)), 100);
            let value_class = if mvc[k] {
                ValueClass::Mvc
            } else if serving_cost > margin {
                ValueClass::Bzc
            } else if mgc[k] {
                ValueClass::Mgc
            } else {
                ValueClass::None
            };
            MemberAnalysis {
                member,
                first_purchase: f.first,
                last_purchase: f.last,
                purchase_days: f.purchase_days,
                recency_days: f.recency_days,
                tenure_days: f.tenure_days,
                total_spend: f.total,
                average_spend: f.average,
                spend_last_12_months: f.last_12_months,
                average_gap_days: f.average_gap_days,
                overdue_ratio: f.overdue_ratio,
                frequency: c.frequency,
                recency: c.recency,
                age: c.age,
                monetary: money_of(f.repeat_mean),
                rfm: Some(RfmScores { r, f: fs, m: ms }),
                rfm_segment: Some(RfmSegment::of(r, fs, ms)),
                loyalty: Some(loyalty[k]),
                loyalty_value_cell: Some(cell),
                value_curve_cell: curve,
                strategy: Some(Strategy::of(cell, curve)),
                pyramid_layer: layers[k],
                value_class,
                attitude: AttitudeLoyalty::of(high_attitude, high_loyalty),
                tier: ctx.tier,
                vip_tier: ctx.vip_tier,
                serving_cost,
                p_alive: p_alive[k],
                expected_purchases: exp_purchases[k],
                expected_spend: exp_spend[k],
                clv: clv[k],
            }
        })
        .collect();

    Analysis {
        as_of,
        settings: settings.clone(),
        members,
        buyers: buyers.len(),
        bgnbd: bg,
        gamma_gamma: gg,
    }
}

/// A member who changed pyramid layer between two dates.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PyramidMove {
    pub member: MemberId,
    pub from: PyramidLayer,
    pub to: PyramidLayer,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PyramidMovements {
    /// Towards A, best first.
    pub up: Vec<PyramidMove>,
    /// Towards D.
    pub down: Vec<PyramidMove>,
    /// Members per layer [A, B, C, D] on each date.
    pub from_counts: [usize; 4],
    pub to_counts: [usize; 4],
}

fn layers_on(store: &Store, as_of: NaiveDate, settings: &AnalysisSettings) -> Vec<PyramidLayer> {
    let days = figures::purchase_days(store, as_of);
    let figs: Vec<figures::Figures> = days.iter().map(|d| figures::figures(d, as_of)).collect();
    let buyers: Vec<usize> = (0..figs.len())
        .filter(|&i| figs[i].purchase_days > 0)
        .collect();
    let basis: Vec<i64> = buyers
        .iter()
        .map(|&i| value_of(settings.value_basis, &figs[i]))
        .collect();
    let mut out = vec![PyramidLayer::D; figs.len()];
    for (k, l) in pyramid_layers(&basis, settings.pyramid_permille)
        .into_iter()
        .enumerate()
    {
        out[buyers[k]] = l;
    }
    out
}

/// Who moved up or down a pyramid layer between `from` and `to` (members
/// without purchases sit in D).
pub fn pyramid_movements(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    settings: &AnalysisSettings,
) -> PyramidMovements {
    let before = layers_on(store, from, settings);
    let after = layers_on(store, to, settings);
    let mut out = PyramidMovements::default();
    for (i, m) in store.members.iter().enumerate() {
        let (a, b) = (before[i], after[i]);
        out.from_counts[a as usize] += 1;
        out.to_counts[b as usize] += 1;
        let mv = PyramidMove {
            member: m.id,
            from: a,
            to: b,
        };
        match b.cmp(&a) {
            std::cmp::Ordering::Less => out.up.push(mv),
            std::cmp::Ordering::Greater => out.down.push(mv),
            std::cmp::Ordering::Equal => {}
        }
    }
    let key = |layer: PyramidLayer, m: MemberId| (layer as i64, m.sort_key());
    crate::order::sort_by_key_pair(&mut out.up, |m| key(m.to, m.member));
    crate::order::sort_by_key_pair(&mut out.down, |m| key(m.from, m.member));
    out
}

/// Why a member counts as a VIP.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VipBasis {
    TopTier,
    PyramidA,
    PyramidB,
    Mvc,
    RfmChampion,
    RfmCantLoseThem,
}

/// Why a VIP counts as at risk.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskSignal {
    /// P(active) below the threshold.
    LowPAlive,
    /// Away longer than the threshold times their own average gap.
    Overdue,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtRiskVip {
    pub member: MemberId,
    pub vip: Vec<VipBasis>,
    pub signals: Vec<RiskSignal>,
    /// CLV when the model is fitted, otherwise the last 12 months' spend.
    pub value_at_stake: Money,
    pub p_alive: Option<f64>,
    pub overdue_ratio: Option<f64>,
}

/// VIPs (top tiers, pyramid A/B, MVC, RFM champions and can't-lose) whose
/// P(active) fell below the threshold or who are overdue against their own
/// rhythm, ranked by the value at stake (largest first).
pub fn at_risk_vips(analysis: &Analysis) -> Vec<AtRiskVip> {
    let s = &analysis.settings;
    let mut out: Vec<AtRiskVip> = analysis
        .members
        .iter()
        .filter(|m| m.has_purchases())
        .filter_map(|m| {
            let mut vip = Vec::new();
            if m.vip_tier {
                vip.push(VipBasis::TopTier);
            }
            match m.pyramid_layer {
                PyramidLayer::A => vip.push(VipBasis::PyramidA),
                PyramidLayer::B => vip.push(VipBasis::PyramidB),
                _ => {}
            }
            if m.value_class == ValueClass::Mvc {
                vip.push(VipBasis::Mvc);
            }
            match m.rfm_segment {
                Some(RfmSegment::Champions) => vip.push(VipBasis::RfmChampion),
                Some(RfmSegment::CantLoseThem) => vip.push(VipBasis::RfmCantLoseThem),
                _ => {}
            }
            if vip.is_empty() {
                return None;
            }
            let mut signals = Vec::new();
            if m.p_alive.is_some_and(|p| p < s.at_risk_p_alive) {
                signals.push(RiskSignal::LowPAlive);
            }
            if m.overdue_ratio.is_some_and(|o| o > s.at_risk_overdue_ratio) {
                signals.push(RiskSignal::Overdue);
            }
            if signals.is_empty() {
                return None;
            }
            Some(AtRiskVip {
                member: m.member,
                vip,
                signals,
                value_at_stake: m.clv.unwrap_or(m.spend_last_12_months),
                p_alive: m.p_alive,
                overdue_ratio: m.overdue_ratio,
            })
        })
        .collect();
    crate::order::sort_by_key_pair(&mut out, |a| (!a.value_at_stake.0, a.member.sort_key()));
    out
}
