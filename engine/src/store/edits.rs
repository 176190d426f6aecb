//! Which device last set each field of a member, so two copies of a member
//! edited on two devices while offline (a CouchDB conflict: the database
//! keeps both revisions) merge field by field, and only a field changed on
//! both sides is left for the owner to choose. `docs/store-format.md`
//! "Members edited on two devices" says the rule.
//!
//! Every save that changes a member's fields gives the write a *stamp*
//! (`<milliseconds since 1970>/<writer>`): each changed field takes it, and
//! the member's history keeps it. A copy whose stamp for a field is in the
//! other copy's history was seen and then overwritten there, so the other
//! copy's value is the newer edit. Fields never edited carry no stamp (the
//! value they were created with, which both copies share).

use crate::members::model::Member;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The history keeps this many stamps. A field changed on one side
/// more often than this while the other side also edited the member is
/// shown to the owner rather than guessed.
pub const HISTORY: usize = 24;

/// A member document's edit stamps (the `e` beside its `d`), kept as one
/// short text (`field=stamp;...|stamp;...`) so the console's first load
/// reads and writes it with string code it already has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edits {
    /// Field name (as in the member's JSON) and the stamp of its last edit.
    /// (A list, not a map: the console's first load carries no map code
    /// for it.)
    pub fields: Vec<(String, String)>,
    /// The stamps of the writes this copy has seen, oldest first.
    pub history: Vec<String>,
}

/// The member's fields by their JSON names, each compared on its own.
macro_rules! member_fields {
    ($($f:ident),* $(,)?) => {
        /// Every field of a member, by its name in the member's JSON.
        pub const MEMBER_FIELDS: &[&str] = &[$(stringify!($f)),*];

        fn changed_fields(a: &Member, b: &Member) -> Vec<&'static str> {
            let mut out = Vec::new();
            $(if a.$f != b.$f { out.push(stringify!($f)); })*
            out
        }
    };
}

member_fields!(
    id,
    card_no,
    name,
    mobile,
    email,
    gender,
    birthday,
    birthday_recorded_on,
    family,
    special_days,
    workplace,
    job,
    address,
    preferences,
    tags,
    notes,
    joined,
    store,
    staff,
    referrer,
    consent,
    satisfaction,
    churn,
);

impl Edits {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.history.is_empty()
    }

    /// The stamp of `field`'s last edit, if it was ever edited.
    pub fn stamp_of(&self, field: &str) -> Option<&String> {
        self.fields.iter().find(|(f, _)| f == field).map(|(_, s)| s)
    }

    fn set(&mut self, field: &str, stamp: &str) {
        match self.fields.iter_mut().find(|(f, _)| f == field) {
            Some((_, s)) => *s = stamp.to_string(),
            None => self.fields.push((field.to_string(), stamp.to_string())),
        }
    }

    /// Reads the text form; anything unreadable in it is left out (the
    /// field then counts as never edited, and a merge asks the owner).
    pub fn parse(text: &str) -> Edits {
        let (fields, history) = text.split_once('|').unwrap_or((text, ""));
        Edits {
            fields: fields
                .split(';')
                .filter_map(|f| f.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            history: history
                .split(';')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
        out.push('|');
        for (i, h) in self.history.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(h);
        }
        out
    }

    /// The edits after a save that turned `old` into `new` under `stamp`.
    /// Unchanged members keep their edits as they are.
    pub fn after(&self, old: &Member, new: &Member, stamp: &str) -> Edits {
        let mut out = self.clone();
        let changed = changed_fields(old, new);
        for key in &changed {
            out.set(key, stamp);
        }
        if !changed.is_empty() {
            out.history.retain(|s| s != stamp);
            out.history.push(stamp.to_string());
            let over = out.history.len().saturating_sub(HISTORY);
            out.history.drain(..over);
        }
        out
    }
}

/// A stamp: when (milliseconds since 1970, from the device's clock) and by
/// which writer (the tab session writing it). Stamps hold no `;`, `|` or
/// `=` (writers are letters, digits and `-`).
pub fn stamp(ms: i64, writer: &str) -> String {
    format!("{ms}/{writer}")
}

/// The time part of a stamp (0 when there is none or it is unreadable).
pub fn stamp_ms(stamp: &str) -> i64 {
    stamp
        .split('/')
        .next()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0)
}

fn fields(m: &Member) -> Map<String, Value> {
    match serde_json::to_value(m) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// One revision of a member document, as the database holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Copy {
    pub member: Member,
    pub edits: Edits,
}

/// A field both copies changed to different values: the owner chooses.
#[derive(Clone, Debug, PartialEq)]
pub struct Contest {
    /// The field's name in the member's JSON (`name`, `mobile`, `notes`…).
    pub field: String,
    pub options: Vec<Choice>,
    /// The option taken unless the owner chooses another: the latest edit.
    pub chosen: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The field's value (`Null` when that copy has none).
    pub value: Value,
    /// When it was set (milliseconds since 1970), 0 when never edited.
    pub edited_ms: i64,
    /// Which copy holds it.
    pub copy: usize,
}

