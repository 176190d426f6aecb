//! Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"): a
//! customer's purchase values scatter around their own mean, and those
//! means vary across customers. Fitted on repeat buyers with positive mean
//! repeat spend; gives each customer's expected spend per purchase.

use super::bgnbd::{BgNbdParams, Customer, FitError};
use super::special::{digamma, fit_sample_then_all, ln_gamma};
use serde::{Deserialize, Serialize};

#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    pub params: GammaGammaParams,
    pub log_likelihood: f64,
    /// Repeat buyers with positive spend the fit used.
    pub customers: usize,
}

/// (repeat purchases, mean value of the repeat purchases).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Spender {
    pub frequency: u32,
    pub monetary: f64,
}

fn usable(s: &Spender) -> bool {
    s.frequency > 0 && s.monetary > 0.0 && s.monetary.is_finite()
}

pub fn log_likelihood(spenders: &[Spender], g: &GammaGammaParams) -> f64 {
    let GammaGammaParams { p, q, v } = *g;
    let base = -ln_gamma(q) + q * v.ln();
    spenders
        .iter()
        .filter(|s| usable(s))
        .map(|s| {
            let x = s.frequency as f64;
            let m = s.monetary;
            ln_gamma(p * x + q) - ln_gamma(p * x) + base + (p * x - 1.0) * m.ln() + p * x * x.ln()
                - (p * x + q) * (x * m + v).ln()
        })
        .sum()
}

/// Negative log-likelihood and gradient in (ln p, ln q, ln v), with the
/// gamma functions computed once per distinct frequency.
fn neg_ll_and_gradient(
    rows: &[(usize, f64, f64)],
    xs: &[(f64, f64)],
    w: &[f64],
    grad: &mut [f64],
) -> f64 {
    if w.iter().any(|x| !x.is_finite() || x.abs() > 30.0) {
        grad.iter_mut().for_each(|g| *g = 0.0);
        return f64::INFINITY;
    }
    let (p, q, v) = (w[0].exp(), w[1].exp(), w[2].exp());
    let ln_v = v.ln();
    let (lg_q, psi_q) = (ln_gamma(q), digamma(q));
    let (mut total, mut gp, mut gq, mut gv) = (0.0, 0.0, 0.0, 0.0);
    for &(x, n) in xs {
        let px = p * x;
        total += n * (ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_v + px * x.ln());
        let d = digamma(px + q);
        gp += n * x * (d - digamma(px) + x.ln());
        gq += n * (d - psi_q + ln_v);
        gv += n * q / v;
    }
    for &(xi, m, ln_m) in rows {
        let x = xs[xi].0;
        let px = p * x;
        let l = (x * m + v).ln();
        total += (px - 1.0) * ln_m - (px + q) * l;
        gp += x * (ln_m - l);
        gq -= l;
        gv -= (px + q) / (x * m + v);
    }
    grad[0] = -gp * p;
    grad[1] = -gq * q;
    grad[2] = -gv * v;
    -total
}

/// Rows (frequency index, m, ln m) and distinct frequencies with counts,
/// both sorted: the sums, and so the fit, do not depend on the order the
/// spenders come in.
#[allow(clippy::type_complexity)]
fn rows_of(spenders: &[Spender]) -> (Vec<(usize, f64, f64)>, Vec<(f64, f64)>) {
    let mut sorted: Vec<(u32, f64)> = spenders.iter().map(|s| (s.frequency, s.monetary)).collect();
    crate::order::sort_by_key_pair(&mut sorted, |a| {
        (i64::from(a.0), crate::order::float_key(a.1))
    });
    let mut xs: Vec<(f64, f64)> = Vec::new();
    let mut last = None;
    let rows = sorted
        .into_iter()
        .map(|(x, m)| {
            if last != Some(x) {
                xs.push((f64::from(x), 0.0));
                last = Some(x);
            }
            let xi = xs.len() - 1;
            xs[xi].1 += 1.0;
            (xi, m, m.ln())
        })
        .collect();
    (rows, xs)
}

