//! Running the lab's side-by-side comparison without freezing the page.
//!
//! A replay runs on the page's only thread, so the comparison is done in
//! steps (index the store's history, replay the scheme in force, replay
//! each candidate) with a pause between them in which the browser paints:
//! first the pending state, then the progress after each step. While a
//! recompute is pending the previous results stay on screen dimmed and
//! `aria-busy`, never as current; a newer edit abandons the older run.
//!
//! The store's indexed history ([`Bench`]) and the baseline are kept while
//! only the candidates change, and a candidate that did not change keeps
//! its trial: an edit to one candidate replays that candidate alone.

use crate::state::use_app;
use chrono::NaiveDate;
use clientele_engine::points::lab::{replays_for, Baseline, Bench, Trial};
use clientele_engine::points::rules::SchemeError;
use clientele_engine::points::scheme::Scheme;
use clientele_engine::store::document::Store;
use leptos::prelude::*;
use self_cell::self_cell;
use std::sync::Arc;

crate::texts!(LabProgressText {
    Replaying => "正在重放 {n} 个方案（{m} 位会员）…", "Replaying {n} schemes over {m} members…";
    Step => "第 {done}/{total} 步", "step {done} of {total}";
});

self_cell!(
    /// A copy of the store with its history indexed as of one day.
    struct OwnedBench {
        owner: Store,
        #[covariant]
        dependent: Bench,
    }
);

/// The work (purchases × replays) above which the progress bar shows.
/// The demo boutique (about 7,000 purchases) replays the scheme in force
/// and one or two candidates in well under half a second, and an edit
/// replays one candidate; a bar flashing for a frame or two there is
/// noise, and the dimmed, `aria-busy` results already say "updating".
/// From about 60,000 purchase-replays (a few times the demo's size) the
/// wait is noticeable, so the bar says what is happening and how far along.
pub const VISIBLE_WORK: usize = 60_000;

/// One scheme's column as last computed: the scheme as it was replayed
/// (so the column never pairs new names with old counts) and its trial.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub scheme: Scheme,
    pub trial: Result<Trial, SchemeError>,
}

/// The scheme in force and each candidate, as last computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// The store version and date they were computed for.
    key: Key,
    pub base: Column,
    pub candidates: Vec<Column>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// Schemes compared (the one in force and the candidates).
    pub schemes: usize,
    pub members: usize,
    /// Large enough work to show the bar (see [`VISIBLE_WORK`]).
    pub visible: bool,
}

type Key = (u64, NaiveDate);

/// A candidate's trial, with the store version, date and scheme it is of.
type CachedTrial = (Key, Scheme, Result<Trial, SchemeError>);

#[derive(Default)]
struct Cache {
    bench: Option<(Key, Arc<OwnedBench>)>,
    baseline: Option<(Key, Arc<Baseline>, Scheme)>,
    trials: Vec<Option<CachedTrial>>,
}

/// The comparison's state: the last results and, while a recompute is
/// pending, its progress.
#[derive(Copy, Clone)]
pub struct Comparison {
    pub results: RwSignal<Option<Results>>,
    pub progress: RwSignal<Option<Progress>>,
    /// The results are not those of the current store, date and schemes.
    /// Derived from the inputs themselves, so it turns true in the same
    /// update as an edit, before the recompute has even started.
    pub pending: Memo<bool>,
}

