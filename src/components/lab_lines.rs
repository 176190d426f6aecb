//! Rules by category or SKU in a candidate scheme (品类/商品规则): which
//! lines of a receipt earn, at what multiplier, with what extra points,
//! and whether several rules on one line add up or the best wins.

use crate::components::lab_field::{
    cell_input, field_error, milli_text, parse_int, parse_milli, problem_of,
};
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::points::rules::{Milli, SchemeField};
use clientele_engine::points::scheme::{LineEffect, LineMatch, LineRule, LineStacking, Scheme};
use leptos::prelude::*;
use std::collections::BTreeSet;

crate::texts!(LabLineText {
    Title => "品类/商品规则", "Rules by category or product";
    Hint => "按小票明细计算（导入的订单明细，或收银时列出的商品）；只录金额的消费照常积分。小票有折扣时按明细金额分摊。",
        "They read a receipt's items (imported order lines, or the items listed at the checkout); a sale with its amount only earns as usual. A receipt's discount is shared by its items.";
    By => "按", "By";
    Category => "品类", "Category";
    Sku => "商品编码", "SKU";
    Name => "品类或编码", "Category or SKU";
    Effect => "规则", "Rule";
    Include => "只有这些积分", "Only these earn";
    Exclude => "不积分", "Earns nothing";
    Multiplier => "积分倍数", "Points ×";
    Extra => "每件加赠", "Extra per item";
    Value => "倍数或积分", "× or points";
    Stacking => "一行符合多条规则时", "When several rules match a line";
    Add => "叠加（×2 与 ×1.5 为 ×2.5）", "Add up (×2, ×1.5: ×2.5)";
    Best => "取最优一条", "Best one wins";
    AddRule => "添加规则", "Add a rule";
    Known => "历史中的品类：", "Categories in the history: ";
    Remove => "删除", "Remove";
    Empty => "还没有规则：每行商品按基本规则积分。", "No rules yet: every line earns at the base rate.";
});

use LabLineText as T;

fn effect_code(e: &LineEffect) -> &'static str {
    match e {
        LineEffect::Include => "include",
        LineEffect::Exclude => "exclude",
        LineEffect::Multiplier { .. } => "multiplier",
        LineEffect::ExtraPoints { .. } => "extra",
    }
}

