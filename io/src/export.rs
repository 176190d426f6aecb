//! Tables out: members (with tier and points from replay), purchases, the
//! points ledger and campaign lists, as CSV in UTF-8 with a BOM (so Excel
//! opens Chinese correctly) or as xlsx; and the full backup and its
//! restore. Text that a spreadsheet would run as a formula is neutralised.

use crate::values::datetime_text;
use chrono::NaiveDate;
use clientele_engine::members::model::{Gender, MemberId};
use clientele_engine::points::checkout::scheme_on;
use clientele_engine::points::explain::{tier_name, Lang};
use clientele_engine::points::replay::replay_store;
use clientele_engine::store::document::{read_envelope, write_envelope, Envelope, EnvelopeError};
use clientele_engine::store::validate::{check_store, Refusal};
use clientele_engine::{Money, Store};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Int(i64),
    Money(Money),
}

/// Rows ready to be written as CSV or xlsx.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A text cell starting with `=`, `+`, `-`, `@`, tab or carriage return
/// gets an apostrophe in front, so no spreadsheet treats it as a formula.
/// The importer removes it again.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Money without grouping, as the importer reads it back: `1299.00`.
fn money_text(m: Money) -> String {
    let sign = if m.0 < 0 { "-" } else { "" };
    let a = m.0.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => neutralise(t),
            Cell::Int(i) => i.to_string(),
            Cell::Money(m) => money_text(*m),
        }
    }
}

/// CSV in UTF-8 with a byte order mark.
pub fn to_csv(table: &ExportTable) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(table.headers.iter().map(|h| neutralise(h)));
        for row in &table.rows {
            let _ = w.write_record(row.iter().map(Cell::text));
        }
        let _ = w.flush();
    }
    out
}

#[derive(Debug, Serialize, Deserialize)]
pub struct XlsxWriteError(pub String);

/// An xlsx workbook with one sheet named `sheet`.
pub fn to_xlsx(table: &ExportTable, sheet: &str) -> Result<Vec<u8>, XlsxWriteError> {
    let e = |e: rust_xlsxwriter::XlsxError| XlsxWriteError(e.to_string());
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let name: String = sheet
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if !name.is_empty() {
        ws.set_name(name).map_err(e)?;
    }
    for (c, h) in table.headers.iter().enumerate() {
        ws.write_string(0, c as u16, neutralise(h)).map_err(e)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) => {
                    ws.write_string(r, c, neutralise(t)).map_err(e)?;
                }
                Cell::Int(i) => {
                    ws.write_number(r, c, *i as f64).map_err(e)?;
                }
                Cell::Money(m) => {
                    ws.write_number(r, c, m.0 as f64 / 100.0).map_err(e)?;
                }
            }
        }
    }
    wb.save_to_buffer().map_err(e)
}

fn pick(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}

fn yes_no(lang: Lang, b: bool) -> Cell {
    Cell::Text(match (lang, b) {
        (Lang::En, true) => "yes".into(),
        (Lang::En, false) => "no".into(),
        (Lang::Zh, true) => "是".into(),
        (Lang::Zh, false) => "否".into(),
    })
}

fn gender_text(lang: Lang, g: Option<Gender>) -> String {
    match (lang, g) {
        (_, None) => String::new(),
        (Lang::En, Some(Gender::Female)) => "female".into(),
        (Lang::En, Some(Gender::Male)) => "male".into(),
        (Lang::En, Some(Gender::Other)) => "other".into(),
        (Lang::Zh, Some(Gender::Female)) => "女".into(),
        (Lang::Zh, Some(Gender::Male)) => "男".into(),
        (Lang::Zh, Some(Gender::Other)) => "其他".into(),
    }
}

