//! BG/NBD ("buy till you die", Fader, Hardie & Lee 2005): while active a
//! customer buys as a Poisson process (rate ~ Gamma(r, alpha)); after each
//! purchase they drop out with probability p (p ~ Beta(a, b)). Fitted by
//! maximum likelihood over log-parameters with Nelder-Mead and restarts.

use super::special::{ln_beta, ln_gamma, ln_hyp2f1, log_add_exp, nelder_mead};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One customer's history in model units: `frequency` repeat purchase
/// periods (purchases after the first, same-day purchases counted once),
/// `recency` the age at the last purchase and `age` (T) the time from the
/// first purchase to the end of observation, both in the chosen period.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Customer {
    pub frequency: u32,
    pub recency: f64,
    pub age: f64,
}

#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    pub params: BgNbdParams,
    pub log_likelihood: f64,
    pub customers: usize,
    pub repeat_buyers: usize,
}

/// Why a model could not be fitted. The UI words these.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FitError {
    /// No member has a purchase before the as-of date.
    NoCustomers,
    /// Too few members bought more than once for the model to learn
    /// anything about repeat behaviour.
    TooFewRepeatBuyers { found: usize, needed: usize },
    /// The optimiser ended on a non-finite likelihood or parameters.
    NoConvergence,
    /// The spend model needs a mean spend that exists (q > 1); this data
    /// gives none.
    Degenerate,
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::NoCustomers => write!(f, "no member has a purchase"),
            FitError::TooFewRepeatBuyers { found, needed } => write!(
                f,
                "only {found} members bought more than once; at least {needed} are needed"
            ),
            FitError::NoConvergence => write!(f, "the model fit did not converge"),
            FitError::Degenerate => write!(f, "the data gives no finite model"),
        }
    }
}

impl std::error::Error for FitError {}

/// Customers with identical histories share one likelihood term.
struct Groups {
    /// Distinct frequencies.
    xs: Vec<f64>,
    /// (index into xs, recency, age, count)
    rows: Vec<(usize, f64, f64, f64)>,
}

