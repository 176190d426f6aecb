//! Small pieces shared by the scheme lab's editors: a labelled input bound
//! to a candidate scheme, the validation message beside the field at
//! fault, and the text forms of multipliers and amounts.

use crate::i18n::{Lang, Text};
use crate::state::use_app;
use clientele_engine::points::lab::Preset;
use clientele_engine::points::rules::{SchemeError, SchemeField, SchemeProblem};
use clientele_engine::points::scheme::Scheme;
use clientele_engine::Money;
use leptos::prelude::*;

crate::texts!(SchemeErrText {
    NoScheme => "没有方案。", "There is no scheme.";
    ZeroRate => "积分和金额都必须大于 0。", "Points and the amount they are earned per must both be above 0.";
    EmptyBand => "这一档的结束金额必须高于起始金额。", "This band must end above where it starts.";
    Overlapping => "这一档与上一档重叠：请按金额从低到高排列，且上一档须有结束金额。", "This band overlaps the one before: list bands from low to high, and give the one before an end.";
    ZeroMultiplier => "倍数不能为 0（否则就不再积分）。", "A multiplier of 0 would stop earning.";
    PromotionDates => "活动结束日期早于开始日期。", "The promotion ends before it starts.";
    NoTiers => "至少需要一个等级。", "The ladder needs at least one tier.";
    Unordered => "门槛必须高于下面的等级（同一指标）。", "The threshold must be above the tiers below it (on the same measure).";
    OpenEntry => "开放型等级的最低等级门槛必须为 0。", "With open entry the lowest tier must need nothing (threshold 0).";
    InvalidDate => "这个日期不存在。", "That date does not exist.";
    ZeroPeriod => "期限必须大于 0。", "The period must be longer than 0.";
    Negative => "不能为负数（兑换所需积分须大于 0）。", "Cannot be negative (a reward must cost more than 0 points).";
    DuplicateReward => "兑换编号重复：", "This reward code is used twice: ";
    PendingTooLong => "积分待生效的天数不能长于有效期，最多（天）：", "Points cannot wait longer to become spendable than they stay valid; at most this many days: ";
    Overflow => "数值过大，无法计算积分。", "The numbers are too large to compute the points.";
    ProgrammeDates => "活动有效期的结束日期早于开始日期。", "The programme ends before it starts.";
    UnknownReward => "兑换目录中没有此编号：", "No reward in the catalogue has this code: ";
    PercentAbove100 => "比例不能超过 100%。", "A share cannot be above 100%.";
    EmptyMatch => "请填写品类或商品编码。", "Name a category or a SKU.";
});

crate::texts!(PresetText {
    Simple => "每元 1 分", "1 point per yuan";
    Banded => "分档积分", "Banded rate";
    Department => "百货四卡", "Department store cards";
    Classic => "近 12 个月升降级", "Up and down on 12 months";
});

/// A preset's name in the console's language (the engine names presets by
/// id only).
pub fn preset_name(lang: Lang, p: Preset) -> &'static str {
    lang.t(match p {
        Preset::Simple => PresetText::Simple,
        Preset::Banded => PresetText::Banded,
        Preset::DepartmentStore => PresetText::Department,
        Preset::Classic => PresetText::Classic,
    })
}

/// A scheme's name to show: a preset still named as the engine names it is
/// worded in the console's language; any other name is the shop's own.
pub fn scheme_name(lang: Lang, name: &str) -> String {
    Preset::named(name).map_or_else(|| name.to_string(), |p| preset_name(lang, p).to_string())
}

/// The words for a validation error, in the console's language.
pub fn scheme_error_text(lang: Lang, e: &SchemeError) -> String {
    use SchemeErrText as T;
    let t = |k| lang.t(k).to_string();
    match e {
        SchemeError::NoScheme => t(T::NoScheme),
        SchemeError::ZeroRate => t(T::ZeroRate),
        SchemeError::EmptyBand { .. } => t(T::EmptyBand),
        SchemeError::OverlappingBands { .. } => t(T::Overlapping),
        SchemeError::ZeroMultiplier => t(T::ZeroMultiplier),
        SchemeError::PromotionDates { .. } => t(T::PromotionDates),
        SchemeError::NoTiers => t(T::NoTiers),
        SchemeError::UnorderedThresholds { .. } => t(T::Unordered),
        SchemeError::OpenEntryWithThreshold => t(T::OpenEntry),
        SchemeError::InvalidDate => t(T::InvalidDate),
        SchemeError::ZeroPeriod => t(T::ZeroPeriod),
        SchemeError::NegativeValue => t(T::Negative),
        SchemeError::DuplicateReward { id } => format!("{}{id}", t(T::DuplicateReward)),
        SchemeError::PendingLongerThanExpiry { expiry_days, .. } => {
            format!("{}{expiry_days}", t(T::PendingTooLong))
        }
        SchemeError::Overflow => t(T::Overflow),
        SchemeError::ProgrammeDates => t(T::ProgrammeDates),
        SchemeError::UnknownReward { id } => format!("{}{id}", t(T::UnknownReward)),
        SchemeError::PercentAbove100 => t(T::PercentAbove100),
        SchemeError::EmptyMatch => t(T::EmptyMatch),
    }
}

