//! The store document: everything one boutique keeps, in one versioned JSON
//! envelope. The browser saves it to localStorage and the backup file is the
//! same document, so one format, one set of migrations.

use crate::care::CareLog;
use crate::model::{Member, MemberId, ProfileField, Purchase, Return};
use crate::points_events::PointsEvent;
use crate::scheme::DatedScheme;
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
}

impl Store {
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.purchases.is_empty()
    }

    /// The next unused member id.
    pub fn next_member_id(&self) -> MemberId {
        MemberId(self.members.iter().map(|m| m.id.0 + 1).max().unwrap_or(1))
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
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
    let schema = value
        .get("schema")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| EnvelopeError::Malformed("missing schema".into()))? as u32;
    let read_only = schema > SCHEMA_VERSION;
    let migrated = schema < SCHEMA_VERSION;
    if migrated {
        value = migrate(value, schema)?;
    }
    let envelope: Envelope =
        serde_json::from_value(value).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
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
    fn date_formats() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(DateFormat::Iso.format(d), "2026-03-05");
        assert_eq!(DateFormat::Slashes.format(d), "2026/3/5");
        assert_eq!(DateFormat::Chinese.format(d), "2026年3月5日");
        assert_eq!(DateFormat::DayFirst.format(d), "05/03/2026");
        assert_eq!(DateFormat::MonthFirst.format(d), "03/05/2026");
    }
}
