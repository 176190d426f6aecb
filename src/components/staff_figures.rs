//! Care → Staff (导购业绩): each staff member's sales, returns, members
//! served, contacts and how their messages did, for a period; exported as
//! CSV for the owner's own sheets (commission is worked out there).

use crate::files;
use crate::format;
use crate::i18n::tr;
use crate::state::use_app;
use chrono::{Datelike, Days, Months, NaiveDate};
use clientele_engine::care::staff::{staff_csv, staff_figures};
use leptos::prelude::*;

crate::texts!(FiguresText {
    Title => "导购业绩", "Staff";
    Period => "期间", "Period";
    ThisMonth => "本月", "This month";
    LastMonth => "上月", "Last month";
    Last30 => "近 30 天", "Last 30 days";
    ThisYear => "今年", "This year";
    Staff => "导购", "Staff";
    Sales => "销售笔数", "Sales";
    Revenue => "销售额", "Revenue";
    Returned => "退货", "Returned";
    Members => "服务会员", "Members";
    Contacts => "联系", "Contacts";
    Messages => "消息后 14 天内购买", "Bought ≤14 days after a message";
    Inactive => "（停用）", "(inactive)";
    NotListed => "（不在名单中）", "(not on the list)";
    Export => "导出 CSV", "Export CSV";
    Failed => "导出失败：", "Export failed: ";
    Empty => "还没有导购名单或带导购的记录。在“设置 → 导购”中添加导购，收银时选择导购后，这里会显示每人的业绩。", "No staff list or records naming staff yet. Add staff in Settings → Staff and choose them at the counter; each one's figures show here.";
});

#[derive(Copy, Clone, PartialEq, Eq)]
enum Period {
    ThisMonth,
    LastMonth,
    Last30,
    ThisYear,
}

impl Period {
    const ALL: [(Period, &'static str, FiguresText); 4] = [
        (Period::ThisMonth, "month", FiguresText::ThisMonth),
        (Period::LastMonth, "last-month", FiguresText::LastMonth),
        (Period::Last30, "30", FiguresText::Last30),
        (Period::ThisYear, "year", FiguresText::ThisYear),
    ];

    /// First and last day of the period as of `today`.
    fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let first_of_month = today.with_day(1).unwrap_or(today);
        match self {
            Period::ThisMonth => (first_of_month, today),
            Period::LastMonth => {
                let start = first_of_month
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(first_of_month);
                let end = first_of_month.pred_opt().unwrap_or(first_of_month);
                (start, end)
            }
            Period::Last30 => (
                today.checked_sub_days(Days::new(29)).unwrap_or(today),
                today,
            ),
            Period::ThisYear => (today.with_ordinal(1).unwrap_or(today), today),
        }
    }
}

#[component]
pub fn StaffFiguresTab() -> impl IntoView {
    let app = use_app();
    let period = RwSignal::new(Period::ThisMonth);
    let error = RwSignal::new(None::<String>);
    let figures = Memo::new(move |_| {
        let today = app.today.get();
        let (from, to) = period.get().range(today);
        app.store.with(|s| staff_figures(s, from, to, today))
    });
    let export = move |_| {
        let today = app.today.get_untracked();
        let (from, to) = period.get_untracked().range(today);
        let text = figures.with_untracked(|f| staff_csv(f, from, to, app.explain_lang()));
        let name = app
            .store
            .with_untracked(|s| files::file_name(&s.settings.store_name, "staff", today, "csv"));
        error.set(files::download(&name, "text/csv;charset=utf-8", text.as_bytes()).err());
    };
    view! {
        <section class="card" data-testid="staff-figures">
            <div class="care-head">
                <h2>{tr(FiguresText::Title)}</h2>
                <div class="care-switch" role="group" aria-label=move || app.t(FiguresText::Period)>
                    {Period::ALL.into_iter().map(|(p, code, label)| view! {
                        <button class="btn care-tab" type="button" data-testid=format!("staff-period-{code}")
                            aria-pressed=move || if period.get() == p { "true" } else { "false" }
                            on:click=move |_| period.set(p)>
                            {tr(label)}
                        </button>
                    }).collect_view()}
                </div>
            </div>
            <p class="hint" data-testid="staff-period">{move || {
                let (from, to) = period.get().range(app.today.get());
                app.store.with(|s| format!("{} – {}", format::date(&s.settings, from), format::date(&s.settings, to)))
            }}</p>
            <Show when=move || figures.with(|f| !f.is_empty()) fallback=move || view! {
                <p class="hint empty" data-testid="staff-figures-empty">{tr(FiguresText::Empty)}</p>
            }>
                <div class="results-wrap">
                    <table class="results-table">
                        <thead><tr>
                            <th>{tr(FiguresText::Staff)}</th>
                            <th class="num">{tr(FiguresText::Sales)}</th>
                            <th class="num">{tr(FiguresText::Revenue)}</th>
                            <th class="num">{tr(FiguresText::Returned)}</th>
                            <th class="num">{tr(FiguresText::Members)}</th>
                            <th class="num">{tr(FiguresText::Contacts)}</th>
                            <th class="num">{tr(FiguresText::Messages)}</th>
                        </tr></thead>
                        <tbody>
                            {move || {
                                let settings = app.store.with(|s| s.settings.clone());
                                figures.get().into_iter().map(|f| {
                                    let note = if !f.listed {
                                        app.t(FiguresText::NotListed)
                                    } else if !f.active {
                                        app.t(FiguresText::Inactive)
                                    } else {
                                        ""
                                    };
                                    let messages = if f.matured_14 == 0 {
                                        "–".to_string()
                                    } else {
                                        format!("{} / {}", f.bought_14, f.matured_14)
                                    };
                                    view! {
                                        <tr data-testid="staff-figures-row">
                                            <td>{f.name.clone()}<span class="hint">{note}</span>
                                                {(!f.shop.is_empty()).then(|| view! { <br/><span class="hint">{f.shop.clone()}</span> })}</td>
                                            <td class="num">{f.sales}</td>
                                            <td class="num">{format::money(&settings, f.revenue)}</td>
                                            <td class="num">{format::money(&settings, f.returned)}</td>
                                            <td class="num">{f.members}</td>
                                            <td class="num">{f.contacts}</td>
                                            <td class="num">{messages}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
                <div class="actions start">
                    <button class="btn primary" type="button" data-testid="staff-export" on:click=export>{tr(FiguresText::Export)}</button>
                </div>
            </Show>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{tr(FiguresText::Failed)}{e}</p> })}
        </section>
    }
}
