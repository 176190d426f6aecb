//! The store document: everything one boutique keeps, in one versioned JSON
//! envelope. The browser saves it to localStorage and the backup file is the
//! same document, so one format, one set of migrations.

use crate::care::log::CareLog;
use crate::members::ids::{DeviceTag, IdSeries};
use crate::members::model::{Member, MemberId, MemberMerge, ProfileField, Purchase, Return};
use crate::points::events::PointsEvent;
use crate::points::scheme::{DatedScheme, Scheme};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Version of the `data` layout. Bump it with a migration in [`migrate`].
pub const SCHEMA_VERSION: u32 = 1;

/// How dates are shown in the console; storage always uses ISO 8601.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 2026-03-05
    #[default]
    Iso,
    /// 2026/3/5
    Slashes,
    /// 2026年3月5日
    Chinese,
    /// 05/03/2026
    DayFirst,
    /// 03/05/2026
    MonthFirst,
}

impl DateFormat {
    pub const ALL: [DateFormat; 5] = [
        DateFormat::Iso,
        DateFormat::Slashes,
        DateFormat::Chinese,
        DateFormat::DayFirst,
        DateFormat::MonthFirst,
    ];

    pub fn format(self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let (y, m, day) = (d.year(), d.month(), d.day());
        match self {
            DateFormat::Iso => format!("{y:04}-{m:02}-{day:02}"),
            DateFormat::Slashes => format!("{y}/{m}/{day}"),
            DateFormat::Chinese => format!("{y}年{m}月{day}日"),
            DateFormat::DayFirst => format!("{day:02}/{m:02}/{y:04}"),
            DateFormat::MonthFirst => format!("{m:02}/{day:02}/{y:04}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreSettings {
    pub store_name: String,
    pub currency_symbol: String,
    #[serde(default)]
    pub date_format: DateFormat,
    /// Profile fields this store tracks for completeness.
    #[serde(default = "default_tracked")]
    pub tracked_fields: Vec<ProfileField>,
    /// The Today list's triggers (Settings → Today).
    #[serde(default)]
    pub today: crate::care::today::TodayRules,
    /// The staff list (导购), in the order the owner keeps it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<crate::care::staff::StaffMember>,
    /// The boutique's own message wording (Settings → Messages).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<crate::care::message::Template>,
}

fn default_tracked() -> Vec<ProfileField> {
    ProfileField::ALL.to_vec()
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            store_name: String::new(),
            currency_symbol: "¥".to_string(),
            date_format: DateFormat::Iso,
            tracked_fields: default_tracked(),
            today: Default::default(),
            staff: Vec::new(),
            templates: Vec::new(),
        }
    }
}

/// One boutique's data. New sections are added with `#[serde(default)]` so
/// older documents still load.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Store {
    #[serde(default)]
    pub settings: StoreSettings,
    #[serde(default)]
    pub members: Vec<Member>,
    #[serde(default)]
    pub purchases: Vec<Purchase>,
    #[serde(default)]
    pub returns: Vec<Return>,
    /// Contact log and maintenance plans.
    #[serde(default)]
    pub care: CareLog,
    /// Points-and-tiers schemes with the day each took effect (the newest
    /// in force today). Empty means the simple preset.
    #[serde(default)]
    pub schemes: Vec<DatedScheme>,
    /// Ledger inputs other than purchases and returns: redemptions,
    /// check-ins, adjustments, opening balances. The ledger itself is
    /// derived by replay and never stored.
    #[serde(default)]
    pub points_events: Vec<PointsEvent>,
    /// Members merged into others (`members::merge`), in the order merged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<MemberMerge>,
}

impl Store {
    /// Spare room in the lists of facts for a good many more: a list of a
    /// million purchases held exactly would be copied whole to grow by the
    /// next sale (30 ms and more at the counter). Called when a store is
    /// opened or replaced; adds a sixteenth, not a doubling.
    pub fn make_room(&mut self) {
        fn room<T>(list: &mut Vec<T>) {
            let spare = (list.len() / 16).max(256);
            if list.capacity() - list.len() < spare {
                list.reserve_exact(spare);
            }
        }
        room(&mut self.purchases);
        room(&mut self.returns);
        room(&mut self.points_events);
        room(&mut self.care.contacts);
        room(&mut self.care.marks);
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.purchases.is_empty()
    }

