//! BG/NBD ("buy till you die", Fader, Hardie & Lee 2005): while active a
//! customer buys as a Poisson process (rate ~ Gamma(r, alpha)); after each
//! purchase they drop out with probability p (p ~ Beta(a, b)). Fitted by
//! maximum likelihood over log-parameters with Nelder-Mead and restarts.

use super::special::{
    digamma, fit_sample_then_all, ln_beta, ln_gamma, ln_hyp2f1, ln_hyp2f1_many, log_add_exp,
};
use crate::fxhash::FxMap;
use serde::{Deserialize, Serialize};

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

/// Customers with identical histories share one likelihood term, and
/// histories share their times: a store has far fewer distinct recencies
/// and ages (whole days) than customers, so the logarithms of times are
/// worked out once per distinct time per evaluation.
struct Groups {
    /// Distinct frequencies.
    xs: Vec<f64>,
    /// Customers per distinct frequency.
    x_counts: Vec<f64>,
    /// Distinct recencies and ages.
    times: Vec<f64>,
    /// (index into xs, index of the recency and of the age in times, count)
    rows: Vec<(usize, usize, usize, f64)>,
}

fn group(customers: &[Customer]) -> Groups {
    let mut counts: FxMap<(u32, u64, u64), f64> = FxMap::default();
    counts.reserve(customers.len());
    for c in customers {
        *counts
            .entry((c.frequency, c.recency.to_bits(), c.age.to_bits()))
            .or_insert(0.0) += 1.0;
    }
    // Frequencies, rows and times in sorted order: the floating-point sums,
    // and so the fit, come out the same whatever order the customers are in.
    let mut frequencies: Vec<u32> = counts.keys().map(|k| k.0).collect();
    frequencies.sort_unstable();
    frequencies.dedup();
    let x_index: FxMap<u32, usize> = frequencies
        .iter()
        .enumerate()
        .map(|(i, &x)| (x, i))
        .collect();
    let xs: Vec<f64> = frequencies.iter().map(|&x| f64::from(x)).collect();
    let mut keyed: Vec<(usize, f64, f64, f64)> = counts
        .into_iter()
        .map(|((x, tx, t), n)| (x_index[&x], f64::from_bits(tx), f64::from_bits(t), n))
        .collect();
    // By (x, tx, t): the sort is stable, so by t first, then by the rest.
    use crate::order::{float_key, sort_by_key_pair};
    sort_by_key_pair(&mut keyed, |k| (float_key(k.2), 0));
    sort_by_key_pair(&mut keyed, |k| (k.0 as i64, float_key(k.1)));
    let mut time_index: FxMap<u64, usize> = FxMap::default();
    let mut times = Vec::new();
    let mut time = |t: f64| {
        *time_index.entry(t.to_bits()).or_insert_with(|| {
            times.push(t);
            times.len() - 1
        })
    };
    let rows: Vec<(usize, usize, usize, f64)> = keyed
        .into_iter()
        .map(|(xi, tx, t, n)| (xi, time(tx), time(t), n))
        .collect();
    let mut x_counts = vec![0.0; xs.len()];
    for r in &rows {
        x_counts[r.0] += r.3;
    }
    Groups {
        xs,
        x_counts,
        times,
        rows,
    }
}

impl Groups {
    /// Every `stride`-th distinct history, with its customers.
    fn every(&self, stride: usize) -> Groups {
        let rows: Vec<_> = self.rows.iter().step_by(stride.max(1)).copied().collect();
        let mut x_counts = vec![0.0; self.xs.len()];
        for r in &rows {
            x_counts[r.0] += r.3;
        }
        Groups {
            xs: self.xs.clone(),
            x_counts,
            times: self.times.clone(),
            rows,
        }
    }

    /// How many customers the groups stand for.
    fn customers(&self) -> usize {
        self.x_counts.iter().sum::<f64>() as usize
    }
}