/// Fits on the usable spenders (repeat buyers with positive mean spend);
/// members whose repeat spend is zero are left out of the fit, not failed.
pub fn fit(spenders: &[Spender], min_repeat_buyers: usize) -> Result<GammaGammaFit, FitError> {
    let used: Vec<Spender> = spenders.iter().copied().filter(usable).collect();
    let needed = min_repeat_buyers.max(2);
    if used.len() < needed {
        return Err(FitError::TooFewRepeatBuyers {
            found: used.len(),
            needed,
        });
    }
    let mean_m = used.iter().map(|s| s.monetary).sum::<f64>() / used.len() as f64;
    // Gradient search on an evenly spaced sample of the sorted rows (the
    // same whatever order the spenders came in), polish on all.
    let (rows, xs) = rows_of(&used);
    let stride = rows.len().div_ceil(super::bgnbd::SEARCH_ROWS).max(1);
    let sample = (stride > 1).then(|| {
        let picked: Vec<(usize, f64, f64)> = rows.iter().step_by(stride).copied().collect();
        let mut counts: Vec<(f64, f64)> = xs.iter().map(|&(x, _)| (x, 0.0)).collect();
        for r in &picked {
            counts[r.0].1 += 1.0;
        }
        (picked, counts)
    });
    let (search_rows, search_xs) = match &sample {
        Some((r, x)) => (r, x),
        None => (&rows, &xs),
    };
    let ln_mean = mean_m.ln();
    let starts: [&[f64]; 3] = [
        &[0.0, 0.0, ln_mean],
        &[1.0, 1.0, ln_mean + 1.0],
        &[2.0, 0.5, ln_mean],
    ];
    let mut on_all = |w: &[f64], g: &mut [f64]| neg_ll_and_gradient(&rows, &xs, w, g);
    let polished = fit_sample_then_all(
        &mut |w, g| neg_ll_and_gradient(search_rows, search_xs, w, g),
        search_rows.len(),
        match sample {
            Some(_) => Some(&mut on_all),
            None => None,
        },
        used.len(),
        &mut |w| neg_ll_and_gradient(search_rows, search_xs, w, &mut [0.0; 3]),
        &starts,
    )
    .ok_or(FitError::NoConvergence)?;
    let (w, value) = (polished.x, polished.value);
    if !value.is_finite() {
        return Err(FitError::NoConvergence);
    }
    let params = GammaGammaParams {
        p: w[0].exp(),
        q: w[1].exp(),
        v: w[2].exp(),
    };
    Ok(GammaGammaFit {
        params,
        log_likelihood: -value,
        customers: used.len(),
    })
}

impl GammaGammaParams {
    /// Population mean spend per purchase, p v / (q - 1); None when q <= 1
    /// (the mean does not exist).
    pub fn population_mean(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.p * self.v / (self.q - 1.0))
    }

    /// Expected spend per purchase for this customer: a weighted mean of
    /// the population mean and their own repeat mean. A customer without
    /// repeat purchases (or zero repeat spend) gets the population mean.
    pub fn expected_spend(&self, s: &Spender) -> Option<f64> {
        let GammaGammaParams { p, q, v } = *self;
        if s.frequency == 0 || s.monetary.is_nan() || s.monetary <= 0.0 || !s.monetary.is_finite() {
            return self.population_mean();
        }
        let x = s.frequency as f64;
        let e = p * (v + x * s.monetary) / (p * x + q - 1.0);
        (e.is_finite() && e >= 0.0).then_some(e)
    }
}

