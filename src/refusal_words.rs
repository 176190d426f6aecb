//! The words for a store or backup file's refused records
//! (`engine::store::validate::Refusal`), in zh-CN and English: which record, which
//! field (as named in the file) and why. Shared by the backup restore on
//! the Data page and the storage open path.

use crate::i18n::Lang;
use clientele_engine::store::validate::{Reason, RecordKind, Refusal, FIRST_YEAR, LAST_YEAR};

crate::texts!(RefusalWord {
    Header => "文件中有 {n} 条记录的数值不符合规则，未作任何更改：", "{n} records of the file break the store's rules; nothing was changed:";
    More => "……另有 {n} 条", "… and {n} more";
    Member => "会员", "Member";
    Purchase => "消费记录", "Purchase";
    Return => "退货", "Return";
    Event => "积分记录", "Points record";
    Scheme => "积分方案", "Scheme";
    Contact => "联系记录", "Contact";
    Plan => "维护计划", "Care plan item";
    Mark => "今日待办标记", "Today mark";
    Settings => "设置", "Settings";
    Outside => "{v} 不在 {a}–{b} 之间", "{v} is outside {a}–{b}";
    OutOfRange => "{v} 超出上限 ±{limit}", "{v} is beyond the limit of ±{limit}";
    Negative => "{v} 不能为负数", "{v} cannot be negative";
    NoSuchDay => "没有 {m} 月 {d} 日这一天", "there is no day {d} of month {m}";
    Year => "年份 {y} 不在 {a}–{b} 之间", "the year {y} is outside {a}–{b}";
    AboveReceipt => "退货合计 {r}，超过小票金额 {p}", "returns add up to {r}, more than the receipt's {p}";
    BeforeReceipt => "退货日期早于小票日期", "dated before its receipt";
    UnknownMember => "没有编号为 {id} 的会员", "no member has id {id}";
    UnknownReceipt => "没有这个小票号的消费记录", "no purchase has this receipt number";
    DuplicateId => "会员编号 {id} 重复", "member id {id} is used twice";
    InvalidScheme => "方案无效：", "the scheme is invalid: ";
});

fn kind(lang: Lang, k: RecordKind) -> &'static str {
    use RefusalWord as W;
    lang.t(match k {
        RecordKind::Member => W::Member,
        RecordKind::Purchase => W::Purchase,
        RecordKind::Return => W::Return,
        RecordKind::PointsEvent => W::Event,
        RecordKind::Scheme => W::Scheme,
        RecordKind::Contact => W::Contact,
        RecordKind::CarePlan => W::Plan,
        RecordKind::TodayMark => W::Mark,
        RecordKind::Settings => W::Settings,
    })
}

fn reason(lang: Lang, r: &Reason) -> String {
    use RefusalWord as W;
    let t = |k| lang.t(k).to_string();
    match r {
        Reason::OutOfRange { value, limit } => t(W::OutOfRange)
            .replace("{v}", &value.to_string())
            .replace("{limit}", &limit.to_string()),
        Reason::Negative { value } => t(W::Negative).replace("{v}", &value.to_string()),
        Reason::NoSuchDay { month, day } => t(W::NoSuchDay)
            .replace("{m}", &month.to_string())
            .replace("{d}", &day.to_string()),
        Reason::YearOutOfRange { year } => t(W::Year)
            .replace("{y}", &year.to_string())
            .replace("{a}", &FIRST_YEAR.to_string())
            .replace("{b}", &LAST_YEAR.to_string()),
        Reason::ReturnsAboveReceipt { receipt, returned } => t(W::AboveReceipt)
            .replace("{r}", &returned.format_plain())
            .replace("{p}", &receipt.format_plain()),
        Reason::ReturnBeforeReceipt => t(W::BeforeReceipt),
        Reason::UnknownMember { id } => t(W::UnknownMember).replace("{id}", &id.0.to_string()),
        Reason::UnknownReceipt => t(W::UnknownReceipt),
        Reason::Outside { value, min, max } => t(W::Outside)
            .replace("{v}", &value.to_string())
            .replace("{a}", &min.to_string())
            .replace("{b}", &max.to_string()),
        Reason::DuplicateMemberId { id } => t(W::DuplicateId).replace("{id}", &id.0.to_string()),
        Reason::Scheme(e) => format!(
            "{}{}",
            t(W::InvalidScheme),
            crate::components::lab_field::scheme_error_text(lang, e)
        ),
    }
}

/// One refused record: "Purchase 3 (R001) · amount: …".
pub fn refusal_text(lang: Lang, r: &Refusal) -> String {
    format!(
        "{} {} ({}) · {}: {}",
        kind(lang, r.kind),
        r.index + 1,
        r.id,
        r.field.path(),
        reason(lang, &r.reason)
    )
}

/// The heading and the first `max` refusals, then how many more.
pub fn refusals_text(lang: Lang, list: &[Refusal], max: usize) -> Vec<String> {
    use RefusalWord as W;
    let mut out = vec![lang.t(W::Header).replace("{n}", &list.len().to_string())];
    out.extend(list.iter().take(max).map(|r| refusal_text(lang, r)));
    if list.len() > max {
        out.push(
            lang.t(W::More)
                .replace("{n}", &(list.len() - max).to_string()),
        );
    }
    out
}
