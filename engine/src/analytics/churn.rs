//! Churn reasons recorded on members, counted over the fixed taxonomy.

use crate::members::model::ChurnReason;
use crate::store::document::Store;

/// Members per churn reason, in [`ChurnReason::ALL`] order (zeros included,
/// so the console can show the whole taxonomy).
pub fn churn_reason_counts(store: &Store) -> Vec<(ChurnReason, usize)> {
    let mut counts = [0usize; ChurnReason::ALL.len()];
    for m in &store.members {
        if let Some(c) = &m.churn {
            if let Some(i) = ChurnReason::ALL.iter().position(|r| *r == c.reason) {
                counts[i] += 1;
            }
        }
    }
    ChurnReason::ALL.iter().copied().zip(counts).collect()
}