/// Customer lifetime value: expected spend per purchase times the expected
/// purchases in each month of 30 days up to `horizon` periods, discounted
/// monthly at `monthly_discount` (0.01 = 1%). `days_per_period` is 1 for
/// days and 7 for weeks. The last month may be partial.
pub fn clv(
    model: &BgNbdParams,
    c: &Customer,
    spend_per_purchase: f64,
    horizon: f64,
    days_per_period: f64,
    monthly_discount: f64,
) -> f64 {
    if spend_per_purchase.is_nan() || spend_per_purchase < 0.0 {
        return 0.0;
    }
    let v = spend_per_purchase
        * discounted_purchases(model, c, horizon, days_per_period, monthly_discount);
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// The discounted expected number of purchases over the horizon: CLV per
/// unit of spend per purchase. Depends only on the history, so members
/// with identical histories share it.
pub fn discounted_purchases(
    model: &BgNbdParams,
    c: &Customer,
    horizon: f64,
    days_per_period: f64,
    monthly_discount: f64,
) -> f64 {
    discounted_and_expected(model, c, horizon, days_per_period, monthly_discount).0
}

/// [`discounted_purchases`] and, when the monthly steps end on the horizon
/// (always, unless it is over 1,200 months away), the expected purchases
/// over the whole horizon, which the last step works out anyway. All the
/// monthly horizons share one evaluation of the hypergeometric series.
pub fn discounted_and_expected(
    model: &BgNbdParams,
    c: &Customer,
    horizon: f64,
    days_per_period: f64,
    monthly_discount: f64,
) -> (f64, Option<f64>) {
    let steps = MonthlySteps::new(horizon, days_per_period);
    let if_alive = steps.if_alive(model, c.frequency, c.age);
    steps.discounted_and_expected(model, c, &if_alive, monthly_discount)
}

/// A horizon cut into months (30 days; the last may be shorter), the steps
/// a lifetime value is discounted over.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthlySteps {
    horizon: f64,
    ends: Vec<f64>,
}

impl MonthlySteps {
    pub fn new(horizon: f64, days_per_period: f64) -> MonthlySteps {
        let mut ends: Vec<f64> = Vec::with_capacity(16);
        if !horizon.is_nan() && horizon > 0.0 {
            let month = 30.0 / days_per_period;
            let mut prev_t = 0.0;
            let mut i = 1;
            while prev_t < horizon && i <= 1200 {
                let t = (i as f64 * month).min(horizon);
                ends.push(t);
                prev_t = t;
                i += 1;
            }
        }
        MonthlySteps { horizon, ends }
    }

    /// Expected purchases by the end of each month for a customer with
    /// this frequency and age who is certainly active: the costly part,
    /// shared by every customer with that frequency and age.
    pub fn if_alive(&self, model: &BgNbdParams, frequency: u32, age: f64) -> Vec<f64> {
        let mut out = vec![0.0; self.ends.len()];
        model.expected_if_alive_many(frequency, age, &self.ends, &mut out);
        out
    }