    /// The next member id of `tag`'s series: one above the largest id
    /// with that tag. `None` when the series is used up (the device takes
    /// a fresh tag).
    pub fn next_member_id(&self, tag: DeviceTag) -> Option<MemberId> {
        self.id_series(tag).peek()
    }

    /// The ids `tag` hands out next in this store.
    pub fn id_series(&self, tag: DeviceTag) -> IdSeries {
        IdSeries::new(tag, self.members.iter().map(|m| m.id))
    }

    /// The scheme in force on `date` as replay sees it: the latest that took
    /// effect by then (the earliest before any took effect), or the simple
    /// preset when the store has none.
    pub fn scheme_on(&self, date: chrono::NaiveDate) -> std::borrow::Cow<'_, Scheme> {
        let in_force = self
            .schemes
            .iter()
            .filter(|s| s.effective_from <= date)
            .max_by_key(|s| s.effective_from)
            .or_else(|| self.schemes.iter().min_by_key(|s| s.effective_from));
        match in_force {
            Some(s) => std::borrow::Cow::Borrowed(&s.scheme),
            None => std::borrow::Cow::Owned(crate::points::scheme::presets::simple()),
        }
    }
}

/// The saved form: `{schema, rev, saved_at, data}`. `rev` increases with
/// every save so two tabs can tell whose copy is newer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub schema: u32,
    pub rev: u64,
    /// ISO 8601 timestamp supplied by the caller (the engine has no clock).
    pub saved_at: String,
    pub data: Store,
}

impl Envelope {
    pub fn new(data: Store, rev: u64, saved_at: impl Into<String>) -> Envelope {
        Envelope {
            schema: SCHEMA_VERSION,
            rev,
            saved_at: saved_at.into(),
            data,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvelopeError {
    /// Not JSON, or not an envelope.
    Malformed(String),
    /// Written by a newer Clientele: reading is allowed, writing is not.
    NewerSchema { found: u32, supported: u32 },
    /// An old schema this build cannot migrate.
    UnsupportedSchema(u32),
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvelopeError::Malformed(e) => write!(f, "not a Clientele store document: {e}"),
            EnvelopeError::NewerSchema { found, supported } => {
                write!(
                    f,
                    "store schema {found} is newer than this app's {supported}"
                )
            }
            EnvelopeError::UnsupportedSchema(v) => write!(f, "store schema {v} is not supported"),
        }
    }
}

impl std::error::Error for EnvelopeError {}

/// What reading a saved document gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub envelope: Envelope,
    /// True when the data was written by a newer schema: show it, never save it.
    pub read_only: bool,
    /// True when a migration ran: the caller backs up the raw text first.
    pub migrated: bool,
}

/// Parses a saved document, migrating old schemas. A newer schema is read
/// as far as this build understands it and flagged read-only.
pub fn read_envelope(text: &str) -> Result<Loaded, EnvelopeError> {
    // The store is read from text, never from a `serde_json::Value`: the
    // records in the browser are read from text too, and each way of
    // reading costs the console's wasm a copy of every type's reader.
    #[derive(Deserialize)]
    struct Head {
        schema: Option<u64>,
    }
    let malformed = |e: serde_json::Error| EnvelopeError::Malformed(e.to_string());
    let head: Head = serde_json::from_str(text).map_err(malformed)?;
    let schema = head
        .schema
        .ok_or_else(|| EnvelopeError::Malformed("missing schema".into()))? as u32;
    let read_only = schema > SCHEMA_VERSION;
    let migrated = schema < SCHEMA_VERSION;
    let envelope: Envelope = if migrated {
        let value = serde_json::from_str(text).map_err(malformed)?;
        let text = migrate(value, schema)?.to_string();
        serde_json::from_str(&text).map_err(malformed)?
    } else {
        serde_json::from_str(text).map_err(malformed)?
    };
    Ok(Loaded {
        envelope,
        read_only,
        migrated,
    })
}

