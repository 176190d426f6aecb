//! The counter: find or register the member, then a sale (with the points
//! it earns shown before confirming), a return, a redemption or a check-in.

use crate::analysis::use_derived;
use crate::clock;
use crate::components::member_picker::MemberPicker;
use crate::components::points_panel::PointsSummary;
use crate::components::sale_items::{item_problem_text, parse_items, ItemRow, SaleItems};
use crate::components::staff_picker::StaffPicker;
use crate::format;
use crate::i18n::{tr, Lang};
use crate::state::{use_app, AppState};
use clientele_engine::members::model::{MemberId, Purchase, Return};
use clientele_engine::points::checkout::{
    next_return_no, record_points_event, record_redemption, record_return, record_sale, returnable,
    scheme_on, PointsError, Recorded,
};
use clientele_engine::points::events::{PointsEvent, PointsEventKind};
use clientele_engine::points::explain::tier_name;
use clientele_engine::points::scheme::LineMatch;
use clientele_engine::Money;
use leptos::prelude::*;
use leptos::tachys::view::Render;

crate::texts!(CheckoutText {
    Title => "收银", "Checkout";
    Sale => "消费", "Sale";
    Return => "退货", "Return";
    Redeem => "积分兑换", "Redeem";
    CheckIn => "每日签到", "Daily check-in";
    Amount => "实收金额", "Amount paid";
    Total => "小票金额", "Receipt total";
    PayPoints => "积分抵现（积分）", "Pay with points (points)";
    UseMost => "用最多", "Use the most";
    PaidWith => "积分抵现", "Paid with points";
    AtMost => "本单最多", "at most";
    Cash => "现金实收", "To pay in money";
    Receipt => "小票号", "Receipt no.";
    Earns => "本单积分", "This sale earns";
    Points => "积分", "points";
    Why => "计算方式", "How";
    TierUp => "等级变化", "Tier change";
    BalanceAfter => "确认后积分余额", "Balance after";
    TierDiscount => "会员折扣", "Member discount";
    Confirm => "确认收款", "Confirm sale";
    Recorded => "已记录。", "Recorded.";
    EnterAmount => "请输入金额，例如 1299 或 1,299.00。", "Enter the amount, e.g. 1299 or 1,299.00.";
    PickReceipt => "选择要退货的小票", "Choose the receipt to return";
    NoReceipts => "这位会员没有可退货的小票。", "This member has no receipt left to return.";
    Left => "可退", "left";
    ReturnAmount => "退款金额", "Amount refunded";
    ConfirmReturn => "确认退货", "Confirm return";
    Returned => "退货已记录，积分已扣回。积分余额：", "Return recorded; its points were reversed. Balance: ";
    Catalogue => "兑换目录", "Rewards";
    NoCatalogue => "本店方案还没有兑换礼品。可在“积分与等级”中添加。", "The scheme has no rewards yet. Add them under Points & Tiers.";
    RedeemFor => "兑换", "Redeem";
    StockLeft => "库存", "in stock";
    Redeemed => "兑换成功，扣除积分：", "Redeemed. Points used: ";
    CheckInDone => "签到成功。", "Checked in.";
    CheckInAgain => "今天已经签到过了。", "Already checked in today.";
    PickFirst => "先找到会员：报手机号、卡号或姓名；没有会员卡也可以。新顾客可当场登记。",
        "Start by finding the member by mobile, card number or name; no card needed. New customers can register here.";
    ErrUnknownMember => "找不到这位会员。", "That member was not found.";
    ErrDuplicateReceipt => "这个小票号已经用过：", "This receipt number is already used: ";
    ErrDuplicateReturn => "这个退货单号已经用过：", "This return number is already used: ";
    ErrUnknownReceipt => "找不到这张小票：", "No such receipt: ";
    ErrReturnExceeds => "退款超过这张小票剩余可退金额：", "That is more than is left to return on this receipt: ";
    ErrOverRedemption => "积分不足：需要 {wanted}，可用 {available}。", "Not enough points: needs {wanted}, {available} available.";
    ErrUnknownReward => "兑换目录中没有这项礼品。", "That reward is not in the catalogue.";
    ErrOutOfStock => "这项礼品已兑完。", "That reward is out of stock.";
    ErrInvalidAmount => "金额必须大于零。", "The amount must be more than zero.";
    ErrAdjustment => "手工调整需要写明原因。", "A manual adjustment needs a reason.";
    ErrScheme => "积分方案有误，请在“积分与等级”中检查：", "The points scheme is invalid; check Points & Tiers: ";
    ErrPayOff => "当前方案不支持积分抵现。", "The scheme in force does not let points pay for receipts.";
    ErrStep => "积分须按整档使用，每档：", "Points pay in whole steps of: ";
    ErrCap => "本单最多可用积分：", "This receipt can take at most this many points: ";
});

