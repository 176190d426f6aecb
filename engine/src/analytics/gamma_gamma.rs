//! Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"): a
//! customer's purchase values scatter around their own mean, and those
//! means vary across customers. Fitted on repeat buyers with positive mean
//! repeat spend; gives each customer's expected spend per purchase.

use super::bgnbd::{BgNbdParams, Customer, FitError};
use super::special::{ln_gamma, nelder_mead};
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
    let objective = |w: &[f64]| {
        if w.iter().any(|x| !x.is_finite() || x.abs() > 30.0) {
            return f64::INFINITY;
        }
        let g = GammaGammaParams {
            p: w[0].exp(),
            q: w[1].exp(),
            v: w[2].exp(),
        };
        -log_likelihood(&used, &g)
    };
    let starts = [
        [0.0, 0.0, mean_m.ln()],
        [1.0, 1.0, mean_m.ln() + 1.0],
        [2.0, 0.5, mean_m.ln()],
    ];
    let mut best = None::<(Vec<f64>, f64)>;
    for s in &starts {
        let m = nelder_mead(objective, s, 0.5, 1e-12, 4_000);
        if best.as_ref().is_none_or(|(_, v)| m.value < *v) {
            best = Some((m.x, m.value));
        }
    }
    let (mut w, mut value) = best.ok_or(FitError::NoConvergence)?;
    for step in [0.1, 0.02] {
        let m = nelder_mead(objective, &w, step, 1e-14, 4_000);
        if m.value <= value {
            w = m.x;
            value = m.value;
        }
    }
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
    if horizon.is_nan() || horizon <= 0.0 || spend_per_purchase.is_nan() || spend_per_purchase < 0.0
    {
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
        total += step * spend_per_purchase / (1.0 + monthly_discount).powi(i);
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
