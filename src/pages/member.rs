//! One member: profile, purchases and returns, referrals. Engine results
//! (tier, points, segments, churn) join here as those pieces land.

use crate::components::contact_log::ContactLog;
use crate::components::plan_items::PlanItems;
use crate::components::points_panel::{PointsLedger, PointsSummary};
use crate::format;
use crate::i18n::{tr, Key};
use crate::route::use_member_id;
use crate::state::use_app;
use clientele_engine::members::model::{profile_completeness, Gender, MemberId};
use leptos::prelude::*;

#[component]
pub fn MemberPage() -> impl IntoView {
    let app = use_app();
    let member_id = use_member_id();
    let id = move || member_id.get();
    let member = Memo::new(move |_| {
        let id = id()?;
        app.store
            .with(|s| s.members.iter().find(|m| m.id == id).cloned())
    });
    view! {
        <Show when=move || member.with(|m| m.is_some()) fallback=move || view! {
            <p class="card empty">{tr(Key::MemberNotFound)}</p>
            <a class="btn" href="members">{tr(Key::BackToMembers)}</a>
        }>
            <Profile member=member/>
            <PointsSummary member=Signal::derive(move || member.get().map(|m| m.id))/>
            <PointsLedger member=Signal::derive(move || member.get().map(|m| m.id))/>
            <crate::components::member_segments::MemberSegments member=Signal::derive(move || member.get().map(|m| m.id))/>
            <Purchases member=member/>
            <Referrals member=member/>
            <crate::components::member_card::MemberCard member=member/>
            {move || member.get().map(|m| view! {
                <crate::components::send_message::SendMessage member=m.id/>
                <ContactLog member=m.id/>
                <PlanItems member=m.id/>
            })}
        </Show>
    }
}

type MemberMemo = Memo<Option<clientele_engine::Member>>;

#[component]
fn Profile(member: MemberMemo) -> impl IntoView {
    let app = use_app();
    let m = move || {
        member.get().unwrap_or_else(|| {
            clientele_engine::Member::new(MemberId(0), "", "", Default::default())
        })
    };
    let completeness = move || {
        app.store
            .with(|s| profile_completeness(&m(), &s.settings.tracked_fields))
    };
    let line = move |label: Key, value: String| {
        (!value.is_empty())
            .then(|| view! { <div class="kv"><dt>{tr(label)}</dt><dd>{value}</dd></div> })
    };
    view! {
        <div class="member-head">
            <div>
                <h1 class="page-title" data-testid="member-name">{move || m().name}</h1>
                <p class="hint">
                    <span class="mono">{move || m().card_no}</span> " · "
                    <span class="mono">{move || m().mobile}</span> " · "
                    {tr(Key::MemberSince)} " "
                    {move || app.store.with(|s| format::date(&s.settings, m().joined))}
                </p>
            </div>
            <a class="btn" data-testid="edit-member" href=move || format!("members/{}/edit", m().id.0)>
                {tr(Key::MemberEdit)}
            </a>
        </div>
        <div class="meter">
            <span>{tr(Key::Completeness)} " " {completeness} "%"</span>
            <div class="meter-bar"><div class="meter-fill" style=move || format!("width:{}%", completeness())></div></div>
        </div>
        <section class="card">
            <h2>{tr(Key::ProfileSection)}</h2>
            <dl class="kvs">
                {move || {
                    let m = m();
                    let gender = match m.gender {
                        Some(Gender::Female) => app.t(Key::GenderFemale),
                        Some(Gender::Male) => app.t(Key::GenderMale),
                        Some(Gender::Other) => app.t(Key::GenderOther),
                        None => "",
                    };
                    let consent: Vec<&str> = [
                        (m.consent.sms, Key::ConsentSms),
                        (m.consent.phone, Key::ConsentPhone),
                        (m.consent.email, Key::ConsentEmail),
                    ]
                    .into_iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, k)| app.t(k))
                    .collect();
                    let family: Vec<String> = m
                        .family
                        .iter()
                        .map(|f| {
                            let b = f.birthday.map(|b| format!(" ({} {})", app.t(Key::FamilyBirthday), b.to_text())).unwrap_or_default();
                            format!("{} {}{}", f.relation, f.name, b)
                        })
                        .collect();
                    let special: Vec<String> = m.special_days.iter().map(|s| format!("{} {}", s.label, s.date.to_text())).collect();
                    let p = &m.preferences;
                    view! {
                        {line(Key::FieldGender, gender.to_string())}
                        {line(Key::FieldBirthday, m.birthday.map(|b| b.to_text()).unwrap_or_default())}
                        {line(Key::FieldEmail, m.email.clone().unwrap_or_default())}
                        {line(Key::FieldFamily, family.join("; "))}
                        {line(Key::FieldSpecialDays, special.join("; "))}
                        {line(Key::FieldWorkplace, m.workplace.clone().unwrap_or_default())}
                        {line(Key::FieldJob, m.job.clone().unwrap_or_default())}
                        {line(Key::FieldAddress, m.address.clone().unwrap_or_default())}
                        {line(Key::FieldSizes, p.sizes.join(", "))}
                        {line(Key::FieldColours, p.colours.join(", "))}
                        {line(Key::FieldStyles, p.styles.join(", "))}
                        {line(Key::FieldCategories, p.categories.join(", "))}
                        {line(Key::FieldTags, m.tags.join(", "))}
                        {line(Key::FieldStaff, m.staff.clone().unwrap_or_default())}
                        {line(Key::FieldStore, m.store.clone())}
                        {line(Key::FieldConsent, consent.join(" · "))}
                        {line(Key::FieldSatisfaction, m.satisfaction.map(|s| s.to_string()).unwrap_or_default())}
                        {line(Key::FieldNotes, m.notes.clone())}
                    }
                }}
            </dl>
        </section>
    }
}