#[component]
pub fn LineRulesEditor(scheme: RwSignal<Scheme>) -> impl IntoView {
    let app = use_app();
    let problem = problem_of(scheme);
    let len = Memo::new(move |_| scheme.with(|s| s.earning.line_rules.len()));
    // The categories the history has, named for the owner to type.
    let categories = Memo::new(move |_| {
        app.store.with(|s| {
            let mut seen = BTreeSet::new();
            for l in s.purchases.iter().flat_map(|p| &p.lines) {
                if seen.len() >= 200 {
                    break;
                }
                if !l.category.trim().is_empty() && !seen.contains(l.category.trim()) {
                    seen.insert(l.category.trim().to_string());
                }
            }
            seen.into_iter().collect::<Vec<_>>()
        })
    });
    let rule = move |i: usize| scheme.with(|s| s.earning.line_rules.get(i).cloned());
    let edit = move |i: usize, f: Box<dyn FnOnce(&mut LineRule)>| {
        scheme.update(|s| {
            if let Some(r) = s.earning.line_rules.get_mut(i) {
                f(r)
            }
        })
    };
    let row = move |i: usize| {
        let by_sku = move || rule(i).is_some_and(|r| matches!(r.on, LineMatch::Sku(_)));
        let code = move || rule(i).map_or("multiplier", |r| effect_code(&r.effect));
        let value = move || match rule(i).map(|r| r.effect) {
            Some(LineEffect::Multiplier { multiplier }) => milli_text(multiplier.0),
            Some(LineEffect::ExtraPoints { points }) => points.to_string(),
            _ => String::new(),
        };
        let set_value = move |v: String| {
            edit(
                i,
                Box::new(move |r| match &mut r.effect {
                    LineEffect::Multiplier { multiplier } => {
                        if let Some(x) = parse_milli(&v) {
                            *multiplier = Milli(x)
                        }
                    }
                    LineEffect::ExtraPoints { points } => {
                        if let Some(x) = parse_int(&v) {
                            *points = x
                        }
                    }
                    _ => {}
                }),
            )
        };
        let name = move || {
            rule(i)
                .map(|r| match r.on {
                    LineMatch::Category(c) | LineMatch::Sku(c) => c,
                })
                .unwrap_or_default()
        };
        view! {
            <div class="tr" data-testid="line-rule-row">
                <span><label class="cell-field">
                    <span class="cell-label">{tr(T::By)}</span>
                    <select class="cell" data-testid="line-rule-by" on:change=move |ev| {
                        let sku = event_target_value(&ev) == "sku";
                        edit(i, Box::new(move |r| {
                            let (LineMatch::Category(n) | LineMatch::Sku(n)) = &r.on;
                            let n = n.clone();
                            r.on = if sku { LineMatch::Sku(n) } else { LineMatch::Category(n) };
                        }))
                    }>
                        <option value="category" selected=move || !by_sku()>{tr(T::Category)}</option>
                        <option value="sku" selected=by_sku>{tr(T::Sku)}</option>
                    </select>
                </label></span>
                <span>{cell_input("line-rule-name", T::Name, name, move |v: String| edit(i, Box::new(move |r| {
                    let v = v.trim().to_string();
                    r.on = match r.on { LineMatch::Sku(_) => LineMatch::Sku(v), LineMatch::Category(_) => LineMatch::Category(v) };
                })))}</span>
                <span><label class="cell-field">
                    <span class="cell-label">{tr(T::Effect)}</span>
                    <select class="cell" data-testid="line-rule-effect" on:change=move |ev| {
                        let e = match event_target_value(&ev).as_str() {
                            "include" => LineEffect::Include,
                            "exclude" => LineEffect::Exclude,
                            "extra" => LineEffect::ExtraPoints { points: 10 },
                            _ => LineEffect::Multiplier { multiplier: Milli(2000) },
                        };
                        edit(i, Box::new(move |r| r.effect = e))
                    }>
                        <option value="multiplier" selected=move || code() == "multiplier">{tr(T::Multiplier)}</option>
                        <option value="extra" selected=move || code() == "extra">{tr(T::Extra)}</option>
                        <option value="exclude" selected=move || code() == "exclude">{tr(T::Exclude)}</option>
                        <option value="include" selected=move || code() == "include">{tr(T::Include)}</option>
                    </select>
                </label></span>
                <span>{move || matches!(code(), "multiplier" | "extra").then(|| cell_input("line-rule-value", T::Value, value, set_value))}</span>
                <span><button class="btn small" type="button" on:click=move |_| scheme.update(|s| {
                    if i < s.earning.line_rules.len() { s.earning.line_rules.remove(i); }
                })>{tr(T::Remove)}</button></span>
                <span class="row-error">{field_error(problem, SchemeField::LineRule(i))}</span>
            </div>
        }
    };
    let stacking = move || scheme.with(|s| s.earning.line_stacking);
    view! {
        <fieldset class="lab-group" data-testid="lab-lines">
            <legend>{tr(T::Title)}</legend>
            <p class="hint">{tr(T::Hint)}</p>
            <Show when=move || categories.with(|c| !c.is_empty())>
                <p class="hint" data-testid="line-categories">{tr(T::Known)} {move || categories.with(|c| {
                    let mut shown = c.iter().take(12).cloned().collect::<Vec<_>>().join(" · ");
                    if c.len() > 12 {
                        shown.push_str(" …");
                    }
                    shown
                })}</p>
            </Show>
            <Show when=move || { len.get() > 0 } fallback=|| view! { <p class="hint">{tr(T::Empty)}</p> }>
                <div class="table lab-line-table">
                    <div class="tr th">
                        <span>{tr(T::By)}</span>
                        <span>{tr(T::Name)}</span>
                        <span>{tr(T::Effect)}</span>
                        <span>{tr(T::Value)}</span>
                        <span></span>
                    </div>
                    {move || (0..len.get()).map(row).collect_view()}
                </div>
                <label class="field lab-field long">
                    <span>{tr(T::Stacking)}</span>
                    <select data-testid="line-stacking" on:change=move |ev| {
                        let st = if event_target_value(&ev) == "best" { LineStacking::Best } else { LineStacking::Add };
                        scheme.update(|s| s.earning.line_stacking = st)
                    }>
                        <option value="add" selected=move || stacking() == LineStacking::Add>{tr(T::Add)}</option>
                        <option value="best" selected=move || stacking() == LineStacking::Best>{tr(T::Best)}</option>
                    </select>
                </label>
            </Show>
            <button class="btn" type="button" data-testid="line-rule-add" on:click=move |_| {
                let first = categories.with_untracked(|c| c.first().cloned()).unwrap_or_default();
                scheme.update(|s| s.earning.line_rules.push(LineRule {
                    on: LineMatch::Category(first),
                    effect: LineEffect::Multiplier { multiplier: Milli(2000) },
                }))
            }>{tr(T::AddRule)}</button>
        </fieldset>
    }
}