const MEMBER_HEADERS: [(&str, &str); 19] = [
    ("Card number", "会员卡号"),
    ("Name", "姓名"),
    ("Mobile", "手机"),
    ("Email", "邮箱"),
    ("Gender", "性别"),
    ("Birthday", "生日"),
    ("Joined", "入会日期"),
    ("Store", "门店"),
    ("Staff", "导购"),
    ("Tier", "等级"),
    ("Points", "积分"),
    ("SMS consent", "短信同意"),
    ("Phone consent", "电话同意"),
    ("Email consent", "邮件同意"),
    ("Address", "地址"),
    ("Workplace", "工作单位"),
    ("Job", "职业"),
    ("Tags", "标签"),
    ("Notes", "备注"),
];

/// Whether `headers` are those of [`members_table`] (in either language):
/// this console's own member export, whose tier and points are replayed
/// values rather than another system's balances.
pub fn is_member_export(headers: &[String]) -> bool {
    [Lang::En, Lang::Zh].iter().any(|&lang| {
        headers.len() == MEMBER_HEADERS.len()
            && headers
                .iter()
                .zip(MEMBER_HEADERS.iter())
                .all(|(h, (e, z))| h.trim().trim_start_matches('\u{FEFF}') == pick(lang, e, z))
    })
}

/// Every member with tier and points as of `as_of`, consent and contact
/// fields. `only` limits the rows to those members (a segment or filter).
pub fn members_table(
    store: &Store,
    as_of: NaiveDate,
    lang: Lang,
    only: Option<&[MemberId]>,
) -> ExportTable {
    let headers = MEMBER_HEADERS
        .iter()
        .map(|(e, z)| pick(lang, e, z))
        .collect();
    let scheme = scheme_on(store, as_of);
    let outcomes: HashMap<MemberId, (Option<u8>, i64)> = replay_store(store, as_of)
        .map(|r| {
            r.members
                .into_iter()
                .map(|o| (o.member, (o.tier, o.balance)))
                .collect()
        })
        .unwrap_or_default();
    let wanted: Option<std::collections::HashSet<MemberId>> =
        only.map(|ids| ids.iter().copied().collect());
    let rows = store
        .members
        .iter()
        .filter(|m| wanted.as_ref().is_none_or(|w| w.contains(&m.id)))
        .map(|m| {
            let (tier, points) = outcomes.get(&m.id).copied().unwrap_or((None, 0));
            let t = |s: &str| Cell::Text(s.to_string());
            vec![
                t(&m.card_no),
                t(&m.name),
                t(&m.mobile),
                t(m.email.as_deref().unwrap_or("")),
                Cell::Text(gender_text(lang, m.gender)),
                Cell::Text(m.birthday.map(|b| b.to_text()).unwrap_or_default()),
                Cell::Text(clientele_engine::store::document::DateFormat::Iso.format(m.joined)),
                t(&m.store),
                t(m.staff.as_deref().unwrap_or("")),
                Cell::Text(if outcomes.contains_key(&m.id) {
                    tier_name(&scheme, tier, lang)
                } else {
                    String::new()
                }),
                Cell::Int(points),
                yes_no(lang, m.consent.sms),
                yes_no(lang, m.consent.phone),
                yes_no(lang, m.consent.email),
                t(m.address.as_deref().unwrap_or("")),
                t(m.workplace.as_deref().unwrap_or("")),
                t(m.job.as_deref().unwrap_or("")),
                Cell::Text(m.tags.join(", ")),
                t(&m.notes),
            ]
        })
        .collect();
    ExportTable { headers, rows }
}

