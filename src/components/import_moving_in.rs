//! The import preview's choices for a file from another system (create
//! the members a purchase file names, negative lines as returns, a member
//! file's points balance and tier as opening balances), what they bring,
//! and the columns the import leaves out. The choices plan again at once.

use crate::components::import_wizard::field_text;
use crate::state::use_app;
use clientele_io::mapping::{Field, ImportKind};
use clientele_io::plan::{Extras, IgnoredColumn, MovingIn, NegativeLines};
use clientele_io::read::column_letter;
use leptos::prelude::*;

crate::texts!(MovingInText {
    Legend => "从其他系统迁入", "Moving in from another system";
    CreateMembers => "为还不是会员的顾客建立会员（用文件中的卡号、姓名、手机号和邮箱；入会日期为首次消费日）", "Create members for customers who are not members yet (from the file's card number, name, mobile and e-mail; joined on their first purchase)";
    Negatives => "负数的明细或金额（退货）", "Negative lines or amounts (returns)";
    NegRefuse => "不导入，列为有问题的行", "Do not import them: list them as rows with problems";
    NegReturns => "记为退货，冲减所注明的小票（原小票号，没有则小票号）", "Record them as returns against the receipt they name (the original receipt, else the receipt)";
    NegRefunds => "记为退货；找不到所注明的小票时，记为无小票退款（不冲减积分）", "Record them as returns; when the receipt they name is unknown, as refunds without a receipt (no points taken back)";
    Balances => "把积分余额和等级作为期初积分、期初等级导入（截至 {day}；等级保留到方案第一次复核）", "Bring in the points balance and tier as opening balances (as of {day}; the tier is kept until the scheme first reviews it)";
    MembersCreated => "新建会员", "Members to create";
    Returns => "退货", "Returns";
    Refunds => "无小票退款", "Refunds without a receipt";
    OpeningBalances => "期初积分", "Opening balances";
    OpeningTiers => "期初等级", "Opening tiers";
    NotImported => "不导入的列", "Columns not imported";
    Unrecognised => "无法识别", "not recognised";
    NotUsed => "{field}：此次导入不使用", "{field}: not used by this import";
    SpendNote => "累计消费：由消费记录计算，请另行导入消费记录", "total spend: counted from purchases; import the purchase history to bring it in";
});

use MovingInText as M;

/// The choices that apply to this kind of file (none for returns and
/// opening-balance files). `on_change` plans again (a plain closure, as
/// the wizard's own buttons call it: the preview it replaces holds this
/// component).
#[component]
pub fn MovingInChoices<F>(
    kind: ImportKind,
    /// The member file has a points or tier column.
    has_balances: bool,
    choices: RwSignal<MovingIn>,
    on_change: F,
) -> impl IntoView
where
    F: Fn() + Copy + 'static,
{
    let app = use_app();
    let t = move |k: M| app.t(k);
    let set = move |f: &dyn Fn(&mut MovingIn)| {
        choices.update(|c| f(c));
        on_change();
    };
    let c = choices.get_untracked();
    match kind {
        ImportKind::Purchases => {
            let negative = |value: NegativeLines, label: M, id: &'static str| {
                view! {
                    <label class="check">
                        <input type="radio" name="negative-lines" data-testid=id prop:checked=c.negative_lines == value
                            on:change=move |_| set(&|c| c.negative_lines = value)/>
                        {move || t(label)}
                    </label>
                }
            };
            view! {
                <fieldset class="field moving-in" data-testid="moving-in">
                    <legend>{move || t(M::Legend)}</legend>
                    <label class="check">
                        <input type="checkbox" data-testid="create-members" prop:checked=c.create_members
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                set(&|c| c.create_members = on);
                            }/>
                        {move || t(M::CreateMembers)}
                    </label>
                    <p class="hint">{move || t(M::Negatives)}</p>
                    {negative(NegativeLines::Refuse, M::NegRefuse, "negative-refuse")}
                    {negative(NegativeLines::Returns, M::NegReturns, "negative-returns")}
                    {negative(NegativeLines::ReturnsOrRefunds, M::NegRefunds, "negative-refunds")}
                </fieldset>
            }
            .into_any()
        }
        ImportKind::Members if has_balances => view! {
            <fieldset class="field moving-in" data-testid="moving-in">
                <legend>{move || t(M::Legend)}</legend>
                <label class="check">
                    <input type="checkbox" data-testid="member-balances" prop:checked=c.member_balances
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            set(&|c| c.member_balances = on);
                        }/>
                    {move || t(M::Balances).replace("{day}", &app.today.get().to_string())}
                </label>
            </fieldset>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// What the choices bring (the counts that are not zero).
#[component]
pub fn MovingInCounts(extras: Extras) -> impl IntoView {
    let app = use_app();
    let stats = [
        (
            M::MembersCreated,
            extras.members_created,
            "count-members-created",
        ),
        (M::Returns, extras.returns, "count-returns"),
        (M::Refunds, extras.refunds, "count-refunds"),
        (M::OpeningBalances, extras.balances, "count-balances"),
        (M::OpeningTiers, extras.tiers, "count-tiers"),
    ];
    stats
        .into_iter()
        .filter(|s| s.1 > 0)
        .map(|(label, n, id)| {
            view! {
                <div class="stat card" data-testid=id>
                    <span class="stat-value">{n}</span>
                    <span class="stat-label">{move || app.t(label)}</span>
                </div>
            }
        })
        .collect_view()
}

/// Every column the import leaves out, and why.
#[component]
pub fn IgnoredColumns(columns: Vec<IgnoredColumn>) -> impl IntoView {
    let app = use_app();
    (!columns.is_empty()).then(|| {
        let why = move |field: Option<Field>| {
            let l = app.lang.get();
            match field {
                None => l.t(M::Unrecognised).to_string(),
                Some(Field::TotalSpend) => l.t(M::SpendNote).to_string(),
                Some(f) => l.t(M::NotUsed).replace("{field}", l.t(field_text(f))),
            }
        };
        view! {
            <div class="ignored-columns" data-testid="ignored-columns">
                <h3>{move || app.t(M::NotImported)}</h3>
                <ul>
                    {columns.into_iter().map(|c| {
                        let name = if c.header.is_empty() {
                            column_letter(c.column)
                        } else {
                            format!("{} ({})", column_letter(c.column), c.header)
                        };
                        view! {
                            <li data-testid="ignored-column">
                                <span class="mono">{name}</span>" · "{move || why(c.field)}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}
