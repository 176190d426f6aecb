//! A member's contact log (calls, visits, messages, gifts, events) and the
//! small form that adds an entry dated today. The Care page reuses both.

use crate::components::care_words::{choice, member_names, CareText};
use crate::state::use_app;
use clientele_engine::care::log::{Contact, ContactKind, ContactOutcome};
use clientele_engine::{MemberId, Store};
use leptos::prelude::*;

/// One log entry as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactLine {
    pub on: String,
    /// Id and name, when the list mixes members.
    pub member: Option<(u64, String)>,
    pub kind: ContactKind,
    pub outcome: ContactOutcome,
    pub staff: String,
    pub note: String,
}

/// The total and one page of the log, latest first.
pub fn log_page(
    store: &Store,
    member: Option<MemberId>,
    kind: Option<ContactKind>,
    page: usize,
    size: usize,
) -> (usize, Vec<ContactLine>) {
    let all = store.care.latest_contacts(member, kind);
    let shown: Vec<&Contact> = all.iter().skip(page * size).take(size).copied().collect();
    let names = member_names(store, shown.iter().map(|c| c.member));
    let lines = shown
        .into_iter()
        .map(|c| ContactLine {
            on: crate::format::date(&store.settings, c.on),
            member: member.is_none().then(|| {
                (
                    c.member.0,
                    names.get(&c.member).cloned().unwrap_or_default(),
                )
            }),
            kind: c.kind,
            outcome: c.outcome,
            staff: c.staff.clone(),
            note: c.note.clone(),
        })
        .collect();
    (all.len(), lines)
}

#[component]
pub fn ContactRow(line: ContactLine) -> impl IntoView {
    let app = use_app();
    let ContactLine {
        on,
        member,
        kind,
        outcome,
        staff,
        note,
    } = line;
    let detail = [staff, note]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <div class="care-row" data-testid="log-row">
            <span class="care-date">{on}</span>
            {member.map(|(id, name)| view! { <a class="care-name" href=format!("members/{id}")>{name}</a> })}
            <span><span class="care-tag">{move || app.t(CareText::kind(kind))}</span> " "
                {move || app.t(CareText::outcome(outcome))}</span>
            <span class="hint care-note">{detail}</span>
        </div>
    }
}

/// Records a contact with `member`, dated today. `on_close` runs after a
/// save and on cancel; without it the form stays open and has no cancel.
#[component]
pub fn ContactForm(
    member: MemberId,
    #[prop(optional)] on_close: Option<Callback<()>>,
) -> impl IntoView {
    let app = use_app();
    let kind = RwSignal::new(ContactKind::Call);
    let outcome = RwSignal::new(ContactOutcome::Reached);
    let note = RwSignal::new(String::new());
    let staff = RwSignal::new(app.acting_staff(member));
    let error = RwSignal::new(false);
    let save = move |_| {
        let contact = Contact {
            member,
            on: app.today.get_untracked(),
            kind: kind.get_untracked(),
            outcome: outcome.get_untracked(),
            staff: staff.get_untracked().trim().to_string(),
            note: note.get_untracked().trim().to_string(),
            shop: app.device_shop(),
            device: app.device_name(),
            occasion: String::new(),
        };
        let ok = matches!(
            app.try_append(|s| s.care.record(&s.members, contact)),
            Some(Ok(()))
        );
        error.set(!ok);
        if ok {
            note.set(String::new());
            if let Some(close) = on_close {
                close.run(());
            }
        }
    };
    view! {
        <div class="care-form" data-testid="contact-form">
            {choice(CareText::FieldKind, &ContactKind::ALL, kind, CareText::kind, "contact-kind")}
            {choice(CareText::FieldOutcome, &ContactOutcome::ALL, outcome, CareText::outcome, "contact-outcome")}
            <label class="field">
                <span>{move || app.t(CareText::FieldNote)}</span>
                <input type="text" data-testid="contact-note" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>{move || app.t(CareText::FieldStaff)}</span>
                <input type="text" data-testid="contact-staff" prop:value=move || staff.get()
                    on:input=move |ev| staff.set(event_target_value(&ev))/>
            </label>
            {move || error.get().then(|| view! { <p class="error" role="alert">{move || app.t(CareText::ErrMember)}</p> })}
            <div class="care-form-actions">
                {on_close.map(|close| view! {
                    <button class="btn" on:click=move |_| close.run(())>{move || app.t(crate::i18n::Key::Cancel)}</button>
                })}
                <button class="btn primary" data-testid="contact-save" on:click=save>{move || app.t(CareText::SaveContact)}</button>
            </div>
        </div>
    }
}

const LOG_PAGE: usize = 10;

/// A member's contact log with a form to add an entry.
#[component]
pub fn ContactLog(member: MemberId) -> impl IntoView {
    let app = use_app();
    let page = RwSignal::new(0usize);
    let adding = RwSignal::new(false);
    let data = Memo::new(move |_| {
        let p = page.get();
        app.store
            .with(|s| log_page(s, Some(member), None, p, LOG_PAGE))
    });
    view! {
        <section class="card" data-testid="member-contact-log">
            <div class="care-head">
                <h2>{move || app.t(CareText::TabLog)}</h2>
                <button class="btn" data-testid="log-add" on:click=move |_| adding.update(|a| *a = !*a)>
                    {move || app.t(CareText::LogAdd)}
                </button>
            </div>
            <Show when=move || adding.get()>
                <ContactForm member=member on_close=Callback::new(move |_| adding.set(false))/>
            </Show>
            <Show when=move || data.with(|d| d.0 > 0) fallback=move || view! {
                <p class="hint empty">{move || app.t(CareText::MemberLogEmpty)}</p>
            }>
                <div class="care-list">
                    {move || data.get().1.into_iter().map(|line| view! { <ContactRow line=line/> }).collect_view()}
                </div>
            </Show>
            <crate::components::pager::Pager page=page total=Signal::derive(move || data.with(|d| d.0)) size=LOG_PAGE/>
        </section>
    }
}