/// Words for a refusal from the points engine.
pub fn points_error(lang: Lang, e: &PointsError) -> String {
    use CheckoutText as T;
    match e {
        PointsError::UnknownMember(_) => lang.t(T::ErrUnknownMember).into(),
        PointsError::DuplicateReceipt { receipt } => {
            format!("{}{receipt}", lang.t(T::ErrDuplicateReceipt))
        }
        PointsError::DuplicateReturn { id } => format!("{}{id}", lang.t(T::ErrDuplicateReturn)),
        PointsError::UnknownReceipt { receipt } => {
            format!("{}{receipt}", lang.t(T::ErrUnknownReceipt))
        }
        PointsError::ReturnExceedsPurchase { remaining, .. } => {
            format!(
                "{}{}",
                lang.t(T::ErrReturnExceeds),
                remaining.format_plain()
            )
        }
        PointsError::OverRedemption { wanted, available } => lang
            .t(T::ErrOverRedemption)
            .replace("{wanted}", &wanted.to_string())
            .replace("{available}", &available.to_string()),
        PointsError::UnknownReward { .. } => lang.t(T::ErrUnknownReward).into(),
        PointsError::OutOfStock { .. } => lang.t(T::ErrOutOfStock).into(),
        PointsError::InvalidAmount => lang.t(T::ErrInvalidAmount).into(),
        PointsError::AdjustmentWithoutReason => lang.t(T::ErrAdjustment).into(),
        PointsError::InvalidScheme(e) => format!("{}{e}", lang.t(T::ErrScheme)),
        PointsError::PayWithPointsOff => lang.t(T::ErrPayOff).into(),
        PointsError::PointsStep { step } => format!("{}{step}", lang.t(T::ErrStep)),
        PointsError::OverPointsCap { max } => format!("{}{max}", lang.t(T::ErrCap)),
    }
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Tab {
    Sale,
    Return,
    Redeem,
    CheckIn,
}

/// The outcome of the last action, shown until the next one.
#[derive(Clone, PartialEq)]
enum Flash {
    Ok(String),
    Err(String),
}

fn show(app: AppState, flash: RwSignal<Option<Flash>>, r: Option<Result<String, PointsError>>) {
    match r {
        Some(Ok(msg)) => flash.set(Some(Flash::Ok(msg))),
        Some(Err(e)) => flash.set(Some(Flash::Err(points_error(app.lang.get_untracked(), &e)))),
        None => {}
    }
}

#[component]
pub fn Checkout() -> impl IntoView {
    let app = use_app();
    // The counter's indexes (the members' search fields, where each
    // member's facts are) are made once the page is on screen, so the first
    // card scanned is as quick as the next.
    let derived = use_derived();
    let member = RwSignal::new(None::<MemberId>);
    let tab = RwSignal::new(Tab::Sale);
    let flash = RwSignal::new(None::<Flash>);
    let owner = Owner::current();
    crate::analysis::after_paint(move || {
        derived.search().with_untracked(|_| ());
        derived.with_facts(|_, _| ());
        if let Some(owner) = owner {
            owner.with(|| warm_up(app, member));
        }
    });
    Effect::new(move |_| {
        member.track();
        tab.track();
        flash.set(None);
    });
    view! {
        <h1 class="page-title">{tr(CheckoutText::Title)}</h1>
        <MemberPicker selected=member/>
        <Show when=move || member.get().is_some() fallback=move || view! {
            <p class="card hint">{tr(CheckoutText::PickFirst)}</p>
        }>
            {member_panel(member, tab, flash)}
        </Show>
    }
}

/// The browser compiles the console's code a function at a time, the first
/// time it runs: the first member picked at a large counter spent 8 ms of
/// its frame compiling the panel. Building the panel once, off the page,
/// for a member of the store while the cashier waits, does that work
/// before the card is scanned.
fn warm_up(app: AppState, picked: RwSignal<Option<MemberId>>) {
    let Some(first) = app
        .store
        .with_untracked(|s| s.members.first().map(|m| m.id))
    else {
        return;
    };
    if picked.get_untracked().is_some() {
        return;
    }
    let scratch = Owner::new();
    scratch.with(|| {
        let panel = member_panel(
            RwSignal::new(Some(first)),
            RwSignal::new(Tab::Sale),
            RwSignal::new(None),
        );
        drop(panel.into_view().build());
    });
    scratch.cleanup();
}

/// The picked member's name, points and the tabs of what the counter can do.
fn member_panel(
    member: RwSignal<Option<MemberId>>,
    tab: RwSignal<Tab>,
    flash: RwSignal<Option<Flash>>,
) -> impl IntoView {
    let app = use_app();
    let name = move || {
        let id = member.get()?;
        app.store.with(|s| {
            s.members
                .iter()
                .find(|m| m.id == id)
                .map(|m| format!("{} · {}", m.name, m.card_no))
        })
    };
    let tab_button = move |t: Tab, label: CheckoutText, testid: &'static str| {
        view! {
            <button class="btn tab" class:active=move || tab.get() == t data-testid=testid
                aria-pressed=move || (tab.get() == t).to_string() on:click=move |_| tab.set(t)>
                {tr(label)}
            </button>
        }
    };
    view! {
        <h2 data-testid="checkout-member">{name}</h2>
        <PointsSummary member=member/>
        <div class="tabs" role="group">
            {tab_button(Tab::Sale, CheckoutText::Sale, "tab-sale")}
            {tab_button(Tab::Return, CheckoutText::Return, "tab-return")}
            {tab_button(Tab::Redeem, CheckoutText::Redeem, "tab-redeem")}
            {tab_button(Tab::CheckIn, CheckoutText::CheckIn, "tab-checkin")}
        </div>
        {move || match flash.get() {
            Some(Flash::Ok(m)) => Some(view! { <p class="card ok" role="status" data-testid="flash-ok">{m}</p> }.into_any()),
            Some(Flash::Err(m)) => Some(view! { <p class="card error" role="alert" data-testid="flash-error">{m}</p> }.into_any()),
            None => None,
        }}
        {move || member.get().map(|id| match tab.get() {
            Tab::Sale => view! { <SaleForm member=id flash=flash/> }.into_any(),
            Tab::Return => view! { <ReturnForm member=id flash=flash/> }.into_any(),
            Tab::Redeem => view! { <RedeemForm member=id flash=flash/> }.into_any(),
            Tab::CheckIn => view! { <CheckInForm member=id flash=flash/> }.into_any(),
        })}
    }
}

