//! Segments: the RFM grid as a heat map, the customer matrix (loyalty x
//! value) and the value curve (current x potential) as 2x2 grids with
//! their strategies, and the pyramid with its movements since a chosen
//! date. Every cell opens its members, whose list exports as a campaign.

use crate::analysis::use_derived;
use crate::components::heat_map::{HeatCell, HeatMap};
use crate::components::matrix_grid::{MatrixCell, MatrixGrid};
use crate::components::pyramid::{Layer, Pyramid};
use crate::format;
use crate::i18n::{tr, Key, Lang};
use crate::member_filter::{ids_href, segment_href};
use crate::segment_words as words;
use crate::state::use_app;
use chrono::NaiveDate;
use clientele_engine::analytics::{
    LoyaltyValueCell, MemberAnalysis, PyramidLayer, RfmSegment, Strategy, ValueCurveCell,
};
use clientele_engine::Money;
use leptos::prelude::*;
use std::collections::HashMap;

crate::texts!(SegText {
    Rfm => "RFM 热力图", "RFM heat map";
    RfmHint => "R：最近一次消费（5 = 最近），F：消费次数（5 = 最多）。格中为人数和人均消费额，颜色越深人越多。点击格子查看会员并导出营销名单。",
        "R: how recently they bought (5 = most recent); F: how often (5 = most often). Each cell shows members and their average spend; darker means more members. Tap a cell to see its members and export a campaign list.";
    RAxis => "R 最近消费 ↑", "R recency ↑";
    FAxis => "F 消费频次 →", "F frequency →";
    Named => "RFM 分群", "RFM segments";
    Matrix => "客户矩阵：忠诚度 × 价值", "Customer matrix: loyalty × value";
    Curve => "价值曲线：当前价值 × 潜在价值", "Value curve: current × potential value";
    ValueUp => "价值 ↑", "Value ↑";
    LoyaltyAcross => "忠诚度 →", "Loyalty →";
    PotentialUp => "潜在价值 ↑", "Potential ↑";
    CurrentAcross => "当前价值 →", "Current value →";
    Members => "人", "members";
    Sales => "近 12 个月 {v}", "{v} in 12 months";
    Pyramid => "顾客金字塔", "Customer pyramid";
    PyramidHint => "按近 12 个月的消费贡献分层：A 前 1%，B 次 4%，C 次 15%，D 其余。目标是让金字塔“动起来”：把会员往上推。",
        "Layers by spend in the last 12 months: A the top 1%, B the next 4%, C the next 15%, D the rest. The aim is to make the pyramid move: members moving up.";
    Since => "对比日期", "Compare with";
    Then => "当时", "then";
    Up => "上升", "moved up";
    Down => "下降", "moved down";
    NoBuyers => "还没有消费记录，无法分类。先在“收银”页录入消费，或在“数据”页导入消费记录。",
        "No purchases yet, so nothing to segment. Record sales at Checkout or import purchases on the Data page.";
});

