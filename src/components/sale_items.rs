//! A sale's items at the counter (optional): category, quantity and amount
//! per line, so rules by category apply and the history knows what sold.

use crate::i18n::tr;
use clientele_engine::members::model::LineItem;
use clientele_engine::Money;
use leptos::prelude::*;

crate::texts!(SaleItemText {
    Title => "商品明细（可选）", "Items (optional)";
    Hint => "按品类积分的规则只看这里列出的商品；不填则按金额积分。", "Rules by category read the items listed here; without them the sale earns on its amount.";
    Category => "品类", "Category";
    Quantity => "件数", "Qty";
    Amount => "金额", "Amount";
    Add => "添加商品", "Add an item";
    Remove => "删除", "Remove";
    Row => "第 {n} 行：", "Item {n}: ";
    BadAmount => "金额无法识别，例如 399 或 399.00。", "the amount is not a number such as 399 or 399.00.";
    BadQuantity => "件数须为 1 到 999 的整数。", "the quantity must be a whole number from 1 to 999.";
    NoCategory => "请填写品类。", "name its category.";
});

/// One line as typed: category, quantity, amount.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemRow {
    pub category: String,
    pub quantity: String,
    pub amount: String,
}

/// Why a typed line cannot be read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ItemProblem {
    Category,
    Quantity,
    Amount,
}

/// The lines typed, or the first one that cannot be read (its index and
/// field). Empty rows (nothing typed) are skipped.
pub fn parse_items(rows: &[ItemRow]) -> Result<Vec<LineItem>, (usize, ItemProblem)> {
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.category.trim().is_empty() && r.amount.trim().is_empty() {
            continue;
        }
        if r.category.trim().is_empty() {
            return Err((i, ItemProblem::Category));
        }
        let quantity = match r.quantity.trim() {
            "" => 1,
            q => q
                .parse::<i32>()
                .ok()
                .filter(|q| (1..=999).contains(q))
                .ok_or((i, ItemProblem::Quantity))?,
        };
        let amount = Money::parse(&r.amount)
            .filter(|m| m.minor() >= 0)
            .ok_or((i, ItemProblem::Amount))?;
        out.push(LineItem {
            sku: String::new(),
            category: r.category.trim().to_string(),
            quantity,
            amount,
        });
    }
    Ok(out)
}

/// The words for a line that cannot be read.
pub fn item_problem_text(lang: crate::i18n::Lang, (row, p): (usize, ItemProblem)) -> String {
    let head = lang
        .t(SaleItemText::Row)
        .replace("{n}", &(row + 1).to_string());
    let why = lang.t(match p {
        ItemProblem::Category => SaleItemText::NoCategory,
        ItemProblem::Quantity => SaleItemText::BadQuantity,
        ItemProblem::Amount => SaleItemText::BadAmount,
    });
    format!("{head}{why}")
}

#[component]
pub fn SaleItems(
    items: RwSignal<Vec<ItemRow>>,
    /// Categories to add with one tap (those the scheme's rules name).
    #[prop(into)]
    categories: Signal<Vec<String>>,
    /// Open to start with (the scheme reads the lines).
    open: bool,
) -> impl IntoView {
    let add = move |category: String| {
        items.update(|v| {
            v.push(ItemRow {
                category,
                quantity: "1".into(),
                amount: String::new(),
            })
        })
    };
    let field = move |i: usize, get: fn(&ItemRow) -> String, set: fn(&mut ItemRow, String)| {
        (
            move || items.with(|v| v.get(i).map(get).unwrap_or_default()),
            move |ev| {
                let value = event_target_value(&ev);
                items.update(|v| {
                    if let Some(r) = v.get_mut(i) {
                        set(r, value)
                    }
                })
            },
        )
    };
    let row = move |i: usize| {
        let (cat, set_cat) = field(i, |r| r.category.clone(), |r, v| r.category = v);
        let (qty, set_qty) = field(i, |r| r.quantity.clone(), |r, v| r.quantity = v);
        let (amt, set_amt) = field(i, |r| r.amount.clone(), |r, v| r.amount = v);
        view! {
            <div class="tr" data-testid="sale-item">
                <label class="cell-field"><span class="cell-label">{tr(SaleItemText::Category)}</span>
                    <input class="cell" type="text" data-testid="item-category" prop:value=cat on:input=set_cat/></label>
                <label class="cell-field"><span class="cell-label">{tr(SaleItemText::Quantity)}</span>
                    <input class="cell" type="text" inputmode="numeric" data-testid="item-quantity" prop:value=qty on:input=set_qty/></label>
                <label class="cell-field"><span class="cell-label">{tr(SaleItemText::Amount)}</span>
                    <input class="cell" type="text" inputmode="decimal" data-testid="item-amount" prop:value=amt on:input=set_amt/></label>
                <button class="btn small" type="button" on:click=move |_| items.update(|v| { if i < v.len() { v.remove(i); } })>{tr(SaleItemText::Remove)}</button>
            </div>
        }
    };
    let len = Memo::new(move |_| items.with(Vec::len));
    view! {
        <details class="field wide sale-items" open=open data-testid="sale-items">
            <summary>{tr(SaleItemText::Title)}</summary>
            <p class="hint">{tr(SaleItemText::Hint)}</p>
            <Show when=move || { len.get() > 0 }>
                <div class="table sale-item-table">
                    {move || (0..len.get()).map(row).collect_view()}
                </div>
            </Show>
            <div class="chips">
                {move || categories.get().into_iter().map(|c| {
                    let name = c.clone();
                    view! { <button class="chip" type="button" data-testid="item-chip" on:click=move |_| add(name.clone())>"+ " {c}</button> }
                }).collect_view()}
                <button class="btn" type="button" data-testid="item-add" on:click=move |_| add(String::new())>{tr(SaleItemText::Add)}</button>
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: &str, q: &str, a: &str) -> ItemRow {
        ItemRow {
            category: c.into(),
            quantity: q.into(),
            amount: a.into(),
        }
    }

    #[test]
    fn typed_items_become_lines_or_name_the_row_and_field() {
        let lines = parse_items(&[
            row("Scarves", "2", "398"),
            row("", "", ""),
            row(" Coats ", "", "1,299.50"),
        ])
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].quantity, lines[0].amount), (2, Money(39800)));
        assert_eq!(
            (
                lines[1].category.as_str(),
                lines[1].quantity,
                lines[1].amount
            ),
            ("Coats", 1, Money(129950))
        );
        assert_eq!(
            parse_items(&[row("A", "1", "x")]),
            Err((0, ItemProblem::Amount))
        );
        assert_eq!(
            parse_items(&[row("A", "1", "1"), row("B", "0", "1")]),
            Err((1, ItemProblem::Quantity))
        );
        assert_eq!(
            parse_items(&[row("", "1", "5")]),
            Err((0, ItemProblem::Category))
        );
        assert_eq!(
            parse_items(&[row("A", "1", "-5")]),
            Err((0, ItemProblem::Amount))
        );
    }
}