#[component]
fn SaleForm(member: MemberId, flash: RwSignal<Option<Flash>>) -> impl IntoView {
    let app = use_app();
    let derived = use_derived();
    let next_receipt = move || {
        let code = app.number_code();
        derived.with_facts(|s, facts| facts.next_receipt_no(s, app.today.get_untracked(), &code))
    };
    let amount = RwSignal::new(String::new());
    let receipt = RwSignal::new(untrack(next_receipt));
    let staff = RwSignal::new(app.prefs.with_untracked(|p| p.staff.clone()));
    // 积分抵现: the points typed (empty: none), offered when the scheme lets points pay.
    let use_points = RwSignal::new(String::new());
    let paying = Memo::new(move |_| {
        let today = app.today.get();
        app.store
            .with(|s| scheme_on(s, today).pay_with_points.is_some())
    });
    let points_typed = move || {
        let t = use_points.get();
        let t = t.trim().replace(',', "");
        if t.is_empty() {
            Some(0)
        } else {
            t.parse::<i64>().ok().filter(|p| *p >= 0)
        }
    };
    // The items (optional): rules by category read them.
    let items = RwSignal::new(Vec::<ItemRow>::new());
    let lines = Memo::new(move |_| items.with(|v| parse_items(v)));
    let (rule_categories, reads_lines) = app.store.with_untracked(|s| {
        let e = scheme_on(s, app.today.get_untracked()).earning;
        let mut names: Vec<String> = Vec::new();
        for r in &e.line_rules {
            if let LineMatch::Category(c) = &r.on {
                if !names.iter().any(|n| n.eq_ignore_ascii_case(c.trim())) {
                    names.push(c.trim().to_string());
                }
            }
        }
        (names, e.uses_lines())
    });
    // The receipt's total: as typed, or else the items' sum.
    let total = move || {
        Money::parse(&amount.get()).or_else(|| {
            lines.with(|l| match l {
                Ok(l) if !l.is_empty() => Some(l.iter().map(|x| x.amount).sum()),
                _ => None,
            })
        })
    };
    let preview = Memo::new(move |_| {
        let money = total()?;
        let lines = lines.get().ok()?;
        let points = points_typed().unwrap_or(-1);
        let at = clock::now_local();
        Some(derived.with_facts(|s, facts| {
            facts
                .preview_sale(s, member, money, lines, points, at)
                .map(|p| (p, scheme_on(s, at.date())))
        }))
    });
    let confirm = move |_| {
        let sold = match lines.get_untracked() {
            Ok(l) => l,
            Err(problem) => {
                flash.set(Some(Flash::Err(item_problem_text(
                    app.lang.get_untracked(),
                    problem,
                ))));
                return;
            }
        };
        let Some(money) = total() else {
            flash.set(Some(Flash::Err(app.t(CheckoutText::EnterAmount).into())));
            return;
        };
        let at = clock::now_local();
        let sale = Purchase {
            receipt: receipt.get_untracked().trim().to_string(),
            member,
            at,
            amount: money,
            store: app.device_shop(),
            device: app.device_name(),
            lines: sold,
            staff: staff.get_untracked(),
        };
        let points = match preview.get_untracked() {
            Some(Ok((p, _))) => p.points,
            _ => 0,
        };
        let paid = points_typed().unwrap_or(-1);
        let r = app.try_append(|s| {
            if money.minor() <= 0 {
                return Err(PointsError::InvalidAmount);
            }
            record_sale(s, sale, paid)
        });
        let ok = matches!(r, Some(Ok(Recorded::Added)));
        show(
            app,
            flash,
            r.map(|r| {
                r.map(|_| {
                    format!(
                        "{} +{points} {}",
                        app.t(CheckoutText::Recorded),
                        app.t(CheckoutText::Points)
                    )
                })
            }),
        );
        if ok {
            amount.set(String::new());
            use_points.set(String::new());
            items.set(Vec::new());
            receipt.set(untrack(next_receipt));
        }
    };
    view! {
        <section class="card form-grid">
            <label class="field">
                <span>{move || app.t(if paying.get() { CheckoutText::Total } else { CheckoutText::Amount })}</span>
                <input type="text" inputmode="decimal" class="big-input" data-testid="sale-amount"
                    placeholder=move || lines.with(|l| match l {
                        // Left empty, the total is the items' sum: shown here.
                        Ok(l) if !l.is_empty() => l.iter().map(|x| x.amount).sum::<Money>().format_plain(),
                        _ => String::new(),
                    })
                    prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
            </label>
            <Show when=move || paying.get()>
                <div class="field pay-points">
                    <label class="field">
                        <span>{tr(CheckoutText::PayPoints)}</span>
                        <input type="text" inputmode="numeric" data-testid="sale-pay-points"
                            prop:value=move || use_points.get() on:input=move |ev| use_points.set(event_target_value(&ev))/>
                    </label>
                    <button class="btn" type="button" data-testid="sale-pay-most" on:click=move |_| {
                        if let Some(Ok((p, _))) = preview.get_untracked() {
                            if let Some(pay) = p.pay {
                                use_points.set(pay.max_points.to_string());
                            }
                        } else if let Some(Err(PointsError::OverPointsCap { max })) = preview.get_untracked() {
                            use_points.set(max.to_string());
                        }
                    }>{tr(CheckoutText::UseMost)}</button>
                </div>
            </Show>
            <SaleItems items=items categories=Signal::stored(rule_categories) open=reads_lines/>
            <label class="field">
                <span>{tr(CheckoutText::Receipt)}</span>
                <input type="text" data-testid="sale-receipt" prop:value=move || receipt.get()
                    on:input=move |ev| receipt.set(event_target_value(&ev))/>
            </label>
            <StaffPicker staff=staff/>
            {move || lines.get().err().map(|problem| view! {
                <p class="error field wide" role="alert" data-testid="sale-items-error">{item_problem_text(app.lang.get(), problem)}</p>
            })}
            {move || match preview.get() {
                Some(Err(e)) => Some(view! {
                    <p class="error field wide" role="alert" data-testid="sale-preview-error">{points_error(app.lang.get(), &e)}</p>
                }.into_any()),
                Some(Ok((p, scheme))) => Some(sale_preview(app, p, scheme).into_any()),
                None => None,
            }}
            <div class="actions field wide">
                <button class="btn primary big" data-testid="sale-confirm" on:click=confirm>{tr(CheckoutText::Confirm)}</button>
            </div>
        </section>
    }
}

