//! The store's derived views, computed once per store change and shared
//! by every page through context: the replay (tiers, points) and the
//! analysis (segments, churn, lifetime value). Memos are lazy, so a page
//! that reads neither pays nothing, and switching pages reuses them.

use crate::chunks::{split_fn, ChunkMissing};
use crate::state::{use_app, AppState};
use chrono::{Months, NaiveDate};
use clientele_engine::analytics::health::{programme_health, Health};
use clientele_engine::analytics::{analyze_store, PyramidLayer};
use clientele_engine::analytics::{
    analyze_store_with, member_context_from_replay, Analysis, AnalysisSettings,
};
use clientele_engine::care::today::{counts, today_in_store, TodayScope, Trigger};
use clientele_engine::members::edit::{shared_cards, SharedCard};
use clientele_engine::members::merge::{likely_duplicates, Duplicate};
use clientele_engine::members::search::{purchase_totals, shop_store, PurchaseTotals, SearchIndex};
use clientele_engine::points::replay::{replay_store, Replay};
use clientele_engine::store::facts::FactIndex;
use clientele_engine::MemberId;
use clientele_engine::Store;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// A shared value compared by identity: recomputing always notifies, and
/// comparing never walks 100,000 members.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

// Cloning shares the value, so it needs no `T: Clone`.
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The code of the figures shown after a first paint: the analysis
/// (segments, churn, lifetime value) and today's work counted. It waits in
/// its own chunk, so the first load carries none of it: the dashboard
/// fetches it once it is painted (it showed these a moment later anyway),
/// and a page that shows them waits for it as for its own chunk.
#[derive(Clone, Copy)]
pub struct Insights {
    analyze: fn(&Store, NaiveDate, Option<&Replay>) -> Analysis,
    layers: fn(&Store, NaiveDate) -> HashMap<MemberId, PyramidLayer>,
    pub today_counts: TodayCounts,
}

/// How many items of each trigger today's work holds.
pub type TodayCounts = fn(&Store, Option<&Replay>, NaiveDate, &TodayScope) -> Vec<(Trigger, usize)>;

split_fn! { insights;
    fn insights_chunk() -> Result<Insights, ChunkMissing> {
        Ok(Insights {
            analyze,
            layers,
            today_counts: |s, replay, today, scope| counts(&today_in_store(s, replay, today, scope).items),
        })
    }
}

fn analyze(s: &Store, today: NaiveDate, replay: Option<&Replay>) -> Analysis {
    let settings = AnalysisSettings::default();
    let context = replay
        .map(|r| member_context_from_replay(s, r, &settings))
        .unwrap_or_default();
    analyze_store_with(s, today, &settings, &context)
}

