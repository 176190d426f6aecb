//! Members edited on two devices while apart: the database keeps both
//! revisions (a CouchDB conflict). Fields changed on one side only merge by
//! themselves (`clientele_engine::store::edits`); a field both sides
//! changed is shown here, in Settings, for the owner to choose. Nothing is
//! dropped before the owner has seen it. Only a device that syncs ever has
//! conflicts, so this lives in the Settings chunk with sync.

use crate::chunks::{split_fn, ChunkMissing};
use crate::i18n::tr;
use crate::state::{use_app, AppState};
use crate::storage;
use clientele_engine::store::edits::{merge, Copy, Merge};
use clientele_engine::store::records::{member_body, parse_member};
use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

split_fn! { settings_page;
    /// What the first load calls when the change feed brings member
    /// documents in conflict: this chunk's [`settle`].
    pub fn conflicts_chunk() -> Result<fn(AppState, Vec<String>), ChunkMissing> {
        Ok(settle)
    }
}

/// One member document's revisions, merged.
#[derive(Clone)]
struct Conflict {
    id: String,
    winner: String,
    losers: Vec<String>,
    merge: Merge,
}

/// The document's revisions as the database holds them now; `None` when
/// it is down to one (merged meanwhile, here or on another device).
async fn load(id: &str) -> Option<Conflict> {
    let leaves = storage::member_leaves(id).await.ok()?;
    let winner = leaves.winner?;
    if leaves.copies.len() < 2 {
        return None;
    }
    let mut copies = Vec::new();
    let mut losers = Vec::new();
    for (rev, doc) in &leaves.copies {
        // An unreadable revision stays in the database, unmerged.
        let (member, edits) = parse_member(doc.get()).ok()?;
        copies.push(Copy { member, edits });
        if *rev != winner {
            losers.push(rev.clone());
        }
    }
    let merge = merge(copies).ok()?;
    Some(Conflict {
        id: id.to_string(),
        winner,
        losers,
        merge,
    })
}

/// Writes the merge with the owner's choices; true when the database took it.
async fn write(c: &Conflict, choices: &BTreeMap<String, usize>) -> bool {
    let Ok(merged) = c.merge.resolve(choices) else {
        return false;
    };
    let body = member_body(&merged.member, &merged.edits);
    storage::resolve_member(&c.id, &c.winner, &body, &c.losers)
        .await
        .is_ok()
}

/// Merges what merges by itself and leaves the rest for the owner
/// (`app.contested`). With no ids, looks at every document the database
/// notes as in conflict (at open).
fn settle(app: AppState, ids: Vec<String>) {
    leptos::task::spawn_local(async move {
        let mut ids = ids;
        if ids.is_empty() {
            ids = storage::conflicted_members().await;
        }
        ids.sort();
        ids.dedup();
        for id in ids {
            let open = match load(&id).await {
                Some(c) if c.merge.is_clean() => !write(&c, &BTreeMap::new()).await,
                Some(_) => true,
                None => false,
            };
            app.contested.update(|list| {
                list.retain(|x| *x != id);
                if open {
                    list.push(id.clone());
                }
            });
        }
    });
}

crate::texts!(ConflictText {
    Title => "两台设备改了同一位会员", "Members edited on two devices";
    About => "这些会员在两台设备上离线时都被修改过，同一项改成了不同的内容。其他项已自动合并。请为每一项选择要保留的内容（默认是最后修改的）。", "These members were edited on two devices while they were apart, and the same field was changed to different values. Everything else has been merged. Choose what to keep for each field (the latest edit is chosen to start with).";
    Keep => "保留所选内容", "Keep the chosen values";
    Edited => "修改于 ", "edited ";
    Original => "原值", "as created";
    Empty => "（空）", "(empty)";
    Failed => "未能保存，请稍后再试（也许另一台设备刚合并过）。", "This could not be saved; try again (another device may have just merged it).";
    Name => "姓名", "Name";
    Mobile => "手机号", "Mobile";
    Email => "电子邮箱", "E-mail";
    Gender => "性别", "Gender";
    Birthday => "生日", "Birthday";
    Family => "家人", "Family";
    SpecialDays => "纪念日", "Special days";
    Workplace => "工作单位", "Workplace";
    Job => "职业", "Job";
    Address => "地址", "Address";
    Preferences => "偏好", "Preferences";
    Tags => "标签", "Tags";
    Notes => "备注", "Notes";
    Joined => "入会日期", "Joined";
    Store => "所属门店", "Home shop";
    Staff => "专属导购", "Staff";
    Referrer => "推荐人", "Referred by";
    Consent => "营销许可", "Consent";
    Card => "会员卡号", "Card number";
    Other => "其他：", "Other: ";
});

