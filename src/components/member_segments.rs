//! A member's segments and forecasts on the member page: RFM, both
//! matrices, pyramid layer, value class, the recommended strategy with its
//! actions, P(active), expected purchases and lifetime value.

use crate::analysis::use_derived;
use crate::format;
use crate::i18n::tr;
use crate::member_filter::segment_href;
use crate::segment_words as words;
use crate::state::use_app;
use clientele_engine::{MemberId, Money};
use leptos::prelude::*;

crate::texts!(MemberSegText {
    Title => "分类与预测", "Segments and forecast";
    Rfm => "RFM", "RFM";
    Matrix => "客户矩阵", "Customer matrix";
    Curve => "价值曲线", "Value curve";
    Pyramid => "金字塔", "Pyramid";
    ValueClass => "价值类别", "Value class";
    Attitude => "态度忠诚", "Attitude loyalty";
    Strategy => "维护策略", "Strategy";
    PAlive => "仍活跃的概率", "Probability still active";
    Expected => "未来一年预计消费次数", "Expected purchases next year";
    Clv => "客户终身价值", "Lifetime value";
    NoModel => "消费数据不足，暂不能预测。", "Not enough purchase history to forecast yet.";
    NoPurchases => "还没有消费记录。第一次消费后这里会显示分类与预测。", "No purchases yet. Segments and forecasts appear after the first purchase.";
});

#[component]
pub fn MemberSegments(#[prop(into)] member: Signal<Option<MemberId>>) -> impl IntoView {
    let app = use_app();
    let derived = use_derived();
    let mine = Memo::new(move |_| {
        let id = member.get()?;
        derived.analysis.with(|a| a.as_ref()?.member(id).cloned())
    });
    let money = move |m: Money| app.store.with_untracked(|s| format::money(&s.settings, m));
    let kv = |label: MemberSegText, value: AnyView| view! { <div class="kv"><dt>{tr(label)}</dt><dd>{value}</dd></div> };
    view! {
        <section class="card" data-testid="member-segments">
            <h2>{tr(MemberSegText::Title)}</h2>
            {move || match mine.get() {
                Some(m) if m.has_purchases() => {
                    let rfm = m.rfm.map(|s| format!("R{} F{} M{}", s.r, s.f, s.m)).unwrap_or_default();
                    let actions = m.actions();
                    view! {
                        <dl class="kvs">
                            {kv(MemberSegText::Rfm, view! {
                                {rfm} " "
                                {m.rfm_segment.map(|s| view! { <a class="chip" href=segment_href("seg", &s)>{tr(words::rfm(s))}</a> })}
                            }.into_any())}
                            {kv(MemberSegText::Matrix, m.loyalty_value_cell.map(|c| view! { <a class="chip" href=segment_href("lv", &c)>{tr(words::loyalty(c))}</a> }).into_any())}
                            {kv(MemberSegText::Curve, m.value_curve_cell.map(|c| view! { <a class="chip" href=segment_href("vc", &c)>{tr(words::curve(c))}</a> }).into_any())}
                            {kv(MemberSegText::Pyramid, view! { <a class="chip" href=segment_href("layer", &m.pyramid_layer)>{tr(words::layer(m.pyramid_layer))}</a> }.into_any())}
                            {kv(MemberSegText::ValueClass, tr(words::value_class(m.value_class)).into_any())}
                            {kv(MemberSegText::Attitude, tr(words::attitude(m.attitude)).into_any())}
                            {kv(MemberSegText::PAlive, m.p_alive.map(crate::format::percent).into_any())}
                            {kv(MemberSegText::Expected, m.expected_purchases.map(crate::format::one_decimal).into_any())}
                            {kv(MemberSegText::Clv, m.clv.map(money).into_any())}
                        </dl>
                        {m.p_alive.is_none().then(|| view! { <p class="hint">{tr(MemberSegText::NoModel)}</p> })}
                        {m.strategy.map(|s| view! {
                            <h3>{tr(MemberSegText::Strategy)} ": " {tr(words::strategy(s))}</h3>
                            <ul data-testid="member-actions">
                                {actions.iter().map(|a| view! { <li>{tr(words::action(*a))}</li> }).collect_view()}
                            </ul>
                        })}
                    }.into_any()
                }
                _ => view! { <p class="hint">{tr(MemberSegText::NoPurchases)}</p> }.into_any(),
            }}
        </section>
    }
}
