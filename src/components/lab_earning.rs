//! How a candidate scheme earns points: the base rate, rounding, spend
//! bands and dated promotions.

use crate::components::lab_field::{
    amount_text, cell_input, field_error, input, milli_text, parse_amount, parse_int, parse_milli,
    problem_of,
};
use crate::i18n::tr;
use chrono::NaiveDate;
use clientele_engine::points::rules::{Milli, SchemeField};
use clientele_engine::points::scheme::{Band, Promotion, Rounding, Scheme};
use clientele_engine::Money;
use leptos::prelude::*;

crate::texts!(LabEarnText {
    Title => "积分规则", "Earning";
    Points => "得分", "Points";
    Per => "每消费金额", "Per amount spent";
    Rounding => "取整", "Rounding";
    Down => "向下取整", "Round down";
    HalfUp => "四舍五入", "Round half up";
    Up => "向上取整", "Round up";
    Bands => "按单笔金额分档（整张小票按所在档的倍数）", "Bands by receipt amount (the whole receipt earns at its band's multiplier)";
    From => "起（含）", "From (incl.)";
    To => "止（不含，留空为不封顶）", "To (excl., empty for no limit)";
    Multiplier => "倍数", "Multiplier";
    AddBand => "添加分档", "Add a band";
    Promotions => "促销活动", "Promotions";
    Name => "名称", "Name";
    Start => "开始日期", "Starts";
    End => "结束日期", "Ends";
    AddPromotion => "添加活动", "Add a promotion";
    Stack => "多个活动同时叠加（否则只取最高倍数）", "Stack overlapping promotions (otherwise only the best applies)";
    Remove => "删除", "Remove";
    NewPromotion => "双倍积分日", "Double points day";
    MinAmount => "最低消费金额（低于此金额不积分，0 为不限）", "Minimum receipt (below it nothing earns; 0 for none)";
    MinItems => "最少件数（0 为不限）", "Minimum items (0 for none)";
    PerReceipt => "每单另加积分", "Extra points per receipt";
    PerItem => "每件另加积分", "Extra points per item";
});

fn parse_date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok()
}