#[component]
fn Purchases(member: MemberMemo) -> impl IntoView {
    let app = use_app();
    let rows = Memo::new(move |_| {
        let Some(m) = member.get() else {
            return Vec::new();
        };
        app.store.with(|s| {
            let mut bought: Vec<&clientele_engine::Purchase> =
                s.purchases.iter().filter(|p| p.member == m.id).collect();
            bought.sort_by_key(|b| std::cmp::Reverse(b.at));
            bought
                .into_iter()
                .map(|p| {
                    let returned: clientele_engine::Money = s
                        .returns
                        .iter()
                        .filter(|r| r.receipt == p.receipt)
                        .map(|r| r.amount)
                        .sum();
                    let ret = if returned.minor() > 0 {
                        format!(
                            "{} {}",
                            app.t(Key::ReturnedLabel),
                            format::money(&s.settings, returned)
                        )
                    } else {
                        String::new()
                    };
                    // Where it was sold: the shop and the device, when known.
                    let place = [p.store.as_str(), p.device.as_str()]
                        .into_iter()
                        .filter(|x| !x.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ");
                    (
                        format::date(&s.settings, p.date()),
                        (p.receipt.clone(), place),
                        format::money(&s.settings, p.amount),
                        ret,
                    )
                })
                .collect()
        })
    });
    view! {
        <section class="card">
            <h2>{tr(Key::MemberPurchases)}</h2>
            <Show when=move || rows.with(|r| !r.is_empty()) fallback=move || view! {
                <p class="hint">{tr(Key::MemberNoPurchases)}</p>
            }>
                <div class="table purchases-table" data-testid="member-purchases">
                    <div class="tr th">
                        <span>{tr(Key::ColDate)}</span>
                        <span>{tr(Key::ColReceipt)}</span>
                        <span class="num">{tr(Key::ColAmount)}</span>
                        <span></span>
                    </div>
                    {move || rows.get().into_iter().map(|(d, (r, place), a, ret)| view! {
                        <div class="tr"><span>{d}</span>
                            <span><span class="mono">{r}</span>
                                {(!place.is_empty()).then(|| view! { " " <small class="hint" data-testid="purchase-place">{place}</small> })}</span>
                            <span class="num">{a}</span><span class="hint">{ret}</span></div>
                    }).collect_view()}
                </div>
            </Show>
        </section>
    }
}

#[component]
fn Referrals(member: MemberMemo) -> impl IntoView {
    let app = use_app();
    let data = Memo::new(move |_| {
        let Some(m) = member.get() else {
            return (None, Vec::new());
        };
        app.store.with(|s| {
            let by = m
                .referrer
                .and_then(|r| s.members.iter().find(|x| x.id == r))
                .map(|x| (x.id.0, x.name.clone()));
            let brought: Vec<(u64, String)> = s
                .members
                .iter()
                .filter(|x| x.referrer == Some(m.id))
                .map(|x| (x.id.0, x.name.clone()))
                .collect();
            (by, brought)
        })
    });
    let link = |(id, name): (u64, String)| view! { <a class="chip" href=format!("members/{id}")>{name}</a> };
    view! {
        <section class="card">
            <h2>{tr(Key::MemberReferrals)}</h2>
            <p>{tr(Key::ReferredBy)} ": "
                {move || data.get().0.map(link).into_any()}
                {move || data.with(|d| d.0.is_none()).then(|| app.t(Key::NoReferrals))}
            </p>
            <p>{tr(Key::BroughtIn)} ": "
                {move || data.get().1.into_iter().map(link).collect_view()}
                {move || data.with(|d| d.1.is_empty()).then(|| app.t(Key::NoReferrals))}
            </p>
        </section>
    }
}