/// What merging the copies of one member gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Merge {
    copies: Vec<Copy>,
    /// Per field, the copy whose value is kept.
    taken: BTreeMap<String, usize>,
    pub contests: Vec<Contest>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// The copies are of different members (they never are in one document).
    NotOneMember,
    /// A choice names a field or an option that is not in the merge.
    NoSuchChoice(String),
    /// The merged fields do not make a member (a value of the wrong kind).
    Unreadable(String),
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MergeError::NotOneMember => write!(f, "the copies are of different members"),
            MergeError::NoSuchChoice(field) => write!(f, "no choice for field {field}"),
            MergeError::Unreadable(e) => write!(f, "the merged member does not read: {e}"),
        }
    }
}

impl std::error::Error for MergeError {}

/// Merges the copies of one member field by field. For each field, a copy
/// whose value another copy has seen and overwritten (its stamp is in the
/// other's history, or it never edited the field and the other did) drops
/// out; if the copies left agree, that value is kept, otherwise the field
/// is a [`Contest`]. The result depends only on the copies, not on their
/// order or on which device merges, so two devices merging the same
/// conflict write the same document.
pub fn merge(copies: Vec<Copy>) -> Result<Merge, MergeError> {
    let mut copies = copies;
    // The same copies merge the same whatever order they came in.
    crate::order::sort_by_text_key(&mut copies, |c| {
        serde_json::to_string(&c.member).unwrap_or_default()
    });
    copies.dedup();
    let id = copies.first().map(|c| c.member.id);
    if copies.iter().any(|c| Some(c.member.id) != id) {
        return Err(MergeError::NotOneMember);
    }
    let values: Vec<Map<String, Value>> = copies.iter().map(|c| fields(&c.member)).collect();
    let mut keys: Vec<&String> = values.iter().flat_map(|v| v.keys()).collect();
    crate::order::sort_by_text_key(&mut keys, |k| k.to_string());
    keys.dedup();
    let mut taken = BTreeMap::new();
    let mut contests = Vec::new();
    for key in keys {
        let stamp_of = |i: usize| copies[i].edits.stamp_of(key);
        let overwritten = |i: usize, j: usize| match (stamp_of(i), stamp_of(j)) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => a != b && copies[j].edits.history.contains(a),
        };
        let live: Vec<usize> = (0..copies.len())
            .filter(|&i| !(0..copies.len()).any(|j| j != i && overwritten(i, j)))
            .collect();
        let value = |i: usize| values[i].get(key).cloned().unwrap_or(Value::Null);
        let mut options: Vec<Choice> = Vec::new();
        for &i in &live {
            let v = value(i);
            if !options.iter().any(|o| o.value == v) {
                options.push(Choice {
                    value: v,
                    edited_ms: stamp_of(i).map_or(0, |s| stamp_ms(s)),
                    copy: i,
                });
            }
        }
        let latest = (0..options.len())
            .max_by_key(|&o| (options[o].edited_ms, std::cmp::Reverse(o)))
            .unwrap_or(0);
        taken.insert(key.clone(), options.get(latest).map_or(0, |o| o.copy));
        if options.len() > 1 {
            contests.push(Contest {
                field: key.clone(),
                options,
                chosen: latest,
            });
        }
    }
    Ok(Merge {
        copies,
        taken,
        contests,
    })
}

impl Merge {
    /// Nothing is left for the owner: the merge can be written as it is.
    pub fn is_clean(&self) -> bool {
        self.contests.is_empty()
    }

    /// The merged member and its edits, with the owner's `choices` (field
    /// → option index) over the default of the latest edit.
    pub fn resolve(&self, choices: &BTreeMap<String, usize>) -> Result<Copy, MergeError> {
        let mut taken = self.taken.clone();
        for (field, &option) in choices {
            let contest = self
                .contests
                .iter()
                .find(|c| &c.field == field)
                .ok_or_else(|| MergeError::NoSuchChoice(field.clone()))?;
            let choice = contest
                .options
                .get(option)
                .ok_or_else(|| MergeError::NoSuchChoice(field.clone()))?;
            taken.insert(field.clone(), choice.copy);
        }
        let mut map = Map::new();
        let mut edits = Edits::default();
        for (field, &i) in &taken {
            if let Some(v) = fields(&self.copies[i].member).remove(field) {
                map.insert(field.clone(), v);
            }
            if let Some(s) = self.copies[i].edits.stamp_of(field) {
                edits.set(field, s);
            }
        }
        // Every stamp any copy saw, so each copy's edits count as seen.
        let mut history: Vec<&String> = self.copies.iter().flat_map(|c| &c.edits.history).collect();
        history.sort_by_key(|s| (stamp_ms(s), s.as_str()));
        history.dedup();
        let over = history.len().saturating_sub(HISTORY);
        edits.history = history[over..].iter().map(|s| s.to_string()).collect();
        let member = serde_json::from_value(Value::Object(map))
            .map_err(|e| MergeError::Unreadable(e.to_string()))?;
        Ok(Copy { member, edits })
    }

    /// The member as the copies stand now (the first copy), for naming it.
    pub fn member(&self) -> &Member {
        &self.copies[0].member
    }
}
