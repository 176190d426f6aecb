//! Care work (客户关怀): special days coming up with their benefit, the
//! call plan (three contacts a year), maintenance plans, the contact log
//! and referrals. Every list is paged: a store may hold 100,000 members.

use crate::components::care_words::{member_names, CareText};
use crate::components::contact_log::{log_page, ContactForm, ContactRow};
use crate::components::pager::{page_of, Pager};
use crate::components::plan_items::{plan_lines, PlanItemForm, PlanRow};
use crate::i18n::{Key, Lang};
use crate::route::use_query_map;
use crate::state::use_app;
use clientele_engine::care::log::ContactKind;
use clientele_engine::care::work::{
    call_plan, referral_points, referrers, upcoming_days_with, CallDue, Occasion,
};
use clientele_engine::members::search::find_members;
use clientele_engine::MemberId;
use leptos::prelude::*;

/// Calls a year each member should get (DOMAIN.md §6).
const CALLS_PER_YEAR: u32 = 3;
/// "Due soon" looks this many days ahead.
const SOON_DAYS: i64 = 30;
const PAGE: usize = 20;

#[derive(Copy, Clone, PartialEq, Eq)]
enum Tab {
    Days,
    Calls,
    Plan,
    Log,
    Referrals,
    WinBack,
    Results,
    Staff,
}

impl Tab {
    const ALL: [(Tab, &'static str, CareText); 8] = [
        (Tab::Days, "days", CareText::TabDays),
        (Tab::Calls, "calls", CareText::TabCalls),
        (Tab::Plan, "plan", CareText::TabPlan),
        (Tab::Log, "log", CareText::TabLog),
        (Tab::Referrals, "referrals", CareText::TabReferrals),
        (Tab::WinBack, "winback", CareText::TabWinBack),
        (Tab::Results, "results", CareText::TabResults),
        (Tab::Staff, "staff", CareText::TabStaff),
    ];
}

#[component]
pub fn Care() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let start = query.with_untracked(|q| {
        let slug = q.get("tab").unwrap_or_default();
        Tab::ALL
            .iter()
            .find(|t| t.1 == slug)
            .map(|t| t.0)
            .unwrap_or(Tab::Days)
    });
    let tab = RwSignal::new(start);
    view! {
        <h1 class="page-title">{move || app.t(Key::NavCare)}</h1>
        <div class="care-tabs" role="tablist">
            {Tab::ALL.iter().map(|&(t, slug, word)| view! {
                <button class="btn care-tab" role="tab" data-testid=format!("tab-{slug}")
                    aria-selected=move || if tab.get() == t { "true" } else { "false" }
                    on:click=move |_| tab.set(t)>
                    {move || app.t(word)}
                </button>
            }).collect_view()}
        </div>
        {move || match tab.get() {
            Tab::Days => view! { <DaysTab/> }.into_any(),
            Tab::Calls => view! { <CallsTab/> }.into_any(),
            Tab::Plan => view! { <PlanTab/> }.into_any(),
            Tab::Log => view! { <LogTab/> }.into_any(),
            Tab::Referrals => view! { <ReferralsTab/> }.into_any(),
            Tab::WinBack => view! { <crate::components::win_back::WinBackTab/> }.into_any(),
            Tab::Results => view! { <crate::components::message_results::MessageResults/> }.into_any(),
            Tab::Staff => view! { <crate::components::staff_figures::StaffFiguresTab/> }.into_any(),
        }}
    }
}

fn days_away(lang: Lang, n: i64) -> String {
    match (n, lang) {
        (0, _) => lang.t(CareText::Today).into(),
        (1, _) => lang.t(CareText::Tomorrow).into(),
        (_, Lang::Zh) => format!("{n} 天后"),
        (_, Lang::En) => format!("in {n} days"),
    }
}

fn occasion_text(lang: Lang, occasion: &Occasion, turning: Option<i32>) -> (String, CareText) {
    let sep = if lang == Lang::Zh { "：" } else { ": " };
    match occasion {
        Occasion::Birthday => {
            let age = match (turning, lang) {
                (Some(a), Lang::Zh) => format!("（{a} 岁）"),
                (Some(a), Lang::En) => format!(" (turns {a})"),
                (None, _) => String::new(),
            };
            (
                format!("{}{age}", lang.t(CareText::OccBirthday)),
                CareText::BenefitBirthday,
            )
        }
        Occasion::FamilyBirthday { relation, name } => (
            format!("{}{sep}{relation} {name}", lang.t(CareText::OccFamily)),
            CareText::BenefitFamily,
        ),
        Occasion::SpecialDay { label } => (
            format!("{}{sep}{label}", lang.t(CareText::OccSpecial)),
            CareText::BenefitSpecial,
        ),
    }
}