fn group(customers: &[Customer]) -> Groups {
    let mut x_index: HashMap<u32, usize> = HashMap::new();
    let mut xs = Vec::new();
    let mut counts: HashMap<(u32, u64, u64), f64> = HashMap::with_capacity(customers.len());
    for c in customers {
        x_index.entry(c.frequency).or_insert_with(|| {
            xs.push(c.frequency as f64);
            xs.len() - 1
        });
        *counts
            .entry((c.frequency, c.recency.to_bits(), c.age.to_bits()))
            .or_insert(0.0) += 1.0;
    }
    let mut rows: Vec<(usize, f64, f64, f64)> = counts
        .into_iter()
        .map(|((x, tx, t), n)| (x_index[&x], f64::from_bits(tx), f64::from_bits(t), n))
        .collect();
    // A fixed order makes the floating-point sum, and so the fit, repeatable.
    rows.sort_by(|p, q| {
        (p.0, p.1, p.2)
            .partial_cmp(&(q.0, q.1, q.2))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Groups { xs, rows }
}

fn log_likelihood_grouped(g: &Groups, p: &BgNbdParams) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *p;
    let ln_alpha = alpha.ln();
    let ln_gamma_r = ln_gamma(r);
    let ln_beta_ab = ln_beta(a, b);
    let ln_a = a.ln();
    // Per distinct frequency: the parts that do not depend on the times.
    let per_x: Vec<(f64, f64)> = g
        .xs
        .iter()
        .map(|&x| {
            let head = ln_gamma(r + x) - ln_gamma_r + r * ln_alpha + ln_beta(a, b + x) - ln_beta_ab;
            let drop = if x > 0.0 {
                ln_a - (b + x - 1.0).ln()
            } else {
                f64::NEG_INFINITY
            };
            (head, drop)
        })
        .collect();
    let mut total = 0.0;
    for &(xi, tx, t, n) in &g.rows {
        let x = g.xs[xi];
        let (head, drop) = per_x[xi];
        let alive = -(r + x) * (alpha + t).ln();
        let ll = if drop == f64::NEG_INFINITY {
            head + alive
        } else {
            head + log_add_exp(alive, drop - (r + x) * (alpha + tx).ln())
        };
        total += n * ll;
    }
    total
}

/// The log-likelihood of the customers under `p` (as lifetimes reports it:
/// the sum over customers, no penalty).
pub fn log_likelihood(customers: &[Customer], p: &BgNbdParams) -> f64 {
    log_likelihood_grouped(&group(customers), p)
}

fn params_from_logs(v: &[f64]) -> Option<BgNbdParams> {
    if v.iter().any(|x| !x.is_finite() || x.abs() > 30.0) {
        return None;
    }
    Some(BgNbdParams {
        r: v[0].exp(),
        alpha: v[1].exp(),
        a: v[2].exp(),
        b: v[3].exp(),
    })
}

/// Fits the model. Needs at least `min_repeat_buyers` customers with a
/// repeat purchase.
pub fn fit(customers: &[Customer], min_repeat_buyers: usize) -> Result<BgNbdFit, FitError> {
    if customers.is_empty() {
        return Err(FitError::NoCustomers);
    }
    let repeat_buyers = customers.iter().filter(|c| c.frequency > 0).count();
    let needed = min_repeat_buyers.max(1);
    if repeat_buyers < needed {
        return Err(FitError::TooFewRepeatBuyers {
            found: repeat_buyers,
            needed,
        });
    }
    let g = group(customers);
    let n = customers.len() as f64;
    let mean_age = customers.iter().map(|c| c.age).sum::<f64>() / n;
    let scale = mean_age.max(1e-3).ln();
    let objective = |v: &[f64]| match params_from_logs(v) {
        Some(p) => -log_likelihood_grouped(&g, &p),
        None => f64::INFINITY,
    };
    // Restarts from spread-out starting points guard against the simplex
    // stalling on a ridge; the best end point is then polished twice.
    let starts: [[f64; 4]; 3] = [
        [0.0, scale - 1.0, 0.0, 0.0],
        [-1.0, scale - 2.0, -0.5, 1.0],
        [0.5, scale, 0.5, 1.5],
    ];
    let mut best = None::<(Vec<f64>, f64)>;
    for s in &starts {
        let m = nelder_mead(objective, s, 0.5, 1e-12, 4_000);
        if best.as_ref().is_none_or(|(_, v)| m.value < *v) {
            best = Some((m.x, m.value));
        }
    }
    let (mut x, mut value) = best.ok_or(FitError::NoConvergence)?;
    for step in [0.1, 0.02] {
        let m = nelder_mead(objective, &x, step, 1e-14, 4_000);
        if m.value <= value {
            x = m.x;
            value = m.value;
        }
    }
    let params = params_from_logs(&x).ok_or(FitError::NoConvergence)?;
    if !value.is_finite() {
        return Err(FitError::NoConvergence);
    }
    Ok(BgNbdFit {
        params,
        log_likelihood: -value,
        customers: customers.len(),
        repeat_buyers,
    })
}

impl BgNbdParams {
    /// ln of the odds that the customer has dropped out, against still active.
    fn ln_dropout_odds(&self, c: &Customer) -> Option<f64> {
        if c.frequency == 0 {
            return None;
        }
        let x = c.frequency as f64;
        let BgNbdParams { r, alpha, a, b } = *self;
        let v = a.ln() - (b + x - 1.0).ln()
            + (r + x) * ((alpha + c.age).ln() - (alpha + c.recency).ln());
        Some(v)
    }

    /// Probability the customer is still active at the end of observation.
    /// Exactly 1 with no repeat purchase (the model cannot have seen them
    /// drop out); always finite and within [0, 1].
    pub fn p_alive(&self, c: &Customer) -> f64 {
        match self.ln_dropout_odds(c) {
            None => 1.0,
            Some(l) if l.is_nan() => 1.0,
            Some(l) if l > 700.0 => 0.0,
            Some(l) => (1.0 / (1.0 + l.exp())).clamp(0.0, 1.0),
        }
    }

    /// Expected number of purchases in the next `t` periods given the
    /// customer's history (FHL 2005, eq. 10). Never negative, never NaN.
    pub fn expected_purchases(&self, c: &Customer, t: f64) -> f64 {
        if t.is_nan() || t <= 0.0 {
            return 0.0;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let x = c.frequency as f64;
        let p_alive = self.p_alive(c);
        if p_alive == 0.0 {
            return 0.0;
        }
        let z = t / (alpha + c.age + t);
        let (ln_f, sign) = ln_hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        let ln_ratio = (r + x) * ((alpha + c.age).ln() - (alpha + c.age + t).ln());
        let tail = sign * (ln_ratio + ln_f).exp();
        let e = (a + b + x - 1.0) / (a - 1.0) * (1.0 - tail) * p_alive;
        if e.is_finite() && e >= 0.0 {
            e
        } else {
            // Outside the series' reach (a ~ 1 or extreme histories): the
            // bound "buys at the posterior mean rate while alive" instead.
            let rate = (r + x) / (alpha + c.age);
            let fallback = rate * t * p_alive;
            if fallback.is_finite() {
                fallback.max(0.0)
            } else {
                0.0
            }
        }
    }

    /// Expected purchases in (0, t] for a new customer (FHL 2005, eq. 9).
    pub fn expected_purchases_new(&self, t: f64) -> f64 {
        if t.is_nan() || t <= 0.0 {
            return 0.0;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let z = t / (alpha + t);
        let (ln_f, sign) = ln_hyp2f1(r, b, a + b - 1.0, z);
        let tail = sign * (r * (alpha / (alpha + t)).ln() + ln_f).exp();
        let e = (a + b - 1.0) / (a - 1.0) * (1.0 - tail);
        if e.is_finite() {
            e.max(0.0)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: BgNbdParams = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    #[test]
    fn no_repeat_means_certainly_alive() {
        let c = Customer {
            frequency: 0,
            recency: 0.0,
            age: 80.0,
        };
        assert_eq!(P.p_alive(&c), 1.0);
    }

    #[test]
    fn extreme_histories_stay_finite() {
        let c = Customer {
            frequency: 999,
            recency: 10.0,
            age: 100.0,
        };
        let p = P.p_alive(&c);
        assert!(p.is_finite() && (0.0..=1.0).contains(&p));
        let e = P.expected_purchases(&c, 52.0);
        assert!(e.is_finite() && e >= 0.0, "{e}");
        let busy = Customer {
            frequency: 999,
            recency: 100.0,
            age: 100.0,
        };
        let e = P.expected_purchases(&busy, 52.0);
        assert!(e.is_finite() && e > 100.0, "{e}");
    }

    #[test]
    fn a_customer_seen_only_at_birth_is_a_new_customer() {
        let c = Customer {
            frequency: 0,
            recency: 0.0,
            age: 0.0,
        };
        for t in [1.0, 10.0, 39.0, 78.0] {
            let a = P.expected_purchases(&c, t);
            let b = P.expected_purchases_new(t);
            assert!((a - b).abs() < 1e-9, "{t}: {a} vs {b}");
        }
    }
}