/// Lets the browser paint before the next heavy step: the next animation
/// frame, then a task after it.
async fn let_the_browser_paint() {
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        let queued = web_sys::window()
            .map(|w| w.request_animation_frame(&resolve).is_ok())
            .unwrap_or(false);
        if !queued {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Keeps the comparison of the scheme in force (as of `as_of`) and the
/// candidates up to date, in steps.
pub fn run_comparison(
    as_of: Signal<NaiveDate>,
    base_scheme: Signal<Scheme>,
    candidates: Signal<Vec<Scheme>>,
) -> Comparison {
    let app = use_app();
    let results = RwSignal::new(None::<Results>);
    let progress = RwSignal::new(None::<Progress>);
    // Counts store changes: every change of the store makes a new history.
    let store_version = Memo::new(move |prev: Option<&u64>| {
        app.store.track();
        prev.map_or(0, |p| p + 1)
    });
    let cache = StoredValue::new(Cache::default());
    let run = StoredValue::new(0u64);

    Effect::new(move |_| {
        let key: Key = (store_version.get(), as_of.get());
        let base = base_scheme.get();
        let list = candidates.get();
        let this_run = run.get_value() + 1;
        run.set_value(this_run);
        // Not current once a newer run started, or once the lab was left
        // (its values are gone: the run stops instead of touching them).
        let current = move || run.try_get_value() == Some(this_run);

        let (need_bench, need_base, need) = cache.with_value(|c| {
            let need_base = c
                .baseline
                .as_ref()
                .is_none_or(|(k, _, s)| *k != key || *s != base);
            // A new baseline makes every candidate's moves stale.
            let need: Vec<bool> = list
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    need_base
                        || c.trials
                            .get(i)
                            .and_then(|t| t.as_ref())
                            .is_none_or(|(k, old, _)| *k != key || old != s)
                })
                .collect();
            let need_bench = (need_base || need.contains(&true))
                && c.bench.as_ref().is_none_or(|(k, _)| *k != key);
            (need_bench, need_base, need)
        });
        let steps =
            usize::from(need_bench) + usize::from(need_base) + need.iter().filter(|n| **n).count();
        let (members, purchases) = app
            .store
            .with_untracked(|s| (s.members.len(), s.purchases.len()));
        let replays = if need_base { 2 } else { 0 }
            + list
                .iter()
                .zip(&need)
                .filter(|(_, n)| **n)
                .map(|(s, _)| replays_for(s))
                .sum::<usize>();

        let count = list.len();
        let finish = move || {
            let done = cache.with_value(|c| {
                let (_, b, s) = c.baseline.as_ref()?;
                let candidates = (0..count)
                    .map(|i| {
                        let (_, s, t) = c.trials.get(i)?.as_ref()?;
                        Some(Column {
                            scheme: s.clone(),
                            trial: t.clone(),
                        })
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Results {
                    key,
                    base: Column {
                        scheme: s.clone(),
                        trial: b.trial().clone(),
                    },
                    candidates,
                })
            });
            if done.is_some() {
                results.set(done);
            }
            progress.set(None);
        };
        if steps == 0 {
            finish();
            return;
        }
        let mut shown = Progress {
            done: 0,
            total: steps,
            schemes: list.len() + 1,
            members,
            visible: purchases.saturating_mul(replays) >= VISIBLE_WORK,
        };
        progress.set(Some(shown));

        leptos::task::spawn_local(async move {
            let step_done = move |shown: &mut Progress| {
                shown.done += 1;
                progress.set(Some(*shown));
            };
            let_the_browser_paint().await;
            if !current() {
                return;
            }
            if need_bench {
                let store = app.store.with_untracked(Store::clone);
                let bench = OwnedBench::new(store, |s| Bench::new(s, key.1));
                cache.update_value(|c| {
                    c.bench = Some((key, Arc::new(bench)));
                    // A new history makes every trial stale.
                    c.baseline = None;
                    c.trials.clear();
                });
                step_done(&mut shown);
                let_the_browser_paint().await;
                if !current() {
                    return;
                }
            }
            let Some(bench) = cache.with_value(|c| c.bench.as_ref().map(|(_, b)| b.clone())) else {
                return;
            };
            if need_base || cache.with_value(|c| c.baseline.is_none()) {
                let b = bench.borrow_dependent().baseline();
                cache.update_value(|c| {
                    c.baseline = Some((key, Arc::new(b), base.clone()));
                    // Moves are counted against the baseline.
                    c.trials.clear();
                });
                step_done(&mut shown);
                let_the_browser_paint().await;
                if !current() {
                    return;
                }
            }
            let Some(baseline) =
                cache.with_value(|c| c.baseline.as_ref().map(|(_, b, _)| b.clone()))
            else {
                return;
            };
            for (i, s) in list.iter().enumerate() {
                let fresh = cache.with_value(|c| {
                    c.trials
                        .get(i)
                        .and_then(|t| t.as_ref())
                        .is_some_and(|(k, old, _)| *k == key && old == s)
                });
                if fresh {
                    continue;
                }
                let t = bench.borrow_dependent().trial(&baseline, s);
                cache.update_value(|c| {
                    if c.trials.len() <= i {
                        c.trials.resize(i + 1, None);
                    }
                    c.trials[i] = Some((key, s.clone(), t));
                });
                step_done(&mut shown);
                let_the_browser_paint().await;
                if !current() {
                    return;
                }
            }
            finish();
        });
    });
    let pending = Memo::new(move |_| {
        let key: Key = (store_version.get(), as_of.get());
        let running = progress.with(|p| p.is_some());
        base_scheme.with(|base| {
            candidates.with(|list| {
                results.with(|r| {
                    running
                        || r.as_ref().is_none_or(|r| {
                            r.key != key
                                || r.base.scheme != *base
                                || r.candidates.len() != list.len()
                                || r.candidates.iter().zip(list).any(|(c, s)| c.scheme != *s)
                        })
                })
            })
        })
    });
    Comparison {
        results,
        progress,
        pending,
    }
}

/// The progress bar of a pending comparison (only for large work; see
/// [`VISIBLE_WORK`]).
#[component]
pub fn ComparisonProgress(progress: RwSignal<Option<Progress>>) -> impl IntoView {
    let app = use_app();
    move || {
        progress.get().filter(|p| p.visible).map(|p| {
            let text = app
                .t(LabProgressText::Replaying)
                .replace("{n}", &crate::format::count(p.schemes))
                .replace("{m}", &crate::format::count(p.members));
            let step = app
                .t(LabProgressText::Step)
                .replace("{done}", &p.done.to_string())
                .replace("{total}", &p.total.to_string());
            let width = format!("width: {}%", p.done * 100 / p.total.max(1));
            let label = step.clone();
            view! {
                <div class="lab-progress" data-testid="lab-progress" role="progressbar"
                    aria-valuemin="0" aria-valuemax=p.total aria-valuenow=p.done aria-valuetext=label>
                    <p><strong>{text}</strong> " " <span class="hint">{step}</span></p>
                    <div class="lab-progress-bar"><div class="lab-progress-fill" style=width></div></div>
                </div>
            }
        })
    }
}
