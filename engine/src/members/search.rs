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

    /// An exact mobile or card number: listed before partial matches.
    fn is_exact(&self, member: &Member) -> bool {
        (!self.digits.is_empty() && member.mobile == self.digits)
            || member.card_no.eq_ignore_ascii_case(self.trimmed)
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
        if q.is_exact(m) {
            exact.push(m);
        } else {
            partial.push(m);
        }
    }
    exact.extend(partial);
    exact
}

/// The members' search fields packed once so a keystroke at the counter
/// scans two flat buffers instead of 100,000 scattered strings: each
/// member's mobile on its own line, and its card number and name,
/// lower-cased, on another. Built from the store's member list; answers
/// with positions in that same list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchIndex {
    mobiles: String,
    mobile_starts: Vec<u32>,
    mobile_digits: Vec<DigitSet>,
    texts: String,
    text_starts: Vec<u32>,
    text_digits: Vec<DigitSet>,
    /// Each card number's length in `texts` when it is ASCII (`u32::MAX`
    /// otherwise): an exact card match is then told from the buffer, with
    /// no look at 100,000 scattered members when a first digit matches
    /// nearly all of them.
    ascii_cards: Vec<u32>,
}

/// Separates card and name inside one line, so a query never matches
/// across the two (a query holding it or a newline is never searched in
/// the buffers).
const FIELD_SEP: char = '\u{1f}';

impl SearchIndex {
    pub fn new(members: &[Member]) -> SearchIndex {
        let mut index = SearchIndex {
            mobiles: String::with_capacity(members.len() * 12),
            mobile_starts: Vec::with_capacity(members.len()),
            mobile_digits: Vec::with_capacity(members.len()),
            texts: String::with_capacity(members.len() * 20),
            text_starts: Vec::with_capacity(members.len()),
            text_digits: Vec::with_capacity(members.len()),
            ascii_cards: Vec::with_capacity(members.len()),
        };
        for m in members {
            index.mobile_starts.push(index.mobiles.len() as u32);
            index.mobiles.push_str(&m.mobile);
            index.mobiles.push('\n');
            index.mobile_digits.push(DigitSet::of(&m.mobile));
            let line = index.texts.len();
            index.text_starts.push(line as u32);
            index.ascii_cards.push(if m.card_no.is_ascii() {
                m.card_no.len() as u32
            } else {
                u32::MAX
            });
            push_lower(&mut index.texts, &m.card_no);
            index.texts.push(FIELD_SEP);
            push_lower(&mut index.texts, &m.name);
            index.text_digits.push(DigitSet::of(&index.texts[line..]));
            index.texts.push('\n');
        }
        index
    }

    /// How many members the index was built from.
    pub fn len(&self) -> usize {
        self.text_starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text_starts.is_empty()
    }

    /// Positions in `members` (the list the index was built from) of the
    /// members matching `query` as [`find_members`] matches them, in the
    /// same order: exact mobile or card matches first, then the rest in
    /// list order. A list of another length (a stale index) is searched
    /// directly instead.
    pub fn find(&self, members: &[Member], query: &str) -> Vec<usize> {
        let q = Query::new(query);
        let found: Vec<usize> = if members.len() != self.len()
            || q.trimmed.is_empty()
            || q.lower.contains(['\n', FIELD_SEP])
        {
            (0..members.len())
                .filter(|&i| q.matches(&members[i]))
                .collect()
        } else if q.mostly_digits {
            union_sorted(
                &lines_matching(&self.texts, &self.text_starts, &self.text_digits, &q.lower),
                &lines_matching(
                    &self.mobiles,
                    &self.mobile_starts,
                    &self.mobile_digits,
                    &q.digits,
                ),
            )
        } else {
            lines_matching(&self.texts, &self.text_starts, &self.text_digits, &q.lower)
        };
        let stale = members.len() != self.len();
        let card = q.trimmed.is_ascii().then(|| q.trimmed.to_ascii_lowercase());
        let (mut exact, partial): (Vec<usize>, Vec<usize>) = found.into_iter().partition(|&i| {
            if stale {
                return q.is_exact(&members[i]);
            }
            if !q.digits.is_empty() && self.line(&self.mobiles, &self.mobile_starts, i) == q.digits
            {
                return true;
            }
            match (&card, self.ascii_cards[i]) {
                // An ASCII card equals the query ignoring ASCII case exactly
                // when its lower-cased copy equals the lower-cased query.
                (Some(card), len) if len != u32::MAX => {
                    let start = self.text_starts[i] as usize;
                    self.texts[start..start + len as usize] == *card
                }
                // A non-ASCII query never equals an ASCII card.
                (None, len) if len != u32::MAX => false,
                _ => q.is_exact(&members[i]),
            }
        });
        exact.extend(partial);
        exact
    }