/// Runs each step from `from` up to [`SCHEMA_VERSION`]. Steps are pure
/// functions on JSON so they can be tested against stored fixtures.
pub fn migrate(
    mut value: serde_json::Value,
    from: u32,
) -> Result<serde_json::Value, EnvelopeError> {
    let mut v = from;
    while v < SCHEMA_VERSION {
        value = match v {
            // Schema 0 was the unreleased prototype: the same data without `rev`.
            0 => {
                if let Some(obj) = value.as_object_mut() {
                    obj.entry("rev").or_insert(serde_json::json!(0));
                    obj.entry("saved_at").or_insert(serde_json::json!(""));
                }
                value
            }
            other => return Err(EnvelopeError::UnsupportedSchema(other)),
        };
        v += 1;
    }
    if let Some(obj) = value.as_object_mut() {
        obj.insert("schema".into(), serde_json::json!(SCHEMA_VERSION));
    }
    Ok(value)
}

/// Marks a packed document: deflated JSON, 15 bits to a character.
pub const PACKED_PREFIX: &str = "clientele-packed-1:";

/// First code point of the packing alphabet. 0x0800 + 0x7FFF stays below
/// the surrogate range (0xD800), so every character is one UTF-16 unit the
/// browser stores as is.
const PACK_BASE: u32 = 0x0800;

/// Deflates `text` and spells the bytes 15 bits to a character. localStorage
/// counts UTF-16 units, so a store's JSON takes about a tenth of the room:
/// a boutique with tens of thousands of members still fits.
pub fn pack(text: &str) -> String {
    use std::io::Write;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(text.as_bytes());
    let bytes = enc.finish().unwrap_or_default();
    let mut out = String::with_capacity(PACKED_PREFIX.len() + 24 + bytes.len() * 3 * 8 / 15);
    out.push_str(PACKED_PREFIX);
    out.push_str(&bytes.len().to_string());
    out.push(':');
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        if bits >= 15 {
            bits -= 15;
            out.push(pack_char((acc >> bits) & 0x7FFF));
            acc &= (1 << bits) - 1;
        }
    }
    if bits > 0 {
        out.push(pack_char((acc << (15 - bits)) & 0x7FFF));
    }
    out
}

fn pack_char(v: u32) -> char {
    char::from_u32(PACK_BASE + v).unwrap_or('\u{0800}')
}

