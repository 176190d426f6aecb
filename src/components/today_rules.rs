//! Settings → Today (今日待办): which triggers fill the Today list and how
//! far each looks, in one place. Edited as a draft and saved whole, so a
//! half-typed number never changes the list; a number outside its limits
//! is refused with the rule named.

use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::care::today::{FollowUpRule, TodayRules, Window, MAX_FOLLOW_UPS};
use leptos::prelude::*;

crate::texts!(RulesText {
    Title => "今日待办", "Today";
    Hint => "哪些情况会出现在“今日待办”中，以及提前多少天提醒。保存后立即生效，所有设备同步。", "What puts a member on the Today list, and how far ahead. Saved for every device of the boutique.";
    Birthday => "会员生日，提前天数", "Member's birthday, days ahead";
    Family => "家人生日与纪念日，提前天数", "Family birthdays and special days, days ahead";
    FollowUps => "购后回访", "Follow-ups after a sale";
    FollowUpDay => "购买后第几天", "Days after the sale";
    Category => "品类（空 = 所有小票）", "Category (empty: every receipt)";
    AddFollowUp => "添加回访", "Add a follow-up";
    Remove => "删除", "Remove";
    Expiring => "积分到期，提前天数", "Points expiring, days ahead";
    Reward => "即将可兑换：差距不超过礼品所需积分的 %", "Reward within reach: at most this % of its points missing";
    TierGained => "新晋升级，之后天数", "Tier reached, for days after";
    TierAtRisk => "等级待保，复核前天数", "Tier at risk, days before the review";
    WinBack => "好久未到店", "Win-back";
    WinBackPurchases => "至少购买次数", "Bought at least (times)";
    WinBackMonths => "在最近几个月内", "within the last (months)";
    WinBackWeeks => "且已有几周未购买", "and not for (weeks)";
    Planned => "计划回访到期", "Planned calls that are due";
    Keep => "过了日子的待办保留天数", "Days an item stays after its day";
    HoldOut => "对照组：不联系的会员 %（0 = 不设）", "Hold-out group: % of members not contacted (0: none)";
    HoldOutHint => "对照组的会员（每次都是同一批）出现在待办时会被留出、不联系；“客户关怀 → 消息效果”把他们之后的购买与收到消息的会员对比，看出消息带来的差别。计划回访不留出。", "Members in the hold-out group (always the same ones) are set aside when they come up on Today and not contacted; Care → Results compares their purchases with those who got a message, so you see the difference messages make. Planned calls are never held out.";
    Save => "保存待办规则", "Save the rules";
    Defaults => "恢复默认", "Restore the defaults";
    Saved => "已保存。", "Saved.";
    NotNumber => "不是整数：", "Not a whole number: ";
    Outside => "{field}：{v} 不在 {a}–{b} 之间", "{field}: {v} is outside {a}–{b}";
});

