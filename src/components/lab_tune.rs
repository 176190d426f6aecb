//! Tuning a candidate's ladder: target shares → thresholds, the shares the
//! candidate's own thresholds give, and how the thresholds for the target
//! drifted over the past year.

use crate::components::lab_chart::pct;
use crate::components::lab_tiers::metric_key;
use crate::format;
use crate::i18n::tr;
use crate::state::use_app;
use chrono::NaiveDate;
use clientele_engine::points::calibrate::{CalibrateError, WHOLE};
use clientele_engine::points::explain::tier_name;
use clientele_engine::points::lab::{
    calibrate_ladder, ladder_shares, ladder_values, threshold_drift,
};
use clientele_engine::points::scheme::Scheme;
use clientele_engine::Money;
use leptos::prelude::*;

crate::texts!(LabTuneText {
    Title => "调校门槛", "Tune the thresholds";
    Hint => "输入每个高等级的目标占比（%），即可算出在本店数据上能达到这些占比的门槛；也可以直接改门槛，看它们得到的占比。门槛值等于会员的值时算达标，同值的会员不会被拆开。",
        "Enter the share of members you want in each upper tier (%) to get the thresholds that produce it on this store's data; or change the thresholds above and see the shares they give. A value equal to a threshold qualifies; members with equal values are never split.";
    Tier => "等级", "Tier";
    Target => "目标占比", "Target share";
    Suggested => "建议门槛", "Suggested threshold";
    Gives => "得到的占比", "Gives";
    Current => "本方案门槛", "This scheme's threshold";
    CurrentShare => "本方案占比", "Share it gives";
    Use => "采用建议门槛", "Use the suggested thresholds";
    DriftTitle => "门槛漂移：一年前与现在", "Drift: a year ago and now";
    DriftHint => "达到同样目标占比所需的门槛，一年前（{date}）与现在。门槛上升说明会员消费在增长，固定门槛会让高等级越来越拥挤。",
        "The thresholds that give the same target shares a year ago ({date}) and now. Rising thresholds mean members spend more: fixed thresholds let the upper tiers fill up.";
    YearAgo => "一年前", "A year ago";
    Now => "现在", "Now";
    TooHigh => "目标占比合计超过 100%。", "The target shares add up to more than 100%.";
    NoMembers => "还没有会员数据：先在“数据”页导入会员与消费，或打开示例店。", "No member data yet: import members and purchases on the Data page, or open the demo boutique.";
    BaseRest => "其余", "the rest";
    Mixed => "本方案有的等级按自己的指标评定（见每个等级下的指标），所以无法用同一组数值统一换算。建议门槛从最高等级往下逐级计算：每一级只在尚未进入更高等级的会员中，按该级自己的指标取值；占比按会员实际能达到的最高等级计算。",
        "Some tiers of this scheme are judged on their own measure (shown under each tier), so one set of values cannot calibrate them all. The suggested thresholds are worked out from the top tier down: each on its own measure, among the members not already in a higher tier; shares count each member in the highest tier they reach.";
});

/// The common target pyramid, lowest tier first (DOMAIN.md section 4).
pub fn default_target(tiers: usize) -> Vec<u32> {
    match tiers {
        4 => vec![7_900, 1_500, 500, 100],
        3 => vec![8_000, 1_500, 500],
        2 => vec![9_000, 1_000],
        n => vec![WHOLE / n.max(1) as u32; n],
    }
}

/// Typed percentages of the upper tiers → basis points.
pub fn target_bp(typed: &[String]) -> Vec<u32> {
    typed
        .iter()
        .map(|x| {
            x.trim()
                .trim_end_matches('%')
                .parse::<f64>()
                .map(|p| (p * 100.0).round().clamp(0.0, f64::from(WHOLE)) as u32)
                .unwrap_or(0)
        })
        .collect()
}