/// The JSON text of a stored document, packed or not.
pub fn unpack(stored: &str) -> Result<std::borrow::Cow<'_, str>, EnvelopeError> {
    use std::io::Read;
    let Some(rest) = stored.strip_prefix(PACKED_PREFIX) else {
        return Ok(std::borrow::Cow::Borrowed(stored));
    };
    let bad = |why: &str| EnvelopeError::Malformed(format!("packed store: {why}"));
    let (len, body) = rest.split_once(':').ok_or_else(|| bad("no length"))?;
    let len: usize = len.parse().map_err(|_| bad("bad length"))?;
    if body.chars().count() != (len.saturating_mul(8)).div_ceil(15) {
        return Err(bad("wrong length"));
    }
    let mut bytes = Vec::with_capacity(len.min(body.len() * 2));
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.chars() {
        let v = u32::from(c)
            .checked_sub(PACK_BASE)
            .filter(|v| *v <= 0x7FFF)
            .ok_or_else(|| bad("unexpected character"))?;
        acc = (acc << 15) | v;
        bits += 15;
        while bits >= 8 && bytes.len() < len {
            bits -= 8;
            bytes.push(((acc >> bits) & 0xFF) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    if bytes.len() != len {
        return Err(bad("truncated"));
    }
    let mut text = String::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .read_to_string(&mut text)
        .map_err(|e| bad(&e.to_string()))?;
    Ok(std::borrow::Cow::Owned(text))
}

pub fn write_envelope(env: &Envelope) -> String {
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string(env).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn round_trips_the_envelope() {
        let mut store = Store::default();
        store.settings.store_name = "Lotus 莲".into();
        store.members.push(Member::new(
            MemberId(1),
            "C001",
            "王芳",
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
        ));
        let env = Envelope::new(store, 7, "2026-11-23T10:00:00Z");
        let loaded = read_envelope(&write_envelope(&env)).unwrap();
        assert_eq!(loaded.envelope, env);
        assert!(!loaded.read_only && !loaded.migrated);
    }

    #[test]
    fn a_newer_schema_opens_read_only() {
        let text = format!(
            r#"{{"schema": {}, "rev": 3, "saved_at": "", "data": {{"future": 1}}}}"#,
            SCHEMA_VERSION + 1
        );
        let loaded = read_envelope(&text).unwrap();
        assert!(loaded.read_only);
    }

    #[test]
    fn schema_zero_migrates() {
        let text = r#"{"schema": 0, "data": {"members": []}}"#;
        let loaded = read_envelope(text).unwrap();
        assert!(loaded.migrated);
        assert_eq!(loaded.envelope.schema, SCHEMA_VERSION);
        assert_eq!(loaded.envelope.rev, 0);
    }

    #[test]
    fn garbage_is_a_typed_error() {
        assert!(matches!(
            read_envelope("not json"),
            Err(EnvelopeError::Malformed(_))
        ));
        assert!(matches!(
            read_envelope("{}"),
            Err(EnvelopeError::Malformed(_))
        ));
    }

    #[test]
    fn packing_round_trips_and_stays_out_of_the_surrogate_range() {
        for text in [
            String::new(),
            "a".into(),
            "莲 · 精品女装 ✓ {\"x\": [1,2,3]}".repeat(50),
            (0..5000)
                .map(|i| format!("{{\"id\":{i},\"n\":\"会员{i}\"}}"))
                .collect(),
        ] {
            let packed = pack(&text);
            assert!(packed.starts_with(PACKED_PREFIX));
            assert!(packed
                .encode_utf16()
                .all(|u| !(0xD800..=0xDFFF).contains(&u)));
            assert_eq!(unpack(&packed).unwrap(), text.as_str());
        }
        assert_eq!(unpack("{\"plain\": 1}").unwrap(), "{\"plain\": 1}");
    }

    #[test]
    fn the_demo_boutique_packs_to_a_small_share_of_its_json() {
        let store = crate::demo::demo_store(
            7,
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            crate::demo::DemoLanguage::Chinese,
        );
        let json = write_envelope(&Envelope::new(store, 1, "t"));
        let packed = pack(&json);
        let (plain, small) = (json.encode_utf16().count(), packed.encode_utf16().count());
        assert!(small * 4 < plain, "{small} units packed vs {plain} plain");
        assert_eq!(
            read_envelope(&unpack(&packed).unwrap())
                .unwrap()
                .envelope
                .data
                .members
                .len(),
            1000
        );
    }

    #[test]
    fn damaged_packed_text_is_a_typed_error_not_a_panic() {
        let packed = pack("{\"schema\": 1}");
        for bad in [
            PACKED_PREFIX.to_string(),
            format!("{PACKED_PREFIX}x:"),
            format!("{PACKED_PREFIX}99:abc"),
            packed[..packed.len() - 3].to_string(),
            format!("{packed}\u{0800}\u{0800}"),
        ] {
            assert!(
                matches!(unpack(&bad), Err(EnvelopeError::Malformed(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn date_formats() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(DateFormat::Iso.format(d), "2026-03-05");
        assert_eq!(DateFormat::Slashes.format(d), "2026/3/5");
        assert_eq!(DateFormat::Chinese.format(d), "2026年3月5日");
        assert_eq!(DateFormat::DayFirst.format(d), "05/03/2026");
        assert_eq!(DateFormat::MonthFirst.format(d), "03/05/2026");
    }
}