/// Negative log-likelihood and its gradient with respect to the
/// log-parameters (ln r, ln alpha, ln a, ln b).
fn neg_ll_and_gradient(g: &Groups, v: &[f64], grad: &mut [f64]) -> f64 {
    let Some(p) = params_from_logs(v) else {
        grad.iter_mut().for_each(|x| *x = 0.0);
        return f64::INFINITY;
    };
    let BgNbdParams { r, alpha, a, b } = p;
    let ln_alpha = alpha.ln();
    let (ln_gamma_r, psi_r) = (ln_gamma(r), digamma(r));
    let ln_beta_ab = ln_beta(a, b);
    let (psi_ab, psi_b) = (digamma(a + b), digamma(b));
    let ln_a = a.ln();
    let mut total = 0.0;
    let (mut gr, mut ga_lpha, mut ga, mut gb) = (0.0, 0.0, 0.0, 0.0);
    struct PerX {
        drop: f64,
        inv_b: f64,
    }
    let per_x: Vec<PerX> = g
        .xs
        .iter()
        .zip(&g.x_counts)
        .map(|(&x, &n)| {
            let head = ln_gamma(r + x) - ln_gamma_r + r * ln_alpha + ln_beta(a, b + x) - ln_beta_ab;
            total += n * head;
            let psi_abx = digamma(a + b + x);
            gr += n * (digamma(r + x) - psi_r + ln_alpha);
            ga_lpha += n * r / alpha;
            ga += n * (psi_ab - psi_abx);
            gb += n * (digamma(b + x) - psi_abx - psi_b + psi_ab);
            if x > 0.0 {
                PerX {
                    drop: ln_a - (b + x - 1.0).ln(),
                    inv_b: 1.0 / (b + x - 1.0),
                }
            } else {
                PerX {
                    drop: f64::NEG_INFINITY,
                    inv_b: 0.0,
                }
            }
        })
        .collect();
    // ln(alpha + t) and 1 / (alpha + t) per distinct time.
    let per_time: Vec<(f64, f64)> = g
        .times
        .iter()
        .map(|&t| ((alpha + t).ln(), 1.0 / (alpha + t)))
        .collect();
    // The per-customer terms, summed over a slice of the rows.
    let part = |rows: &[(usize, usize, usize, f64)]| -> [f64; 5] {
        let (mut total, mut gr, mut ga_lpha, mut ga, mut gb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(xi, txi, ti, n) in rows {
            let x = g.xs[xi];
            let px = &per_x[xi];
            let (lt, inv_t) = per_time[ti];
            let alive = -(r + x) * lt;
            if px.drop == f64::NEG_INFINITY {
                total += n * alive;
                gr -= n * lt;
                ga_lpha -= n * (r + x) * inv_t;
                continue;
            }
            let (ltx, inv_tx) = per_time[txi];
            let dropped = px.drop - (r + x) * ltx;
            let (m, diff) = if dropped > alive {
                (dropped, alive - dropped)
            } else {
                (alive, dropped - alive)
            };
            let e = diff.exp();
            total += n * (m + e.ln_1p());
            // Weight of the "dropped out after the last purchase" branch.
            let w = if dropped > alive {
                1.0 / (1.0 + e)
            } else {
                e / (1.0 + e)
            };
            gr -= n * ((1.0 - w) * lt + w * ltx);
            ga_lpha -= n * (r + x) * ((1.0 - w) * inv_t + w * inv_tx);
            ga += n * w / a;
            gb -= n * w * px.inv_b;
        }
        [total, gr, ga_lpha, ga, gb]
    };
    // A row costs a few logarithms; measured on CDNOW's 8,685 distinct
    // histories, two threads per evaluation saved nothing.
    for p in super::parallel::sum_parts(&g.rows, 20_000, part) {
        total += p[0];
        gr += p[1];
        ga_lpha += p[2];
        ga += p[3];
        gb += p[4];
    }
    grad[0] = -gr * r;
    grad[1] = -ga_lpha * alpha;
    grad[2] = -ga * a;
    grad[3] = -gb * b;
    -total
}

/// Distinct histories the search from several starts sees before the
/// gradient polish on all.
pub(crate) const SEARCH_ROWS: usize = 1_000;

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
    let ln_time: Vec<f64> = g.times.iter().map(|&t| (alpha + t).ln()).collect();
    let mut total = 0.0;
    for &(xi, txi, ti, n) in &g.rows {
        let x = g.xs[xi];
        let (head, drop) = per_x[xi];
        let alive = -(r + x) * ln_time[ti];
        let ll = if drop == f64::NEG_INFINITY {
            head + alive
        } else {
            head + log_add_exp(alive, drop - (r + x) * ln_time[txi])
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
    let n = customers.len() as f64;
    let mean_age = customers.iter().map(|c| c.age).sum::<f64>() / n;
    let scale = mean_age.max(1e-3).ln();
    // The search, with restarts, runs on an evenly spaced sample of at most
    // SEARCH_ROWS distinct histories (taken from the sorted groups, so the
    // same whatever order the customers came in); the gradient polish then
    // runs on everyone, so the result is the full-data maximum either way.
    let all = group(customers);
    let stride = all.rows.len().div_ceil(SEARCH_ROWS).max(1);
    let sample = (stride > 1).then(|| all.every(stride));
    let search = sample.as_ref().unwrap_or(&all);
    let starts: [&[f64]; 3] = [
        &[0.0, scale - 1.0, 0.0, 0.0],
        &[-1.0, scale - 2.0, -0.5, 1.0],
        &[0.5, scale, 0.5, 1.5],
    ];
    let mut on_all = |v: &[f64], grad: &mut [f64]| neg_ll_and_gradient(&all, v, grad);
    let m = fit_sample_then_all(
        &mut |v, grad| neg_ll_and_gradient(search, v, grad),
        search.customers(),
        match sample {
            Some(_) => Some(&mut on_all),
            None => None,
        },
        customers.len(),
        &mut |v| match params_from_logs(v) {
            Some(p) => -log_likelihood_grouped(search, &p),
            None => f64::INFINITY,
        },
        &starts,
    )
    .ok_or(FitError::NoConvergence)?;
    let (x, value) = (m.x, m.value);
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
        let mut out = [0.0];
        self.expected_purchases_many(c, &[t], &mut out);
        out[0]
    }

    /// [`BgNbdParams::expected_purchases`] at several horizons `ts` (at
    /// most 16 share one series; more are taken in turn), with the same
    /// result for each bit for bit: `out[k]` answers `ts[k]`.
    pub fn expected_purchases_many(&self, c: &Customer, ts: &[f64], out: &mut [f64]) {
        self.expected_if_alive_many(c.frequency, c.age, ts, out);
        let p_alive = self.p_alive(c);
        for (o, &t) in out.iter_mut().zip(ts) {
            *o = self.expected_given(c, p_alive, t, *o);
        }
    }

    /// The part of [`BgNbdParams::expected_purchases`] that does not
    /// depend on when the last purchase was: expected purchases in (0, t]
    /// for a customer with this frequency and age who is certainly still
    /// active, at each horizon in `ts` (0 for a horizon that is not
    /// positive). Every customer with the same frequency and age shares it;
    /// [`BgNbdParams::expected_given`] finishes the answer.
    pub fn expected_if_alive_many(&self, frequency: u32, age: f64, ts: &[f64], out: &mut [f64]) {
        const CHUNK: usize = 16;
        let BgNbdParams { r, alpha, a, b } = *self;
        let x = frequency as f64;
        let mut zs = [0.0f64; CHUNK];
        let mut fs = [(0.0f64, 0.0f64); CHUNK];
        let mut which = [0usize; CHUNK];
        for (ts, out) in ts.chunks(CHUNK).zip(out.chunks_mut(CHUNK)) {
            let mut k = 0;
            for (j, &t) in ts.iter().enumerate() {
                out[j] = 0.0;
                if t.is_nan() || t <= 0.0 {
                    continue;
                }
                zs[k] = t / (alpha + age + t);
                which[k] = j;
                k += 1;
            }
            ln_hyp2f1_many(r + x, b + x, a + b + x - 1.0, &zs[..k], &mut fs[..k]);
            for (&j, &(ln_f, sign)) in which[..k].iter().zip(&fs[..k]) {
                let t = ts[j];
                let ln_ratio = (r + x) * ((alpha + age).ln() - (alpha + age + t).ln());
                let tail = sign * (ln_ratio + ln_f).exp();
                out[j] = (a + b + x - 1.0) / (a - 1.0) * (1.0 - tail);
            }
        }
    }

    /// Expected purchases in (0, t] for `c`, whose probability of being
    /// active is `p_alive`, from `if_alive` (what
    /// [`BgNbdParams::expected_if_alive_many`] gave for `t`). Never
    /// negative, never NaN.
    pub fn expected_given(&self, c: &Customer, p_alive: f64, t: f64, if_alive: f64) -> f64 {
        if t.is_nan() || t <= 0.0 || p_alive == 0.0 {
            return 0.0;
        }
        let e = if_alive * p_alive;
        if e.is_finite() && e >= 0.0 {
            return e;
        }
        // Outside the series' reach (a ~ 1 or extreme histories): the
        // bound "buys at the posterior mean rate while alive" instead.
        let BgNbdParams { r, alpha, .. } = *self;
        let rate = (r + c.frequency as f64) / (alpha + c.age);
        let fallback = rate * t * p_alive;
        if fallback.is_finite() {
            fallback.max(0.0)
        } else {
            0.0
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

#[cfg(test)]
mod gradient_tests {
    use super::*;

    /// Customers drawn from the model itself (a fixed pseudo-random
    /// stream).
    fn simulated(n: u32) -> Vec<Customer> {
        let mut s: u64 = 0x2545_F491_4F6C_DD1D;
        let mut uniform = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        (0..n)
            .map(|i| {
                let age = 20.0 + f64::from(i % 40);
                // Rate ~ exponential, dropout chance ~ uniform(0, 0.5).
                let rate = -uniform().ln() * 0.3;
                let p = uniform() * 0.5;
                let (mut t, mut x, mut last) = (0.0, 0u32, 0.0);
                loop {
                    t += -uniform().ln() / rate;
                    if t > age {
                        break;
                    }
                    x += 1;
                    last = t;
                    if uniform() < p {
                        break;
                    }
                }
                Customer {
                    frequency: x,
                    recency: (last * 7.0).round() / 7.0,
                    age,
                }
            })
            .collect()
    }

    #[test]
    fn a_sampled_search_still_ends_at_the_full_data_maximum() {
        let customers = simulated(10_000);
        let g = group(&customers);
        assert!(g.rows.len() > 2 * SEARCH_ROWS, "{} histories", g.rows.len());
        let fit = fit(&customers, 1).unwrap();
        let p = fit.params;
        super::super::special::assert_full_data_maximum(
            |v, grad| neg_ll_and_gradient(&g, v, grad),
            &[p.r.ln(), p.alpha.ln(), p.a.ln(), p.b.ln()],
            fit.log_likelihood,
            customers.len(),
        );
    }

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        let customers: Vec<Customer> = (0..200u32)
            .map(|i| Customer {
                frequency: i % 7,
                recency: if i % 7 == 0 { 0.0 } else { f64::from(i % 30) },
                age: 30.0 + f64::from(i % 11),
            })
            .collect();
        let g = group(&customers);
        let v = [-0.7, 1.2, -0.3, 0.8];
        let mut grad = [0.0; 4];
        let f0 = neg_ll_and_gradient(&g, &v, &mut grad);
        let p = params_from_logs(&v).unwrap();
        assert!((f0 + log_likelihood_grouped(&g, &p)).abs() < 1e-8);
        for k in 0..4 {
            let h = 1e-6;
            let mut up = v;
            up[k] += h;
            let mut dn = v;
            dn[k] -= h;
            let mut scratch = [0.0; 4];
            let num = (neg_ll_and_gradient(&g, &up, &mut scratch)
                - neg_ll_and_gradient(&g, &dn, &mut scratch))
                / (2.0 * h);
            assert!(
                (num - grad[k]).abs() < 1e-4 * (1.0 + num.abs()),
                "{k}: {num} vs {}",
                grad[k]
            );
        }
    }
}