/// The problem of a candidate, if any, recomputed as it is edited.
pub fn problem_of(scheme: RwSignal<Scheme>) -> Memo<Option<SchemeProblem>> {
    Memo::new(move |_| scheme.with(|s| s.check().err()))
}

/// The message beside `field` when the scheme's problem lies there.
pub fn field_error(problem: Memo<Option<SchemeProblem>>, field: SchemeField) -> impl IntoView {
    let app = use_app();
    move || {
        problem.get().filter(|p| p.field == field).map(|p| {
            view! {
                <p class="error field-error" role="alert" data-testid="field-error">
                    {move || scheme_error_text(app.lang.get(), &p.error)}
                </p>
            }
        })
    }
}

/// A labelled text input bound to the scheme. The value is read on
/// `change` (enter or leaving the field), so lists do not re-render while
/// the owner types.
pub fn input<K: Text>(
    label: K,
    testid: &'static str,
    get: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    labelled(&FIELD, label, testid, get, set)
}

/// An input for table cells, labelled with its column's words: the label
/// is read out by screen readers everywhere and shown above the input on
/// phones, where the table's header row gives way to stacked cards.
pub fn cell_input(
    testid: &'static str,
    label: impl Text,
    get: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    labelled(&CELL, label, testid, get, set)
}

fn labelled(
    look: &'static Look,
    label: impl Text,
    testid: &'static str,
    get: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    text_input(
        look,
        label.zh(),
        label.en(),
        testid,
        Box::new(get),
        Box::new(set),
    )
}

/// Classes of a text input's parts and its keyboard.
struct Look {
    label: &'static str,
    words: &'static str,
    input: &'static str,
    mode: &'static str,
}

const FIELD: Look = Look {
    label: "field lab-field",
    words: "",
    input: "",
    mode: "decimal",
};

const CELL: Look = Look {
    label: "cell-field",
    words: "cell-label",
    input: "cell",
    mode: "text",
};

/// The one rendering of every lab text input: not generic, so the many
/// fields share one piece of view code (wasm size).
fn text_input(
    look: &'static Look,
    zh: &'static str,
    en: &'static str,
    testid: &'static str,
    get: Box<dyn Fn() -> String + Send + Sync>,
    set: Box<dyn Fn(String) + Send + Sync>,
) -> impl IntoView {
    view! {
        <label class=look.label>
            <span class=look.words>{crate::i18n::words(zh, en)}</span>
            <input type="text" class=look.input inputmode=look.mode data-testid=testid
                prop:value=get
                on:change=move |ev| set(event_target_value(&ev))/>
        </label>
    }
}

/// `1500` → "1.5".
pub fn milli_text(m: u32) -> String {
    let frac = m % 1000;
    if frac == 0 {
        (m / 1000).to_string()
    } else {
        format!("{}.{:03}", m / 1000, frac)
            .trim_end_matches('0')
            .to_string()
    }
}

/// "1.5" → `1500`; at most three decimals, never negative.
pub fn parse_milli(text: &str) -> Option<u32> {
    let t = text.trim().trim_start_matches(['×', 'x', 'X']);
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.len() > 3 || (whole.is_empty() && frac.is_empty()) {
        return None;
    }
    let w: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<3}").parse().ok()?
    };
    w.checked_mul(1000)?.checked_add(f)
}

/// An amount as typed in the lab: plain, no symbol ("1299.5").
pub fn amount_text(minor: i64) -> String {
    Money(minor).format_plain().replace(',', "")
}

pub fn parse_amount(text: &str) -> Option<i64> {
    Money::parse(text).map(|m| m.0)
}

/// Whole numbers; negatives are kept so validation can point at them.
pub fn parse_int(text: &str) -> Option<i64> {
    text.trim().replace(',', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_read_and_print_as_decimals() {
        assert_eq!(parse_milli("1.5"), Some(1500));
        assert_eq!(parse_milli("×2"), Some(2000));
        assert_eq!(parse_milli("0.125"), Some(125));
        assert_eq!(parse_milli("1.2345"), None);
        assert_eq!(parse_milli("abc"), None);
        assert_eq!(milli_text(1500), "1.5");
        assert_eq!(milli_text(2000), "2");
        assert_eq!(milli_text(1125), "1.125");
    }
}
