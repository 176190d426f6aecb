//! A store built from bare transactions (member key, day, amount): what the
//! `clientele` command reads from a purchases CSV, and what the published
//! model checks run on.

use crate::model::{Member, MemberId, Purchase};
use crate::money::Money;
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::HashMap;

/// One row of a transaction file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// The file's member id, kept as the card number.
    pub member: String,
    pub date: NaiveDate,
    pub amount: Money,
    /// Receipt number when the file has one.
    pub receipt: Option<String>,
}

/// Members in order of first appearance (ids 1, 2, ...; joined on their
/// first transaction), one purchase per row at noon.
pub fn store_from_transactions(rows: &[Transaction]) -> Store {
    let mut store = Store::default();
    let mut ids: HashMap<&str, MemberId> = HashMap::new();
    store.purchases.reserve(rows.len());
    for (n, t) in rows.iter().enumerate() {
        let id = match ids.get(t.member.as_str()) {
            Some(id) => *id,
            None => {
                let id = MemberId(store.members.len() as u32 + 1);
                ids.insert(t.member.as_str(), id);
                store
                    .members
                    .push(Member::new(id, t.member.clone(), t.member.clone(), t.date));
                id
            }
        };
        let i = (id.0 - 1) as usize;
        if t.date < store.members[i].joined {
            store.members[i].joined = t.date;
        }
        store.purchases.push(Purchase {
            receipt: t.receipt.clone().unwrap_or_else(|| format!("T{}", n + 1)),
            member: id,
            at: t.date.and_hms_opt(12, 0, 0).unwrap_or_default(),
            amount: t.amount,
            store: String::new(),
            lines: Vec::new(),
        });
    }
    store
}