#[component]
pub fn TunePanel(
    scheme: RwSignal<Scheme>,
    /// The typed target shares of the tiers above the base, in percent.
    target: RwSignal<Vec<String>>,
    #[prop(into)] as_of: Signal<NaiveDate>,
) -> impl IntoView {
    let app = use_app();
    let lang = move || app.explain_lang();
    let tiers = Memo::new(move |_| scheme.with(|s| s.tiers.tiers.len()));
    Effect::new(move |_| {
        let n = tiers.get();
        if target.with_untracked(|t| t.len() + 1 != n) {
            target.set(
                default_target(n)
                    .iter()
                    .skip(1)
                    .map(|bp| (f64::from(*bp) / 100.0).to_string())
                    .collect(),
            );
        }
    });
    // What the values depend on: each tier's measure and the base tier's
    // threshold, not the other thresholds, so editing a threshold
    // recounts the shares without recomputing every member's values.
    let shape = Memo::new(move |_| {
        scheme.with(|s| {
            let l = &s.tiers;
            let measures: Vec<_> = (0..l.tiers.len()).map(|i| l.metric_of(i)).collect();
            (measures, l.tiers.first().map_or(0, |t| t.threshold))
        })
    });
    let values = Memo::new(move |_| {
        shape.with(|_| ());
        let d = as_of.get();
        let ladder = scheme.with_untracked(|s| s.tiers.clone());
        app.store.with(|s| ladder_values(s, &ladder, d))
    });
    let calibration = Memo::new(move |_| {
        let shares = target.with(|t| target_bp(t));
        values.with(|v| calibrate_ladder(v, &shares))
    });
    let own = Memo::new(move |_| {
        let thresholds: Vec<i64> =
            scheme.with(|s| s.tiers.tiers.iter().skip(1).map(|t| t.threshold).collect());
        values.with(|v| ladder_shares(v, &thresholds))
    });
    let drift = Memo::new(move |_| {
        let shares = target.with(|t| target_bp(t));
        shape.with(|_| ());
        let d = as_of.get();
        let ladder = scheme.with_untracked(|s| s.tiers.clone());
        app.store.with(|s| threshold_drift(s, &ladder, &shares, d))
    });
    let mixed = Memo::new(move |_| values.with(|v| v.mixed()));
    let metric_of = move |i: usize| scheme.with(|s| s.tiers.metric_of(i));
    // A threshold of tier `i` in its own measure's form.
    let show = move |i: usize, v: i64| {
        if metric_of(i).is_money() {
            app.store
                .with_untracked(|s| format::money(&s.settings, Money(v)))
        } else {
            v.to_string()
        }
    };
    let use_suggested = move |_| {
        if let Ok(c) = calibration.get_untracked() {
            scheme.update(|s| {
                for (t, v) in s.tiers.tiers.iter_mut().skip(1).zip(c.thresholds) {
                    t.threshold = v;
                }
            });
        }
    };
    view! {
        <section class="card" data-testid="lab-tune">
            <h2>{tr(LabTuneText::Title)}</h2>
            <p class="hint">{tr(LabTuneText::Hint)}</p>
            <div class="table lab-tune-table">
                <div class="tr th">
                    <span>{tr(LabTuneText::Tier)}</span>
                    <span class="num">{tr(LabTuneText::Target)}</span>
                    <span class="num">{tr(LabTuneText::Suggested)}</span>
                    <span class="num">{tr(LabTuneText::Gives)}</span>
                    <span class="num">{tr(LabTuneText::Current)}</span>
                    <span class="num">{tr(LabTuneText::CurrentShare)}</span>
                </div>
                {move || {
                    let s = scheme.get();
                    let cal = calibration.get();
                    let own = own.get();
                    (0..s.tiers.tiers.len()).map(|i| {
                        let (suggested, gives) = match (&cal, i) {
                            (Ok(c), 0) => (String::new(), c.shares_bp.first().map(|b| pct(*b)).unwrap_or_default()),
                            (Ok(c), _) => (
                                c.thresholds.get(i - 1).map(|v| show(i, *v)).unwrap_or_default(),
                                c.shares_bp.get(i).map(|b| pct(*b)).unwrap_or_default(),
                            ),
                            (Err(_), _) => (String::new(), String::new()),
                        };
                        let threshold = s.tiers.tiers.get(i).map(|t| show(i, t.threshold)).unwrap_or_default();
                        let share = own.shares_bp.get(i).map(|b| pct(*b)).unwrap_or_default();
                        view! {
                            <div class="tr" data-testid="tune-row">
                                <span class="name">{tier_name(&s, Some(i as u8), lang())}
                                    {(mixed.get() && i > 0).then(|| view! { <small class="hint measure" data-testid="tune-measure">{tr(metric_key(s.tiers.metric_of(i)))}</small> })}
                                </span>
                                <span class="num">{if i == 0 {
                                    view! { <span class="hint">{tr(LabTuneText::BaseRest)}</span> }.into_any()
                                } else {
                                    view! {
                                        <input type="text" inputmode="decimal" class="short" data-testid="tune-share"
                                            prop:value=move || target.with(|t| t.get(i - 1).cloned().unwrap_or_default())
                                            on:input=move |ev| { let v = event_target_value(&ev); target.update(|t| if let Some(x) = t.get_mut(i - 1) { *x = v }) }/>
                                        "%"
                                    }.into_any()
                                }}</span>
                                <span class="num" data-testid="tune-threshold">{suggested}</span>
                                <span class="num" data-testid="tune-gives">{gives}</span>
                                <span class="num">{threshold}</span>
                                <span class="num" data-testid="tune-own-share">{share}</span>
                            </div>
                        }
                    }).collect_view()
                }}
            </div>
            {move || mixed.get().then(|| view! { <p class="hint" data-testid="tune-mixed">{tr(LabTuneText::Mixed)}</p> })}
            {move || calibration.get().err().map(|e| {
                let k = match e {
                    CalibrateError::SharesAboveWhole { .. } => LabTuneText::TooHigh,
                    CalibrateError::NoMembers => LabTuneText::NoMembers,
                };
                view! { <p class="error" role="alert" data-testid="tune-error">{tr(k)}</p> }
            })}
            <div class="actions">
                <button class="btn primary" type="button" data-testid="tune-use"
                    disabled=move || calibration.with(|c| c.is_err())
                    on:click=use_suggested>{tr(LabTuneText::Use)}</button>
            </div>
            <h3>{tr(LabTuneText::DriftTitle)}</h3>
            {move || drift.get().ok().map(|d| {
                let s = scheme.get();
                let date = app.store.with_untracked(|st| format::date(&st.settings, d.year_ago));
                view! {
                    <p class="hint">{app.t(LabTuneText::DriftHint).replace("{date}", &date)}</p>
                    <div class="table lab-drift-table" data-testid="lab-drift">
                        <div class="tr th">
                            <span>{tr(LabTuneText::Tier)}</span>
                            <span class="num">{tr(LabTuneText::YearAgo)}</span>
                            <span class="num">{tr(LabTuneText::Now)}</span>
                        </div>
                        {(1..s.tiers.tiers.len()).map(|i| view! {
                            <div class="tr">
                                <span class="name">{tier_name(&s, Some(i as u8), lang())}</span>
                                <span class="num" data-testid="drift-then">{d.then.thresholds.get(i - 1).map(|v| show(i, *v)).unwrap_or_default()}</span>
                                <span class="num" data-testid="drift-now">{d.now.thresholds.get(i - 1).map(|v| show(i, *v)).unwrap_or_default()}</span>
                            </div>
                        }).collect_view()}
                    </div>
                }
            })}
        </section>
    }
}