/// Purchases, one row per line item (the receipt's number, date, total and
/// store repeated), or one row per receipt when it has no lines. The
/// importer groups the rows back by receipt.
pub fn purchases_table(store: &Store, lang: Lang) -> ExportTable {
    let headers = [
        ("Card number", "会员卡号"),
        ("Receipt", "小票号"),
        ("Date", "消费日期"),
        ("Amount", "消费金额"),
        ("Store", "门店"),
        ("SKU", "货号"),
        ("Category", "品类"),
        ("Quantity", "数量"),
        ("Line amount", "明细金额"),
    ]
    .iter()
    .map(|(e, z)| pick(lang, e, z))
    .collect();
    let cards: HashMap<MemberId, &str> = store
        .members
        .iter()
        .map(|m| (m.id, m.card_no.as_str()))
        .collect();
    let mut rows = Vec::with_capacity(store.purchases.len());
    for p in &store.purchases {
        let head = || {
            vec![
                Cell::Text(cards.get(&p.member).copied().unwrap_or("").to_string()),
                Cell::Text(p.receipt.clone()),
                Cell::Text(datetime_text(p.at)),
                Cell::Money(p.amount),
                Cell::Text(p.store.clone()),
            ]
        };
        if p.lines.is_empty() {
            let mut r = head();
            r.extend([
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
            ]);
            rows.push(r);
        }
        for l in &p.lines {
            let mut r = head();
            r.extend([
                Cell::Text(l.sku.clone()),
                Cell::Text(l.category.clone()),
                Cell::Int(l.quantity.into()),
                Cell::Money(l.amount),
            ]);
            rows.push(r);
        }
    }
    ExportTable { headers, rows }
}

/// The derived points ledger: every movement of every member as of `as_of`.
pub fn ledger_table(store: &Store, as_of: NaiveDate, lang: Lang) -> ExportTable {
    let headers = [
        ("Card number", "会员卡号"),
        ("Name", "姓名"),
        ("Date", "日期"),
        ("Points", "积分"),
        ("Reason", "原因"),
    ]
    .iter()
    .map(|(e, z)| pick(lang, e, z))
    .collect();
    let scheme = scheme_on(store, as_of);
    let members: HashMap<MemberId, (&str, &str)> = store
        .members
        .iter()
        .map(|m| (m.id, (m.card_no.as_str(), m.name.as_str())))
        .collect();
    let mut rows = Vec::new();
    if let Ok(replay) = replay_store(store, as_of) {
        for o in &replay.members {
            let (card, name) = members.get(&o.member).copied().unwrap_or(("", ""));
            for e in &o.ledger.entries {
                rows.push(vec![
                    Cell::Text(card.to_string()),
                    Cell::Text(name.to_string()),
                    Cell::Text(clientele_engine::store::document::DateFormat::Iso.format(e.date)),
                    Cell::Int(e.points),
                    Cell::Text(e.reason.describe(&scheme, lang)),
                ]);
            }
        }
    }
    ExportTable { headers, rows }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Phone,
    Email,
}

/// The members of `ids` who agreed to be contacted on `channel` and have
/// the contact detail it needs, with that detail.
pub fn campaign_table(
    store: &Store,
    ids: &[MemberId],
    channel: Channel,
    lang: Lang,
) -> ExportTable {
    let contact = match channel {
        Channel::Email => pick(lang, "Email", "邮箱"),
        _ => pick(lang, "Mobile", "手机"),
    };
    let headers = vec![
        pick(lang, "Card number", "会员卡号"),
        pick(lang, "Name", "姓名"),
        contact,
    ];
    let wanted: std::collections::HashSet<MemberId> = ids.iter().copied().collect();
    let rows = store
        .members
        .iter()
        .filter(|m| wanted.contains(&m.id))
        .filter_map(|m| {
            let (ok, detail) = match channel {
                Channel::Sms => (m.consent.sms, m.mobile.clone()),
                Channel::Phone => (m.consent.phone, m.mobile.clone()),
                Channel::Email => (m.consent.email, m.email.clone().unwrap_or_default()),
            };
            (ok && !detail.is_empty()).then(|| {
                vec![
                    Cell::Text(m.card_no.clone()),
                    Cell::Text(m.name.clone()),
                    Cell::Text(detail),
                ]
            })
        })
        .collect();
    ExportTable { headers, rows }
}