#[component]
pub fn EarningEditor(scheme: RwSignal<Scheme>) -> impl IntoView {
    let app = crate::state::use_app();
    let problem = problem_of(scheme);
    let bands = Memo::new(move |_| scheme.with(|s| s.earning.bands.len()));
    let promos = Memo::new(move |_| scheme.with(|s| s.promotions.len()));
    let band_row = move |i: usize| {
        let get = move |f: fn(&Band) -> String| {
            move || scheme.with(|s| s.earning.bands.get(i).map(f).unwrap_or_default())
        };
        let set = move |f: fn(&mut Band, String)| {
            move |v: String| {
                scheme.update(|s| {
                    if let Some(b) = s.earning.bands.get_mut(i) {
                        f(b, v)
                    }
                })
            }
        };
        view! {
            <div class="tr" data-testid="band-row">
                <span>{cell_input("band-from", LabEarnText::From, get(|b| amount_text(b.from.0)), set(|b, v| if let Some(x) = parse_amount(&v) { b.from = Money(x) }))}</span>
                <span>{cell_input("band-to", LabEarnText::To, get(|b| b.to.map(|t| amount_text(t.0)).unwrap_or_default()),
                    set(|b, v| b.to = if v.trim().is_empty() { None } else { parse_amount(&v).map(Money).or(b.to) }))}</span>
                <span>{cell_input("band-multiplier", LabEarnText::Multiplier, get(|b| milli_text(b.multiplier.0)), set(|b, v| if let Some(x) = parse_milli(&v) { b.multiplier = Milli(x) }))}</span>
                <span><button class="btn small" type="button" on:click=move |_| scheme.update(|s| { if i < s.earning.bands.len() { s.earning.bands.remove(i); } })>{tr(LabEarnText::Remove)}</button></span>
                <span class="row-error">{field_error(problem, SchemeField::Band(i))}</span>
            </div>
        }
    };
    let promo_row = move |i: usize| {
        let get = move |f: fn(&Promotion) -> String| {
            move || scheme.with(|s| s.promotions.get(i).map(f).unwrap_or_default())
        };
        let set = move |f: fn(&mut Promotion, String)| {
            move |v: String| {
                scheme.update(|s| {
                    if let Some(p) = s.promotions.get_mut(i) {
                        f(p, v)
                    }
                })
            }
        };
        view! {
            <div class="tr" data-testid="promotion-row">
                <span>{cell_input("promo-name", LabEarnText::Name, get(|p| p.name.clone()), set(|p, v| p.name = v.trim().to_string()))}</span>
                <span>{cell_input("promo-from", LabEarnText::Start, get(|p| p.from.to_string()), set(|p, v| if let Some(d) = parse_date(&v) { p.from = d }))}</span>
                <span>{cell_input("promo-to", LabEarnText::End, get(|p| p.to.to_string()), set(|p, v| if let Some(d) = parse_date(&v) { p.to = d }))}</span>
                <span>{cell_input("promo-multiplier", LabEarnText::Multiplier, get(|p| milli_text(p.multiplier.0)), set(|p, v| if let Some(x) = parse_milli(&v) { p.multiplier = Milli(x) }))}</span>
                <span><button class="btn small" type="button" on:click=move |_| scheme.update(|s| { if i < s.promotions.len() { s.promotions.remove(i); } })>{tr(LabEarnText::Remove)}</button></span>
                <span class="row-error">{field_error(problem, SchemeField::Promotion(i))}</span>
            </div>
        }
    };
    let rounding = move || scheme.with(|s| s.earning.rounding);
    view! {
        <fieldset class="lab-group" data-testid="lab-earning">
            <legend>{tr(LabEarnText::Title)}</legend>
            <div class="lab-fields">
                {input(LabEarnText::Points, "rate-points", move || scheme.with(|s| s.earning.points.to_string()),
                    move |v| if let Ok(x) = v.trim().parse::<u32>() { scheme.update(|s| s.earning.points = x) })}
                {input(LabEarnText::Per, "rate-per", move || scheme.with(|s| amount_text(s.earning.per.0)),
                    move |v| if let Some(x) = parse_amount(&v) { scheme.update(|s| s.earning.per = Money(x)) })}
                <label class="field lab-field">
                    <span>{tr(LabEarnText::Rounding)}</span>
                    <select data-testid="rounding" on:change=move |ev| {
                        let r = match event_target_value(&ev).as_str() { "half_up" => Rounding::HalfUp, "up" => Rounding::Up, _ => Rounding::Down };
                        scheme.update(|s| s.earning.rounding = r)
                    }>
                        <option value="down" selected=move || rounding() == Rounding::Down>{tr(LabEarnText::Down)}</option>
                        <option value="half_up" selected=move || rounding() == Rounding::HalfUp>{tr(LabEarnText::HalfUp)}</option>
                        <option value="up" selected=move || rounding() == Rounding::Up>{tr(LabEarnText::Up)}</option>
                    </select>
                </label>
            </div>
            {field_error(problem, SchemeField::Rate)}
            <div class="lab-fields">
                {input(LabEarnText::MinAmount, "min-amount", move || scheme.with(|s| amount_text(s.earning.min_amount.0)),
                    move |v| if let Some(x) = parse_amount(&v) { scheme.update(|s| s.earning.min_amount = Money(x)) })}
                {input(LabEarnText::MinItems, "min-items", move || scheme.with(|s| s.earning.min_items.to_string()),
                    move |v| if let Ok(x) = v.trim().parse::<u32>() { scheme.update(|s| s.earning.min_items = x) })}
                {input(LabEarnText::PerReceipt, "per-receipt", move || scheme.with(|s| s.earning.per_receipt.to_string()),
                    move |v| if let Some(x) = parse_int(&v) { scheme.update(|s| s.earning.per_receipt = x) })}
                {input(LabEarnText::PerItem, "per-item", move || scheme.with(|s| s.earning.per_item.to_string()),
                    move |v| if let Some(x) = parse_int(&v) { scheme.update(|s| s.earning.per_item = x) })}
            </div>
            {field_error(problem, SchemeField::Minimum)}
            {field_error(problem, SchemeField::ReceiptPoints)}
            <h3>{tr(LabEarnText::Bands)}</h3>
            <div class="table lab-band-table">
                <Show when=move || { bands.get() > 0 }>
                    <div class="tr th">
                        <span>{tr(LabEarnText::From)}</span>
                        <span>{tr(LabEarnText::To)}</span>
                        <span>{tr(LabEarnText::Multiplier)}</span>
                        <span></span>
                    </div>
                </Show>
                {move || (0..bands.get()).map(band_row).collect_view()}
            </div>
            <button class="btn" type="button" data-testid="band-add" on:click=move |_| scheme.update(|s| {
                let from = s.earning.bands.last().and_then(|b| b.to).unwrap_or(Money(0));
                if let Some(last) = s.earning.bands.last_mut() {
                    if last.to.is_none() { last.to = Some(Money(last.from.0 + 50_000)); }
                }
                let from = s.earning.bands.last().and_then(|b| b.to).unwrap_or(from);
                s.earning.bands.push(Band { from, to: None, multiplier: Milli(1000) });
            })>{tr(LabEarnText::AddBand)}</button>
            <h3>{tr(LabEarnText::Promotions)}</h3>
            <div class="table lab-promo-table">
                <Show when=move || { promos.get() > 0 }>
                    <div class="tr th">
                        <span>{tr(LabEarnText::Name)}</span>
                        <span>{tr(LabEarnText::Start)}</span>
                        <span>{tr(LabEarnText::End)}</span>
                        <span>{tr(LabEarnText::Multiplier)}</span>
                        <span></span>
                    </div>
                </Show>
                {move || (0..promos.get()).map(promo_row).collect_view()}
            </div>
            <button class="btn" type="button" data-testid="promotion-add" on:click=move |_| {
                let today = app.today.get_untracked();
                let name = app.lang.get_untracked().t(LabEarnText::NewPromotion).to_string();
                scheme.update(|s| s.promotions.push(Promotion { name, from: today, to: today, multiplier: Milli(2000) }))
            }>{tr(LabEarnText::AddPromotion)}</button>
            <label class="check">
                <input type="checkbox" prop:checked=move || scheme.with(|s| s.stack_promotions)
                    on:change=move |ev| { let c = event_target_checked(&ev); scheme.update(|s| s.stack_promotions = c) }/>
                {tr(LabEarnText::Stack)}
            </label>
        </fieldset>
    }
}
