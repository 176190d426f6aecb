//! Finding a member at the counter: by mobile number (报手机号即可), card
//! number or name, without the card.

use crate::members::model::{normalize_mobile, Member, MemberId};
use crate::money::Money;
use crate::store::document::Store;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A search as typed at the counter, prepared once so checking 100,000
/// members allocates nothing per member.
struct Query<'q> {
    trimmed: &'q str,
    digits: String,
    /// Mostly digits means a phone number, even when typed with +86 or dashes.
    mostly_digits: bool,
    lower: String,
}

impl<'q> Query<'q> {
    fn new(query: &'q str) -> Query<'q> {
        let trimmed = query.trim();
        let digits = normalize_mobile(trimmed);
        let mostly_digits = !digits.is_empty()
            && digits.len() * 2 >= trimmed.chars().filter(|c| !c.is_whitespace()).count();
        Query {
            trimmed,
            digits,
            mostly_digits,
            lower: trimmed.to_lowercase(),
        }
    }

    fn matches(&self, member: &Member) -> bool {
        if self.trimmed.is_empty() {
            return true;
        }
        if self.mostly_digits && member.mobile.contains(&self.digits) {
            return true;
        }
        contains_lower(&member.card_no, &self.lower) || contains_lower(&member.name, &self.lower)
    }
}

/// Whether `haystack`, lower-cased, contains `needle` (already lower-case);
/// lower-cases a copy only when the haystack has capitals.
fn contains_lower(haystack: &str, needle: &str) -> bool {
    if haystack.chars().any(char::is_uppercase) {
        haystack.to_lowercase().contains(needle)
    } else {
        haystack.contains(needle)
    }
}

/// True when `query` identifies `member`. Digits match anywhere in the
/// mobile number (staff often say the last four) or at the start of the
/// card number; anything else matches the name or card, ignoring case.
pub fn member_matches(member: &Member, query: &str) -> bool {
    Query::new(query).matches(member)
}

/// Members matching `query`, exact mobile or card matches first.
pub fn find_members<'a>(store: &'a Store, query: &str) -> Vec<&'a Member> {
    let q = Query::new(query);
    let mut exact = Vec::new();
    let mut partial = Vec::new();
    for m in store.members.iter().filter(|m| q.matches(m)) {
        if (!q.digits.is_empty() && m.mobile == q.digits)
            || m.card_no.eq_ignore_ascii_case(q.trimmed)
        {
            exact.push(m);
        } else {
            partial.push(m);
        }
    }
    exact.extend(partial);
    exact
}

/// Purchase totals per member, net of returns, as of a date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PurchaseTotals {
    pub purchases: u32,
    pub spend: Money,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

/// The boutique's shops: every member's home shop (单网点 / 多网点), sorted.
pub fn shops(store: &Store) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in &store.members {
        let shop = m.store.trim();
        if !shop.is_empty() && !out.iter().any(|s| s == shop) {
            out.push(shop.to_string());
        }
    }
    out.sort();
    out
}

/// The store as one shop sees it: its members (see [`shop_members`]) with
/// all their purchases, returns, points and care records, so every figure
/// computed from it (replay, segments, health) is the shop's.
pub fn shop_store(store: &Store, shop: &str) -> Store {
    let ids: std::collections::HashSet<MemberId> = shop_members(store, shop).into_iter().collect();
    let purchases: Vec<_> = store
        .purchases
        .iter()
        .filter(|p| ids.contains(&p.member))
        .cloned()
        .collect();
    let receipts: std::collections::HashSet<&str> =
        purchases.iter().map(|p| p.receipt.as_str()).collect();
    let mut out = Store {
        settings: store.settings.clone(),
        schemes: store.schemes.clone(),
        members: store
            .members
            .iter()
            .filter(|m| ids.contains(&m.id))
            .cloned()
            .collect(),
        returns: store
            .returns
            .iter()
            .filter(|r| receipts.contains(r.receipt.as_str()))
            .cloned()
            .collect(),
        points_events: store
            .points_events
            .iter()
            .filter(|e| ids.contains(&e.member))
            .cloned()
            .collect(),
        purchases,
        ..Store::default()
    };
    out.care.contacts = store
        .care
        .contacts
        .iter()
        .filter(|c| ids.contains(&c.member))
        .cloned()
        .collect();
    out.care.plan = store
        .care
        .plan
        .iter()
        .filter(|p| ids.contains(&p.member))
        .cloned()
        .collect();
    out
}

