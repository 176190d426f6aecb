//! The member list: search by mobile, card or name, 50 to a page so that
//! even a very large store renders only what is on screen.

use crate::components::duplicates::Duplicates;
use crate::components::member_filter_bar::MemberFilterBar;
use crate::format;
use crate::i18n::{tr, Key};
use crate::member_filter::MemberFilter;
use crate::state::use_app;
use clientele_engine::members::search::shops;
use clientele_engine::MemberId;
use leptos::prelude::*;

/// Members per page: two screens of a tablet. Each keystroke at the
/// counter rewrites the page's rows, and at 50 their layout and paint
/// alone took most of a frame on a slow machine.
const PAGE_SIZE: usize = 25;

crate::texts!(MembersText {
    SharedCards => "以下卡号同时属于多位会员：两台设备离线时各自发出了同一个卡号。请为其中一位换一个新卡号（编辑会员，清空卡号后保存会自动发新号）。",
        "These card numbers belong to more than one member: two devices enrolling offline each gave out the same number. Give one holder a new card (edit the member; an emptied card number gets the next free one on saving).";
    AllShops => "全部门店", "All shops";
    Shops => "门店", "Shops";
    Within => "只含门店：", "Within the shop: ";
    Whole => "改看全店", "See the whole boutique";
});

#[derive(Clone, PartialEq)]
struct Row {
    id: MemberId,
    card: String,
    name: String,
    mobile: String,
    joined: String,
    purchases: u32,
    spend: String,
    last: String,
}

