//! Did it work (效果): for each message occasion, how many messages were
//! sent and how many of them were followed by a purchase within 14 and 30
//! days. A send counts toward a window only once the window has passed,
//! so a message sent yesterday does not lower the rate; a purchase counts
//! from the day after the send (a contact logged at the counter on the
//! day of a sale is not its cause).

use crate::care::log::{Contact, ContactKind};
use crate::members::model::{MemberId, Purchase};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The windows results are counted in, in days.
pub const WINDOWS: [i64; 2] = [14, 30];

/// One occasion's results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OccasionResult {
    /// `care::message::Occasion::code`.
    pub occasion: String,
    pub sent: usize,
    /// Per window of [`WINDOWS`]: sends whose window has passed, and how
    /// many of those were followed by a purchase within it.
    pub matured: [usize; 2],
    pub bought: [usize; 2],
}

/// Results of the messages sent on or before `as_of`, by occasion (in
/// code order).
pub fn message_results(
    contacts: &[Contact],
    purchases: &[Purchase],
    as_of: NaiveDate,
) -> Vec<OccasionResult> {
    let sends: Vec<&Contact> = contacts
        .iter()
        .filter(|c| c.kind == ContactKind::Message && !c.occasion.is_empty() && c.on <= as_of)
        .collect();
    let reached: HashSet<MemberId> = sends.iter().map(|c| c.member).collect();
    let mut bought: HashMap<MemberId, Vec<NaiveDate>> = HashMap::new();
    for p in purchases.iter().filter(|p| reached.contains(&p.member)) {
        if p.amount.0 > 0 {
            bought.entry(p.member).or_default().push(p.date());
        }
    }
    bought.values_mut().for_each(|d| d.sort_unstable());
    let mut out: BTreeMap<&str, OccasionResult> = BTreeMap::new();
    for c in sends {
        let r = out.entry(c.occasion.as_str()).or_default();
        r.sent += 1;
        let days = bought.get(&c.member).map(Vec::as_slice).unwrap_or(&[]);
        // The first purchase after the day of the send.
        let next = days.get(days.partition_point(|d| *d <= c.on));
        for (i, w) in WINDOWS.iter().enumerate() {
            if (as_of - c.on).num_days() < *w {
                continue;
            }
            r.matured[i] += 1;
            if next.is_some_and(|d| (*d - c.on).num_days() <= *w) {
                r.bought[i] += 1;
            }
        }
    }
    out.into_iter()
        .map(|(code, mut r)| {
            r.occasion = code.to_string();
            r
        })
        .collect()
}
