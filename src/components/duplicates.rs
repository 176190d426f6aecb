//! Likely duplicates on the member list (the same mobile enrolled on two
//! devices while apart, or the same name and birthday), and merging a pair
//! after a side-by-side look: the owner picks each differing field, and
//! every purchase, point, contact and plan item of both stays.

use crate::format;
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::members::merge::{
    differing, merge_members, merged_record, Duplicate, DuplicateWhy,
};
use clientele_engine::members::model::{Gender, Member};
use clientele_engine::MemberId;
use leptos::prelude::*;

crate::texts!(DupText {
    Found => "可能重复的会员：", "Possible duplicates: ";
    About => "同一位顾客可能有两条记录（例如两台设备离线时都登记了同一个手机号）。对比后合并：两人的消费、积分、联系记录和计划都会保留在保留的会员名下。", "One customer may have two records (for example, the same mobile enrolled on two devices while they were apart). Compare, then merge: every purchase, point, contact and plan item of both stays with the member kept.";
    SameMobile => "手机号相同", "same mobile";
    SameNameBirthday => "姓名和生日相同", "same name and birthday";
    Compare => "对比合并", "Compare and merge";
    Field => "项目", "Field";
    Keep => "保留", "Keep";
    Other => "合并进来", "Merge in";
    Purchases => "消费笔数", "Purchases";
    Joined => "入会", "Joined";
    Swap => "改为保留另一条", "Keep the other record instead";
    Merge => "合并为一位会员", "Merge into one member";
    Cancel => "取消", "Cancel";
    More => "显示更多", "Show more";
    Merged => "已合并。", "Merged.";
    Open => "查看会员", "Open the member";
    Failed => "未能合并：其中一位会员已不存在（也许刚在另一台设备上合并过）。", "Could not merge: one of the members is gone (perhaps just merged on another device).";
    Lists => "标签、家人和纪念日两边都保留；入会日期取较早的。", "Tags, family and special days of both are kept; the earlier join date stays.";
    Name => "姓名", "Name";
    Mobile => "手机号", "Mobile";
    Card => "会员卡号", "Card number";
    Email => "电子邮箱", "E-mail";
    Gender => "性别", "Gender";
    Birthday => "生日", "Birthday";
    Address => "地址", "Address";
    Workplace => "工作单位", "Workplace";
    Job => "职业", "Job";
    Notes => "备注", "Notes";
    Staff => "专属导购", "Staff";
    Store => "所属门店", "Home shop";
    Empty => "（空）", "(empty)";
    Female => "女", "Female";
    Male => "男", "Male";
    OtherGender => "其他", "Other";
});

use DupText as T;

/// Pairs drawn at a time in the open list.
const PAIRS_SHOWN: usize = 20;

fn label(field: &str) -> T {
    match field {
        "name" => T::Name,
        "mobile" => T::Mobile,
        "card_no" => T::Card,
        "email" => T::Email,
        "gender" => T::Gender,
        "birthday" => T::Birthday,
        "address" => T::Address,
        "workplace" => T::Workplace,
        "job" => T::Job,
        "notes" => T::Notes,
        "staff" => T::Staff,
        _ => T::Store,
    }
}

/// A field's value as the owner reads it (`None` when empty).
fn value(m: &Member, field: &str) -> Option<String> {
    let text = match field {
        "name" => m.name.clone(),
        "mobile" => m.mobile.clone(),
        "card_no" => m.card_no.clone(),
        "email" => m.email.clone().unwrap_or_default(),
        "gender" => {
            return m.gender.map(|g| {
                String::from(match g {
                    Gender::Female => "F",
                    Gender::Male => "M",
                    Gender::Other => "O",
                })
            })
        }
        "birthday" => m
            .birthday
            .as_ref()
            .map(|b| match b.year {
                Some(y) => format!("{y}-{:02}-{:02}", b.month, b.day),
                None => format!("{:02}-{:02}", b.month, b.day),
            })
            .unwrap_or_default(),
        "address" => m.address.clone().unwrap_or_default(),
        "workplace" => m.workplace.clone().unwrap_or_default(),
        "job" => m.job.clone().unwrap_or_default(),
        "notes" => m.notes.clone(),
        "staff" => m.staff.clone().unwrap_or_default(),
        _ => m.store.clone(),
    };
    (!text.trim().is_empty()).then_some(text)
}

