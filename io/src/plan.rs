//! Rows to an [`ImportPlan`] against the current store, in slices so a
//! large file can show progress and be cancelled, then [`apply`] commits
//! the plan all at once. Planning never touches the store; re-importing a
//! file that is already in finds nothing new (receipt numbers, return slips
//! and opening balances de-duplicate).

use crate::mapping::{Field, ImportKind, Mapping, Requirement};
use crate::read::{self, CsvRecords, Decoded, ReadError, ReadOptions, Row, Sniffed};
use crate::values::{self, AmountIssue, DateIssue, DateOrder};
use chrono::{NaiveDate, NaiveDateTime};
use clientele_engine::members::model::{
    normalize_mobile, LineItem, Member, MemberId, Purchase, Return,
};
use clientele_engine::points::events::{PointsEvent, PointsEventKind};
use clientele_engine::points::tiers::TierIdx;
use clientele_engine::{DeviceTag, IdSeries, Money, Store};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Identity fields (names, numbers) longer than this are not real data.
pub const MAX_SHORT_FIELD: usize = 200;
/// Notes and addresses may be longer, but not unbounded.
pub const MAX_LONG_FIELD: usize = 2000;

/// The `system` recorded on imported opening balances.
pub const IMPORT_SYSTEM: &str = "import";

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeMode {
    /// Only rows that match nothing in the store are added.
    AddNewOnly,
    /// New rows are added; members matched by card number, else mobile, are updated
    /// with the file's non-empty cells.
    AddAndUpdate,
    /// The imported section is replaced by the file (members: the whole
    /// member data; purchases: purchases and returns; returns; opening balances).
    ReplaceEverything,
}

/// Why a row was not taken. The UI words each one in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum RowReason {
    /// More non-empty cells than there are headers.
    Ragged {
        expected: usize,
        found: usize,
    },
    Missing {
        field: Field,
    },
    /// Neither a card number nor a mobile number.
    MissingMemberKey,
    Date {
        issue: DateIssue,
    },
    Amount {
        issue: AmountIssue,
    },
    Mobile,
    Email,
    Gender,
    Points,
    Quantity,
    YesNo,
    TooLong {
        limit: usize,
    },
    /// No member in the store with this card number or mobile.
    UnknownMember,
    /// A return for a receipt the store does not have.
    UnknownReceipt,
    /// The same member, receipt or slip appears earlier in the file.
    DuplicateInFile {
        first_row: usize,
    },
    /// The same receipt number is used for two different members.
    ReceiptOfAnotherMember {
        first_row: usize,
    },
    /// The receipt number is in the store already, for another member.
    ReceiptTaken,
    /// The card number belongs to one member and the mobile to another.
    MobileOfAnotherMember,
    /// More refunded than the receipt's amount (after earlier returns).
    ReturnExceedsPurchase {
        left: Money,
    },
    ReturnBeforePurchase,
    /// An opening tier that names no tier of the store's scheme (in either
    /// language) in force on the opening date.
    UnknownTier,
    /// The card number belongs to several members (two devices gave it out
    /// offline) and the row's mobile names none of them.
    SharedCard,
    /// A new member, but this device's member ids are used up (it takes a
    /// fresh series; importing the file again brings the rest in).
    NoFreeId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    /// The row number the user sees in their spreadsheet or editor.
    pub row: usize,
    pub column: Option<usize>,
    /// The column's header as written in the file.
    pub header: String,
    /// The offending cell, shortened.
    pub value: String,
    pub reason: RowReason,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub duplicate: usize,
    pub invalid: usize,
}

impl Counts {
    pub fn rows(&self) -> usize {
        self.new + self.updated + self.unchanged + self.duplicate + self.invalid
    }
}

/// Enough of the store to tell that it changed since a plan was made.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    members: usize,
    purchases: usize,
    returns: usize,
    events: usize,
    last_id: Option<MemberId>,
    last_receipt: Option<String>,
}

impl Fingerprint {
    fn of(store: &Store) -> Fingerprint {
        Fingerprint {
            members: store.members.len(),
            purchases: store.purchases.len(),
            returns: store.returns.len(),
            events: store.points_events.len(),
            last_id: store.members.iter().map(|m| m.id).max(),
            last_receipt: store.purchases.last().map(|p| p.receipt.clone()),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub new_members: Vec<Member>,
    pub updated_members: Vec<Member>,
    pub purchases: Vec<Purchase>,
    pub returns: Vec<Return>,
    pub events: Vec<PointsEvent>,
    /// Opening balances that replace a member's earlier imported one:
    /// (index in the store's `points_events`, new event).
    pub replaced_events: Vec<(usize, PointsEvent)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.new_members.is_empty()
            && self.updated_members.is_empty()
            && self.purchases.is_empty()
            && self.returns.is_empty()
            && self.events.is_empty()
            && self.replaced_events.is_empty()
    }
}

/// What the rows of a file from another system bring besides their own
/// records, for the preview.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extras {
    /// Members created from purchase rows whose customer was no member.
    pub members_created: usize,
    /// Negative purchase lines recorded as returns against their receipt.
    pub returns: usize,
    /// Negative purchase lines recorded as refunds without a receipt
    /// (purchases of a negative amount).
    pub refunds: usize,
    /// Opening balances and opening tiers added or replaced (member and
    /// opening-balance files).
    pub balances: usize,
    pub tiers: usize,
}

/// A column of the file that this import does not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredColumn {
    pub column: usize,
    pub header: String,
    /// What the header was recognised as, when it was (a field this kind
    /// of import, or these choices, do not use; or total spend, which
    /// comes from purchases).
    pub field: Option<Field>,
}

/// The preview: what committing would do. Nothing is stored until
/// [`apply`].
#[derive(Clone, Debug)]
pub struct ImportPlan {
    pub kind: ImportKind,
    pub mode: MergeMode,
    pub counts: Counts,
    pub extras: Extras,
    /// Every column the import leaves out, in file order.
    pub ignored_columns: Vec<IgnoredColumn>,
    /// Invalid and duplicate rows, in file order (the first
    /// [`MAX_LISTED_ISSUES`]; `counts` has the totals).
    pub issues: Vec<RowIssue>,
    /// Some dates read both ways (05/03/2024): ask the user for the order
    /// and plan again.
    pub needs_date_order: bool,
    pub changes: Changes,
    base: Fingerprint,
}

/// A 500,000-row file with every row wrong must not list them all.
pub const MAX_LISTED_ISSUES: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    Read(ReadError),
    /// The mapping lacks what this kind of import needs.
    Mapping(Vec<Requirement>),
}