use ConflictText as T;

/// The field's name in the owner's words.
fn field_label(app: AppState, field: &str) -> String {
    let key = match field {
        "name" => T::Name,
        "mobile" => T::Mobile,
        "email" => T::Email,
        "gender" => T::Gender,
        "birthday" => T::Birthday,
        "family" => T::Family,
        "special_days" => T::SpecialDays,
        "workplace" => T::Workplace,
        "job" => T::Job,
        "address" => T::Address,
        "preferences" => T::Preferences,
        "tags" => T::Tags,
        "notes" => T::Notes,
        "joined" => T::Joined,
        "store" => T::Store,
        "staff" => T::Staff,
        "referrer" => T::Referrer,
        "consent" => T::Consent,
        "card_no" => T::Card,
        other => return format!("{}{other}", app.t(T::Other)),
    };
    app.t(key).to_string()
}

/// A value as text: strings as they are, lists joined, the rest as JSON.
fn show(app: AppState, v: &Value) -> String {
    match v {
        Value::Null => app.t(T::Empty).to_string(),
        Value::String(s) if s.is_empty() => app.t(T::Empty).to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// Settings' list of members waiting for the owner's choice.
#[component]
pub fn MemberConflicts() -> impl IntoView {
    let app = use_app();
    view! {
        <Show when=move || app.contested.with(|c| !c.is_empty())>
            <section class="card" id="conflicts" data-testid="member-conflicts">
                <h2>{tr(T::Title)}</h2>
                <p class="hint">{tr(T::About)}</p>
                <For each=move || app.contested.get() key=|id| id.clone() let:id>
                    <ConflictItem id=id/>
                </For>
            </section>
        </Show>
    }
}

#[component]
fn ConflictItem(id: String) -> impl IntoView {
    let found = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { load(&id).await }
        }
    });
    view! {
        <Suspense>
            {move || found.get().flatten().map(|c| view! { <ConflictForm conflict=c/> })}
        </Suspense>
    }
}

#[component]
fn ConflictForm(conflict: Conflict) -> impl IntoView {
    let app = use_app();
    let choices = RwSignal::new(
        conflict
            .merge
            .contests
            .iter()
            .map(|c| (c.field.clone(), c.chosen))
            .collect::<BTreeMap<_, _>>(),
    );
    let failed = RwSignal::new(false);
    let member = conflict.merge.member();
    let title = format!("{} · {}", member.name, member.card_no);
    let href = format!("members/{}", member.id.0);
    let rows = conflict
        .merge
        .contests
        .iter()
        .map(|contest| {
            let field = contest.field.clone();
            let options = contest
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let field = field.clone();
                    let name = format!("{}-{}", conflict.id, field);
                    let when = match o.edited_ms {
                        0 => app.t(T::Original).to_string(),
                        ms => format!("{}{}", app.t(T::Edited), crate::clock::local_minute(ms)),
                    };
                    let checked = {
                        let field = field.clone();
                        move || choices.with(|c| c.get(&field) == Some(&i))
                    };
                    view! {
                        <label class="choice" data-testid="conflict-option">
                            <input type="radio" name=name prop:checked=checked
                                on:change=move |_| choices.update(|c| { c.insert(field.clone(), i); })/>
                            <span class="value">{show(app, &o.value)}</span>
                            <small>{when}</small>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="conflict-field" data-testid="conflict-field" data-field=field.clone()>
                    <legend>{field_label(app, &field)}</legend>
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    let keep = move |_| {
        let conflict = conflict.clone();
        leptos::task::spawn_local(async move {
            let ok = write(&conflict, &choices.get_untracked()).await;
            failed.set(!ok);
            if ok {
                app.contested.update(|l| l.retain(|x| *x != conflict.id));
            }
        });
    };
    view! {
        <div class="conflict" data-testid="member-conflict">
            <h3><a href=href>{title}</a></h3>
            {rows}
            <div class="actions">
                <button class="btn primary" data-testid="conflict-keep" on:click=keep>{tr(T::Keep)}</button>
            </div>
            <Show when=move || failed.get()>
                <p class="error" role="alert">{tr(T::Failed)}</p>
            </Show>
        </div>
    }
}