#[component]
pub fn Duplicates() -> impl IntoView {
    let app = use_app();
    let found = crate::analysis::use_derived().duplicates();
    let chosen = RwSignal::new(None::<Duplicate>);
    let merged = RwSignal::new(None::<MemberId>);
    // The list is drawn only while open, a page of pairs at a time: a big
    // store can hold thousands of likely pairs.
    let open = RwSignal::new(false);
    let shown = RwSignal::new(PAIRS_SHOWN);
    let listed = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let pairs: Vec<Duplicate> =
            found.with(|(_, p)| p.iter().take(shown.get()).cloned().collect());
        // Each name looked up in one pass over the members.
        let wanted: std::collections::HashSet<MemberId> =
            pairs.iter().flat_map(|d| [d.keep, d.other]).collect();
        let names: std::collections::HashMap<MemberId, String> = app.store.with_untracked(|s| {
            s.members
                .iter()
                .filter(|m| wanted.contains(&m.id))
                .map(|m| (m.id, format!("{} · {} · {}", m.name, m.card_no, m.mobile)))
                .collect()
        });
        pairs
            .into_iter()
            .map(|d| {
                let name = |id| names.get(&id).cloned().unwrap_or_default();
                (name(d.keep), name(d.other), d)
            })
            .collect::<Vec<_>>()
    });
    let count = move || found.with(|(_, p)| p.len());
    let on_toggle = move |ev: leptos::ev::Event| {
        let is_open = ev
            .target()
            .and_then(|t| js_sys::Reflect::get(&t, &"open".into()).ok())
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        open.set(is_open);
    };
    view! {
        {move || merged.get().map(|id| view! {
            <p class="card ok" role="status" data-testid="duplicate-merged">
                {tr(T::Merged)} " " <a href=format!("members/{}", id.0)>{tr(T::Open)}</a>
            </p>
        })}
        <Show when=move || { count() > 0 }>
            <section class="card" data-testid="duplicates">
                <details on:toggle=on_toggle>
                    <summary data-testid="duplicates-summary">{tr(T::Found)}{count}</summary>
                    <p class="hint">{tr(T::About)}</p>
                    <ul class="duplicate-pairs">
                        {move || listed.get().into_iter().map(|(keep_name, other_name, d)| {
                            let why = match d.why {
                                DuplicateWhy::Mobile => T::SameMobile,
                                DuplicateWhy::NameAndBirthday => T::SameNameBirthday,
                            };
                            let pair = d.clone();
                            view! {
                                <li data-testid="duplicate-pair">
                                    <span>{keep_name}</span> " ↔ " <span>{other_name}</span>
                                    " " <small>"("{tr(why)}")"</small>
                                    <button class="btn small" data-testid="duplicate-compare"
                                        on:click=move |_| { merged.set(None); chosen.set(Some(pair.clone())) }>{tr(T::Compare)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <Show when=move || { open.get() && count() > shown.get() }>
                        <button class="btn" data-testid="duplicates-more"
                            on:click=move |_| shown.update(|n| *n += PAIRS_SHOWN)>{tr(T::More)}</button>
                    </Show>
                </details>
                {move || chosen.get().map(|d| view! { <MergePreview pair=d chosen=chosen merged=merged/> })}
            </section>
        </Show>
    }
}

#[component]
fn MergePreview(
    pair: Duplicate,
    chosen: RwSignal<Option<Duplicate>>,
    merged: RwSignal<Option<MemberId>>,
) -> impl IntoView {
    let app = use_app();
    let keep_id = RwSignal::new(pair.keep);
    let other_id = RwSignal::new(pair.other);
    let failed = RwSignal::new(false);
    let records = move || {
        app.store.with(|s| {
            let find = |id| s.members.iter().find(|m| m.id == id).cloned();
            Some((find(keep_id.get())?, find(other_id.get())?))
        })
    };
    let counts = move |id: MemberId| {
        app.store.with(|s| {
            let mine = s.purchases.iter().filter(|p| p.member == id);
            let (n, spend) = mine.fold((0usize, 0i64), |(n, t), p| (n + 1, t + p.amount.0));
            format!(
                "{n} · {}",
                format::money(&s.settings, clientele_engine::Money(spend))
            )
        })
    };
    // Fields taken from the other record: empty on the kept one to start with.
    let from_other = RwSignal::new(Vec::<&'static str>::new());
    let reset_choices = move || {
        if let Some((k, o)) = records() {
            from_other.set(
                differing(&k, &o)
                    .into_iter()
                    .filter(|f| value(&k, f).is_none())
                    .collect(),
            );
        }
    };
    reset_choices();
    let swap = move |_| {
        let k = keep_id.get_untracked();
        keep_id.set(other_id.get_untracked());
        other_id.set(k);
        reset_choices();
    };
    let merge = move |_| {
        let Some((k, o)) = records() else {
            failed.set(true);
            return;
        };
        let kept = merged_record(&k, &o, &from_other.get_untracked());
        let today = app.today.get_untracked();
        match app.try_update(|s| merge_members(s, o.id, kept, today)) {
            Some(Ok(())) => {
                chosen.set(None);
                merged.set(Some(k.id));
            }
            _ => failed.set(true),
        }
    };
    let gender_word = move |v: Option<String>| match v.as_deref() {
        Some("F") => app.t(T::Female).to_string(),
        Some("M") => app.t(T::Male).to_string(),
        Some(_) => app.t(T::OtherGender).to_string(),
        None => app.t(T::Empty).to_string(),
    };
    let show = move |field: &str, v: Option<String>| match field {
        "gender" => gender_word(v),
        _ => v.unwrap_or_else(|| app.t(T::Empty).to_string()),
    };
    view! {
        <div class="merge-preview" data-testid="merge-preview">
            {move || records().map(|(k, o)| {
                let rows = differing(&k, &o).into_iter().map(|f| {
                    let (kv, ov) = (show(f, value(&k, f)), show(f, value(&o, f)));
                    let name = format!("dup-{f}");
                    view! {
                        <div class="tr" role="row" data-testid="merge-field" data-field=f>
                            <span role="cell">{tr(label(f))}</span>
                            <label role="cell" class="choice">
                                <input type="radio" name=name.clone() prop:checked=move || !from_other.with(|x| x.contains(&f))
                                    on:change=move |_| from_other.update(|x| x.retain(|y| *y != f))/>
                                <span>{kv}</span>
                            </label>
                            <label role="cell" class="choice">
                                <input type="radio" name=name data-testid="take-other" prop:checked=move || from_other.with(|x| x.contains(&f))
                                    on:change=move |_| from_other.update(|x| if !x.contains(&f) { x.push(f) })/>
                                <span>{ov}</span>
                            </label>
                        </div>
                    }
                }).collect_view();
                let joined = move |m: &Member| app.store.with_untracked(|s| format::date(&s.settings, m.joined));
                view! {
                    <div class="table merge-table" role="table">
                        <div class="tr th" role="row">
                            <span role="columnheader">{tr(T::Field)}</span>
                            <span role="columnheader">{tr(T::Keep)}</span>
                            <span role="columnheader">{tr(T::Other)}</span>
                        </div>
                        {rows}
                        <div class="tr" role="row">
                            <span role="cell">{tr(T::Purchases)}</span>
                            <span role="cell" data-testid="keep-purchases">{counts(k.id)}</span>
                            <span role="cell" data-testid="other-purchases">{counts(o.id)}</span>
                        </div>
                        <div class="tr" role="row">
                            <span role="cell">{tr(T::Joined)}</span>
                            <span role="cell">{joined(&k)}</span>
                            <span role="cell">{joined(&o)}</span>
                        </div>
                    </div>
                }
            })}
            <p class="hint">{tr(T::Lists)}</p>
            <div class="actions">
                <button class="btn" type="button" on:click=swap>{tr(T::Swap)}</button>
                <button class="btn" type="button" on:click=move |_| chosen.set(None)>{tr(T::Cancel)}</button>
                <button class="btn primary" type="button" data-testid="merge-confirm" on:click=merge>{tr(T::Merge)}</button>
            </div>
            <Show when=move || failed.get()>
                <p class="error" role="alert">{tr(T::Failed)}</p>
            </Show>
        </div>
    }
}
