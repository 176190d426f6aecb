//! 积分抵现 in a candidate scheme: whether points pay part of a receipt at
//! the checkout, at what rate, and the caps per receipt.

use crate::components::lab_field::{
    amount_text, field_error, input, parse_amount, parse_int, problem_of,
};
use crate::i18n::tr;
use clientele_engine::points::rules::SchemeField;
use clientele_engine::points::scheme::{PointsPayment, Scheme};
use clientele_engine::Money;
use leptos::prelude::*;

crate::texts!(LabPayText {
    Title => "积分抵现", "Paying with points";
    On => "收银时可用积分抵扣部分金额", "Points can pay part of a receipt at the checkout";
    Points => "每次抵扣所用积分", "Points per step";
    Value => "抵扣金额（元）", "Pay this much (yuan)";
    MaxAmount => "每单最多抵扣（元，0 为不限）", "At most per receipt (yuan, 0 for no cap)";
    MaxPercent => "每单最多抵扣比例（%，0 为不限）", "At most this share of a receipt (%, 0 for no cap)";
    Hint => "抵扣的部分不再积分，也不计入等级消费；退货时按比例退还积分。",
        "The part paid with points earns no points and does not count toward tiers; a return gives the points back in proportion.";
});

#[component]
pub fn PayWithPointsEditor(scheme: RwSignal<Scheme>) -> impl IntoView {
    let problem = problem_of(scheme);
    let on = move || scheme.with(|s| s.pay_with_points.is_some());
    let get = move |f: fn(&PointsPayment) -> String| {
        move || scheme.with(|s| s.pay_with_points.as_ref().map(f).unwrap_or_default())
    };
    let set = move |f: fn(&mut PointsPayment, &str)| {
        move |v: String| {
            scheme.update(|s| {
                if let Some(p) = s.pay_with_points.as_mut() {
                    f(p, &v)
                }
            })
        }
    };
    view! {
        <fieldset class="lab-group" data-testid="lab-pay">
            <legend>{tr(LabPayText::Title)}</legend>
            <label class="check">
                <input type="checkbox" data-testid="pay-on" prop:checked=on on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    scheme.update(|s| {
                        s.pay_with_points = checked.then_some(PointsPayment {
                            points: 100,
                            value: Money(100),
                            max_amount: Money(0),
                            max_percent: 50,
                        })
                    })
                }/>
                {tr(LabPayText::On)}
            </label>
            <Show when=on>
                <div class="lab-fields">
                    {input(LabPayText::Points, "pay-points", get(|p| p.points.to_string()),
                        set(|p, v| if let Some(x) = parse_int(v) { p.points = x }))}
                    {input(LabPayText::Value, "pay-value", get(|p| amount_text(p.value.0)),
                        set(|p, v| if let Some(x) = parse_amount(v) { p.value = Money(x) }))}
                    {input(LabPayText::MaxAmount, "pay-max-amount", get(|p| amount_text(p.max_amount.0)),
                        set(|p, v| if let Some(x) = parse_amount(v) { p.max_amount = Money(x) }))}
                    {input(LabPayText::MaxPercent, "pay-max-percent", get(|p| p.max_percent.to_string()),
                        set(|p, v| if let Some(x) = parse_int(v) { p.max_percent = u8::try_from(x.clamp(0, 255)).unwrap_or(u8::MAX) }))}
                </div>
                <p class="hint">{tr(LabPayText::Hint)}</p>
            </Show>
            {field_error(problem, SchemeField::PayWithPoints)}
        </fieldset>
    }
}