    /// `c`'s discounted expected purchases and expected purchases over the
    /// whole horizon (see [`discounted_and_expected`]), from what
    /// [`MonthlySteps::if_alive`] gave for `c`'s frequency and age.
    pub fn discounted_and_expected(
        &self,
        model: &BgNbdParams,
        c: &Customer,
        if_alive: &[f64],
        monthly_discount: f64,
    ) -> (f64, Option<f64>) {
        if self.ends.is_empty() {
            return (0.0, None);
        }
        let p_alive = model.p_alive(c);
        let mut total = 0.0;
        let mut prev_e = 0.0;
        let mut last = 0.0;
        for (k, (&t, &g)) in self.ends.iter().zip(if_alive).enumerate() {
            let e = model.expected_given(c, p_alive, t, g);
            let step = (e - prev_e).max(0.0);
            total += step / (1.0 + monthly_discount).powi(k as i32 + 1);
            prev_e = e;
            last = e;
        }
        let at_horizon = match self.ends.last() {
            Some(&t) if t == self.horizon => Some(last),
            _ => None,
        };
        (if total.is_finite() { total } else { 0.0 }, at_horizon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sampled_search_still_ends_at_the_full_data_maximum() {
        // Repeat buyers with spends scattered around personal means: more
        // than the search sample, so the fit polishes on everyone.
        let spenders: Vec<Spender> = (0..3 * super::super::bgnbd::SEARCH_ROWS as u32)
            .map(|i| Spender {
                frequency: 1 + i % 9,
                monetary: 20.0 + f64::from((i * 7919) % 400) * 0.37 + f64::from(i % 13),
            })
            .collect();
        let fit = fit(&spenders, 1).unwrap();
        let (rows, xs) = rows_of(&spenders);
        let p = fit.params;
        super::super::special::assert_full_data_maximum(
            |w, grad| neg_ll_and_gradient(&rows, &xs, w, grad),
            &[p.p.ln(), p.q.ln(), p.v.ln()],
            fit.log_likelihood,
            spenders.len(),
        );
    }

    /// The month-by-month sum as first written: one expected-purchases
    /// evaluation (one hypergeometric series) per month.
    fn discounted_reference(
        model: &BgNbdParams,
        c: &Customer,
        horizon: f64,
        days_per_period: f64,
        monthly_discount: f64,
    ) -> f64 {
        if horizon.is_nan() || horizon <= 0.0 {
            return 0.0;
        }
        let month = 30.0 / days_per_period;
        let mut total = 0.0;
        let mut prev_t = 0.0;
        let mut prev_e = 0.0;
        let mut i = 1;
        while prev_t < horizon && i <= 1200 {
            let t = (i as f64 * month).min(horizon);
            let e = model.expected_purchases(c, t);
            let step = (e - prev_e).max(0.0);
            total += step / (1.0 + monthly_discount).powi(i);
            prev_t = t;
            prev_e = e;
            i += 1;
        }
        if total.is_finite() {
            total
        } else {
            0.0
        }
    }

    fn close(a: f64, b: f64) -> bool {
        a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
    }

    #[test]
    fn shared_series_gives_the_reference_clv() {
        let models = [
            // CDNOW (FHL 2005), a = 0.793 < 1.
            BgNbdParams {
                r: 0.243,
                alpha: 4.414,
                a: 0.793,
                b: 2.426,
            },
            BgNbdParams {
                r: 0.8,
                alpha: 12.0,
                a: 1.7,
                b: 5.5,
            },
            BgNbdParams {
                r: 2.5,
                alpha: 0.9,
                a: 0.2,
                b: 0.6,
            },
            BgNbdParams {
                r: 0.05,
                alpha: 60.0,
                a: 3.0,
                b: 40.0,
            },
            // a close to 1: the series' prefactor blows up.
            BgNbdParams {
                r: 0.4,
                alpha: 3.0,
                a: 1.0 + 1e-12,
                b: 2.0,
            },
        ];
        let mut checked = 0;
        for m in &models {
            for frequency in [0u32, 1, 5, 60, 300] {
                for (recency, age) in [
                    (0.0, 0.0),
                    (2.0, 40.0),
                    (38.0, 39.0),
                    (10.5, 77.25),
                    (400.0, 1500.0),
                ] {
                    let c = Customer {
                        frequency,
                        recency,
                        age,
                    };
                    for (horizon, period) in [(52.14, 7.0), (365.0, 1.0), (3.0, 7.0), (521.4, 7.0)]
                    {
                        for discount in [0.0, 0.05] {
                            let want = discounted_reference(m, &c, horizon, period, discount);
                            let (got, at) =
                                discounted_and_expected(m, &c, horizon, period, discount);
                            assert!(close(got, want), "{m:?} {c:?} {horizon}: {got} vs {want}");
                            if let Some(e) = at {
                                let want_e = m.expected_purchases(&c, horizon);
                                assert!(close(e, want_e), "{m:?} {c:?} {horizon}: {e} vs {want_e}");
                            } else {
                                panic!("the steps end on the horizon {horizon}");
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 5 * 5 * 5 * 4 * 2);
    }

    #[test]
    fn a_horizon_beyond_1200_months_stops_there_as_before() {
        let m = BgNbdParams {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        let c = Customer {
            frequency: 3,
            recency: 20.0,
            age: 30.0,
        };
        let horizon = 1300.0 * 30.0 / 7.0;
        let want = discounted_reference(&m, &c, horizon, 7.0, 0.01);
        let (got, at) = discounted_and_expected(&m, &c, horizon, 7.0, 0.01);
        assert!(close(got, want), "{got} vs {want}");
        assert_eq!(at, None);
    }
}
