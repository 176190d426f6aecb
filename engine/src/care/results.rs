//! Did it work (效果): for each message occasion, how many messages were
//! sent and how many of them were followed by a purchase within 14 and 30
//! days. A send counts toward a window only once the window has passed,
//! so a message sent yesterday does not lower the rate; a purchase counts
//! from the day after the send (a contact logged at the counter on the
//! day of a sale is not its cause).

use crate::care::log::{Contact, ContactKind};
use crate::care::today::{MarkAction, TodayMark, Trigger};
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
    /// The hold-out group's items of this occasion (not contacted), and as
    /// for sends: those whose window has passed, and of them how many
    /// bought within it anyway. The difference between the two rates is
    /// what the messages changed.
    pub held: usize,
    pub held_matured: [usize; 2],
    pub held_bought: [usize; 2],
}

/// Results of the messages sent on or before `as_of`, by occasion (in
/// code order), beside the hold-out group's items set aside in `marks`.
pub fn message_results(
    contacts: &[Contact],
    marks: &[TodayMark],
    purchases: &[Purchase],
    as_of: NaiveDate,
) -> Vec<OccasionResult> {
    let sends: Vec<&Contact> = contacts
        .iter()
        .filter(|c| c.kind == ContactKind::Message && !c.occasion.is_empty() && c.on <= as_of)
        .collect();
    // Each held-out item once (two devices may both have set it aside).
    let mut held: Vec<(MemberId, NaiveDate, &'static str)> = Vec::new();
    let mut seen: HashSet<(MemberId, &str)> = HashSet::new();
    for m in marks {
        if m.action != MarkAction::HeldOut || m.on > as_of || !seen.insert((m.member, &m.key)) {
            continue;
        }
        if let Some(t) = Trigger::of_key(&m.key) {
            held.push((m.member, m.on, t.occasion().code()));
        }
    }
    let reached: HashSet<MemberId> = sends
        .iter()
        .map(|c| c.member)
        .chain(held.iter().map(|h| h.0))
        .collect();
    let mut bought: HashMap<MemberId, Vec<NaiveDate>> = HashMap::new();
    for p in purchases.iter().filter(|p| reached.contains(&p.member)) {
        if p.amount.0 > 0 {
            bought.entry(p.member).or_default().push(p.date());
        }
    }
    bought.values_mut().for_each(|d| d.sort_unstable());
    // Per window: (passed, bought within it) for a member from a day.
    let outcome = |member: MemberId, on: NaiveDate| {
        let days = bought.get(&member).map(Vec::as_slice).unwrap_or(&[]);
        // The first purchase after the day itself.
        let next = days.get(days.partition_point(|d| *d <= on));
        WINDOWS.map(|w| {
            let passed = (as_of - on).num_days() >= w;
            (
                passed,
                passed && next.is_some_and(|d| (*d - on).num_days() <= w),
            )
        })
    };
    let mut out: BTreeMap<&str, OccasionResult> = BTreeMap::new();
    for c in sends {
        let r = out.entry(c.occasion.as_str()).or_default();
        r.sent += 1;
        for (i, (passed, yes)) in outcome(c.member, c.on).into_iter().enumerate() {
            r.matured[i] += usize::from(passed);
            r.bought[i] += usize::from(yes);
        }
    }
    for (member, on, occasion) in held {
        let r = out.entry(occasion).or_default();
        r.held += 1;
        for (i, (passed, yes)) in outcome(member, on).into_iter().enumerate() {
            r.held_matured[i] += usize::from(passed);
            r.held_bought[i] += usize::from(yes);
        }
    }
    out.into_iter()
        .map(|(code, mut r)| {
            r.occasion = code.to_string();
            r
        })
        .collect()
}