impl From<ReadError> for ImportError {
    fn from(e: ReadError) -> Self {
        ImportError::Read(e)
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Read(e) => e.fmt(f),
            ImportError::Mapping(m) => write!(f, "the mapping lacks {m:?}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplyError {
    /// The store changed after the preview was made: preview again.
    StoreChanged,
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the data changed since the preview; preview again")
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub rows_done: usize,
    /// Share of the file read, in thousandths (for the progress bar).
    pub permille: u32,
    pub finished: bool,
}

enum Source {
    Csv(CsvRecords),
    Rows(std::vec::IntoIter<Row>, usize),
}

/// A file opened for import: what was detected and the headers, before
/// the user confirms the mapping and kind.
pub struct Opened {
    pub sniffed: Sniffed,
    pub headers: Vec<String>,
    /// The first rows, for the mapping screen.
    pub sample: Vec<Row>,
    source: Source,
}

/// Reads the header (and for xlsx the whole sheet; calamine has no
/// streaming reader for in-memory workbooks).
pub fn open(bytes: &[u8], options: &ReadOptions) -> Result<Opened, ReadError> {
    open_decoded(read::decode_file(bytes, options)?, options)
}

/// [`open`] after [`read::decode_file`]: splits the text into records
/// (lazily, for large files) and takes the header.
pub fn open_decoded(decoded: Decoded, options: &ReadOptions) -> Result<Opened, ReadError> {
    match decoded {
        Decoded::Sheet { sniffed, table } => {
            let sample = table.rows.iter().take(5).cloned().collect();
            let n = table.rows.len();
            Ok(Opened {
                sniffed,
                headers: table.headers,
                sample,
                source: Source::Rows(table.rows.into_iter(), n),
            })
        }
        Decoded::Text { encoding, text } => {
            let (sniffed, headers, mut records) = read::open_text(text, encoding, options)?;
            let sample = records.peek(5);
            Ok(Opened {
                sniffed,
                headers,
                sample,
                source: Source::Csv(records),
            })
        }
    }
}

impl Opened {
    pub fn mapping(&self) -> Mapping {
        Mapping::guess(&self.headers)
    }

    /// Whether the date column of the sample (or all rows, for xlsx) has
    /// dates that read both ways and none that settle the order.
    pub fn dates_ambiguous(&self, mapping: &Mapping) -> bool {
        let cols: Vec<usize> = [Field::Date, Field::Birthday, Field::Joined, Field::Expires]
            .iter()
            .filter_map(|f| mapping.column_of(*f))
            .collect();
        self.sample.iter().any(|r| {
            cols.iter()
                .any(|&c| r.cells.get(c).is_some_and(|v| values::is_ambiguous(v)))
        })
    }
}

/// What a negative purchase line or amount (a return in a POS export) is.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegativeLines {
    /// A row issue, as a purchase import always did.
    #[default]
    Refuse,
    /// A return against the receipt the row names (its original-receipt
    /// column, else its receipt column), in the store or earlier in the
    /// file; a row naming no known receipt is a row issue.
    Returns,
    /// As `Returns`, and a row naming no known receipt is a refund without
    /// a receipt: a purchase of the negative amount (no points, no tier).
    ReturnsOrRefunds,
}

/// Choices for a file from another system (all off by default).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MovingIn {
    /// Purchases whose customer is no member yet create the member from
    /// the row's card number, name, mobile and e-mail, joining on the
    /// first purchase date.
    pub create_members: bool,
    pub negative_lines: NegativeLines,
    /// Members: the points balance, expiry and tier columns (当前积分,
    /// 会员等级) become opening balances and tiers as of the import day.
    pub member_balances: bool,
}

impl MovingIn {
    /// What the wizard proposes for a file: a member file's balances come
    /// in, unless it is this console's own member export (its points and
    /// tiers are replayed from purchases, not another system's). Creating
    /// members and recording returns write new records, so they wait to be
    /// chosen.
    pub fn suggested(kind: ImportKind, mapping: &Mapping) -> MovingIn {
        MovingIn {
            member_balances: kind == ImportKind::Members
                && (mapping.has(Field::Points) || mapping.has(Field::Tier))
                && !crate::export::is_member_export(&mapping.headers),
            ..MovingIn::default()
        }
    }
}

/// Settings of one import run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSettings {
    pub kind: ImportKind,
    pub mode: MergeMode,
    pub mapping: Mapping,
    pub date_order: Option<DateOrder>,
    /// The day imported members join and opening balances count from when
    /// the file does not say (the engine has no clock).
    pub today: NaiveDate,
    #[serde(default)]
    pub moving_in: MovingIn,
    /// The importing device's id series: new members get its next ids
    /// (the engine draws no random numbers).
    pub device: DeviceTag,
}

impl ImportSettings {
    /// Whether this import reads `field` (a mapped column of any other
    /// field is listed as not imported).
    pub fn reads(&self, field: Field) -> bool {
        let choices = &self.moving_in;
        Field::for_kind(self.kind).contains(&field)
            && match field {
                Field::Name | Field::FirstName | Field::LastName | Field::Email => {
                    self.kind != ImportKind::Purchases || choices.create_members
                }
                Field::OriginalReceipt => choices.negative_lines != NegativeLines::Refuse,
                Field::Points | Field::Tier | Field::Expires => {
                    self.kind != ImportKind::Members || choices.member_balances
                }
                _ => true,
            }
    }
}

/// Plans an import in slices: call [`Importer::step`] until it reports
/// `finished`, then [`Importer::finish`].
pub struct Importer {
    source: Source,
    settings: ImportSettings,
    width: usize,
    cols: HashMap<Field, usize>,
    // The store as the plan sees it (empty sections under replace).
    members: Vec<Member>,
    by_card: HashMap<String, usize>,
    /// Card numbers (keys) that several members hold: two devices enrolled
    /// offline and each gave out the same one. A row names such a card's
    /// holder only through its mobile, never by a guess.
    shared_cards: HashSet<String>,
    by_mobile: HashMap<String, usize>,
    receipts: HashMap<String, (MemberId, NaiveDateTime, Money)>,
    returned: HashMap<String, Money>,
    return_ids: HashSet<String>,
    openings: HashMap<MemberId, (usize, i64, NaiveDateTime)>,
    opening_tiers: HashMap<MemberId, (usize, u8, NaiveDateTime)>,
    /// The store's scheme history, to read tier names against.
    schemes: Store,
    /// New members' ids: the device's series after every id in the store
    /// (also under replace, so a device never hands out an id twice).
    ids: IdSeries,
    next_card: u64,
    // What the file has given so far.
    seen_keys: HashMap<String, usize>,
    file_receipts: HashMap<String, (usize, usize, MemberId)>,
    file_members: HashMap<MemberId, usize>,
    /// Returns planned from negative purchase lines: id to (first row,
    /// index in `plan.changes.returns`).
    file_returns: HashMap<String, (usize, usize)>,
    /// Members created by purchase rows: id to index in `new_members`.
    created: HashMap<MemberId, usize>,
    rows_done: usize,
    plan: ImportPlan,
}

fn card_key(card: &str) -> String {
    card.trim().to_lowercase()
}

