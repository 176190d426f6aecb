//! The stored care data: the contact log and the members' maintenance
//! plans (VIP客户营销维护计划表), as the store keeps them, with the edits
//! staff make to them. The lists derived from it live in [`super::work`].

use crate::members::ids::{DeviceTag, MAX_SERIAL};
use crate::members::model::{Member, MemberId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How staff reached a member.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Call,
    Visit,
    Message,
    Gift,
    Event,
}

impl ContactKind {
    pub const ALL: [ContactKind; 5] = [
        ContactKind::Call,
        ContactKind::Visit,
        ContactKind::Message,
        ContactKind::Gift,
        ContactKind::Event,
    ];
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactOutcome {
    Reached,
    NoAnswer,
    Interested,
    Bought,
    Declined,
    Complaint,
}

impl ContactOutcome {
    pub const ALL: [ContactOutcome; 6] = [
        ContactOutcome::Reached,
        ContactOutcome::NoAnswer,
        ContactOutcome::Interested,
        ContactOutcome::Bought,
        ContactOutcome::Declined,
        ContactOutcome::Complaint,
    ];

    /// A call nobody answered does not count toward the call plan.
    pub fn reached(self) -> bool {
        self != ContactOutcome::NoAnswer
    }
}

/// One entry in the contact log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub member: MemberId,
    pub on: NaiveDate,
    pub kind: ContactKind,
    pub outcome: ContactOutcome,
    #[serde(default)]
    pub staff: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The shop the contact was made from (the device's shop), if known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub shop: String,
    /// The device it was logged on (its name in Settings → Sync), when the
    /// store is shared by several.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub device: String,
    /// The message's occasion (`care::message::Occasion::code`) when a
    /// template was sent: what the results count by.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub occasion: String,
}

/// An item of a member's maintenance plan (VIP客户营销维护计划表): what to
/// do, when, by whom, and whether it was done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    /// From the enrolling device's series, as member ids are
    /// (docs/store-format.md, "Member ids"): two devices adding plan items
    /// while apart never give out the same id.
    pub id: u64,
    pub member: MemberId,
    pub what: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub staff: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    /// The shop and device where it was planned (several shops share a
    /// store: each sees whose plan it is).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub shop: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub device: String,
}

impl PlanItem {
    /// A plan item to add with [`CareLog::add_plan_item`] (which gives it
    /// its id); staff, shop and device are set on it as known.
    pub fn new(member: MemberId, what: &str, due: NaiveDate) -> PlanItem {
        PlanItem {
            id: 0,
            member,
            what: what.to_string(),
            due,
            staff: String::new(),
            done_on: None,
            shop: String::new(),
            device: String::new(),
        }
    }
}

/// The stored care data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareLog {
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub plan: Vec<PlanItem>,
    /// What staff did with Today items (done, snoozed, skipped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<crate::care::today::TodayMark>,
}

impl CareLog {
    /// The next plan item id of `tag`'s series: one above the largest with
    /// that tag (`None` when the series is used up).
    pub fn next_plan_id(&self, tag: DeviceTag) -> Option<u64> {
        let first = tag.id(1)?.0;
        let last = tag.id(MAX_SERIAL)?.0;
        let top = self
            .plan
            .iter()
            .map(|p| p.id)
            .filter(|id| (first..=last).contains(id))
            .max();
        match top {
            Some(t) if t >= last => None,
            Some(t) => Some(t + 1),
            None => Some(first),
        }
    }

    pub fn mark_done(&mut self, id: u64, on: NaiveDate) -> bool {
        match self.plan.iter_mut().find(|p| p.id == id) {
            Some(item) => {
                item.done_on = Some(on);
                true
            }
            None => false,
        }
    }
}

/// Why a care entry was refused; the UI words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CareError {
    /// A plan item needs to say what to do.
    MissingWhat,
    UnknownMember(MemberId),
    /// "Other" says nothing unless staff write what it was.
    MissingChurnNote,
    /// This device's id series is used up (2,097,151 plan items): the
    /// console draws a fresh device tag and the next try succeeds.
    SeriesUsedUp,
}

impl CareLog {
    /// Records a contact; a member that does not exist is refused so the
    /// log never points at nobody.
    pub fn record(&mut self, members: &[Member], contact: Contact) -> Result<(), CareError> {
        if !members.iter().any(|m| m.id == contact.member) {
            return Err(CareError::UnknownMember(contact.member));
        }
        self.contacts.push(contact);
        Ok(())
    }

    /// Records what staff did with a Today item; a planned call marked
    /// done is ticked off in the plan as well, so both lists agree.
    pub fn mark(
        &mut self,
        members: &[Member],
        mark: crate::care::today::TodayMark,
    ) -> Result<(), CareError> {
        if !members.iter().any(|m| m.id == mark.member) {
            return Err(CareError::UnknownMember(mark.member));
        }
        if mark.action == crate::care::today::MarkAction::Done {
            if let Some(id) = mark.key.strip_prefix("planned:") {
                if let Ok(id) = id.parse() {
                    self.mark_done(id, mark.on);
                }
            }
        }
        self.marks.push(mark);
        Ok(())
    }

    /// Adds a plan item, its id the next of `tag`'s series, and returns
    /// the id. What to do and the staff name are trimmed.
    pub fn add_plan_item(
        &mut self,
        members: &[Member],
        mut item: PlanItem,
        tag: DeviceTag,
    ) -> Result<u64, CareError> {
        item.what = item.what.trim().to_string();
        if item.what.is_empty() {
            return Err(CareError::MissingWhat);
        }
        if !members.iter().any(|m| m.id == item.member) {
            return Err(CareError::UnknownMember(item.member));
        }
        item.id = self.next_plan_id(tag).ok_or(CareError::SeriesUsedUp)?;
        item.staff = item.staff.trim().to_string();
        item.done_on = None;
        let id = item.id;
        self.plan.push(item);
        Ok(id)
    }

    /// Undoes [`CareLog::mark_done`], for a tap made by mistake.
    pub fn reopen(&mut self, id: u64) -> bool {
        match self.plan.iter_mut().find(|p| p.id == id) {
            Some(item) => {
                item.done_on = None;
                true
            }
            None => false,
        }
    }

    /// Plan items not yet done, soonest due first (`member` narrows to one).
    pub fn open_items(&self, member: Option<MemberId>) -> Vec<&PlanItem> {
        let mut out: Vec<&PlanItem> = self
            .plan
            .iter()
            .filter(|p| p.done_on.is_none() && member.is_none_or(|m| p.member == m))
            .collect();
        out.sort_by_key(|p| (p.due, p.id));
        out
    }

    /// Contacts latest first; among entries of the same day the one
    /// recorded last comes first. Either filter may be left open.
    pub fn latest_contacts(
        &self,
        member: Option<MemberId>,
        kind: Option<ContactKind>,
    ) -> Vec<&Contact> {
        let mut out: Vec<(usize, &Contact)> = self
            .contacts
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                member.is_none_or(|m| c.member == m) && kind.is_none_or(|k| c.kind == k)
            })
            .collect();
        out.sort_by_key(|(i, c)| (std::cmp::Reverse(c.on), std::cmp::Reverse(*i)));
        out.into_iter().map(|(_, c)| c).collect()
    }
}
