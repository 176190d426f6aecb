//! Adding and editing members: the few rules a record must meet. Only a
//! name plus a mobile number or card number is demanded; everything else
//! fills in over time.

use crate::fxhash::FxMap;
use crate::members::ids::DeviceTag;
use crate::members::model::{normalize_mobile, Member, MemberId};
use crate::store::document::Store;
use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberError {
    MissingName,
    /// Neither a mobile number nor a card number.
    MissingContact,
    /// A mobile number that is not 6 to 15 digits once normalised.
    InvalidMobile(String),
    DuplicateCard {
        card_no: String,
        holder: MemberId,
    },
    DuplicateMobile {
        mobile: String,
        holder: MemberId,
    },
    InvalidEmail(String),
    /// Satisfaction is scored 0 to 10.
    InvalidSatisfaction(u8),
    UnknownMember(MemberId),
    /// A member cannot refer themselves or be referred by an unknown member.
    InvalidReferrer(MemberId),
    /// The device's id series is used up: it takes a fresh device tag.
    NoFreeId(DeviceTag),
}

impl fmt::Display for MemberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberError::MissingName => write!(f, "a name is required"),
            MemberError::MissingContact => {
                write!(f, "a mobile number or a card number is required")
            }
            MemberError::InvalidMobile(m) => write!(f, "'{m}' is not a mobile number"),
            MemberError::DuplicateCard { card_no, .. } => {
                write!(f, "card number {card_no} is already in use")
            }
            MemberError::DuplicateMobile { mobile, .. } => {
                write!(f, "mobile {mobile} already belongs to a member")
            }
            MemberError::InvalidEmail(e) => write!(f, "'{e}' is not an email address"),
            MemberError::InvalidSatisfaction(s) => write!(f, "satisfaction {s} is outside 0-10"),
            MemberError::UnknownMember(id) => write!(f, "no member with id {}", id.0),
            MemberError::InvalidReferrer(id) => write!(f, "member {} cannot be the referrer", id.0),
            MemberError::NoFreeId(tag) => write!(f, "device tag {tag} has no member ids left"),
        }
    }
}

impl std::error::Error for MemberError {}

/// The next free card number in the store's `VIP000123` style.
pub fn next_card_no(store: &Store) -> String {
    let max = store
        .members
        .iter()
        .filter_map(|m| {
            m.card_no
                .strip_prefix("VIP")
                .and_then(|n| n.parse::<u64>().ok())
        })
        .max()
        .unwrap_or(0);
    format!("VIP{:06}", max + 1)
}

/// Cleans a draft (trims, normalises the mobile) and checks it against the
/// rest of the store. `member.id` decides whether it is new or an edit.
pub fn validate_member(store: &Store, mut member: Member) -> Result<Member, MemberError> {
    member.name = member.name.trim().to_string();
    member.card_no = member.card_no.trim().to_string();
    let raw_mobile = member.mobile.trim().to_string();
    member.mobile = normalize_mobile(&raw_mobile);
    if member.name.is_empty() {
        return Err(MemberError::MissingName);
    }
    if member.mobile.is_empty() && member.card_no.is_empty() {
        return Err(if raw_mobile.is_empty() {
            MemberError::MissingContact
        } else {
            MemberError::InvalidMobile(raw_mobile)
        });
    }
    if !raw_mobile.is_empty() && !(6..=15).contains(&member.mobile.len()) {
        return Err(MemberError::InvalidMobile(raw_mobile));
    }
    if let Some(email) = member.email.as_mut() {
        *email = email.trim().to_string();
        if email.is_empty() {
            member.email = None;
        } else if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
            return Err(MemberError::InvalidEmail(email.clone()));
        }
    }
    if let Some(s) = member.satisfaction {
        if s > 10 {
            return Err(MemberError::InvalidSatisfaction(s));
        }
    }
    if let Some(r) = member.referrer {
        if r == member.id || !store.members.iter().any(|m| m.id == r) {
            return Err(MemberError::InvalidReferrer(r));
        }
    }
    // A card or mobile the member already had stays allowed even when
    // another member holds it too: two devices that enrolled offline can
    // both give out the next card number, and after a sync neither member
    // may become uneditable (`shared_cards` lists them to be re-issued).
    let before = store.members.iter().find(|o| o.id == member.id);
    let kept_card = before.is_some_and(|b| b.card_no.eq_ignore_ascii_case(&member.card_no));
    let kept_mobile = before.is_some_and(|b| b.mobile == member.mobile);
    for other in store.members.iter().filter(|o| o.id != member.id) {
        if !member.card_no.is_empty()
            && !kept_card
            && other.card_no.eq_ignore_ascii_case(&member.card_no)
        {
            return Err(MemberError::DuplicateCard {
                card_no: member.card_no.clone(),
                holder: other.id,
            });
        }
        if !member.mobile.is_empty() && !kept_mobile && other.mobile == member.mobile {
            return Err(MemberError::DuplicateMobile {
                mobile: member.mobile.clone(),
                holder: other.id,
            });
        }
    }
    Ok(member)
}

