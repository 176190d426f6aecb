//! Add or edit a member. Only a name and a mobile or card number are
//! required; the completeness meter shows what is still missing.

use crate::i18n::{member_error, tr, Key};
use crate::route::{use_member_id, use_navigate};
use crate::state::use_app;
use clientele_engine::members::edit::save_member;
use clientele_engine::members::model::{
    profile_completeness, Consent, FamilyMember, Gender, Member, MemberId, MonthDay, Preferences,
    SpecialDay,
};
use clientele_engine::members::search::find_members;
use clientele_engine::Store;
use leptos::prelude::*;

/// The form's text, exactly as typed; turned into a [`Member`] on save.
#[derive(Clone, Debug, Default, PartialEq)]
struct Draft {
    name: String,
    card_no: String,
    mobile: String,
    email: String,
    gender: String,
    birthday: String,
    workplace: String,
    job: String,
    address: String,
    staff: String,
    store: String,
    sizes: String,
    colours: String,
    styles: String,
    categories: String,
    tags: String,
    notes: String,
    sms: bool,
    phone: bool,
    email_ok: bool,
    satisfaction: String,
    referrer: String,
    family: Vec<(String, String, String)>,
    special: Vec<(String, String)>,
}

fn join(v: &[String]) -> String {
    v.join(", ")
}

fn split(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl Draft {
    fn from_member(m: &Member, store: &Store) -> Draft {
        let referrer = m
            .referrer
            .and_then(|r| store.members.iter().find(|x| x.id == r))
            .map(|r| r.card_no.clone())
            .unwrap_or_default();
        Draft {
            name: m.name.clone(),
            card_no: m.card_no.clone(),
            mobile: m.mobile.clone(),
            email: m.email.clone().unwrap_or_default(),
            gender: match m.gender {
                Some(Gender::Female) => "female",
                Some(Gender::Male) => "male",
                Some(Gender::Other) => "other",
                None => "",
            }
            .into(),
            birthday: m.birthday.map(|b| b.to_text()).unwrap_or_default(),
            workplace: m.workplace.clone().unwrap_or_default(),
            job: m.job.clone().unwrap_or_default(),
            address: m.address.clone().unwrap_or_default(),
            staff: m.staff.clone().unwrap_or_default(),
            store: m.store.clone(),
            sizes: join(&m.preferences.sizes),
            colours: join(&m.preferences.colours),
            styles: join(&m.preferences.styles),
            categories: join(&m.preferences.categories),
            tags: join(&m.tags),
            notes: m.notes.clone(),
            sms: m.consent.sms,
            phone: m.consent.phone,
            email_ok: m.consent.email,
            satisfaction: m.satisfaction.map(|s| s.to_string()).unwrap_or_default(),
            referrer,
            family: m
                .family
                .iter()
                .map(|f| {
                    (
                        f.relation.clone(),
                        f.name.clone(),
                        f.birthday.map(|b| b.to_text()).unwrap_or_default(),
                    )
                })
                .collect(),
            special: m
                .special_days
                .iter()
                .map(|s| (s.label.clone(), s.date.to_text()))
                .collect(),
        }
    }

    /// The member this draft describes, or the words for what is wrong.
    fn to_member(&self, base: &Member, store: &Store) -> Result<Member, Key> {
        let day = |s: &str| -> Result<Option<MonthDay>, Key> {
            match opt(s) {
                None => Ok(None),
                Some(t) => MonthDay::parse(&t).map(Some).ok_or(Key::ErrInvalidBirthday),
            }
        };
        let mut m = base.clone();
        m.name = self.name.clone();
        m.card_no = self.card_no.clone();
        m.mobile = self.mobile.clone();
        m.email = opt(&self.email);
        m.gender = match self.gender.as_str() {
            "female" => Some(Gender::Female),
            "male" => Some(Gender::Male),
            "other" => Some(Gender::Other),
            _ => None,
        };
        let birthday = day(&self.birthday)?;
        m.birthday = birthday;
        m.workplace = opt(&self.workplace);
        m.job = opt(&self.job);
        m.address = opt(&self.address);
        m.staff = opt(&self.staff);
        m.store = self.store.trim().to_string();
        m.preferences = Preferences {
            sizes: split(&self.sizes),
            colours: split(&self.colours),
            styles: split(&self.styles),
            categories: split(&self.categories),
        };
        m.tags = split(&self.tags);
        m.notes = self.notes.trim().to_string();
        m.consent = Consent {
            sms: self.sms,
            phone: self.phone,
            email: self.email_ok,
        };
        m.satisfaction = match opt(&self.satisfaction) {
            None => None,
            Some(t) => Some(t.parse::<u8>().map_err(|_| Key::ErrInvalidSatisfaction)?),
        };
        m.referrer = match opt(&self.referrer) {
            None => None,
            Some(q) => {
                let hits = find_members(store, &q);
                let exact = hits
                    .iter()
                    .find(|h| h.card_no.eq_ignore_ascii_case(&q) || h.mobile == q);
                Some(
                    exact
                        .or(hits.first())
                        .map(|h| h.id)
                        .ok_or(Key::ErrInvalidReferrer)?,
                )
            }
        };
        let mut family = Vec::new();
        for (relation, name, bday) in &self.family {
            if relation.trim().is_empty() && name.trim().is_empty() {
                continue;
            }
            family.push(FamilyMember {
                relation: relation.trim().into(),
                name: name.trim().into(),
                birthday: day(bday)?,
            });
        }
        m.family = family;
        let mut special = Vec::new();
        for (label, date) in &self.special {
            if let Some(d) = day(date)? {
                special.push(SpecialDay {
                    label: label.trim().into(),
                    date: d,
                });
            }
        }
        m.special_days = special;
        if m.birthday.is_some() && m.birthday != base.birthday {
            m.birthday_recorded_on = None; // set by the caller to today
        }
        Ok(m)
    }
}

#[component]
fn TextField(
    label: Key,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] testid: &'static str,
    #[prop(optional)] kind: &'static str,
    draft: RwSignal<Draft>,
    get: fn(&Draft) -> String,
    set: fn(&mut Draft, String),
) -> impl IntoView {
    let app = use_app();
    view! {
        <label class="field">
            <span>{tr(label)}</span>
            <input type=if kind.is_empty() { "text" } else { kind } data-testid=testid
                placeholder=move || hint.map(|h| app.t(h)).unwrap_or_default()
                prop:value=move || draft.with(get)
                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)) }/>
        </label>
    }
}