fn parse_day(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

#[component]
pub fn Segments() -> impl IntoView {
    let app = use_app();
    let derived = use_derived();
    let analysis = derived.shop_analysis;
    // Each cell's link keeps the chosen shop, as its count does.
    let within_shop =
        move |href: String| crate::member_filter::within(href, derived.shop.get().as_deref());
    let t = move |k: SegText| app.t(k);
    let money = move |m: Money| app.store.with_untracked(|s| format::money(&s.settings, m));
    let label = move |k: SegText| Signal::derive(move || t(k).to_string());
    // The page opens once the analysis' code is in (app.rs), so `None`
    // lasts no longer than that.
    let has_buyers = move || analysis.with(|a| a.as_ref().is_some_and(|a| a.buyers > 0));

    let heat = Signal::derive(move || {
        analysis.with(|a| {
            let Some(a) = a.as_deref() else {
                return Vec::new();
            };
            let mut sums: HashMap<(u8, u8), (usize, i64)> = HashMap::new();
            for m in &a.members {
                if let Some(s) = m.rfm {
                    let e = sums.entry((s.r, s.f)).or_default();
                    e.0 += 1;
                    e.1 += m.total_spend.0;
                }
            }
            sums.into_iter()
                .map(|((r, f), (count, total))| HeatCell {
                    r,
                    f,
                    count,
                    average: money(Money(total / count.max(1) as i64)),
                    href: within_shop(format!("members?rfm={r}-{f}")),
                })
                .collect::<Vec<_>>()
        })
    });
    let named = move || {
        analysis.with(|a| {
            let Some(a) = a.as_deref() else {
                return Vec::new();
            };
            a.rfm_counts()
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect::<Vec<(RfmSegment, usize)>>()
        })
    };
    let sales_text = move |v: i64| t(SegText::Sales).replace("{v}", &money(Money(v)));
    // One cell of a 2x2 matrix: its members' count and 12-month sales, and
    // the strategy for them with its actions.
    let matrix_cell = move |lang: Lang,
                            ms: &[MemberAnalysis],
                            pick: &dyn Fn(&MemberAnalysis) -> bool,
                            name: &str,
                            strategy: Strategy,
                            href: String,
                            testid: String| {
        let (count, sales) = ms
            .iter()
            .filter(|m| pick(m))
            .fold((0usize, 0i64), |(n, s), m| {
                (n + 1, s + m.spend_last_12_months.0)
            });
        MatrixCell {
            name: name.to_string(),
            count,
            sales: sales_text(sales),
            strategy: lang.t(words::strategy(strategy)).to_string(),
            actions: strategy
                .actions()
                .iter()
                .map(|x| lang.t(words::action(*x)).to_string())
                .collect(),
            href,
            testid,
        }
    };
    let matrix = Signal::derive(move || {
        let lang = app.lang.get();
        analysis.with(|a| {
            let Some(a) = a.as_deref() else {
                return Vec::new();
            };
            // Reading order: high value on top, high loyalty on the right.
            [
                LoyaltyValueCell::Butterfly,
                LoyaltyValueCell::TrueFriend,
                LoyaltyValueCell::Stranger,
                LoyaltyValueCell::Barnacle,
            ]
            .into_iter()
            .map(|c| {
                matrix_cell(
                    lang,
                    &a.members,
                    &|m| m.loyalty_value_cell == Some(c),
                    lang.t(words::loyalty(c)),
                    Strategy::of(c, None),
                    within_shop(segment_href("lv", &c)),
                    format!("lv-{}", words::slug(&c)),
                )
            })
            .collect::<Vec<_>>()
        })
    });
    let curve = Signal::derive(move || {
        let lang = app.lang.get();
        analysis.with(|a| {
            let Some(a) = a.as_deref() else {
                return Vec::new();
            };
            [
                ValueCurveCell::QuestionMark,
                ValueCurveCell::Star,
                ValueCurveCell::Dog,
                ValueCurveCell::CashCow,
            ]
            .into_iter()
            .map(|c| {
                // The value curve's cells pair with the customer matrix's.
                let paired = match c {
                    ValueCurveCell::Star => LoyaltyValueCell::TrueFriend,
                    ValueCurveCell::QuestionMark => LoyaltyValueCell::Butterfly,
                    ValueCurveCell::CashCow => LoyaltyValueCell::Barnacle,
                    ValueCurveCell::Dog => LoyaltyValueCell::Stranger,
                };
                matrix_cell(
                    lang,
                    &a.members,
                    &|m| m.value_curve_cell == Some(c),
                    lang.t(words::curve(c)),
                    Strategy::of(paired, None),
                    within_shop(segment_href("vc", &c)),
                    format!("vc-{}", words::slug(&c)),
                )
            })
            .collect::<Vec<_>>()
        })
    });

    // The pyramid then: a second analysis on the chosen date, shared so
    // it is computed once per date (or store change), not per visit.
    let since = derived.since;
    let then_layers = derived.layers_then;
    let pyramid = Signal::derive(move || {
        let lang = app.lang.get();
        then_layers.with(|then| {
            let Some(then) = then.as_deref() else {
                return Vec::new();
            };
            analysis.with(|a| {
                let Some(a) = a.as_deref() else {
                    return Vec::new();
                };
                PyramidLayer::ALL
                    .into_iter()
                    .map(|l| {
                        let mut count = 0;
                        let mut sales = 0i64;
                        let mut up = Vec::new();
                        let mut down = Vec::new();
                        for m in a.members.iter().filter(|m| m.pyramid_layer == l) {
                            count += 1;
                            sales += m.spend_last_12_months.0;
                            match then.get(&m.member) {
                                Some(p) if *p > l => up.push(m.member),
                                Some(p) if *p < l => down.push(m.member),
                                _ => {}
                            }
                        }
                        Layer {
                            name: lang.t(words::layer(l)).to_string(),
                            count,
                            sales: money(Money(sales)),
                            then: then.values().filter(|p| **p == l).count(),
                            up: up.len(),
                            down: down.len(),
                            href: within_shop(segment_href("layer", &l)),
                            up_href: ids_href(&up),
                            down_href: ids_href(&down),
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let date_text = move || clientele_engine::store::document::DateFormat::Iso.format(since.get());

    view! {
        <h1 class="page-title">{tr(Key::NavSegments)}</h1>
        <crate::components::shop_picker::ShopPicker/>
        <Show when=has_buyers fallback=move || view! {
            <p class="card empty" data-testid="segments-empty">{tr(SegText::NoBuyers)}</p>
        }>
            <section class="card" data-testid="rfm">
                <h2>{tr(SegText::Rfm)}</h2>
                <p class="hint">{tr(SegText::RfmHint)}</p>
                <HeatMap cells=heat r_label=label(SegText::RAxis) f_label=label(SegText::FAxis)/>
                <h3>{tr(SegText::Named)}</h3>
                <div class="chips" data-testid="rfm-segments">
                    {move || named().into_iter().map(|(s, n)| view! {
                        <a class="chip" href=within_shop(segment_href("seg", &s))>{tr(words::rfm(s))} " · " {n}</a>
                    }).collect_view()}
                </div>
            </section>
            <div class="matrix-pair">
                <section class="card" data-testid="loyalty-matrix">
                    <h2>{tr(SegText::Matrix)}</h2>
                    <MatrixGrid cells=matrix y_label=label(SegText::ValueUp) x_label=label(SegText::LoyaltyAcross) count_label=label(SegText::Members)/>
                </section>
                <section class="card" data-testid="value-curve">
                    <h2>{tr(SegText::Curve)}</h2>
                    <MatrixGrid cells=curve y_label=label(SegText::PotentialUp) x_label=label(SegText::CurrentAcross) count_label=label(SegText::Members)/>
                </section>
            </div>
            <section class="card" data-testid="pyramid-card">
                <h2>{tr(SegText::Pyramid)}</h2>
                <p class="hint">{tr(SegText::PyramidHint)}</p>
                <label class="field inline-field">
                    <span>{tr(SegText::Since)}</span>
                    <input type="date" data-testid="pyramid-since" prop:value=date_text
                        on:change=move |ev| {
                            if let Some(d) = parse_day(&event_target_value(&ev)) {
                                since.set(d);
                            }
                        }/>
                </label>
                <Pyramid layers=pyramid then_label=label(SegText::Then) up_label=label(SegText::Up) down_label=label(SegText::Down)/>
            </section>
        </Show>
    }
}
