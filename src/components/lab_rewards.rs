//! The rewards catalogue of a candidate scheme (积分兑换).

use crate::components::lab_field::{cell_input, field_error, parse_int, problem_of};
use crate::i18n::tr;
use clientele_engine::points::rules::SchemeField;
use clientele_engine::points::scheme::{Reward, Scheme};
use leptos::prelude::*;

crate::texts!(LabRewardText {
    Title => "兑换目录", "Rewards catalogue";
    Code => "编号", "Code";
    Name => "名称", "Name";
    Points => "所需积分", "Points";
    Stock => "库存（留空为不限）", "Stock (empty for unlimited)";
    Add => "添加兑换品", "Add a reward";
    Remove => "删除", "Remove";
    Empty => "还没有兑换品。添加一项，会员即可用积分兑换。", "No rewards yet. Add one so members can spend their points.";
});

#[component]
pub fn RewardsEditor(scheme: RwSignal<Scheme>) -> impl IntoView {
    let app = crate::state::use_app();
    let problem = problem_of(scheme);
    let len = Memo::new(move |_| scheme.with(|s| s.rewards.len()));
    let row = move |i: usize| {
        let get = move |f: fn(&Reward) -> String| {
            move || scheme.with(|s| s.rewards.get(i).map(f).unwrap_or_default())
        };
        let set = move |f: fn(&mut Reward, String)| {
            move |v: String| {
                scheme.update(|s| {
                    if let Some(r) = s.rewards.get_mut(i) {
                        f(r, v)
                    }
                })
            }
        };
        view! {
            <div class="tr" data-testid="reward-row">
                <span>{cell_input("reward-id", LabRewardText::Code, get(|r| r.id.clone()), set(|r, v| r.id = v.trim().to_string()))}</span>
                <span>{cell_input("reward-name", LabRewardText::Name, get(|r| r.name.clone()), set(|r, v| r.name = v.trim().to_string()))}</span>
                <span>{cell_input("reward-points", LabRewardText::Points, get(|r| r.points.to_string()), set(|r, v| if let Some(x) = parse_int(&v) { r.points = x }))}</span>
                <span>{cell_input("reward-stock", LabRewardText::Stock, get(|r| r.stock.map(|x| x.to_string()).unwrap_or_default()),
                    set(|r, v| r.stock = v.trim().parse().ok()))}</span>
                <span><button class="btn small" type="button" on:click=move |_| scheme.update(|s| { if i < s.rewards.len() { s.rewards.remove(i); } })>{tr(LabRewardText::Remove)}</button></span>
                <span class="row-error">{field_error(problem, SchemeField::Reward(i))}</span>
            </div>
        }
    };
    view! {
        <fieldset class="lab-group" data-testid="lab-rewards">
            <legend>{tr(LabRewardText::Title)}</legend>
            <Show when=move || { len.get() > 0 } fallback=|| view! { <p class="hint">{tr(LabRewardText::Empty)}</p> }>
                <div class="table lab-reward-table">
                    <div class="tr th">
                        <span>{tr(LabRewardText::Code)}</span>
                        <span>{tr(LabRewardText::Name)}</span>
                        <span>{tr(LabRewardText::Points)}</span>
                        <span>{tr(LabRewardText::Stock)}</span>
                        <span></span>
                    </div>
                    {move || (0..len.get()).map(row).collect_view()}
                </div>
            </Show>
            <button class="btn" type="button" data-testid="reward-add" on:click=move |_| {
                let name = app.lang.get_untracked().t(LabRewardText::Title).to_string();
                scheme.update(|s| {
                    let n = s.rewards.len() + 1;
                    s.rewards.push(Reward { id: format!("R{n}"), name: format!("{name} {n}"), points: 500, stock: None })
                })
            }>{tr(LabRewardText::Add)}</button>
        </fieldset>
    }
}