#[component]
pub fn MemberForm() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let editing: Option<MemberId> = use_member_id().get_untracked();
    let today = app.today.get_untracked();
    let base = app.store.with_untracked(|s| {
        editing
            .and_then(|id| s.members.iter().find(|m| m.id == id).cloned())
            .unwrap_or_else(|| {
                let mut m = Member::new(MemberId(0), "", "", today);
                m.store = app.device_shop();
                m
            })
    });
    let draft = RwSignal::new(app.store.with_untracked(|s| Draft::from_member(&base, s)));
    let error = RwSignal::new(None::<String>);
    let base_for_meter = base.clone();
    let completeness = Memo::new(move |_| {
        app.store.with(|s| {
            draft
                .with(|d| d.to_member(&base_for_meter, s))
                .map(|m| profile_completeness(&m, &s.settings.tracked_fields))
                .unwrap_or(0)
        })
    });
    let save = move |_| {
        let lang = app.lang.get_untracked();
        let result = app
            .store
            .with_untracked(|s| draft.with_untracked(|d| d.to_member(&base, s)));
        let mut member = match result {
            Ok(m) => m,
            Err(k) => return error.set(Some(lang.t(k).to_string())),
        };
        if member.birthday.is_some() && member.birthday != base.birthday {
            member.birthday_recorded_on = Some(today);
        }
        // Validate against a copy so a refused save leaves the store untouched.
        let mut trial = app.store.get_untracked();
        match save_member(&mut trial, member, app.device_tag()) {
            Ok(id) => {
                app.update(|s| *s = trial);
                navigate(&format!("/members/{}", id.0));
            }
            Err(e) => error.set(Some(member_error(lang, &e))),
        }
    };
    let title = if editing.is_some() {
        Key::MemberEdit
    } else {
        Key::MemberAdd
    };
    view! {
        <h1 class="page-title">{tr(title)}</h1>
        <p class="hint">{tr(Key::MemberRequired)}</p>
        <div class="meter" data-testid="completeness">
            <span>{tr(Key::Completeness)} " " {move || completeness.get()} "%"</span>
            <div class="meter-bar"><div class="meter-fill" style=move || format!("width:{}%", completeness.get())></div></div>
        </div>
        <section class="card form-grid">
            <h2>{tr(Key::ProfileSection)}</h2>
            <TextField label=Key::FieldName testid="f-name" draft=draft get=|d| d.name.clone() set=|d, v| d.name = v/>
            <TextField label=Key::FieldMobile testid="f-mobile" kind="tel" draft=draft get=|d| d.mobile.clone() set=|d, v| d.mobile = v/>
            <TextField label=Key::FieldCard testid="f-card" draft=draft get=|d| d.card_no.clone() set=|d, v| d.card_no = v/>
            <label class="field">
                <span>{tr(Key::FieldGender)}</span>
                <select on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.gender = v) }>
                    {[("", Key::GenderUnknown), ("female", Key::GenderFemale), ("male", Key::GenderMale), ("other", Key::GenderOther)]
                        .into_iter()
                        .map(|(v, k)| view! {
                            <option value=v selected=move || draft.with(|d| d.gender == v)>{tr(k)}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <TextField label=Key::FieldBirthday hint=Key::FieldBirthdayHint testid="f-birthday" draft=draft get=|d| d.birthday.clone() set=|d, v| d.birthday = v/>
            <TextField label=Key::FieldEmail kind="email" draft=draft get=|d| d.email.clone() set=|d, v| d.email = v/>
            <TextField label=Key::FieldWorkplace draft=draft get=|d| d.workplace.clone() set=|d, v| d.workplace = v/>
            <TextField label=Key::FieldJob draft=draft get=|d| d.job.clone() set=|d, v| d.job = v/>
            <TextField label=Key::FieldAddress draft=draft get=|d| d.address.clone() set=|d, v| d.address = v/>
            <TextField label=Key::FieldStaff draft=draft get=|d| d.staff.clone() set=|d, v| d.staff = v/>
            <TextField label=Key::FieldStore draft=draft get=|d| d.store.clone() set=|d, v| d.store = v/>
            <TextField label=Key::FieldReferrer draft=draft get=|d| d.referrer.clone() set=|d, v| d.referrer = v/>
            <TextField label=Key::FieldSatisfaction kind="number" draft=draft get=|d| d.satisfaction.clone() set=|d, v| d.satisfaction = v/>
            <fieldset class="field consent">
                <legend>{tr(Key::FieldConsent)}</legend>
                <label class="check"><input type="checkbox" data-testid="f-consent-sms" prop:checked=move || draft.with(|d| d.sms)
                    on:change=move |ev| { let c = event_target_checked(&ev); draft.update(|d| d.sms = c) }/>{tr(Key::ConsentSms)}</label>
                <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.phone)
                    on:change=move |ev| { let c = event_target_checked(&ev); draft.update(|d| d.phone = c) }/>{tr(Key::ConsentPhone)}</label>
                <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.email_ok)
                    on:change=move |ev| { let c = event_target_checked(&ev); draft.update(|d| d.email_ok = c) }/>{tr(Key::ConsentEmail)}</label>
            </fieldset>
        </section>
        <section class="card form-grid">
            <h2>{tr(Key::PreferencesSection)}</h2>
            <TextField label=Key::FieldSizes hint=Key::FieldListHint draft=draft get=|d| d.sizes.clone() set=|d, v| d.sizes = v/>
            <TextField label=Key::FieldColours hint=Key::FieldListHint draft=draft get=|d| d.colours.clone() set=|d, v| d.colours = v/>
            <TextField label=Key::FieldStyles hint=Key::FieldListHint draft=draft get=|d| d.styles.clone() set=|d, v| d.styles = v/>
            <TextField label=Key::FieldCategories hint=Key::FieldListHint draft=draft get=|d| d.categories.clone() set=|d, v| d.categories = v/>
            <TextField label=Key::FieldTags hint=Key::FieldListHint draft=draft get=|d| d.tags.clone() set=|d, v| d.tags = v/>
            <label class="field wide">
                <span>{tr(Key::FieldNotes)}</span>
                <textarea rows="3" prop:value=move || draft.with(|d| d.notes.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.notes = v) }></textarea>
            </label>
        </section>
        <section class="card">
            <h2>{tr(Key::FieldFamily)}</h2>
            {move || draft.with(|d| d.family.len()).eq(&0).then(|| view! { <p class="hint">{tr(Key::NoReferrals)}</p> })}
            <For each=move || 0..draft.with(|d| d.family.len()) key=|i| *i children=move |i| view! {
                <div class="row-fields">
                    <input type="text" placeholder=move || app.t(Key::FieldRelation)
                        prop:value=move || draft.with(|d| d.family.get(i).map(|f| f.0.clone()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(f) = d.family.get_mut(i) { f.0 = v }) }/>
                    <input type="text" placeholder=move || app.t(Key::FieldName)
                        prop:value=move || draft.with(|d| d.family.get(i).map(|f| f.1.clone()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(f) = d.family.get_mut(i) { f.1 = v }) }/>
                    <input type="text" placeholder=move || app.t(Key::FieldBirthdayHint)
                        prop:value=move || draft.with(|d| d.family.get(i).map(|f| f.2.clone()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(f) = d.family.get_mut(i) { f.2 = v }) }/>
                    <button class="btn" on:click=move |_| draft.update(|d| { if i < d.family.len() { d.family.remove(i); } })>
                        {tr(Key::RemoveRow)}
                    </button>
                </div>
            }/>
            <button class="btn" on:click=move |_| draft.update(|d| d.family.push(Default::default()))>{tr(Key::AddRow)}</button>
        </section>
        <section class="card">
            <h2>{tr(Key::FieldSpecialDays)}</h2>
            <For each=move || 0..draft.with(|d| d.special.len()) key=|i| *i children=move |i| view! {
                <div class="row-fields">
                    <input type="text" placeholder=move || app.t(Key::FieldLabel)
                        prop:value=move || draft.with(|d| d.special.get(i).map(|f| f.0.clone()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(f) = d.special.get_mut(i) { f.0 = v }) }/>
                    <input type="text" placeholder=move || app.t(Key::FieldBirthdayHint)
                        prop:value=move || draft.with(|d| d.special.get(i).map(|f| f.1.clone()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(f) = d.special.get_mut(i) { f.1 = v }) }/>
                    <button class="btn" on:click=move |_| draft.update(|d| { if i < d.special.len() { d.special.remove(i); } })>
                        {tr(Key::RemoveRow)}
                    </button>
                </div>
            }/>
            <button class="btn" on:click=move |_| draft.update(|d| d.special.push(Default::default()))>{tr(Key::AddRow)}</button>
        </section>
        {move || error.get().map(|e| view! { <p class="card error" role="alert" data-testid="form-error">{e}</p> })}
        <div class="actions">
            <a class="btn" href="members">{tr(Key::Cancel)}</a>
            <button class="btn primary" data-testid="save-member" on:click=save>{tr(Key::MemberSave)}</button>
        </div>
    }
}