#[component]
pub fn TodayRulesForm() -> impl IntoView {
    let app = use_app();
    let draft = RwSignal::new(app.store.with_untracked(|s| s.settings.today.clone()));
    let message = RwSignal::new(None::<(bool, String)>);
    let bad = RwSignal::new(Vec::<(&'static str, RulesText)>::new());
    // What was said of the last save goes once the draft changes again.
    Effect::new(move |_| {
        draft.track();
        message.set(None);
    });

    let number = move |label: RulesText,
                       testid: &'static str,
                       get: fn(&TodayRules) -> u16,
                       set: fn(&mut TodayRules, u16)| {
        number_field(draft, bad, label, testid, get, set)
    };
    let window = move |label: RulesText,
                       testid: &'static str,
                       get: fn(&TodayRules) -> Window,
                       set: fn(&mut TodayRules, Window)| {
        view! {
            <div class="today-rule">
                <input type="checkbox" data-testid=format!("{testid}-on") aria-label=move || app.t(label)
                    prop:checked=move || draft.with(|d| get(d).on)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|d| { let w = get(d); set(d, Window { on, ..w }) })
                    }/>
                {number_field(draft, bad, label, testid, move |d| get(d).days, move |d, n| { let w = get(d); set(d, Window { days: n, ..w }) })}
            </div>
        }
    };
    let save = move |_| {
        message.set(None);
        if let Some((_, label)) = bad.get_untracked().first() {
            message.set(Some((
                false,
                format!("{}{}", app.t(RulesText::NotNumber), app.t(*label)),
            )));
            return;
        }
        let rules = draft.get_untracked();
        match rules.check() {
            Ok(()) => {
                app.update(|s| s.settings.today = rules);
                message.set(Some((true, app.t(RulesText::Saved).to_string())));
            }
            Err(e) => message.set(Some((
                false,
                app.t(RulesText::Outside)
                    .replace("{field}", &format!("today.{}", e.field))
                    .replace("{v}", &e.value.to_string())
                    .replace("{a}", &e.min.to_string())
                    .replace("{b}", &e.max.to_string()),
            ))),
        }
    };
    view! {
        <section class="card today-rules" id="today" data-testid="today-rules">
            <h2>{tr(RulesText::Title)}</h2>
            <p class="hint">{tr(RulesText::Hint)}</p>
            {window(RulesText::Birthday, "rule-birthday", |d| d.birthday, |d, w| d.birthday = w)}
            {window(RulesText::Family, "rule-family", |d| d.family, |d, w| d.family = w)}
            <fieldset class="today-follow-ups">
                <legend>{tr(RulesText::FollowUps)}</legend>
                {move || (0..draft.with(|d| d.follow_ups.len())).map(|i| view! {
                    <div class="today-rule" data-testid="rule-follow-up">
                        {number_field(draft, bad, RulesText::FollowUpDay, "rule-follow-days",
                            move |d| d.follow_ups.get(i).map(|f| f.days).unwrap_or_default(),
                            move |d, n| if let Some(f) = d.follow_ups.get_mut(i) { f.days = n })}
                        <label class="today-rule-text">
                            <span>{tr(RulesText::Category)}</span>
                            <input type="text" data-testid="rule-follow-category"
                                prop:value=move || draft.with(|d| d.follow_ups.get(i).map(|f| f.category.clone()).unwrap_or_default())
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    draft.update(|d| if let Some(f) = d.follow_ups.get_mut(i) { f.category = v });
                                }/>
                        </label>
                        <button class="btn" type="button" data-testid="rule-follow-remove"
                            on:click=move |_| draft.update(|d| { if i < d.follow_ups.len() { d.follow_ups.remove(i); } })>
                            {tr(RulesText::Remove)}
                        </button>
                    </div>
                }).collect_view()}
                <button class="btn" type="button" data-testid="rule-follow-add"
                    disabled=move || draft.with(|d| d.follow_ups.len() >= MAX_FOLLOW_UPS)
                    on:click=move |_| draft.update(|d| d.follow_ups.push(FollowUpRule { days: 7, category: String::new() }))>
                    {tr(RulesText::AddFollowUp)}
                </button>
            </fieldset>
            {window(RulesText::Expiring, "rule-expiring", |d| d.expiring, |d, w| d.expiring = w)}
            <div class="today-rule">
                <input type="checkbox" data-testid="rule-reward-on" aria-label=move || app.t(RulesText::Reward)
                    prop:checked=move || draft.with(|d| d.reward.on)
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.reward.on = on) }/>
                {number(RulesText::Reward, "rule-reward", |d| d.reward.percent, |d, n| d.reward.percent = n)}
            </div>
            {window(RulesText::TierGained, "rule-tier-gained", |d| d.tier_gained, |d, w| d.tier_gained = w)}
            {window(RulesText::TierAtRisk, "rule-tier-at-risk", |d| d.tier_at_risk, |d, w| d.tier_at_risk = w)}
            <fieldset class="today-win-back">
                <legend>
                    <label class="check">
                        <input type="checkbox" data-testid="rule-win-back-on"
                            prop:checked=move || draft.with(|d| d.win_back.on)
                            on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.win_back.on = on) }/>
                        {tr(RulesText::WinBack)}
                    </label>
                </legend>
                <div class="today-rule-group">
                    {number(RulesText::WinBackPurchases, "rule-win-back-purchases", |d| d.win_back.purchases, |d, n| d.win_back.purchases = n)}
                    {number(RulesText::WinBackMonths, "rule-win-back-months", |d| d.win_back.months, |d, n| d.win_back.months = n)}
                    {number(RulesText::WinBackWeeks, "rule-win-back-weeks", |d| d.win_back.weeks, |d, n| d.win_back.weeks = n)}
                </div>
            </fieldset>
            <label class="check">
                <input type="checkbox" data-testid="rule-planned-on"
                    prop:checked=move || draft.with(|d| d.planned)
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.planned = on) }/>
                {tr(RulesText::Planned)}
            </label>
            {number(RulesText::Keep, "rule-keep", |d| d.keep_days, |d, n| d.keep_days = n)}
            {number(RulesText::HoldOut, "rule-hold-out", |d| d.hold_out, |d, n| d.hold_out = n)}
            <p class="hint">{tr(RulesText::HoldOutHint)}</p>
            <div class="actions">
                <button class="btn primary" type="button" data-testid="rules-save" on:click=save>{tr(RulesText::Save)}</button>
                <button class="btn" type="button" data-testid="rules-defaults"
                    on:click=move |_| { bad.set(Vec::new()); draft.set(TodayRules::default()); message.set(None); }>
                    {tr(RulesText::Defaults)}
                </button>
            </div>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "ok" } else { "error" } role="status" data-testid="rules-message">{m}</p>
            })}
        </section>
    }
}

type Bad = RwSignal<Vec<(&'static str, RulesText)>>;

/// A whole-number field of the draft; what does not parse is named on save.
fn number_field(
    draft: RwSignal<TodayRules>,
    bad: Bad,
    label: RulesText,
    testid: &'static str,
    get: impl Fn(&TodayRules) -> u16 + Copy + Send + Sync + 'static,
    set: impl Fn(&mut TodayRules, u16) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="today-rule-number">
            <span>{tr(label)}</span>
            <input type="text" inputmode="numeric" class="short" data-testid=testid
                prop:value=move || draft.with(|d| get(d).to_string())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    match v.trim().parse::<u16>() {
                        Ok(n) => {
                            bad.update(|b| b.retain(|t| t.0 != testid));
                            draft.update(|d| set(d, n));
                        }
                        Err(_) => bad.update(|b| if !b.iter().any(|t| t.0 == testid) { b.push((testid, label)) }),
                    }
                }/>
        </label>
    }
}