#[component]
pub fn Members() -> impl IntoView {
    let app = use_app();
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    // A filter from the query string (a dashboard number or a segments cell).
    let query_map = crate::route::use_query_map();
    let filter = Memo::new(move |_| query_map.with(|q| MemberFilter::from_query(|k| q.get(k))));
    let derived = crate::analysis::use_derived();
    let totals = derived.totals;
    // A list opened from a shop's number (`&in=`) is computed on that
    // shop's members, as the dashboard and segments count them.
    let within = Memo::new(move |_| query_map.with(|q| q.get("in")).filter(|s| !s.is_empty()));
    let location = crate::route::use_location();
    Effect::new(move |_| {
        if let Some(shop) = within.get() {
            if derived.shop.get_untracked().as_deref() != Some(shop.as_str()) {
                derived.shop.set(Some(shop));
            }
        }
    });
    let filtered = Memo::new(move |_| {
        let f = filter.get()?;
        let today = app.today.get();
        if within.get().is_some() {
            let scope = derived.shop_scope.get()?;
            let (store, replay) = &*scope.0;
            let analysis = f
                .needs_analysis()
                .then(|| derived.shop_analysis.get())
                .flatten();
            return Some(f.resolve(store, today, replay.as_ref(), analysis.as_deref()));
        }
        let replay = derived.replay.get();
        let analysis = f.needs_analysis().then(|| derived.analysis.get()).flatten();
        Some(
            app.store
                .with(|s| f.resolve(s, today, replay.as_deref(), analysis.as_deref())),
        )
    });
    let mine = app.device_shop();
    let shop_list = Memo::new(move |_| app.store.with(shops));
    // The filter's members as a set, built when the filter changes, not
    // on every keystroke.
    let only = Memo::new(move |_| {
        filtered.with(|ids| {
            ids.as_ref().map(|ids| {
                ids.iter()
                    .copied()
                    .collect::<std::collections::HashSet<MemberId>>()
            })
        })
    });
    let search = derived.search();
    // Positions in the store's member list: a keystroke scans the packed
    // index and builds nothing per member.
    let hits = Memo::new(move |_| {
        let q = query.get();
        search.with(|(_, index)| {
            only.with(|only| {
                app.store.with(|s| {
                    let mut found = index.find(&s.members, &q);
                    if let Some(only) = only {
                        found.retain(|&i| only.contains(&s.members[i].id));
                    }
                    // Staff see their own shop's members first.
                    if !mine.is_empty() {
                        found.sort_by_key(|&i| s.members[i].store != mine);
                    }
                    found
                })
            })
        })
    });
    let hit_ids = Signal::derive(move || {
        hits.with(|h| {
            app.store
                .with(|s| h.iter().map(|&i| s.members[i].id).collect::<Vec<_>>())
        })
    });
    let pages = move || hits.with(|h| h.len().div_ceil(PAGE_SIZE).max(1));
    let rows = Memo::new(move |_| {
        let start = page.get() * PAGE_SIZE;
        totals.with(|totals| {
            app.store.with(|s| {
                hits.with(|h| {
                    h.iter()
                        .skip(start)
                        .take(PAGE_SIZE)
                        .filter_map(|&i| s.members.get(i))
                        .map(|m| {
                            let t = totals.get(&m.id).cloned().unwrap_or_default();
                            Row {
                                id: m.id,
                                card: m.card_no.clone(),
                                name: m.name.clone(),
                                mobile: m.mobile.clone(),
                                joined: format::date(&s.settings, m.joined),
                                purchases: t.purchases,
                                spend: format::money(&s.settings, t.spend),
                                last: t
                                    .last
                                    .map(|d| format::date(&s.settings, d))
                                    .unwrap_or_default(),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    });
    let on_search = move |ev| {
        query.set(event_target_value(&ev));
        page.set(0);
    };
    let is_empty_store = move || app.store.with(|s| s.members.is_empty());
    // (card number, [(id, name)]) for each card that several members hold.
    let shared_cards = derived.shared_cards();
    let shared = Memo::new(move |_| {
        let cards = shared_cards.with(|(_, c)| c.to_vec());
        if cards.is_empty() {
            return Vec::new();
        }
        app.store.with(|s| {
            let by_id: std::collections::HashMap<MemberId, &str> =
                s.members.iter().map(|m| (m.id, m.name.as_str())).collect();
            cards
                .into_iter()
                .map(|c| {
                    let holders: Vec<(u64, String)> = c
                        .members
                        .iter()
                        .map(|id| (id.0, by_id.get(id).copied().unwrap_or_default().to_string()))
                        .collect();
                    (c.card_no, holders)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h1 class="page-title">{tr(Key::NavMembers)}</h1>
        <div class="toolbar">
            <input type="search" class="search" data-testid="member-search"
                placeholder=move || app.t(Key::MembersSearch)
                aria-label=move || app.t(Key::MembersSearch)
                prop:value=move || query.get() on:input=on_search/>
            <Show when=move || !query.get().is_empty()>
                <button class="btn" on:click=move |_| { query.set(String::new()); page.set(0); }>
                    {tr(Key::ClearSearch)}
                </button>
            </Show>
            <a class="btn primary" href="members/new" data-testid="add-member">{tr(Key::MemberAdd)}</a>
            {move || filter.get().map(|f| view! {
                <MemberFilterBar filter=f ids=hit_ids/>
            })}
            {move || within.get().map(|shop| {
                // The same list without the shop.
                let search = location.search.get_untracked();
                let rest: Vec<&str> = search.trim_start_matches('?').split('&').filter(|p| !p.starts_with("in=") && !p.is_empty()).collect();
                let whole = format!("members?{}", rest.join("&"));
                view! {
                    <p class="hint" data-testid="filter-in-shop">{tr(MembersText::Within)} <strong>{shop}</strong> " · "
                        <a href=whole on:click=move |_| derived.shop.set(None)>{tr(MembersText::Whole)}</a></p>
                }
            })}
            <span class="count" data-testid="member-count">
                {move || format::count(hits.with(|h| h.len()))} " " {tr(Key::MembersCount)}
            </span>
        </div>
        <Show when=move || shared.with(|c| !c.is_empty())>
            <section class="card" data-testid="shared-cards">
                <p class="hint">{move || app.t(MembersText::SharedCards)}</p>
                <ul>
                    {move || shared.get().into_iter().map(|(card, holders)| view! {
                        <li>
                            <span class="mono">{card}</span> ": "
                            {holders.into_iter().map(|(id, name)| view! {
                                <a class="chip" data-testid="shared-card-holder" href=format!("members/{id}")>{name}</a>
                            }).collect_view()}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        <Show when=move || shop_list.with(|l| l.len() >= 2)>
            <nav class="chips shop-chips" data-testid="shop-chips" aria-label=move || app.t(MembersText::Shops)>
                <a class="chip" href="members" aria-current=move || filter.with(|f| f.is_none()).then_some("page")>{tr(MembersText::AllShops)}</a>
                {move || shop_list.get().into_iter().map(|s| {
                    let code: String = js_sys::encode_uri_component(&s).into();
                    let here = s.clone();
                    view! {
                        <a class="chip" data-testid="shop-chip" href=format!("members?shop={code}")
                            aria-current=move || filter.with(|f| matches!(f, Some(MemberFilter::Shop(x)) if *x == here)).then_some("page")>{s}</a>
                    }
                }).collect_view()}
            </nav>
        </Show>
        <Duplicates/>
        <Show when=move || !is_empty_store() fallback=move || view! {
            <p class="card empty" data-testid="members-empty">{tr(Key::MembersEmpty)}</p>
        }>
            <Show when=move || hits.with(|h| !h.is_empty()) fallback=move || view! {
                <p class="card empty" data-testid="members-none">{tr(Key::MembersNone)}</p>
            }>
                <div class="table members-table" role="table" data-testid="member-list">
                    <div class="tr th" role="row">
                        <span role="columnheader">{tr(Key::ColCard)}</span>
                        <span role="columnheader">{tr(Key::ColName)}</span>
                        <span role="columnheader">{tr(Key::ColMobile)}</span>
                        <span role="columnheader" class="wide-only">{tr(Key::ColJoined)}</span>
                        <span role="columnheader" class="num">{tr(Key::ColPurchases)}</span>
                        <span role="columnheader" class="num">{tr(Key::ColSpend)}</span>
                        <span role="columnheader" class="wide-only">{tr(Key::ColLast)}</span>
                    </div>
                    // Keyed by place, not by member: a keystroke that brings
                    // other members rewrites the rows' text in place instead
                    // of building 50 rows anew (half the keystroke's work).
                    <For each=move || 0..rows.with(Vec::len) key=|i| *i children=move |i| {
                        let row = Memo::new(move |_| rows.with(|r| r.get(i).cloned()));
                        let cell = move |f: fn(&Row) -> String| move || row.with(|r| r.as_ref().map(f));
                        view! {
                            <a class="tr" role="row" data-testid="member-row"
                                href=cell(|r| format!("members/{}", r.id.0))>
                                <span role="cell" class="mono">{cell(|r| r.card.clone())}</span>
                                <span role="cell" class="name">{cell(|r| r.name.clone())}</span>
                                <span role="cell" class="mono">{cell(|r| r.mobile.clone())}</span>
                                <span role="cell" class="wide-only">{cell(|r| r.joined.clone())}</span>
                                <span role="cell" class="num">{cell(|r| r.purchases.to_string())}</span>
                                <span role="cell" class="num">{cell(|r| r.spend.clone())}</span>
                                <span role="cell" class="wide-only">{cell(|r| r.last.clone())}</span>
                            </a>
                        }
                    }/>
                </div>
                <div class="pager">
                    <button class="btn" disabled=move || page.get() == 0
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>
                        {tr(Key::PagePrev)}
                    </button>
                    <span>{move || page.get() + 1} " / " {pages}</span>
                    <button class="btn" data-testid="page-next" disabled=move || { page.get() + 1 >= pages() }
                        on:click=move |_| page.update(|p| *p += 1)>
                        {tr(Key::PageNext)}
                    </button>
                </div>
            </Show>
        </Show>
    }
}
