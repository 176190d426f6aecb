//! `clientele replay STORE.json --as-of YYYY-MM-DD [--scheme SCHEME.json] [--ledger] [--lang en|zh]`:
//! one CSV row per member (or the ledger with explanations), derived by
//! replaying the store's history; `replay --check STORE.json` lists the
//! records whose values the store's rules refuse.

use chrono::NaiveDate;
use clientele_engine::money::Money;
use clientele_engine::points::explain::Lang;
use clientele_engine::points::replay::{replay_store, replay_under, Replay};
use clientele_engine::points::scheme::{presets, Scheme};
use clientele_engine::store::document::{read_envelope, Store};
use clientele_engine::store::validate::check_store;
use std::io::Write;

/// What `replay` was asked (parsed by clap in main.rs).
pub struct Args {
    pub store: String,
    pub as_of: NaiveDate,
    pub scheme: Option<String>,
    pub ledger: bool,
    pub lang: Lang,
}

fn plain(m: i64) -> String {
    let sign = if m < 0 { "-" } else { "" };
    let a = m.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Reads a store or backup file (its shape only).
fn read_store(path: &str) -> Result<Store, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Ok(read_envelope(&text)
        .map_err(|e| format!("{path}: {e}"))?
        .envelope
        .data)
}

/// `replay --check FILE`: every record whose values break the store's
/// rules, one a line on stdout. `Ok(false)` when any was refused.
pub fn check(path: &str) -> Result<bool, String> {
    let store = read_store(path)?;
    let refused = check_store(&store);
    let out = std::io::stdout();
    let mut w = out.lock();
    for r in &refused {
        writeln!(w, "{r}").map_err(|e| e.to_string())?;
    }
    if refused.is_empty() {
        eprintln!(
            "{path}: every value keeps the store's rules ({} members, {} purchases, {} returns, {} points records)",
            store.members.len(),
            store.purchases.len(),
            store.returns.len(),
            store.points_events.len()
        );
    } else {
        eprintln!("{path}: {} records refused", refused.len());
    }
    Ok(refused.is_empty())
}

pub fn run(a: &Args) -> Result<(), String> {
    let store = read_store(&a.store)?;
    let refused = check_store(&store);
    if !refused.is_empty() {
        return Err(format!(
            "{}: {} records break the store's rules (list them with `clientele replay --check {}`); first: {}",
            a.store,
            refused.len(),
            a.store,
            refused[0]
        ));
    }
    let (replay, schemes): (Replay, Vec<(NaiveDate, Scheme)>) = match &a.scheme {
        Some(path) => {
            let t = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            let s: Scheme = serde_json::from_str(&t).map_err(|e| format!("{path}: {e}"))?;
            let r = replay_under(&store, &s, a.as_of).map_err(|e| format!("{path}: {e}"))?;
            (r, vec![(NaiveDate::MIN, s)])
        }
        None => {
            let r = replay_store(&store, a.as_of).map_err(|e| e.to_string())?;
            let mut v: Vec<(NaiveDate, Scheme)> = store
                .schemes
                .iter()
                .map(|d| (d.effective_from, d.scheme.clone()))
                .collect();
            if v.is_empty() {
                v.push((NaiveDate::MIN, presets::simple()));
            }
            v.sort_by_key(|s| s.0);
            (r, v)
        }
    };
    let scheme_on = |d: NaiveDate| -> &Scheme {
        let i = schemes.partition_point(|s| s.0 <= d);
        &schemes[i.saturating_sub(1)].1
    };
    let current = scheme_on(a.as_of);
    let out = std::io::stdout();
    let mut w = csv::Writer::from_writer(out.lock());
    let err = |e: csv::Error| e.to_string();
    if a.ledger {
        w.write_record(["member_no", "date", "points", "expires", "explanation"])
            .map_err(err)?;
    } else {
        w.write_record([
            "member_no",
            "tier",
            "qualifying_value",
            "points_balance",
            "expiring_30d",
        ])
        .map_err(err)?;
    }
    for (m, member) in replay.members.iter().zip(&store.members) {
        if a.ledger {
            for e in &m.ledger.entries {
                let expires = e
                    .lot
                    .and_then(|l| m.ledger.lots.get(l as usize))
                    .and_then(|l| l.expires)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let mut why = e.reason.describe(scheme_on(e.date), a.lang);
                // The reason a member of staff typed belongs next to the adjustment.
                if let clientele_engine::points::ledger::Source::Event { event } = e.source {
                    if let Some(clientele_engine::points::events::PointsEventKind::Adjustment {
                        note,
                        ..
                    }) = store.points_events.get(event as usize).map(|x| &x.kind)
                    {
                        why = format!("{why}: {note}");
                    }
                }
                w.write_record([
                    member.card_no.as_str(),
                    &e.date.to_string(),
                    &e.points.to_string(),
                    &expires,
                    &why,
                ])
                .map_err(err)?;
            }
            for c in &m.tier_history {
                w.write_record([
                    member.card_no.as_str(),
                    &c.date.to_string(),
                    "",
                    "",
                    &c.describe(scheme_on(c.date), a.lang),
                ])
                .map_err(err)?;
            }
        } else {
            let tier = current
                .tiers
                .tier(m.tier)
                .map(|t| match a.lang {
                    Lang::En if !t.name_en.is_empty() => t.name_en.clone(),
                    _ => t.name.clone(),
                })
                .unwrap_or_default();
            let q = if current.tiers.metric.is_money() {
                plain(Money(m.qualifying).0)
            } else {
                m.qualifying.to_string()
            };
            w.write_record([
                member.card_no.as_str(),
                &tier,
                &q,
                &m.balance.to_string(),
                &m.expiring_30d.to_string(),
            ])
            .map_err(err)?;
        }
    }
    w.flush().map_err(|e| e.to_string())?;
    let _ = std::io::stdout().flush();
    Ok(())
}