/// The full backup: the same versioned envelope the browser stores.
pub fn backup_json(store: &Store, rev: u64, saved_at: &str) -> String {
    write_envelope(&Envelope::new(store.clone(), rev, saved_at))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreError {
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    NotText,
    NotABackup(String),
    /// Written by a newer Clientele: restoring would lose what it added.
    NewerSchema {
        found: u32,
        supported: u32,
    },
    UnsupportedSchema(u32),
    /// The backup has the right shape but values that break the store's
    /// rules (`engine::store::validate`): every refused record, named.
    Refused(Vec<Refusal>),
}

impl std::fmt::Display for RestoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RestoreError::TooLarge { bytes, limit } => {
                write!(f, "the file is {bytes} bytes; the limit is {limit}")
            }
            RestoreError::NotText => write!(f, "not a text file"),
            RestoreError::NotABackup(e) => write!(f, "not a Clientele backup: {e}"),
            RestoreError::NewerSchema { found, supported } => {
                write!(
                    f,
                    "backup schema {found} is newer than this app's {supported}"
                )
            }
            RestoreError::UnsupportedSchema(v) => write!(f, "backup schema {v} is not supported"),
            RestoreError::Refused(list) => {
                write!(f, "{} records break the store's rules", list.len())?;
                for r in list {
                    write!(f, "\n{r}")?;
                }
                Ok(())
            }
        }
    }
}

/// What a restore would do, shown before anything changes.
#[derive(Clone, Debug, PartialEq)]
pub struct RestorePreview {
    pub store: Store,
    pub saved_at: String,
    pub store_name: String,
    /// (in the backup, in the console now)
    pub members: (usize, usize),
    pub purchases: (usize, usize),
    pub returns: (usize, usize),
    pub events: (usize, usize),
    pub migrated: bool,
}

pub fn read_backup(bytes: &[u8], current: &Store) -> Result<RestorePreview, RestoreError> {
    if bytes.len() > crate::read::MAX_FILE_BYTES {
        return Err(RestoreError::TooLarge {
            bytes: bytes.len(),
            limit: crate::read::MAX_FILE_BYTES,
        });
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|_| RestoreError::NotText)?;
    let loaded = read_envelope(text).map_err(|e| match e {
        EnvelopeError::Malformed(m) => RestoreError::NotABackup(m),
        EnvelopeError::NewerSchema { found, supported } => {
            RestoreError::NewerSchema { found, supported }
        }
        EnvelopeError::UnsupportedSchema(v) => RestoreError::UnsupportedSchema(v),
    })?;
    if loaded.read_only {
        return Err(RestoreError::NewerSchema {
            found: loaded.envelope.schema,
            supported: clientele_engine::store::document::SCHEMA_VERSION,
        });
    }
    let s = loaded.envelope.data;
    let refused = check_store(&s);
    if !refused.is_empty() {
        return Err(RestoreError::Refused(refused));
    }
    Ok(RestorePreview {
        members: (s.members.len(), current.members.len()),
        purchases: (s.purchases.len(), current.purchases.len()),
        returns: (s.returns.len(), current.returns.len()),
        events: (s.points_events.len(), current.points_events.len()),
        saved_at: loaded.envelope.saved_at,
        store_name: s.settings.store_name.clone(),
        migrated: loaded.migrated,
        store: s,
    })
}

/// Replaces the whole store with the backup's: one assignment, so it
/// happens entirely or not at all.
pub fn apply_restore(preview: RestorePreview, store: &mut Store) {
    *store = preview.store;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+86"), "'+86");
        assert_eq!(neutralise("-x"), "'-x");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("王芳"), "王芳");
    }

    #[test]
    fn csv_has_a_bom_and_quotes_what_needs_it() {
        let t = ExportTable {
            headers: vec!["姓名".into(), "金额".into()],
            rows: vec![vec![
                Cell::Text("Li, \"Na\"".into()),
                Cell::Money(Money(129_950)),
            ]],
        };
        let bytes = to_csv(&t);
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        assert_eq!(
            std::str::from_utf8(&bytes[3..]).unwrap(),
            "姓名,金额\r\n\"Li, \"\"Na\"\"\",1299.50\r\n"
        );
    }
}