fn layers(s: &Store, on: NaiveDate) -> HashMap<MemberId, PyramidLayer> {
    analyze_store(s, on, &AnalysisSettings::default())
        .members
        .into_iter()
        .map(|m| (m.member, m.pyramid_layer))
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Code {
    NotAsked,
    Loading,
    Ready(Insights),
    /// The fetch failed (offline before the service worker kept it): said
    /// where the figures would be; the next page visit tries again.
    Missing,
}

// A plain comparison for the signal: which state, not which code.
impl PartialEq for Insights {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

thread_local! {
    // Outside `Derived`, so a page's loader (no context at hand) can set it.
    static CODE: ArcRwSignal<Code> = ArcRwSignal::new(Code::NotAsked);
}

/// The insights' code if it is in, tracked: the first call fetches it, and
/// the signal says when it arrives.
pub fn insights() -> Option<Insights> {
    let code = CODE.with(Clone::clone);
    match code.get() {
        Code::Ready(i) => Some(i),
        Code::NotAsked => {
            fetch_insights();
            None
        }
        Code::Loading | Code::Missing => None,
    }
}

fn fetch_insights() {
    leptos::task::spawn_local(async {
        insights_loaded().await;
    });
}

/// True when the insights' code could not be fetched.
pub fn insights_missing() -> bool {
    CODE.with(|c| c.get() == Code::Missing)
}

/// Fetches the insights' code again if it could not be fetched before: a
/// page shown anew tries once (never in a loop while offline).
pub fn retry_insights() {
    if CODE.with(|c| c.get_untracked() == Code::Missing) {
        fetch_insights();
    }
}

/// Waits for the insights' code (fetching it if needed); false when it
/// could not be fetched.
pub async fn insights_loaded() -> bool {
    let code = CODE.with(Clone::clone);
    if let Code::Ready(_) = code.get_untracked() {
        return true;
    }
    code.set(Code::Loading);
    let got = insights_chunk().await;
    let ok = got.is_ok();
    // Two fetches may overlap (the dashboard's and a page's): one that
    // failed never takes back the code the other brought in.
    code.update(|c| match got {
        Ok(i) => *c = Code::Ready(i),
        Err(ChunkMissing) if !matches!(c, Code::Ready(_)) => *c = Code::Missing,
        Err(ChunkMissing) => {}
    });
    ok
}

#[derive(Clone, Copy)]
pub struct Derived {
    /// `None` when the store's scheme is invalid.
    pub replay: Memo<Option<Shared<Replay>>>,
    /// `None` until the insights' code is in ([`insights`]).
    pub analysis: Memo<Option<Shared<Analysis>>>,
    /// Programme health (dashboard, points page).
    pub health: Memo<Option<Shared<Health>>>,
    /// The members' search fields packed for the counter's search.
    search: MembersFigure<SearchIndex>,
    duplicates: MembersFigure<Vec<Duplicate>>,
    shared_cards: MembersFigure<Vec<SharedCard>>,
    /// Where each member's facts are, for the counter: kept up by reading
    /// the facts a sale appends, built anew when members may have changed
    /// (the [`AppState::members_rev`] it was built at) or the day turned.
    facts: StoredValue<Option<(u64, FactIndex)>>,
    /// Kept for readers outside any component (a timer).
    app: AppState,
    /// The app's owner: figures made on first use belong to it, so they
    /// outlive the page that asked.
    owner: StoredValue<Owner>,
    /// Purchases, spend and last visit per member (members list).
    pub totals: Memo<Shared<HashMap<MemberId, PurchaseTotals>>>,
    /// The date the segments page compares the pyramid with; kept here so
    /// the second analysis it needs survives leaving the page.
    pub since: RwSignal<NaiveDate>,
    /// Each member's pyramid layer on `since`.
    pub layers_then: Memo<Option<Shared<HashMap<MemberId, PyramidLayer>>>>,
    /// The shop the dashboard and segments show (`None`: the whole boutique).
    pub shop: RwSignal<Option<String>>,
    /// `analysis` and `health` for [`Derived::shop`]: the whole boutique's
    /// when no shop is chosen, else computed on that shop's members alone.
    pub shop_analysis: Memo<Option<Shared<Analysis>>>,
    pub shop_health: Memo<Option<Shared<Health>>>,
    /// The chosen shop's store and its replay (`None`: no shop chosen), so
    /// a members list opened from a shop's number counts as it did.
    pub shop_scope: Memo<Option<Shared<ShopScope>>>,
}

/// A shop's own store (its members and their history) and its replay.
pub type ShopScope = (clientele_engine::Store, Option<Replay>);

/// A figure of the members alone, made the first time a page asks for it
/// (its code stays in that page's chunk, not the first load).
type MembersFigure<T> = StoredValue<Option<Memo<(u64, Shared<T>)>>>;

impl Derived {
    /// The members' search fields packed for the counter's search: a sale
    /// keeps it, a member edit rebuilds it.
    pub fn search(&self) -> Memo<(u64, Shared<SearchIndex>)> {
        self.members_figure(self.search, |s| SearchIndex::new(&s.members))
    }

    /// Likely duplicate members (same mobile, or name and birthday).
    pub fn duplicates(&self) -> Memo<(u64, Shared<Vec<Duplicate>>)> {
        self.members_figure(self.duplicates, |s| likely_duplicates(&s.members))
    }

    /// Card numbers held by more than one member.
    pub fn shared_cards(&self) -> Memo<(u64, Shared<Vec<SharedCard>>)> {
        self.members_figure(self.shared_cards, shared_cards)
    }

    /// Runs `f` on the store and its [`FactIndex`], brought up to date
    /// first. Reading it tracks the store. Not to be called from inside `f`.
    pub fn with_facts<R>(&self, f: impl FnOnce(&Store, &FactIndex) -> R) -> R {
        let app = self.app;
        let (rev, today) = (app.members_rev(), app.today.get());
        app.store.with(|s| {
            let mut slot = self.facts.write_value();
            if !matches!(&*slot, Some((was, index)) if *was == rev && index.day() == today) {
                *slot = None;
            }
            let (_, index) = slot.get_or_insert_with(|| (rev, FactIndex::new(s, today)));
            index.catch_up(s);
            f(s, index)
        })
    }

    fn members_figure<T: Send + Sync + 'static>(
        &self,
        slot: MembersFigure<T>,
        figure: fn(&Store) -> T,
    ) -> Memo<(u64, Shared<T>)> {
        if let Some(memo) = slot.get_value() {
            return memo;
        }
        let app = use_app();
        let memo = self
            .owner
            .with_value(|o| o.with(|| of_members(app, figure)));
        slot.set_value(Some(memo));
        memo
    }
}

/// A figure of the members alone (names, cards, mobiles, birthdays), with
/// the [`AppState::members_rev`] it was computed at: a sale, which changes
/// no member, keeps it; a change that may touch a member recomputes it.
fn of_members<T: Send + Sync + 'static>(
    app: AppState,
    figure: fn(&Store) -> T,
) -> Memo<(u64, Shared<T>)> {
    Memo::new(move |prev: Option<&(u64, Shared<T>)>| {
        let rev = app.members_rev();
        app.store.with(|s| match prev {
            Some((was, kept)) if *was == rev => (rev, kept.clone()),
            _ => (rev, Shared(Arc::new(figure(s)))),
        })
    })
}