    /// Line `i` of `buffer`, without its newline.
    fn line<'b>(&self, buffer: &'b str, starts: &[u32], i: usize) -> &'b str {
        let end = starts.get(i + 1).map_or(buffer.len(), |&s| s as usize) - 1;
        &buffer[starts[i] as usize..end]
    }
}

fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else if s.chars().any(char::is_uppercase) {
        out.push_str(&s.to_lowercase());
    } else {
        out.push_str(s);
    }
}

/// The digits and pairs of adjacent digits in a line, as bits: 10 for
/// the digits, 100 for the pairs. A line contains a number only if it
/// holds all of the number's digits and pairs, and for one or two digits
/// exactly then, so the first keystrokes at the counter (which are in
/// nearly every line) are answered by one test per line instead of a
/// search through the text: in wasm, without SIMD, about six times faster
/// at 100,000 members.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct DigitSet(u128);

impl DigitSet {
    fn of(text: &str) -> DigitSet {
        let mut bits = 0u128;
        let mut previous: Option<u8> = None;
        for b in text.bytes() {
            if b.is_ascii_digit() {
                let d = b - b'0';
                bits |= 1 << d;
                if let Some(p) = previous {
                    bits |= 1 << (10 + p * 10 + d);
                }
                previous = Some(d);
            } else {
                previous = None;
            }
        }
        DigitSet(bits)
    }

    fn holds(self, other: DigitSet) -> bool {
        self.0 & other.0 == other.0
    }
}

/// The lines (by number) of `buffer` containing `needle`, each once, in
/// order. A number is looked for through each line's digits first (see
/// [`DigitSet`]); any other text is searched for in the buffer.
fn lines_matching(buffer: &str, starts: &[u32], digits: &[DigitSet], needle: &str) -> Vec<usize> {
    if needle.is_empty() || !needle.bytes().all(|b| b.is_ascii_digit()) {
        return lines_containing(buffer, starts, needle);
    }
    let wanted = DigitSet::of(needle);
    let bytes = buffer.as_bytes();
    let needle = needle.as_bytes();
    let mut out = Vec::new();
    for (i, set) in digits.iter().enumerate() {
        if !set.holds(wanted) {
            continue;
        }
        let end = starts.get(i + 1).map_or(bytes.len(), |&s| s as usize);
        if needle.len() <= 2
            || bytes[starts[i] as usize..end]
                .windows(needle.len())
                .any(|w| w == needle)
        {
            out.push(i);
        }
    }
    out
}

/// The lines (by number) of `buffer` containing `needle`, each once, in
/// order: after a hit the search goes on from the next line. Bytes match
/// as the text does (UTF-8 never matches inside a character).
fn lines_containing(buffer: &str, starts: &[u32], needle: &str) -> Vec<usize> {
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let bytes = buffer.as_bytes();
    let mut out: Vec<usize> = Vec::new();
    let (mut from, mut line) = (0usize, 0usize);
    while let Some(offset) = finder.find(&bytes[from..]) {
        let at = from + offset;
        while starts.get(line + 1).is_some_and(|&s| s as usize <= at) {
            line += 1;
        }
        out.push(line);
        match starts.get(line + 1) {
            Some(&next) => from = next as usize,
            None => break,
        }
    }
    out
}

fn union_sorted(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                x
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                x
            }
            (Some(_), Some(&y)) | (None, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => unreachable!(),
        };
        out.push(next);
    }
    out
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
    crate::order::sort_by_text_key(&mut out, String::clone);
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