/// What the sale will do: the points, how they come, the payment with
/// points and the money left, the tier change and the balance after.
fn sale_preview(
    app: AppState,
    p: clientele_engine::points::checkout::SalePreview,
    scheme: clientele_engine::points::scheme::Scheme,
) -> impl IntoView {
    let settings = app.store.with_untracked(|s| s.settings.clone());
    let lang = app.explain_lang();
    let why = p
        .reason
        .map(|r| r.describe(&scheme, lang))
        .unwrap_or_default();
    let change = p.tier_change.map(|c| c.describe(&scheme, lang));
    let before = tier_name(&scheme, p.tier_before, lang);
    let pay = p.pay.map(|pay| {
        let used = (pay.points > 0).then(|| format!(
            "−{} {} = {} · ",
            pay.points,
            app.t(CheckoutText::Points),
            format::money(&settings, pay.value)
        ));
        view! {
            <p data-testid="preview-pay">{tr(CheckoutText::PaidWith)} ": " {used}
                <span class="hint">{tr(CheckoutText::AtMost)} " " {pay.max_points} " " {tr(CheckoutText::Points)}
                    " (" {format::money(&settings, pay.max_value)} ")"</span></p>
            <p class="earn"><span>{tr(CheckoutText::Cash)}</span>
                <strong data-testid="preview-cash">{format::money(&settings, pay.cash)}</strong></p>
        }
    });
    view! {
        <div class="preview field wide" data-testid="sale-preview">
            {pay}
            <p class="earn"><span>{tr(CheckoutText::Earns)}</span>
                <strong data-testid="preview-points">"+" {p.points}</strong> " " {tr(CheckoutText::Points)}</p>
            <p class="hint" data-testid="preview-why">{tr(CheckoutText::Why)} ": " {why}</p>
            {(p.discount_percent > 0).then(|| view! {
                <p>{tr(CheckoutText::TierDiscount)} ": " {before.clone()} " " {p.discount_percent} "%"</p>
            })}
            {change.map(|c| view! { <p class="tier-up" data-testid="preview-tier">{tr(CheckoutText::TierUp)} ": " {c}</p> })}
            {p.entry_rewards.iter().map(|(points, reason)| view! {
                <p class="tier-up" data-testid="preview-entry">"+" {*points} " " {tr(CheckoutText::Points)} " · " {reason.describe(&scheme, lang)}</p>
            }).collect_view()}
            <p>{tr(CheckoutText::BalanceAfter)} ": " {p.balance_before} " → " <strong data-testid="preview-balance">{p.balance_after}</strong></p>
        </div>
    }
}