impl Importer {
    pub fn new(
        opened: Opened,
        settings: ImportSettings,
        store: &Store,
    ) -> Result<Importer, ImportError> {
        let missing = settings.mapping.missing(settings.kind);
        if !missing.is_empty() {
            return Err(ImportError::Mapping(missing));
        }
        let replace = settings.mode == MergeMode::ReplaceEverything;
        let kind = settings.kind;
        let members: Vec<Member> = if replace && kind == ImportKind::Members {
            Vec::new()
        } else {
            store.members.clone()
        };
        let mut by_card = HashMap::with_capacity(members.len());
        let mut by_mobile = HashMap::with_capacity(members.len());
        let mut shared_cards = HashSet::new();
        for (i, m) in members.iter().enumerate() {
            if !m.card_no.is_empty() {
                let key = card_key(&m.card_no);
                if by_card.contains_key(&key) {
                    shared_cards.insert(key.clone());
                }
                by_card.insert(key, i);
            }
            if !m.mobile.is_empty() {
                by_mobile.insert(m.mobile.clone(), i);
            }
        }
        let keep_purchases =
            !(replace && matches!(kind, ImportKind::Members | ImportKind::Purchases));
        let receipts = if keep_purchases {
            store
                .purchases
                .iter()
                .map(|p| (p.receipt.clone(), (p.member, p.at, p.amount)))
                .collect()
        } else {
            HashMap::new()
        };
        let keep_returns = keep_purchases && !(replace && kind == ImportKind::Returns);
        let mut returned: HashMap<String, Money> = HashMap::new();
        let mut return_ids = HashSet::new();
        if keep_returns {
            for r in &store.returns {
                *returned.entry(r.receipt.clone()).or_default() += r.amount;
                return_ids.insert(r.id.clone());
            }
        }
        let mut openings = HashMap::new();
        let mut opening_tiers = HashMap::new();
        if !(replace && matches!(kind, ImportKind::Members | ImportKind::OpeningBalances)) {
            for (i, e) in store.points_events.iter().enumerate() {
                match e.kind {
                    PointsEventKind::OpeningBalance { points, .. } => {
                        openings.insert(e.member, (i, points, e.at));
                    }
                    PointsEventKind::OpeningTier { tier, .. } => {
                        opening_tiers.insert(e.member, (i, tier, e.at));
                    }
                    _ => {}
                }
            }
        }
        let schemes = Store {
            schemes: store.schemes.clone(),
            ..Store::default()
        };
        let ids = store.id_series(settings.device);
        let next_card = members
            .iter()
            .filter_map(|m| {
                m.card_no
                    .strip_prefix("VIP")
                    .and_then(|n| n.parse::<u64>().ok())
            })
            .max()
            .unwrap_or(0)
            + 1;
        let cols = settings
            .mapping
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.filter(|f| settings.reads(*f)).map(|f| (f, i)))
            .collect();
        let ignored_columns = (0..opened.headers.len())
            .filter_map(|i| {
                let field = settings.mapping.columns.get(i).copied().flatten();
                (!field.is_some_and(|f| settings.reads(f))).then(|| IgnoredColumn {
                    column: i,
                    header: opened.headers[i].clone(),
                    field,
                })
            })
            .collect();
        let base = Fingerprint::of(store);
        Ok(Importer {
            width: opened.headers.len(),
            source: opened.source,
            plan: ImportPlan {
                kind,
                mode: settings.mode,
                counts: Counts::default(),
                extras: Extras::default(),
                ignored_columns,
                issues: Vec::new(),
                needs_date_order: false,
                changes: Changes::default(),
                base,
            },
            settings,
            cols,
            members,
            by_card,
            shared_cards,
            by_mobile,
            receipts,
            returned,
            return_ids,
            openings,
            opening_tiers,
            schemes,
            ids,
            next_card,
            seen_keys: HashMap::new(),
            file_receipts: HashMap::new(),
            file_members: HashMap::new(),
            file_returns: HashMap::new(),
            created: HashMap::new(),
            rows_done: 0,
        })
    }

    /// Plans up to `max_rows` more rows. A read error (an unterminated
    /// quote) stops the whole import: the file cannot be trusted past it.
    pub fn step(&mut self, max_rows: usize) -> Result<Progress, ImportError> {
        for _ in 0..max_rows {
            let row = match &mut self.source {
                Source::Csv(r) => match r.next_record() {
                    Some(row) => row?,
                    None => return Ok(self.progress(true)),
                },
                Source::Rows(it, _) => match it.next() {
                    Some(row) => row,
                    None => return Ok(self.progress(true)),
                },
            };
            if self.rows_done >= read::MAX_ROWS {
                return Err(ReadError::TooManyRows {
                    limit: read::MAX_ROWS,
                }
                .into());
            }
            self.rows_done += 1;
            self.row(row);
        }
        let done = match &self.source {
            Source::Csv(r) => r.bytes_done() >= r.bytes_total(),
            Source::Rows(it, _) => it.len() == 0,
        };
        Ok(self.progress(done))
    }

    fn progress(&self, finished: bool) -> Progress {
        let permille = if finished {
            1000
        } else {
            match &self.source {
                Source::Csv(r) => {
                    (r.bytes_done() as u64 * 1000 / r.bytes_total().max(1) as u64) as u32
                }
                Source::Rows(it, n) => ((n - it.len()) as u64 * 1000 / (*n).max(1) as u64) as u32,
            }
        };
        Progress {
            rows_done: self.rows_done,
            permille,
            finished,
        }
    }

    /// Runs to the end (tests, the command line).
    pub fn run(mut self) -> Result<ImportPlan, ImportError> {
        while !self.step(10_000)?.finished {}
        Ok(self.finish())
    }

    pub fn finish(self) -> ImportPlan {
        self.plan
    }

    fn issue(&mut self, row: &Row, field: Option<Field>, reason: RowReason) {
        self.plan.counts.invalid += 1;
        self.list(row, field, reason);
    }

    fn duplicate(&mut self, row: &Row, field: Option<Field>, reason: RowReason) {
        self.plan.counts.duplicate += 1;
        self.list(row, field, reason);
    }

    fn list(&mut self, row: &Row, field: Option<Field>, reason: RowReason) {
        if self.plan.issues.len() >= MAX_LISTED_ISSUES {
            return;
        }
        let column = field.and_then(|f| self.cols.get(&f).copied());
        let header = column
            .and_then(|c| self.settings.mapping.headers.get(c).cloned())
            .unwrap_or_default();
        let value: String = column
            .and_then(|c| row.cells.get(c))
            .map(|v| v.chars().take(60).collect())
            .unwrap_or_default();
        self.plan.issues.push(RowIssue {
            row: row.number,
            column,
            header,
            value,
            reason,
        });
    }

    fn cell<'r>(&self, row: &'r Row, field: Field) -> &'r str {
        self.cols
            .get(&field)
            .and_then(|&c| row.cells.get(c))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    fn row(&mut self, mut row: Row) {
        for c in row.cells.iter_mut() {
            unneutralise(c);
        }
        let found = row
            .cells
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1);
        if found > self.width {
            self.issue(
                &row,
                None,
                RowReason::Ragged {
                    expected: self.width,
                    found,
                },
            );
            return;
        }
        // Every mapped cell must fit; notes and addresses may be longer.
        let too_long = self.cols.iter().find_map(|(&f, &c)| {
            let limit = if matches!(f, Field::Notes | Field::Address | Field::Tags) {
                MAX_LONG_FIELD
            } else {
                MAX_SHORT_FIELD
            };
            row.cells
                .get(c)
                .filter(|v| v.chars().count() > limit)
                .map(|_| (f, limit))
        });
        if let Some((f, limit)) = too_long {
            self.issue(&row, Some(f), RowReason::TooLong { limit });
            return;
        }
        match self.settings.kind {
            ImportKind::Members => self.member_row(&row),
            ImportKind::Purchases => self.purchase_row(&row),
            ImportKind::Returns => self.return_row(&row),
            ImportKind::OpeningBalances => self.opening_row(&row),
        }
    }

    fn date(&mut self, row: &Row, field: Field) -> Result<Option<NaiveDateTime>, ()> {
        let text = self.cell(row, field);
        if text.is_empty() {
            return Ok(None);
        }
        match values::parse_datetime(text, self.settings.date_order) {
            Ok(d) => Ok(Some(d)),
            Err(issue) => {
                if issue == DateIssue::Ambiguous {
                    self.plan.needs_date_order = true;
                }
                self.issue(row, Some(field), RowReason::Date { issue });
                Err(())
            }
        }
    }

    /// The existing member a row names, by card number, else mobile.
    /// The member a purchase, return or opening row belongs to; a row for
    /// nobody in the store (or the file) is an issue on the column used.
    fn known_member(&mut self, row: &Row) -> Option<MemberId> {
        match self.find_member(row) {
            Err(()) => None,
            Ok(None) => {
                let f = if self.cell(row, Field::CardNo).is_empty() {
                    Field::Mobile
                } else {
                    Field::CardNo
                };
                self.issue(row, Some(f), RowReason::UnknownMember);
                None
            }
            Ok(Some(i)) => Some(self.members[i].id),
        }
    }

    fn find_member(&mut self, row: &Row) -> Result<Option<usize>, ()> {
        let card = self.cell(row, Field::CardNo);
        let raw_mobile = self.cell(row, Field::Mobile);
        let mobile = normalize_mobile(raw_mobile);
        if card.is_empty() && mobile.is_empty() {
            let reason = if raw_mobile.is_empty() {
                RowReason::MissingMemberKey
            } else {
                RowReason::Mobile
            };
            // Named on the card number column (else the mobile one), the
            // first place to fill in.
            let field = if raw_mobile.is_empty() && self.cols.contains_key(&Field::CardNo) {
                Field::CardNo
            } else {
                Field::Mobile
            };
            self.issue(row, Some(field), reason);
            return Err(());
        }
        if !card.is_empty() {
            let key = card_key(card);
            if self.shared_cards.contains(&key) {
                return match self.holder_by_mobile(&key, &mobile) {
                    Some(i) => Ok(Some(i)),
                    None => {
                        self.issue(row, Some(Field::CardNo), RowReason::SharedCard);
                        Err(())
                    }
                };
            }
            if let Some(&i) = self.by_card.get(&key) {
                return Ok(Some(i));
            }
        }
        if !mobile.is_empty() {
            if let Some(&i) = self.by_mobile.get(&mobile) {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// Of the members holding the shared card `key`, the one with `mobile`.
    fn holder_by_mobile(&self, key: &str, mobile: &str) -> Option<usize> {
        (!mobile.is_empty())
            .then(|| self.by_mobile.get(mobile).copied())
            .flatten()
            .filter(|&i| card_key(&self.members[i].card_no) == key)
    }

    /// The member a row names, if any, without listing an issue.
    fn lookup(&self, row: &Row) -> Option<usize> {
        let card = self.cell(row, Field::CardNo);
        let mobile = normalize_mobile(self.cell(row, Field::Mobile));
        let key = card_key(card);
        if self.shared_cards.contains(&key) {
            return self.holder_by_mobile(&key, &mobile);
        }
        (!card.is_empty())
            .then(|| self.by_card.get(&key))
            .flatten()
            .or_else(|| {
                (!mobile.is_empty())
                    .then(|| self.by_mobile.get(&mobile))
                    .flatten()
            })
            .copied()
    }

    fn member_row(&mut self, row: &Row) {
        let card = self.cell(row, Field::CardNo).to_string();
        let raw_mobile = self.cell(row, Field::Mobile).to_string();
        let mobile = normalize_mobile(&raw_mobile);
        if !raw_mobile.is_empty() && !(6..=15).contains(&mobile.len()) {
            self.issue(row, Some(Field::Mobile), RowReason::Mobile);
            return;
        }
        let name = self.row_name(row);
        // Duplicates within the file, by card then mobile.
        for key in [
            (!card.is_empty()).then(|| format!("c:{}", card_key(&card))),
            (!mobile.is_empty()).then(|| format!("m:{mobile}")),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(&first_row) = self.seen_keys.get(&key) {
                let field = if key.starts_with("c:") {
                    Field::CardNo
                } else {
                    Field::Mobile
                };
                self.duplicate(row, Some(field), RowReason::DuplicateInFile { first_row });
                return;
            }
        }
        let Ok(existing) = self.find_member(row) else {
            return;
        };
        let base = match existing {
            Some(i) => self.members[i].clone(),
            None => {
                if name.is_empty() {
                    let f = if self.cols.contains_key(&Field::Name) {
                        Field::Name
                    } else {
                        Field::FirstName
                    };
                    self.issue(row, Some(f), RowReason::Missing { field: Field::Name });
                    return;
                }
                let joined = self.settings.today;
                Member::new(MemberId(0), card.clone(), name.clone(), joined)
            }
        };
        // A card number that is new but a mobile that belongs to a member
        // with another card: two people, or a typo; either way not ours to guess.
        if let Some(i) = existing {
            let m = &self.members[i];
            if !card.is_empty() && !m.card_no.is_empty() && !m.card_no.eq_ignore_ascii_case(&card) {
                self.issue(row, Some(Field::Mobile), RowReason::MobileOfAnotherMember);
                return;
            }
        }
        let Ok(merged) = self.merge_member(row, base, &name, &card, &mobile) else {
            return;
        };
        // A POS member export's points balance and tier come in as
        // opening balances in the same import.
        let Ok(opening) = self.member_opening(row) else {
            return;
        };
        for key in [
            (!card.is_empty()).then(|| format!("c:{}", card_key(&card))),
            (!mobile.is_empty()).then(|| format!("m:{mobile}")),
        ]
        .into_iter()
        .flatten()
        {
            self.seen_keys.insert(key, row.number);
        }
        let (id, part) = match existing {
            Some(i) => {
                let id = self.members[i].id;
                if self.members[i] == merged {
                    (id, Part::Unchanged)
                } else if self.settings.mode == MergeMode::AddNewOnly {
                    (id, Part::Duplicate)
                } else {
                    self.plan.changes.updated_members.push(merged);
                    (id, Part::Updated)
                }
            }
            None => {
                let mut m = merged;
                let Some(id) = self.ids.take() else {
                    self.issue(row, None, RowReason::NoFreeId);
                    return;
                };
                m.id = id;
                if m.card_no.is_empty() {
                    m.card_no = format!("VIP{:06}", self.next_card);
                    self.next_card += 1;
                }
                if !m.mobile.is_empty() && self.by_mobile.contains_key(&m.mobile) {
                    self.issue(row, Some(Field::Mobile), RowReason::MobileOfAnotherMember);
                    return;
                }
                let id = m.id;
                self.plan.changes.new_members.push(m);
                (id, Part::New)
            }
        };
        let mut parts = vec![part];
        if let Some(o) = opening {
            parts.extend(self.place_opening(id, o));
        }
        self.count_parts(&parts);
    }

    /// The name a row gives: a full name, else first and last name (family
    /// name first in Chinese).
    fn row_name(&self, row: &Row) -> String {
        let full = self.cell(row, Field::Name);
        if !full.is_empty() {
            return full.to_string();
        }
        let first = self.cell(row, Field::FirstName);
        let last = self.cell(row, Field::LastName);
        let cjk = |s: &str| s.chars().any(|c| c as u32 >= 0x2E80);
        if cjk(first) || cjk(last) {
            format!("{last}{first}")
        } else {
            format!("{first} {last}").trim().to_string()
        }
    }

    /// A member row's points balance and tier (当前积分, 会员等级): an
    /// opening balance as of the import day. `None` when both are empty.
    fn member_opening(&mut self, row: &Row) -> Result<Option<Opening>, ()> {
        let points_text = self.cell(row, Field::Points);
        if points_text.is_empty() && self.cell(row, Field::Tier).is_empty() {
            return Ok(None);
        }
        let at = self.settings.today.and_time(chrono::NaiveTime::MIN);
        let points = if points_text.is_empty() {
            None
        } else {
            match values::parse_points(points_text) {
                Some(p) => Some(p),
                None => {
                    self.issue(row, Some(Field::Points), RowReason::Points);
                    return Err(());
                }
            }
        };
        let expires = match points {
            Some(_) => self.date(row, Field::Expires)?.map(|e| e.date()),
            None => None,
        };
        let tier = self.tier_of(row, at)?;
        Ok(Some(Opening {
            at,
            dated: false,
            points,
            expires,
            tier,
        }))
    }

    /// The tier a row's tier cell names in the scheme in force at `at`; an
    /// unknown name is an issue on the row.
    fn tier_of(&mut self, row: &Row, at: NaiveDateTime) -> Result<Option<TierIdx>, ()> {
        let tier_name = self.cell(row, Field::Tier);
        if tier_name.is_empty() {
            return Ok(None);
        }
        match self.schemes.scheme_on(at.date()).tiers.find(tier_name) {
            Some(t) => Ok(Some(t)),
            None => {
                self.issue(row, Some(Field::Tier), RowReason::UnknownTier);
                Err(())
            }
        }
    }

    /// Plans a member's opening balance and tier against the store's
    /// earlier ones: one part each.
    fn place_opening(&mut self, member: MemberId, o: Opening) -> Vec<Part> {
        let mut parts = Vec::with_capacity(2);
        if let Some(points) = o.points {
            let event = PointsEvent {
                member,
                at: o.at,
                kind: PointsEventKind::OpeningBalance {
                    points,
                    expires: o.expires,
                    system: IMPORT_SYSTEM.to_string(),
                },
                staff: None,
            };
            let known = self
                .openings
                .get(&member)
                .map(|&(i, p, t)| (i, p == points && (t == o.at || !o.dated)));
            let part = self.place(event, known);
            if matches!(part, Part::New | Part::Updated) {
                self.plan.extras.balances += 1;
            }
            parts.push(part);
        }
        if let Some(tier) = o.tier {
            let event = PointsEvent {
                member,
                at: o.at,
                kind: PointsEventKind::OpeningTier {
                    tier,
                    system: IMPORT_SYSTEM.to_string(),
                },
                staff: None,
            };
            let known = self
                .opening_tiers
                .get(&member)
                .map(|&(i, k, t)| (i, k == tier && (t == o.at || !o.dated)));
            let part = self.place(event, known);
            if matches!(part, Part::New | Part::Updated) {
                self.plan.extras.tiers += 1;
            }
            parts.push(part);
        }
        parts
    }

    /// Counts a row by its parts: updated or new when any part is.
    fn count_parts(&mut self, parts: &[Part]) {
        let c = &mut self.plan.counts;
        if parts.contains(&Part::Updated) {
            c.updated += 1;
        } else if parts.contains(&Part::New) {
            c.new += 1;
        } else if parts.contains(&Part::Duplicate) {
            c.duplicate += 1;
        } else {
            c.unchanged += 1;
        }
    }

    /// The member with the row's non-empty cells written over `m`.
    fn merge_member(
        &mut self,
        row: &Row,
        mut m: Member,
        name: &str,
        card: &str,
        mobile: &str,
    ) -> Result<Member, ()> {
        if !name.is_empty() {
            m.name = name.to_string();
        }
        if !card.is_empty() {
            m.card_no = card.to_string();
        }
        if !mobile.is_empty() {
            m.mobile = mobile.to_string();
        }
        let email = self.cell(row, Field::Email);
        if !email.is_empty() {
            if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
                self.issue(row, Some(Field::Email), RowReason::Email);
                return Err(());
            }
            m.email = Some(email.to_string());
        }
        match values::parse_gender(self.cell(row, Field::Gender)) {
            Ok(Some(g)) => m.gender = Some(g),
            Ok(None) => {}
            Err(values::NotAGender) => {
                self.issue(row, Some(Field::Gender), RowReason::Gender);
                return Err(());
            }
        }
        let bday = self.cell(row, Field::Birthday);
        if !bday.is_empty() {
            match values::parse_birthday(bday, self.settings.date_order) {
                Ok(b) => m.birthday = Some(b),
                Err(issue) => {
                    if issue == DateIssue::Ambiguous {
                        self.plan.needs_date_order = true;
                    }
                    self.issue(row, Some(Field::Birthday), RowReason::Date { issue });
                    return Err(());
                }
            }
        }
        if let Some(j) = self.date(row, Field::Joined)? {
            m.joined = j.date();
        }
        let text_fields: [(Field, SetText); 7] = [
            (Field::Store, |m, v| m.store = v),
            (Field::Staff, |m, v| m.staff = Some(v)),
            (Field::Address, |m, v| m.address = Some(v)),
            (Field::Workplace, |m, v| m.workplace = Some(v)),
            (Field::Job, |m, v| m.job = Some(v)),
            (Field::Notes, |m, v| m.notes = v),
            (Field::Tags, |m, v| {
                m.tags = v
                    .split([',', ';', '、', '|', '，'])
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            }),
        ];
        for (f, set) in text_fields {
            let v = self.cell(row, f);
            if !v.is_empty() {
                set(&mut m, v.to_string());
            }
        }
        let consent: [(Field, SetFlag); 3] = [
            (Field::ConsentSms, |m, v| m.consent.sms = v),
            (Field::ConsentPhone, |m, v| m.consent.phone = v),
            (Field::ConsentEmail, |m, v| m.consent.email = v),
        ];
        for (f, set) in consent {
            if !self.cols.contains_key(&f) {
                continue;
            }
            let v = self.cell(row, f);
            if v.is_empty() {
                continue;
            }
            match values::parse_yes_no(v) {
                Some(b) => set(&mut m, b),
                None => {
                    self.issue(row, Some(f), RowReason::YesNo);
                    return Err(());
                }
            }
        }
        Ok(m)
    }

    fn amount(&mut self, row: &Row, field: Field, allow_negative: bool) -> Result<Money, ()> {
        let text = self.cell(row, field);
        if text.is_empty() {
            self.issue(row, Some(field), RowReason::Missing { field });
            return Err(());
        }
        match values::parse_amount(text) {
            Ok(m) => Ok(m),
            Err(AmountIssue::Negative) if allow_negative => {
                let positive = text.replacen('-', "", 1).replace(['(', ')'], "");
                values::parse_amount(&positive).map_err(|issue| {
                    self.issue(row, Some(field), RowReason::Amount { issue });
                })
            }
            Err(issue) => {
                self.issue(row, Some(field), RowReason::Amount { issue });
                Err(())
            }
        }
    }

    fn purchase_row(&mut self, row: &Row) {
        if self.settings.moving_in.negative_lines != NegativeLines::Refuse && self.negative(row) {
            self.negative_row(row);
            return;
        }
        let Some((member, draft)) = self.purchase_member(row) else {
            return;
        };
        let at = match self.date(row, Field::Date) {
            Err(()) => return,
            Ok(None) => {
                self.issue(
                    row,
                    Some(Field::Date),
                    RowReason::Missing { field: Field::Date },
                );
                return;
            }
            Ok(Some(d)) => d,
        };
        let has_line_amount = self.cols.contains_key(&Field::LineAmount);
        let has_amount = self.cols.contains_key(&Field::Amount);
        let line_amount = if has_line_amount && !self.cell(row, Field::LineAmount).is_empty() {
            match self.amount(row, Field::LineAmount, false) {
                Ok(a) => Some(a),
                Err(()) => return,
            }
        } else {
            None
        };
        let amount = if has_amount {
            match self.amount(row, Field::Amount, false) {
                Ok(a) => a,
                Err(()) => return,
            }
        } else {
            line_amount.unwrap_or_default()
        };
        let quantity = match values::parse_quantity(self.cell(row, Field::Quantity)) {
            Some(q) => q,
            None => {
                self.issue(row, Some(Field::Quantity), RowReason::Quantity);
                return;
            }
        };
        let sku = self.cell(row, Field::Sku).to_string();
        let category = self.cell(row, Field::Category).to_string();
        let line = (line_amount.is_some() || !sku.is_empty()).then(|| LineItem {
            sku,
            category,
            quantity,
            amount: line_amount.unwrap_or(amount),
        });
        let receipt = match self.cell(row, Field::Receipt) {
            "" => format!(
                "IMP-{}-{}-{}",
                self.card_of(member, draft.as_ref()),
                values::datetime_text(at).replace([' ', ':', '-'], ""),
                amount.0
            ),
            r => r.to_string(),
        };
        if let Some(&(owner, _, _)) = self.receipts.get(&receipt) {
            // A receipt already in the store is the normal case of a
            // re-import: counted, not listed.
            if owner == member {
                self.plan.counts.duplicate += 1;
            } else {
                self.issue(row, Some(Field::Receipt), RowReason::ReceiptTaken);
            }
            return;
        }
        if let Some(&(first_row, idx, owner)) = self.file_receipts.get(&receipt) {
            if owner != member {
                self.issue(
                    row,
                    Some(Field::Receipt),
                    RowReason::ReceiptOfAnotherMember { first_row },
                );
                return;
            }
            let p = &mut self.plan.changes.purchases[idx];
            match line {
                Some(line) => {
                    if !has_amount {
                        p.amount += line.amount;
                    }
                    p.lines.push(line);
                }
                None if has_amount => p.amount += amount,
                None => {}
            }
            self.joins(member, at.date());
            self.plan.counts.new += 1;
            return;
        }
        self.admit(draft, at.date());
        self.joins(member, at.date());
        let idx = self.plan.changes.purchases.len();
        self.file_receipts
            .insert(receipt.clone(), (row.number, idx, member));
        let store = self.cell(row, Field::Store).to_string();
        self.plan.changes.purchases.push(Purchase {
            receipt,
            member,
            at,
            amount,
            store,
            device: String::new(),
            lines: line.into_iter().collect(),
            staff: String::new(),
        });
        self.plan.counts.new += 1;
    }

    /// The card number of a member of the store, the file, or the one a
    /// row would create.
    fn card_of(&self, member: MemberId, draft: Option<&Member>) -> String {
        draft
            .or_else(|| self.members.iter().find(|m| m.id == member))
            .map(|m| m.card_no.clone())
            .unwrap_or_default()
    }

    /// The member a purchase row belongs to; with `create_members`, a
    /// customer who is no member yet comes with the member the row would
    /// create (not created until the row is taken: see [`Self::admit`]).
    fn purchase_member(&mut self, row: &Row) -> Option<(MemberId, Option<Member>)> {
        if !self.settings.moving_in.create_members {
            return self.known_member(row).map(|m| (m, None));
        }
        match self.find_member(row) {
            Err(()) => None,
            Ok(Some(i)) => Some((self.members[i].id, None)),
            Ok(None) => {
                let m = self.draft_member(row)?;
                Some((m.id, Some(m)))
            }
        }
    }

    /// A new member from a purchase row's card number, mobile, name and
    /// e-mail. Without a name the member is called by their e-mail, card
    /// number or mobile, so staff can rename them later.
    fn draft_member(&mut self, row: &Row) -> Option<Member> {
        let card = self.cell(row, Field::CardNo).to_string();
        let mobile = normalize_mobile(self.cell(row, Field::Mobile));
        if !mobile.is_empty() && !(6..=15).contains(&mobile.len()) {
            self.issue(row, Some(Field::Mobile), RowReason::Mobile);
            return None;
        }
        let email = self.cell(row, Field::Email).to_string();
        if !email.is_empty()
            && (!email.contains('@') || email.starts_with('@') || email.ends_with('@'))
        {
            self.issue(row, Some(Field::Email), RowReason::Email);
            return None;
        }
        let card = if card.is_empty() {
            format!("VIP{:06}", self.next_card)
        } else {
            card
        };
        let name = [
            self.row_name(row),
            email.clone(),
            card.clone(),
            mobile.clone(),
        ]
        .into_iter()
        .find(|n| !n.is_empty())
        .unwrap_or_default();
        let Some(id) = self.ids.peek() else {
            self.issue(row, None, RowReason::NoFreeId);
            return None;
        };
        let mut m = Member::new(id, card, name, self.settings.today);
        m.mobile = mobile;
        m.email = (!email.is_empty()).then_some(email);
        m.store = self.cell(row, Field::Store).to_string();
        Some(m)
    }

    /// Creates the member a taken row drafted, joining on `day`.
    fn admit(&mut self, draft: Option<Member>, day: NaiveDate) {
        let Some(mut m) = draft else {
            return;
        };
        m.joined = day;
        if m.card_no == format!("VIP{:06}", self.next_card) {
            self.next_card += 1;
        }
        if self.ids.peek() == Some(m.id) {
            self.ids.take();
        }
        let i = self.members.len();
        self.by_card.insert(card_key(&m.card_no), i);
        if !m.mobile.is_empty() {
            self.by_mobile.insert(m.mobile.clone(), i);
        }
        self.created
            .insert(m.id, self.plan.changes.new_members.len());
        self.plan.changes.new_members.push(m.clone());
        self.members.push(m);
        self.plan.extras.members_created += 1;
    }

    /// A member created by this file joins on their first purchase.
    fn joins(&mut self, member: MemberId, day: NaiveDate) {
        if let Some(&i) = self.created.get(&member) {
            let m = &mut self.plan.changes.new_members[i];
            m.joined = m.joined.min(day);
        }
    }

    /// Whether the row's line amount (else its amount) is negative.
    fn negative(&self, row: &Row) -> bool {
        let line = self.cell(row, Field::LineAmount);
        let text = if line.is_empty() {
            self.cell(row, Field::Amount)
        } else {
            line
        };
        values::parse_amount(text) == Err(AmountIssue::Negative)
    }

    /// When, how much and whose: a receipt in the store or earlier in the
    /// file, with the row that brought it (file receipts only).
    fn receipt_facts(
        &self,
        receipt: &str,
    ) -> Option<(MemberId, NaiveDateTime, Money, Option<usize>)> {
        if let Some(&(owner, at, paid)) = self.receipts.get(receipt) {
            return Some((owner, at, paid, None));
        }
        let &(first_row, idx, owner) = self.file_receipts.get(receipt)?;
        let p = &self.plan.changes.purchases[idx];
        Some((owner, p.at, p.amount, Some(first_row)))
    }

    /// A negative line of a purchase file (`negative_lines` chosen): a
    /// return against the receipt it names, else (if chosen) a refund
    /// without a receipt.
    fn negative_row(&mut self, row: &Row) {
        let at = match self.date(row, Field::Date) {
            Err(()) => return,
            Ok(None) => {
                self.issue(
                    row,
                    Some(Field::Date),
                    RowReason::Missing { field: Field::Date },
                );
                return;
            }
            Ok(Some(d)) => d,
        };
        let field = if self.cell(row, Field::LineAmount).is_empty() {
            Field::Amount
        } else {
            Field::LineAmount
        };
        let Ok(amount) = self.amount(row, field, true) else {
            return;
        };
        let quantity =
            values::parse_quantity(self.cell(row, Field::Quantity).trim_start_matches('-'));
        let Some(quantity) = quantity else {
            self.issue(row, Some(Field::Quantity), RowReason::Quantity);
            return;
        };
        let sku = self.cell(row, Field::Sku).to_string();
        let line = (field == Field::LineAmount || !sku.is_empty()).then(|| LineItem {
            sku,
            category: self.cell(row, Field::Category).to_string(),
            quantity,
            amount,
        });
        let own = self.cell(row, Field::Receipt).to_string();
        let original = self.cell(row, Field::OriginalReceipt).to_string();
        let (named, named_field, slip) = if original.is_empty() {
            (own, Field::Receipt, None)
        } else {
            (
                original,
                Field::OriginalReceipt,
                Some(own).filter(|o| !o.is_empty()),
            )
        };
        let stamp = format!(
            "{}-{}",
            values::datetime_text(at).replace([' ', ':', '-'], ""),
            amount.0
        );
        match self.receipt_facts(&named) {
            Some(facts) => {
                let id = slip.unwrap_or_else(|| format!("RET-{named}-{stamp}"));
                self.return_line(row, at, amount, line, named, id, facts);
            }
            None if self.settings.moving_in.negative_lines == NegativeLines::ReturnsOrRefunds => {
                let Some((member, draft)) = self.purchase_member(row) else {
                    return;
                };
                let receipt = slip.unwrap_or_else(|| {
                    let of = if named.is_empty() {
                        self.card_of(member, draft.as_ref())
                    } else {
                        named.clone()
                    };
                    format!("RFD-{of}-{stamp}")
                });
                self.refund_line(row, at, amount, line, receipt, member, draft);
            }
            None if named.is_empty() => self.issue(
                row,
                Some(Field::Receipt),
                RowReason::Missing {
                    field: Field::Receipt,
                },
            ),
            None => self.issue(row, Some(named_field), RowReason::UnknownReceipt),
        }
    }

    /// A return of `amount` against `receipt` (whose facts are known);
    /// lines of one return slip add up.
    #[allow(clippy::too_many_arguments)]
    fn return_line(
        &mut self,
        row: &Row,
        at: NaiveDateTime,
        amount: Money,
        line: Option<LineItem>,
        receipt: String,
        id: String,
        (owner, bought_at, paid, first_row): (MemberId, NaiveDateTime, Money, Option<usize>),
    ) {
        // The row's customer, when it names one, must be the receipt's.
        let names_someone =
            !self.cell(row, Field::CardNo).is_empty() || !self.cell(row, Field::Mobile).is_empty();
        let customer = self.lookup(row).map(|i| self.members[i].id);
        // A shared card names the receipt's owner well enough if they hold it.
        let key = card_key(self.cell(row, Field::CardNo));
        let owner_holds_shared = self.shared_cards.contains(&key)
            && self
                .members
                .iter()
                .any(|m| m.id == owner && card_key(&m.card_no) == key);
        if names_someone && customer != Some(owner) && !owner_holds_shared {
            let f = if self.cell(row, Field::CardNo).is_empty() {
                Field::Mobile
            } else {
                Field::CardNo
            };
            let reason = match first_row {
                Some(first_row) => RowReason::ReceiptOfAnotherMember { first_row },
                None => RowReason::ReceiptTaken,
            };
            self.issue(row, Some(f), reason);
            return;
        }
        if self.return_ids.contains(&id) {
            // Already in the store: a re-import.
            self.plan.counts.duplicate += 1;
            return;
        }
        if at < bought_at {
            self.issue(row, Some(Field::Date), RowReason::ReturnBeforePurchase);
            return;
        }
        let already = self.returned.get(&receipt).copied().unwrap_or_default();
        let left = paid - already;
        if amount > left {
            let f = if self.cell(row, Field::LineAmount).is_empty() {
                Field::Amount
            } else {
                Field::LineAmount
            };
            self.issue(row, Some(f), RowReason::ReturnExceedsPurchase { left });
            return;
        }
        if let Some(&(first_row, idx)) = self.file_returns.get(&id) {
            let r = &mut self.plan.changes.returns[idx];
            if r.receipt != receipt {
                // One slip cannot return two receipts.
                self.duplicate(
                    row,
                    Some(Field::Receipt),
                    RowReason::DuplicateInFile { first_row },
                );
                return;
            }
            r.amount += amount;
            r.lines.extend(line);
            *self.returned.entry(receipt).or_default() += amount;
            self.plan.counts.new += 1;
            return;
        }
        *self.returned.entry(receipt.clone()).or_default() += amount;
        self.file_returns
            .insert(id.clone(), (row.number, self.plan.changes.returns.len()));
        self.plan.changes.returns.push(Return {
            id,
            receipt,
            at,
            amount,
            lines: line.into_iter().collect(),
            staff: String::new(),
        });
        self.plan.extras.returns += 1;
        self.plan.counts.new += 1;
    }

    /// A refund without a receipt: a purchase of the negative amount
    /// (the engine's refund on its own: no points, no tier).
    #[allow(clippy::too_many_arguments)]
    fn refund_line(
        &mut self,
        row: &Row,
        at: NaiveDateTime,
        amount: Money,
        line: Option<LineItem>,
        receipt: String,
        member: MemberId,
        draft: Option<Member>,
    ) {
        let line = line.map(|l| LineItem {
            amount: Money(-l.amount.0),
            ..l
        });
        if let Some(&(owner, _, _)) = self.receipts.get(&receipt) {
            if owner == member {
                self.plan.counts.duplicate += 1;
            } else {
                self.issue(row, Some(Field::Receipt), RowReason::ReceiptTaken);
            }
            return;
        }
        if let Some(&(first_row, idx, owner)) = self.file_receipts.get(&receipt) {
            let p = &mut self.plan.changes.purchases[idx];
            if owner != member || p.amount.0 >= 0 {
                self.issue(
                    row,
                    Some(Field::Receipt),
                    RowReason::DuplicateInFile { first_row },
                );
                return;
            }
            p.amount = Money(p.amount.0 - amount.0);
            p.lines.extend(line);
            self.plan.counts.new += 1;
            return;
        }
        self.admit(draft, at.date());
        self.joins(member, at.date());
        let idx = self.plan.changes.purchases.len();
        self.file_receipts
            .insert(receipt.clone(), (row.number, idx, member));
        let store = self.cell(row, Field::Store).to_string();
        self.plan.changes.purchases.push(Purchase {
            receipt,
            member,
            at,
            amount: Money(-amount.0),
            store,
            device: String::new(),
            lines: line.into_iter().collect(),
            staff: String::new(),
        });
        self.plan.extras.refunds += 1;
        self.plan.counts.new += 1;
    }

    fn return_row(&mut self, row: &Row) {
        let receipt = self.cell(row, Field::Receipt).to_string();
        if receipt.is_empty() {
            self.issue(
                row,
                Some(Field::Receipt),
                RowReason::Missing {
                    field: Field::Receipt,
                },
            );
            return;
        }
        let at = match self.date(row, Field::Date) {
            Err(()) => return,
            Ok(None) => {
                self.issue(
                    row,
                    Some(Field::Date),
                    RowReason::Missing { field: Field::Date },
                );
                return;
            }
            Ok(Some(d)) => d,
        };
        let Ok(amount) = self.amount(row, Field::Amount, true) else {
            return;
        };
        let Some(&(_, bought_at, paid)) = self.receipts.get(&receipt) else {
            self.issue(row, Some(Field::Receipt), RowReason::UnknownReceipt);
            return;
        };
        let id = match self.cell(row, Field::ReturnId) {
            "" => format!(
                "RET-{receipt}-{}-{}",
                values::datetime_text(at).replace([' ', ':', '-'], ""),
                amount.0
            ),
            r => r.to_string(),
        };
        if self.return_ids.contains(&id) {
            self.plan.counts.duplicate += 1;
            return;
        }
        if let Some(&first_row) = self.seen_keys.get(&id) {
            self.duplicate(
                row,
                Some(Field::ReturnId),
                RowReason::DuplicateInFile { first_row },
            );
            return;
        }
        if at.date() < bought_at.date() {
            self.issue(row, Some(Field::Date), RowReason::ReturnBeforePurchase);
            return;
        }
        let already = self.returned.get(&receipt).copied().unwrap_or_default();
        let left = paid - already;
        if amount > left {
            self.issue(
                row,
                Some(Field::Amount),
                RowReason::ReturnExceedsPurchase { left },
            );
            return;
        }
        *self.returned.entry(receipt.clone()).or_default() += amount;
        self.seen_keys.insert(id.clone(), row.number);
        let quantity = values::parse_quantity(self.cell(row, Field::Quantity)).unwrap_or(1);
        let sku = self.cell(row, Field::Sku).to_string();
        let lines = if sku.is_empty() {
            Vec::new()
        } else {
            vec![LineItem {
                sku,
                category: String::new(),
                quantity,
                amount,
            }]
        };
        self.plan.changes.returns.push(Return {
            id,
            receipt,
            at,
            amount,
            lines,
            staff: String::new(),
        });
        self.plan.counts.new += 1;
    }

    fn opening_row(&mut self, row: &Row) {
        let Some(member) = self.known_member(row) else {
            return;
        };
        let Some(points) = values::parse_points(self.cell(row, Field::Points)) else {
            self.issue(row, Some(Field::Points), RowReason::Points);
            return;
        };
        let Ok(at) = self.date(row, Field::Date) else {
            return;
        };
        let at = at.unwrap_or_else(|| self.settings.today.and_time(chrono::NaiveTime::MIN));
        let Ok(expires) = self.date(row, Field::Expires) else {
            return;
        };
        let Ok(tier) = self.tier_of(row, at) else {
            return;
        };
        if let Some(&first_row) = self.file_members.get(&member) {
            let f = if self.cell(row, Field::CardNo).is_empty() {
                Field::Mobile
            } else {
                Field::CardNo
            };
            self.duplicate(row, Some(f), RowReason::DuplicateInFile { first_row });
            return;
        }
        self.file_members.insert(member, row.number);
        // Each part of the row (the balance, the tier) is new, unchanged,
        // an update, or (add-new-only) a duplicate of what the store has.
        let opening = Opening {
            at,
            dated: true,
            points: Some(points),
            expires: expires.map(|e| e.date()),
            tier,
        };
        let parts = self.place_opening(member, opening);
        self.count_parts(&parts);
    }

    /// Plans one opening event against the store's earlier one, if any:
    /// (its index, whether it is the same).
    fn place(&mut self, event: PointsEvent, known: Option<(usize, bool)>) -> Part {
        match known {
            Some((_, true)) => Part::Unchanged,
            Some(_) if self.settings.mode == MergeMode::AddNewOnly => Part::Duplicate,
            Some((index, false)) => {
                self.plan.changes.replaced_events.push((index, event));
                Part::Updated
            }
            None => {
                self.plan.changes.events.push(event);
                Part::New
            }
        }
    }
}

/// An opening balance and tier read from a row.
struct Opening {
    at: NaiveDateTime,
    /// The file gave the date (opening-balance files). A member file's
    /// balance is as of the import day: the same balance imported again
    /// on a later day is unchanged, not moved.
    dated: bool,
    points: Option<i64>,
    expires: Option<NaiveDate>,
    tier: Option<TierIdx>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Part {
    New,
    Unchanged,
    Updated,
    Duplicate,
}

type SetText = fn(&mut Member, String);
type SetFlag = fn(&mut Member, bool);

/// A cell an export neutralised (`'=SUM(...)`) reads back as it was.
fn unneutralise(cell: &mut String) {
    let mut chars = cell.chars();
    if chars.next() == Some('\'')
        && chars
            .next()
            .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'))
    {
        cell.remove(0);
    }
}

/// Commits a plan: everything or, when the store changed since the
/// preview, nothing.
pub fn apply(plan: &ImportPlan, store: &mut Store) -> Result<Counts, ApplyError> {
    if Fingerprint::of(store) != plan.base {
        return Err(ApplyError::StoreChanged);
    }
    if plan.mode == MergeMode::ReplaceEverything {
        match plan.kind {
            ImportKind::Members => {
                store.members.clear();
                store.purchases.clear();
                store.returns.clear();
                store.points_events.clear();
                store.care = Default::default();
            }
            ImportKind::Purchases => {
                store.purchases.clear();
                store.returns.clear();
            }
            ImportKind::Returns => store.returns.clear(),
            ImportKind::OpeningBalances => store.points_events.retain(|e| {
                !matches!(
                    e.kind,
                    PointsEventKind::OpeningBalance { .. } | PointsEventKind::OpeningTier { .. }
                )
            }),
        }
    }
    let c = &plan.changes;
    if !c.updated_members.is_empty() {
        let index: HashMap<MemberId, usize> = store
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id, i))
            .collect();
        for m in &c.updated_members {
            if let Some(&i) = index.get(&m.id) {
                store.members[i] = m.clone();
            }
        }
    }
    store.members.extend(c.new_members.iter().cloned());
    store.purchases.extend(c.purchases.iter().cloned());
    store.returns.extend(c.returns.iter().cloned());
    for (i, e) in &c.replaced_events {
        if let Some(slot) = store.points_events.get_mut(*i) {
            *slot = e.clone();
        }
    }
    store.points_events.extend(c.events.iter().cloned());
    Ok(plan.counts)
}

/// Opens, plans and returns the plan in one go (tests, the command line).
pub fn plan_file(
    bytes: &[u8],
    options: &ReadOptions,
    settings: ImportSettings,
    store: &Store,
) -> Result<ImportPlan, ImportError> {
    let opened = open(bytes, options)?;
    Importer::new(opened, settings, store)?.run()
}