/// Called once by the shell after the app state is provided.
pub fn provide_derived() {
    let app = use_app();
    let replay = Memo::new(move |_| {
        let today = app.today.get();
        app.store
            .with(|s| replay_store(s, today).ok().map(|r| Shared(Arc::new(r))))
    });
    let analysis = Memo::new(move |_| {
        let code = insights()?;
        let today = app.today.get();
        let replay = replay.get();
        let a = app
            .store
            .with(|s| (code.analyze)(s, today, replay.as_deref()));
        Some(Shared(Arc::new(a)))
    });
    let health = Memo::new(move |_| {
        let today = app.today.get();
        let replay = replay.get()?;
        Some(Shared(Arc::new(
            app.store.with(|s| programme_health(s, &replay, today)),
        )))
    });
    let totals = Memo::new(move |_| {
        let today = app.today.get();
        Shared(Arc::new(app.store.with(|s| purchase_totals(s, today))))
    });
    let search = StoredValue::new(None);
    let duplicates = StoredValue::new(None);
    let shared_cards = StoredValue::new(None);
    let facts = StoredValue::new(None);
    let owner = StoredValue::new(Owner::current().expect("provide_derived runs inside the app"));
    let today = app.today.get_untracked();
    let since = RwSignal::new(today.checked_sub_months(Months::new(3)).unwrap_or(today));
    let layers_then = Memo::new(move |_| {
        let code = insights()?;
        let d = since.get();
        Some(Shared(Arc::new(app.store.with(|s| (code.layers)(s, d)))))
    });
    let shop = RwSignal::new(None::<String>);
    // The chosen shop's store and replay, computed once per change.
    let scope = Memo::new(move |_| {
        let chosen = shop.get()?;
        let today = app.today.get();
        let store = app.store.with(|s| shop_store(s, &chosen));
        let replay = replay_store(&store, today).ok();
        Some(Shared(Arc::new((store, replay))))
    });
    let shop_analysis = Memo::new(move |_| match scope.get() {
        None => analysis.get(),
        Some(sc) => {
            let code = insights()?;
            let (s, replay) = &*sc.0;
            let a = (code.analyze)(s, app.today.get(), replay.as_ref());
            Some(Shared(Arc::new(a)))
        }
    });
    let shop_health = Memo::new(move |_| match scope.get() {
        None => health.get(),
        Some(sc) => {
            let (s, replay) = &*sc.0;
            let replay = replay.as_ref()?;
            Some(Shared(Arc::new(programme_health(
                s,
                replay,
                app.today.get(),
            ))))
        }
    });
    provide_context(Derived {
        replay,
        analysis,
        health,
        search,
        duplicates,
        shared_cards,
        facts,
        app,
        owner,
        totals,
        since,
        layers_then,
        shop,
        shop_analysis,
        shop_health,
        shop_scope: scope,
    });
}

pub fn use_derived() -> Derived {
    expect_context::<Derived>()
}

/// Runs `f` once the frame after this one is painted (a timer alone may
/// run before the browser paints): work a page can show a moment later
/// waits there, so the page is on screen first.
pub fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, std::time::Duration::ZERO));
}

/// False until the page's first frame is painted (see [`after_paint`]).
pub fn painted() -> ReadSignal<bool> {
    let (painted, set) = signal(false);
    after_paint(move || set.set(true));
    painted
}