/// A card number held by more than one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedCard {
    pub card_no: String,
    /// The holders, in store order.
    pub members: Vec<MemberId>,
}

/// Card numbers that several members hold (compared ignoring case, as
/// enrolment does), in the order their first holder appears. Enrolment
/// refuses them, so they come from devices that enrolled offline and each
/// gave out the next number; one holder needs a new card.
pub fn shared_cards(store: &Store) -> Vec<SharedCard> {
    let mut first: FxMap<Cow<str>, usize> = FxMap::default();
    first.reserve(store.members.len());
    let mut out: Vec<SharedCard> = Vec::new();
    // Where a card's entry in `out` is, once it has a second holder.
    let mut listed: HashMap<usize, usize> = HashMap::new();
    for (i, m) in store.members.iter().enumerate() {
        if m.card_no.is_empty() {
            continue;
        }
        // Borrowed when already in capitals, as cards are given out.
        let key = if m.card_no.bytes().any(|b| b.is_ascii_lowercase()) {
            Cow::Owned(m.card_no.to_ascii_uppercase())
        } else {
            Cow::Borrowed(m.card_no.as_str())
        };
        match first.entry(key) {
            Entry::Vacant(v) => {
                v.insert(i);
            }
            Entry::Occupied(o) => {
                let holder = *o.get();
                let at = *listed.entry(holder).or_insert_with(|| {
                    out.push(SharedCard {
                        card_no: store.members[holder].card_no.clone(),
                        members: vec![store.members[holder].id],
                    });
                    out.len() - 1
                });
                out[at].members.push(m.id);
            }
        }
    }
    out
}