#[component]
fn DaysTab() -> impl IntoView {
    let app = use_app();
    let window = RwSignal::new(7i64);
    let page = RwSignal::new(0usize);
    let days = Memo::new(move |_| {
        let (today, w) = (app.today.get(), window.get());
        app.store
            .with(|s| upcoming_days_with(&s.members, today, w, s.scheme_on(today).leap_birthday))
    });
    let lines = Memo::new(move |_| {
        let lang = app.lang.get();
        let shown = days.with(|d| page_of(d, page.get(), PAGE));
        app.store.with(|s| {
            let names = member_names(s, shown.iter().map(|u| u.member));
            shown
                .into_iter()
                .map(|u| {
                    let (what, benefit) = occasion_text(lang, &u.occasion, u.turning);
                    let when = format!(
                        "{} · {}",
                        crate::format::date(&s.settings, u.date),
                        days_away(lang, u.days_away)
                    );
                    (
                        u.member.0,
                        names.get(&u.member).cloned().unwrap_or_default(),
                        when,
                        what,
                        benefit,
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let pick = move |w: i64, label: CareText| {
        view! {
            <button class="btn care-tab" aria-pressed=move || if window.get() == w { "true" } else { "false" }
                data-testid=format!("days-{w}") on:click=move |_| { window.set(w); page.set(0); }>
                {move || app.t(label)}
            </button>
        }
    };
    view! {
        <section class="card">
            <div class="care-head">
                <h2>{move || app.t(CareText::TabDays)} " · " {move || days.with(|d| d.len())}</h2>
                <div class="care-switch">{pick(7, CareText::Next7)}{pick(30, CareText::Next30)}</div>
            </div>
            <Show when=move || days.with(|d| !d.is_empty()) fallback=move || view! {
                <p class="hint empty" data-testid="days-empty">{move || app.t(CareText::DaysEmpty)}</p>
            }>
                <div class="care-list" data-testid="days-list">
                    {move || lines.get().into_iter().map(|(id, name, when, what, benefit)| view! {
                        <div class="care-row" data-testid="days-row">
                            <span class="care-date">{when}</span>
                            <a class="care-name" href=format!("members/{id}")>{name}</a>
                            <span class="care-what">{what}</span>
                            <span class="care-benefit">{move || app.t(benefit)}</span>
                        </div>
                    }).collect_view()}
                </div>
            </Show>
            <Pager page=page total=Signal::derive(move || days.with(|d| d.len())) size=PAGE/>
        </section>
    }
}

#[component]
fn CallsTab() -> impl IntoView {
    let app = use_app();
    let plan = Memo::new(move |_| {
        let today = app.today.get();
        app.store
            .with(|s| call_plan(&s.members, &s.care, today, CALLS_PER_YEAR))
    });
    // The plan is sorted most overdue first, so both lists are slices of it.
    let split = Memo::new(move |_| {
        plan.with(|p| {
            let over = p.partition_point(|c| c.days_overdue > 0);
            let soon = p.partition_point(|c| c.days_overdue >= -SOON_DAYS);
            (over, soon)
        })
    });
    let open = RwSignal::new(None::<MemberId>);
    view! {
        <p class="hint">{move || app.t(CareText::CallsRule)}</p>
        <CallList plan=plan range=Signal::derive(move || { let (o, _) = split.get(); (0, o) }) overdue=true open=open/>
        <CallList plan=plan range=Signal::derive(move || split.get()) overdue=false open=open/>
    }
}

#[component]
fn CallList(
    plan: Memo<Vec<CallDue>>,
    range: Signal<(usize, usize)>,
    overdue: bool,
    open: RwSignal<Option<MemberId>>,
) -> impl IntoView {
    let app = use_app();
    let page = RwSignal::new(0usize);
    let total = Signal::derive(move || {
        let (a, b) = range.get();
        b - a
    });
    let lines = Memo::new(move |_| {
        let lang = app.lang.get();
        let (a, b) = range.get();
        let shown: Vec<CallDue> =
            plan.with(|p| page_of(p.get(a..b).unwrap_or_default(), page.get(), PAGE));
        app.store.with(|s| {
            let names = member_names(s, shown.iter().map(|c| c.member));
            shown
                .into_iter()
                .map(|c| {
                    let last = c
                        .last_contact
                        .map(|d| crate::format::date(&s.settings, d))
                        .unwrap_or_else(|| lang.t(CareText::Never).into());
                    let due = match (overdue, lang) {
                        (true, Lang::Zh) => format!("逾期 {} 天", c.days_overdue),
                        (true, Lang::En) => format!("{} days overdue", c.days_overdue),
                        (false, _) => format!(
                            "{} {}",
                            lang.t(CareText::DueOn),
                            crate::format::date(&s.settings, c.due)
                        ),
                    };
                    (
                        c.member,
                        names.get(&c.member).cloned().unwrap_or_default(),
                        last,
                        due,
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let (title, empty, testid) = if overdue {
        (CareText::Overdue, CareText::OverdueEmpty, "overdue-list")
    } else {
        (CareText::DueSoon, CareText::DueSoonEmpty, "due-list")
    };
    view! {
        <section class="card" data-testid=testid>
            <h2>{move || app.t(title)} " · " {move || total.get()}</h2>
            <Show when=move || { total.get() > 0 } fallback=move || view! { <p class="hint empty">{move || app.t(empty)}</p> }>
                <div class="care-list">
                    {move || lines.get().into_iter().map(|(id, name, last, due)| view! {
                        <div class="care-item">
                            <div class="care-row" data-testid="call-row" data-member=id.0>
                                <a class="care-name" href=format!("members/{}", id.0)>{name}</a>
                                <span class="hint">{move || app.t(CareText::LastContact)} {last}</span>
                                <span class="care-date" class:late=overdue>{due}</span>
                                <button class="btn care-action" data-testid="call-done"
                                    on:click=move |_| open.set(Some(id))>{move || app.t(CareText::CallDone)}</button>
                            </div>
                            <Show when=move || open.get() == Some(id)>
                                <ContactForm member=id on_close=Callback::new(move |_| open.set(None))/>
                            </Show>
                        </div>
                    }).collect_view()}
                </div>
            </Show>
            <Pager page=page total=total size=PAGE/>
        </section>
    }
}

#[component]
fn PlanTab() -> impl IntoView {
    let app = use_app();
    let page = RwSignal::new(0usize);
    let total = Memo::new(move |_| app.store.with(|s| s.care.open_items(None).len()));
    let lines = Memo::new(move |_| {
        let today = app.today.get();
        let p = page.get();
        app.store.with(|s| {
            let open = s.care.open_items(None);
            let shown = page_of(&open, p, PAGE);
            plan_lines(s, &shown, true, today)
        })
    });
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<(MemberId, String)>);
    let hits = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        app.store.with(|s| {
            find_members(s, &q)
                .into_iter()
                .take(6)
                .map(|m| {
                    (
                        m.id,
                        m.name.clone(),
                        format!("{} · {}", m.card_no, m.mobile),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card" data-testid="plan-open">
            <h2>{move || app.t(CareText::PlanOpen)} " · " {move || total.get()}</h2>
            <Show when=move || { total.get() > 0 } fallback=move || view! {
                <p class="hint empty" data-testid="plan-empty">{move || app.t(CareText::PlanEmpty)}</p>
            }>
                <div class="care-list">
                    {move || lines.get().into_iter().map(|line| view! { <PlanRow line=line/> }).collect_view()}
                </div>
            </Show>
            <Pager page=page total=total size=PAGE/>
        </section>
        <section class="card">
            <h2>{move || app.t(CareText::PlanNew)}</h2>
            {move || match chosen.get() {
                None => view! {
                    <input type="search" class="search care-find" data-testid="plan-find"
                        placeholder=move || app.t(CareText::PlanFind) aria-label=move || app.t(CareText::PlanFind)
                        prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                    <Show when=move || query.with(|q| !q.trim().is_empty()) && hits.with(|h| h.is_empty())>
                        <p class="hint">{move || app.t(CareText::PlanNoMatch)}</p>
                    </Show>
                    <div class="care-picks">
                        {move || hits.get().into_iter().map(|(id, name, detail)| {
                            let pick = name.clone();
                            view! {
                                <button class="btn care-pick" data-testid="plan-pick" on:click=move |_| chosen.set(Some((id, pick.clone())))>
                                    <span class="name">{name}</span> <span class="hint">{detail}</span>
                                </button>
                            }
                        }).collect_view()}
                    </div>
                }.into_any(),
                Some((id, name)) => view! {
                    <div class="care-head">
                        <p>{move || app.t(CareText::PlanFor)} ": " <a class="care-name" href=format!("members/{}", id.0)>{name}</a></p>
                        <button class="btn" on:click=move |_| { chosen.set(None); query.set(String::new()); }>
                            {move || app.t(CareText::PlanChange)}
                        </button>
                    </div>
                    <PlanItemForm member=id/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn LogTab() -> impl IntoView {
    let app = use_app();
    let kind = RwSignal::new(None::<ContactKind>);
    let page = RwSignal::new(0usize);
    let data = Memo::new(move |_| {
        let (k, p) = (kind.get(), page.get());
        app.store.with(|s| log_page(s, None, k, p, PAGE))
    });
    view! {
        <section class="card">
            <div class="care-head">
                <h2>{move || app.t(CareText::TabLog)} " · " {move || data.with(|d| d.0)}</h2>
                <select data-testid="log-kind" aria-label=move || app.t(CareText::FieldKind) on:change=move |ev| {
                    let v = event_target_value(&ev).parse::<usize>().ok();
                    kind.set(v.and_then(|i| ContactKind::ALL.get(i).copied()));
                    page.set(0);
                }>
                    <option value="">{move || app.t(CareText::LogAll)}</option>
                    {ContactKind::ALL.iter().enumerate().map(|(i, k)| {
                        let k = *k;
                        view! { <option value=i.to_string()>{move || app.t(CareText::kind(k))}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || data.with(|d| d.0 > 0) fallback=move || view! {
                <p class="hint empty" data-testid="log-empty">{move || app.t(CareText::LogEmpty)}</p>
            }>
                <div class="care-list">
                    {move || data.get().1.into_iter().map(|line| view! { <ContactRow line=line/> }).collect_view()}
                </div>
            </Show>
            <Pager page=page total=Signal::derive(move || data.with(|d| d.0)) size=PAGE/>
        </section>
    }
}

/// Members shown per referrer before "n more".
const BROUGHT_SHOWN: usize = 6;

#[component]
fn ReferralsTab() -> impl IntoView {
    let app = use_app();
    let page = RwSignal::new(0usize);
    let all = Memo::new(move |_| app.store.with(|s| referrers(&s.members)));
    // Rewards come from the ledger, so they follow the scheme's referral
    // bonus and any returns of the referred member's first purchase.
    let replay = crate::analysis::use_derived().replay;
    let rewards = Memo::new(move |_| {
        replay
            .with(|r| r.as_deref().map(referral_points))
            .unwrap_or_default()
    });
    let lines = Memo::new(move |_| {
        let shown = all.with(|r| page_of(r, page.get(), PAGE));
        app.store.with(|s| {
            let ids = shown.iter().flat_map(|r| {
                std::iter::once(r.member).chain(r.brought.iter().take(BROUGHT_SHOWN).copied())
            });
            let names = member_names(s, ids);
            let name = |id: &MemberId| (id.0, names.get(id).cloned().unwrap_or_default());
            shown
                .iter()
                .map(|r| {
                    let brought: Vec<(u64, String)> =
                        r.brought.iter().take(BROUGHT_SHOWN).map(name).collect();
                    let reward = rewards.with(|p| p.get(&r.member).copied().unwrap_or(0));
                    (name(&r.member), r.brought.len(), brought, reward)
                })
                .collect::<Vec<_>>()
        })
    });
    let chip = |(id, name): (u64, String)| view! { <a class="chip" href=format!("members/{id}")>{name}</a> };
    view! {
        <p class="hint">{move || app.t(CareText::RefRule)}</p>
        <section class="card">
            <h2>{move || app.t(CareText::TabReferrals)} " · " {move || all.with(|r| r.len())}</h2>
            <Show when=move || all.with(|r| !r.is_empty()) fallback=move || view! {
                <p class="hint empty" data-testid="ref-empty">{move || app.t(CareText::RefEmpty)}</p>
            }>
                <div class="care-list">
                    {move || lines.get().into_iter().map(|((id, name), count, brought, reward)| {
                        let more = count.saturating_sub(brought.len());
                        view! {
                            <div class="care-row" data-testid="referrer-row">
                                <a class="care-name" href=format!("members/{id}")>{name}</a>
                                <span class="care-count">{move || app.t(CareText::RefBrought)} " " {count} " " {move || app.t(CareText::RefPeople)}</span>
                                <span class="care-reward" data-testid="referral-reward">
                                    {move || app.t(CareText::RefReward)} " " {crate::format::count(reward.max(0) as usize)} " " {move || app.t(CareText::RefPoints)}
                                </span>
                                <span class="care-chips">
                                    {brought.into_iter().map(chip).collect_view()}
                                    {(more > 0).then(|| view! { <span class="hint">"+" {more}</span> })}
                                </span>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </Show>
            <Pager page=page total=Signal::derive(move || all.with(|r| r.len())) size=PAGE/>
        </section>
    }
}