#[component]
fn ReturnForm(member: MemberId, flash: RwSignal<Option<Flash>>) -> impl IntoView {
    let app = use_app();
    let chosen = RwSignal::new(None::<String>);
    let amount = RwSignal::new(String::new());
    let staff = RwSignal::new(app.prefs.with_untracked(|p| p.staff.clone()));
    let derived = use_derived();
    let receipts = Memo::new(move |_| {
        derived.with_facts(|s, facts| {
            // The member's own history holds their receipts' returns.
            let mine = facts.member_store(s, member);
            let mut list: Vec<(String, String, Money, Money)> = mine
                .purchases
                .iter()
                .filter(|p| p.member == member)
                .filter_map(|p| {
                    let left = returnable(&mine, &p.receipt)?;
                    (left.minor() > 0).then(|| {
                        (
                            p.receipt.clone(),
                            format::date(&s.settings, p.date()),
                            p.amount,
                            left,
                        )
                    })
                })
                .collect();
            list.sort_by(|a, b| b.0.cmp(&a.0));
            list.truncate(10);
            list
        })
    });
    let confirm = move |_| {
        let Some(receipt) = chosen.get_untracked() else {
            return;
        };
        let Some(money) = Money::parse(&amount.get_untracked()) else {
            flash.set(Some(Flash::Err(app.t(CheckoutText::EnterAmount).into())));
            return;
        };
        let at = clock::now_local();
        let code = app.number_code();
        let r = app.try_append(|s| {
            let ret = Return {
                id: next_return_no(s, at.date(), &code),
                receipt,
                at,
                amount: money,
                lines: Vec::new(),
                staff: staff.get_untracked(),
            };
            record_return(s, ret)
        });
        let balance = move || {
            let today = app.today.get_untracked();
            derived.with_facts(|s, facts| {
                facts
                    .member_points(s, member, today)
                    .map(|o| o.balance)
                    .unwrap_or(0)
            })
        };
        show(
            app,
            flash,
            r.map(|r| r.map(|_| format!("{}{}", app.t(CheckoutText::Returned), balance()))),
        );
        chosen.set(None);
    };
    let settings = move || app.store.with(|s| s.settings.clone());
    view! {
        <section class="card">
            <h2>{tr(CheckoutText::PickReceipt)}</h2>
            <Show when=move || receipts.with(|r| !r.is_empty()) fallback=move || view! { <p class="hint">{tr(CheckoutText::NoReceipts)}</p> }>
                <div class="pick-list">
                    {move || receipts.get().into_iter().map(|(receipt, date, paid, left)| {
                        let r2 = receipt.clone();
                        let sel = receipt.clone();
                        view! {
                            <button class="btn pick" data-testid="return-receipt" class:active=move || chosen.get().as_deref() == Some(sel.as_str())
                                on:click=move |_| { chosen.set(Some(r2.clone())); amount.set(left.format_plain().replace(',', "")); }>
                                <strong class="mono">{receipt}</strong>
                                <span class="hint">{date} " · " {format::money(&settings(), paid)} " · " {tr(CheckoutText::Left)} " " {format::money(&settings(), left)}</span>
                            </button>
                        }
                    }).collect_view()}
                </div>
            </Show>
            <Show when=move || chosen.get().is_some()>
                <div class="row-fields">
                    <label class="field">
                        <span>{tr(CheckoutText::ReturnAmount)}</span>
                        <input type="text" inputmode="decimal" data-testid="return-amount" prop:value=move || amount.get()
                            on:input=move |ev| amount.set(event_target_value(&ev))/>
                    </label>
                    <StaffPicker staff=staff/>
                    <button class="btn primary" data-testid="return-confirm" on:click=confirm>{tr(CheckoutText::ConfirmReturn)}</button>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn RedeemForm(member: MemberId, flash: RwSignal<Option<Flash>>) -> impl IntoView {
    let app = use_app();
    let rewards = Memo::new(move |_| {
        let today = app.today.get();
        app.store.with(|s| scheme_on(s, today).rewards)
    });
    let redeem = move |id: String| {
        let at = clock::now_local();
        let r = app.try_append(|s| record_redemption(s, member, Some(&id), 1, None, at));
        show(
            app,
            flash,
            r.map(|r| r.map(|d| format!("{}{}", app.t(CheckoutText::Redeemed), d.points))),
        );
    };
    view! {
        <section class="card">
            <h2>{tr(CheckoutText::Catalogue)}</h2>
            <Show when=move || rewards.with(|r| !r.is_empty()) fallback=move || view! { <p class="hint">{tr(CheckoutText::NoCatalogue)}</p> }>
                <div class="pick-list">
                    {move || rewards.get().into_iter().map(|r| {
                        let id = r.id.clone();
                        view! {
                            <button class="btn pick" data-testid="reward" on:click=move |_| redeem(id.clone())>
                                <strong>{r.name.clone()}</strong>
                                <span class="hint">{r.points} " " {tr(CheckoutText::Points)}
                                    {r.stock.map(|n| format!(" · {} {n}", app.t(CheckoutText::StockLeft)))}</span>
                            </button>
                        }
                    }).collect_view()}
                </div>
            </Show>
        </section>
    }
}

#[component]
fn CheckInForm(member: MemberId, flash: RwSignal<Option<Flash>>) -> impl IntoView {
    let app = use_app();
    let check_in = move |_| {
        let e = PointsEvent {
            member,
            at: clock::now_local(),
            kind: PointsEventKind::CheckIn,
            staff: None,
        };
        let r = app.try_append(|s| record_points_event(s, e));
        let msg = |rec: Recorded| match rec {
            Recorded::Added => app.t(CheckoutText::CheckInDone).to_string(),
            Recorded::AlreadyRecorded => app.t(CheckoutText::CheckInAgain).to_string(),
        };
        show(app, flash, r.map(|r| r.map(msg)));
    };
    view! {
        <section class="card">
            <button class="btn primary big" data-testid="checkin" on:click=check_in>{tr(CheckoutText::CheckIn)}</button>
        </section>
    }
}