/// Adds a new member (assigning the next id of `device`'s series, and a
/// card number when none was given) or replaces an existing one. On error
/// the store is unchanged.
pub fn save_member(
    store: &mut Store,
    draft: Member,
    device: DeviceTag,
) -> Result<MemberId, MemberError> {
    let is_new = !store.members.iter().any(|m| m.id == draft.id);
    let mut draft = draft;
    if is_new {
        draft.id = store
            .next_member_id(device)
            .ok_or(MemberError::NoFreeId(device))?;
    }
    let mut member = validate_member(store, draft)?;
    if member.card_no.is_empty() {
        member.card_no = next_card_no(store);
    }
    let id = member.id;
    match store.members.iter_mut().find(|m| m.id == id) {
        Some(slot) => *slot = member,
        None => store.members.push(member),
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn save(s: &mut Store, m: Member) -> Result<MemberId, MemberError> {
        save_member(s, m, DeviceTag::new(7).unwrap())
    }

    fn draft(name: &str, card: &str, mobile: &str) -> Member {
        let mut m = Member::new(
            MemberId(0),
            card,
            name,
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        );
        m.mobile = mobile.into();
        m
    }

    #[test]
    fn name_and_one_way_to_find_them_is_enough() {
        let mut s = Store::default();
        let id = save(&mut s, draft("王芳", "", "138 0013 8000")).unwrap();
        let m = &s.members[0];
        assert_eq!(m.id, id);
        assert_eq!(m.mobile, "13800138000");
        assert_eq!(m.card_no, "VIP000001", "a card number is assigned");
        save(&mut s, draft("李娜", "VIP000010", "")).unwrap();
        assert_eq!(next_card_no(&s), "VIP000011");
    }

    #[test]
    fn missing_or_bad_fields_are_refused_and_nothing_changes() {
        let mut s = Store::default();
        assert_eq!(
            save(&mut s, draft("  ", "C1", "")),
            Err(MemberError::MissingName)
        );
        assert_eq!(
            save(&mut s, draft("Ann", "", "")),
            Err(MemberError::MissingContact)
        );
        assert_eq!(
            save(&mut s, draft("Ann", "", "12")),
            Err(MemberError::InvalidMobile("12".into()))
        );
        assert_eq!(
            save(&mut s, draft("Ann", "", "phone")),
            Err(MemberError::InvalidMobile("phone".into()))
        );
        let mut bad_email = draft("Ann", "C1", "");
        bad_email.email = Some("ann.example.com".into());
        assert!(matches!(
            save(&mut s, bad_email),
            Err(MemberError::InvalidEmail(_))
        ));
        assert!(s.members.is_empty());
    }

    #[test]
    fn duplicates_are_refused_but_editing_yourself_is_fine() {
        let mut s = Store::default();
        let a = save(&mut s, draft("Ann", "C1", "13800138000")).unwrap();
        assert!(matches!(
            save(&mut s, draft("Bea", "c1", "")),
            Err(MemberError::DuplicateCard { holder, .. }) if holder == a
        ));
        assert!(matches!(
            save(&mut s, draft("Bea", "", "+86 13800138000")),
            Err(MemberError::DuplicateMobile { .. })
        ));
        let mut edit = s.members[0].clone();
        edit.name = "Ann Lee".into();
        assert_eq!(save(&mut s, edit), Ok(a));
        assert_eq!(s.members.len(), 1);
        assert_eq!(s.members[0].name, "Ann Lee");
    }

    #[test]
    fn referrer_must_be_another_existing_member() {
        let mut s = Store::default();
        let a = save(&mut s, draft("Ann", "C1", "")).unwrap();
        let mut b = draft("Bea", "C2", "");
        b.referrer = Some(MemberId(99));
        assert_eq!(
            save(&mut s, b.clone()),
            Err(MemberError::InvalidReferrer(MemberId(99)))
        );
        b.referrer = Some(a);
        assert!(save(&mut s, b).is_ok());
    }

    /// Two devices enrolled offline and both gave out VIP000002; after the
    /// sync both holders stay editable, the card is listed, and a third
    /// member still cannot take it. A mobile held twice is the same.
    #[test]
    fn a_card_number_given_out_twice_is_listed_and_stays_editable() {
        let mut base = Store::default();
        save(&mut base, draft("Ann", "", "13800138000")).unwrap();
        let mut on_b = base.clone();
        save(&mut base, draft("Bea", "", "13800138001")).unwrap();
        save_member(
            &mut on_b,
            draft("Cai", "", "13800138002"),
            DeviceTag::new(8).unwrap(),
        )
        .unwrap();
        let mut s = base;
        s.members.push(on_b.members[1].clone());
        let (bea, cai) = (s.members[1].id, s.members[2].id);
        assert_ne!(bea, cai);
        assert_eq!(s.members[2].card_no, "VIP000002");
        assert_eq!(
            shared_cards(&s),
            [SharedCard {
                card_no: "VIP000002".into(),
                members: vec![bea, cai],
            }]
        );
        let mut edit = s.members[2].clone();
        edit.notes = "likes silk".into();
        assert_eq!(save(&mut s, edit), Ok(cai));
        let mut taker = s.members[0].clone();
        taker.card_no = "vip000002".into();
        assert!(matches!(
            save(&mut s, taker),
            Err(MemberError::DuplicateCard { holder, .. }) if holder == bea
        ));
        let mut reissued = s.members[2].clone();
        reissued.card_no = next_card_no(&s);
        save(&mut s, reissued).unwrap();
        assert_eq!(s.members[2].card_no, "VIP000003");
        assert!(shared_cards(&s).is_empty());

        // The same customer enrolled on both devices: one mobile, two
        // members, both still editable until they are merged.
        let mut twin = s.members[0].clone();
        twin.id = DeviceTag::new(8).unwrap().id(9).unwrap();
        twin.card_no = "VIP000009".into();
        s.members.push(twin.clone());
        twin.notes = "enrolled twice".into();
        assert_eq!(save(&mut s, twin.clone()), Ok(twin.id));
    }
}
