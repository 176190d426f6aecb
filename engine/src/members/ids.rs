//! Member ids that two devices never both hand out, without talking to
//! each other (docs/store-format.md, "Member ids").
//!
//! An id is `tag * 2^21 + serial`. Each device draws a [`DeviceTag`] at
//! random once (the console keeps it with the device's preferences; the
//! engine has no randomness and takes it as an input) and counts serials up
//! from 1 within it: the next id is the largest id of the store with that
//! tag, plus one. Ids below 2^21 are tag 0: the ids of stores from before
//! device tags (and the demo's). They stay valid; tag 0 is never drawn.
//! The largest id, `(2^31 - 1) * 2^21 + 2^21 - 1 < 2^52`, is exact as a
//! JavaScript number, which is how ids travel through the database.

use crate::members::model::MemberId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Bits of an id that count members within one tag.
pub const SERIAL_BITS: u32 = 21;
/// The largest serial: how many members one tag can enrol (2,097,151).
pub const MAX_SERIAL: u64 = (1 << SERIAL_BITS) - 1;
/// Tags are `1..TAG_LIMIT` (2^31 - 1 of them).
pub const TAG_LIMIT: u32 = 1 << 31;
/// The largest id a JSON number read by JavaScript holds exactly (2^53 - 1).
pub const MAX_MEMBER_ID: u64 = (1 << 53) - 1;

impl MemberId {
    /// The device tag the id was handed out under (0: an id from before tags).
    pub fn tag(self) -> u64 {
        self.0 >> SERIAL_BITS
    }

    /// The id's count within its tag.
    pub fn serial(self) -> u64 {
        self.0 & MAX_SERIAL
    }

    /// The id as a sort key ([`crate::order::sort_by_key_pair`]): exact
    /// for every id below 2^63.
    pub fn sort_key(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }
}

/// The series of member ids one device hands out, chosen at random once
/// per device. Two devices share one with probability 2^-31 per pair.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct DeviceTag(u32);

/// A number that is no device tag (0, or 2^31 and above).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotATag(pub u64);

impl fmt::Display for NotATag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a device tag (1 to 2^31 - 1)", self.0)
    }
}

impl std::error::Error for NotATag {}

impl DeviceTag {
    pub fn new(tag: u64) -> Result<DeviceTag, NotATag> {
        match u32::try_from(tag) {
            Ok(t) if (1..TAG_LIMIT).contains(&t) => Ok(DeviceTag(t)),
            _ => Err(NotATag(tag)),
        }
    }

    /// A tag from random bits (any 64 bits: all tags come out equally
    /// likely, to within 2^-33).
    pub fn from_random(bits: u64) -> DeviceTag {
        DeviceTag(1 + (bits % u64::from(TAG_LIMIT - 1)) as u32)
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Four letters and digits that tell this device's receipts from
    /// another's (base 36 of the tag): two devices of one boutique share
    /// a code about once in 1.7 million pairs.
    pub fn code(self) -> String {
        const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let mut n = self.0 % 36u32.pow(4);
        let mut out = [b'0'; 4];
        for c in out.iter_mut().rev() {
            *c = DIGITS[(n % 36) as usize];
            n /= 36;
        }
        out.iter().map(|&b| char::from(b)).collect()
    }

    /// The id with this tag and `serial` (1 to [`MAX_SERIAL`]).
    pub fn id(self, serial: u64) -> Option<MemberId> {
        (1..=MAX_SERIAL)
            .contains(&serial)
            .then(|| MemberId((u64::from(self.0) << SERIAL_BITS) | serial))
    }
}

impl TryFrom<u32> for DeviceTag {
    type Error = NotATag;
    fn try_from(tag: u32) -> Result<Self, NotATag> {
        DeviceTag::new(tag.into())
    }
}

impl From<DeviceTag> for u32 {
    fn from(tag: DeviceTag) -> u32 {
        tag.0
    }
}

impl fmt::Display for DeviceTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The ids a device hands out next, in order: one above the largest id
/// with its tag among the ids it was made from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct IdSeries {
    tag: DeviceTag,
    /// The next serial; above [`MAX_SERIAL`] when the series is used up.
    next: u64,
}

impl IdSeries {
    /// The series of `tag` after `taken` (every id in use: the store's members).
    pub fn new(tag: DeviceTag, taken: impl IntoIterator<Item = MemberId>) -> IdSeries {
        let want = u64::from(tag.0);
        let last = taken
            .into_iter()
            .filter(|id| id.tag() == want)
            .map(MemberId::serial)
            .max()
            .unwrap_or(0);
        IdSeries {
            tag,
            next: last + 1,
        }
    }

    pub fn tag(&self) -> DeviceTag {
        self.tag
    }

    /// The next id, without handing it out; `None` when the series is used up.
    pub fn peek(&self) -> Option<MemberId> {
        self.tag.id(self.next)
    }

    /// Hands out the next id.
    pub fn take(&mut self) -> Option<MemberId> {
        let id = self.peek()?;
        self.next += 1;
        Some(id)
    }

    /// How many ids the series has left.
    pub fn left(&self) -> u64 {
        (MAX_SERIAL + 1).saturating_sub(self.next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_series() {
        assert!(DeviceTag::new(0).is_err());
        assert!(DeviceTag::new(u64::from(TAG_LIMIT)).is_err());
        let top = DeviceTag::new(u64::from(TAG_LIMIT - 1)).unwrap();
        let last = top.id(MAX_SERIAL).unwrap();
        assert!(last.0 < 1 << 52, "below 2^52, so below MAX_MEMBER_ID");
        assert_eq!(
            (last.tag(), last.serial()),
            (u64::from(top.get()), MAX_SERIAL)
        );
        assert_eq!(top.id(0), None);
        assert_eq!(top.id(MAX_SERIAL + 1), None);
        for bits in [
            0,
            1,
            u64::MAX,
            u64::from(TAG_LIMIT) - 2,
            u64::from(TAG_LIMIT) - 1,
        ] {
            assert!(DeviceTag::new(DeviceTag::from_random(bits).get().into()).is_ok());
        }

        let t = DeviceTag::new(5).unwrap();
        let other = DeviceTag::new(6).unwrap();
        let taken = [
            MemberId(1),
            MemberId(900),
            other.id(7).unwrap(),
            t.id(3).unwrap(),
        ];
        let mut s = IdSeries::new(t, taken);
        assert_eq!(s.take(), t.id(4));
        assert_eq!(s.peek(), t.id(5));
        assert_eq!(s.left(), MAX_SERIAL - 4);
        let mut full = IdSeries::new(t, [t.id(MAX_SERIAL - 1).unwrap()]);
        assert_eq!(full.take(), t.id(MAX_SERIAL));
        assert_eq!((full.take(), full.left()), (None, 0));

        assert_eq!(serde_json::to_string(&t).unwrap(), "5");
        assert!(serde_json::from_str::<DeviceTag>("0").is_err());
    }
}