/// The members of `shop`: its own members (home shop) and those who
/// bought there, in member order.
pub fn shop_members(store: &Store, shop: &str) -> Vec<MemberId> {
    let bought: std::collections::HashSet<MemberId> = store
        .purchases
        .iter()
        .filter(|p| p.store == shop)
        .map(|p| p.member)
        .collect();
    store
        .members
        .iter()
        .filter(|m| m.store == shop || bought.contains(&m.id))
        .map(|m| m.id)
        .collect()
}

pub fn purchase_totals(store: &Store, as_of: NaiveDate) -> HashMap<MemberId, PurchaseTotals> {
    let mut totals: HashMap<MemberId, PurchaseTotals> = HashMap::with_capacity(store.members.len());
    let mut owner: HashMap<&str, MemberId> = HashMap::with_capacity(store.purchases.len());
    for p in store.purchases.iter().filter(|p| p.date() <= as_of) {
        owner.insert(p.receipt.as_str(), p.member);
        let t = totals.entry(p.member).or_default();
        t.purchases += 1;
        t.spend += p.amount;
        let d = p.date();
        t.first = Some(t.first.map_or(d, |f| f.min(d)));
        t.last = Some(t.last.map_or(d, |l| l.max(d)));
    }
    for r in store.returns.iter().filter(|r| r.date() <= as_of) {
        if let Some(t) = owner
            .get(r.receipt.as_str())
            .and_then(|m| totals.get_mut(m))
        {
            t.spend -= r.amount;
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::model::Purchase;

    fn member(id: u32, card: &str, name: &str, mobile: &str) -> Member {
        let mut m = Member::new(
            MemberId(id.into()),
            card,
            name,
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        );
        m.mobile = mobile.into();
        m
    }

    fn store() -> Store {
        Store {
            members: vec![
                member(1, "VIP000001", "王芳", "13800138000"),
                member(2, "VIP000002", "Alice Chen", "13912345678"),
                member(3, "VIP000013", "李娜", "15000008000"),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn finds_by_mobile_written_any_way() {
        let s = store();
        let hits = find_members(&s, "+86 138-0013-8000");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name, "王芳");
        // the last four digits, as staff often ask for
        assert_eq!(find_members(&s, "5678")[0].name, "Alice Chen");
    }

    #[test]
    fn finds_by_card_and_name_ignoring_case() {
        let s = store();
        assert_eq!(find_members(&s, "vip000002")[0].name, "Alice Chen");
        assert_eq!(find_members(&s, "alice").len(), 1);
        assert_eq!(find_members(&s, "李")[0].card_no, "VIP000013");
        assert!(find_members(&s, "nobody").is_empty());
    }

    #[test]
    fn exact_card_match_comes_first() {
        let s = store();
        let hits = find_members(&s, "VIP000001");
        assert_eq!(hits[0].card_no, "VIP000001");
    }

    #[test]
    fn totals_net_returns_and_ignore_the_future() {
        let mut s = store();
        let at = |d: u32| {
            NaiveDate::from_ymd_opt(2026, 1, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
        };
        for (i, d) in [3u32, 10, 20].iter().enumerate() {
            s.purchases.push(Purchase {
                receipt: format!("R{i}"),
                member: MemberId(1),
                at: at(*d),
                amount: Money(10_000),
                store: String::new(),
                device: String::new(),
                lines: vec![],
                staff: String::new(),
            });
        }
        s.returns.push(crate::members::model::Return {
            id: "X1".into(),
            receipt: "R0".into(),
            at: at(5),
            amount: Money(4_000),
            lines: vec![],
            staff: String::new(),
        });
        let t = purchase_totals(&s, NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        let t1 = &t[&MemberId(1)];
        assert_eq!(t1.purchases, 2);
        assert_eq!(t1.spend, Money(16_000));
        assert_eq!(t1.last, NaiveDate::from_ymd_opt(2026, 1, 10));
    }
}
