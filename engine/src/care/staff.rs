//! Staff (导购): the boutique's staff list, and what each staff member did
//! in a period: sales and returns they rang up, the members they served,
//! the contacts they logged and whether their messages brought members
//! back. Commission is out of scope; the figures export as CSV.

use crate::care::campaign::{push_row, BOM};
use crate::care::log::ContactKind;
use crate::care::results::message_results;
use crate::money::Money;
use crate::points::explain::Lang;
use crate::store::document::Store;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// One person on the staff list (Settings → Staff).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub shop: String,
    #[serde(default = "active")]
    pub active: bool,
}

fn active() -> bool {
    true
}

/// The most staff a list may hold, and the longest name.
pub const MAX_STAFF: usize = 500;
pub const MAX_NAME: usize = 100;

/// A staff list that cannot be kept, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaffError {
    EmptyName,
    TooLong,
    Duplicate(String),
    TooMany,
}

/// Adds `name` (trimmed) to the list, refusing an empty, overlong or
/// repeated name (case-insensitive) and a full list.
pub fn add_staff(list: &mut Vec<StaffMember>, name: &str, shop: &str) -> Result<(), StaffError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StaffError::EmptyName);
    }
    if name.chars().count() > MAX_NAME || shop.trim().chars().count() > MAX_NAME {
        return Err(StaffError::TooLong);
    }
    if list
        .iter()
        .any(|s| s.name.trim().eq_ignore_ascii_case(name))
    {
        return Err(StaffError::Duplicate(name.to_string()));
    }
    if list.len() >= MAX_STAFF {
        return Err(StaffError::TooMany);
    }
    list.push(StaffMember {
        name: name.to_string(),
        shop: shop.trim().to_string(),
        active: true,
    });
    Ok(())
}

/// One staff member's figures for a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffFigures {
    pub name: String,
    pub shop: String,
    /// On the staff list (a name found only on records is not).
    pub listed: bool,
    pub active: bool,
    /// Receipts of a positive amount, and their money.
    pub sales: usize,
    pub revenue: Money,
    /// Money taken back on returns they recorded.
    pub returned: Money,
    /// Distinct members they sold to.
    pub members: usize,
    /// Contacts they logged (calls, visits, messages, ...).
    pub contacts: usize,
    pub messages: usize,
    /// Their messages whose 14 days have passed, and how many of those
    /// members bought within them.
    pub matured_14: usize,
    pub bought_14: usize,
}

/// Each staff member's figures from `from` to `to` (inclusive; `as_of`
/// decides which messages' windows have passed): the list's people in
/// its order, then names found only on records, alphabetically. Names
/// match trimmed.
pub fn staff_figures(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Vec<StaffFigures> {
    let within = |d: NaiveDate| d >= from && d <= to;
    let mut by: BTreeMap<String, Tally> = BTreeMap::new();
    for p in store
        .purchases
        .iter()
        .filter(|p| within(p.date()) && p.amount.0 > 0)
    {
        if let Some((f, members)) = entry(&mut by, &p.staff) {
            f.sales += 1;
            f.revenue += p.amount;
            members.insert(p.member.0);
        }
    }
    for r in store.returns.iter().filter(|r| within(r.date())) {
        if let Some((f, _)) = entry(&mut by, &r.staff) {
            f.returned += r.amount;
        }
    }
    let contacts: Vec<_> = store
        .care
        .contacts
        .iter()
        .filter(|c| within(c.on))
        .collect();
    for c in &contacts {
        if let Some((f, _)) = entry(&mut by, &c.staff) {
            f.contacts += 1;
            if c.kind == ContactKind::Message {
                f.messages += 1;
            }
        }
    }
    for (name, (f, _)) in by.iter_mut() {
        let theirs: Vec<_> = contacts
            .iter()
            .filter(|c| c.staff.trim() == name)
            .map(|c| (*c).clone())
            .collect();
        for r in message_results(&theirs, &[], &store.purchases, as_of) {
            f.matured_14 += r.matured[0];
            f.bought_14 += r.bought[0];
        }
    }
    let mut out = Vec::new();
    for s in &store.settings.staff {
        let name = s.name.trim();
        let (mut f, members) = by.remove(name).unwrap_or_else(|| {
            (
                StaffFigures {
                    name: name.to_string(),
                    ..StaffFigures::default()
                },
                HashSet::new(),
            )
        });
        f.members = members.len();
        f.shop = s.shop.clone();
        f.listed = true;
        f.active = s.active;
        out.push(f);
    }
    out.extend(by.into_values().map(|(mut f, members)| {
        f.members = members.len();
        f
    }));
    out
}

type Tally = (StaffFigures, HashSet<u64>);

/// The tally of `name` (trimmed); none for an unnamed record.
fn entry<'a>(by: &'a mut BTreeMap<String, Tally>, name: &str) -> Option<&'a mut Tally> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    Some(by.entry(name.to_string()).or_insert_with(|| {
        (
            StaffFigures {
                name: name.to_string(),
                ..StaffFigures::default()
            },
            HashSet::new(),
        )
    }))
}

/// Minor units as a plain decimal a spreadsheet reads as a number
/// (no grouping: "1,234.00" would be text in many locales).
fn decimal(m: Money) -> String {
    let sign = if m.0 < 0 { "-" } else { "" };
    let abs = m.0.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The figures as CSV text (BOM first, so Excel reads Chinese), one staff
/// member a line; amounts in major units with two decimals.
pub fn staff_csv(figures: &[StaffFigures], from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let header: [&str; 12] = match lang {
        Lang::Zh => [
            "导购",
            "门店",
            "起",
            "止",
            "销售笔数",
            "销售额",
            "退货额",
            "服务会员数",
            "联系次数",
            "发送消息",
            "14天满期消息",
            "14天内购买",
        ],
        Lang::En => [
            "staff",
            "shop",
            "from",
            "to",
            "sales",
            "revenue",
            "returned",
            "members",
            "contacts",
            "messages",
            "messages_14d_due",
            "bought_within_14d",
        ],
    };
    let mut out = String::from(BOM);
    push_row(&mut out, &header);
    let (from, to) = (from.to_string(), to.to_string());
    for f in figures {
        let cells = [
            f.name.clone(),
            f.shop.clone(),
            from.clone(),
            to.clone(),
            f.sales.to_string(),
            decimal(f.revenue),
            decimal(f.returned),
            f.members.to_string(),
            f.contacts.to_string(),
            f.messages.to_string(),
            f.matured_14.to_string(),
            f.bought_14.to_string(),
        ];
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        push_row(&mut out, &refs);
    }
    out
}
