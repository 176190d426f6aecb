//! The words of the Today list (今日待办): each trigger's name and each
//! item's reason, in zh-CN and English, shared by the Today page, its
//! rows and the dashboard's counts.

use crate::format;
use crate::i18n::Lang;
use clientele_engine::care::today::{SkipReason, Trigger, Why};
use clientele_engine::care::work::Occasion;
use clientele_engine::money::Money;
use clientele_engine::points::explain::{tier_name, Lang as ExplainLang};
use clientele_engine::points::scheme::Scheme;
use clientele_engine::store::document::StoreSettings;

crate::texts!(TodayText {
    HoldOut => "对照组：{p}% 的会员出现在待办时被留出、不联系，用于在“客户关怀 → 消息效果”中对比。", "Hold-out group: {p}% of members are set aside when they come up and not contacted, to compare in Care → Results.";
    Title => "今日待办", "Today";
    Items => "{n} 项", "{n} to do";
    All => "全部", "All";
    Everyone => "所有导购", "All staff";
    AllShops => "所有门店", "All shops";
    Staff => "导购", "Staff";
    Shop => "门店", "Shop";
    Empty => "今天没有待办。提醒规则可在“设置 → 今日待办”中调整。", "Nothing to do today. The reminders can be set in Settings → Today.";
    EmptyHere => "这个范围今天没有待办。", "Nothing to do here today.";
    Send => "发消息", "Send";
    Done => "完成", "Done";
    Snooze => "稍后提醒…", "Snooze…";
    SnoozeTomorrow => "明天", "Tomorrow";
    Snooze3 => "3 天后", "In 3 days";
    Snooze7 => "一周后", "In a week";
    Skip => "跳过…", "Skip…";
    Marked => "已处理：", "Handled: ";
    Sent => "已发送并记入联系记录：", "Sent and logged: ";
    SkipInTouch => "最近已联系", "In touch already";
    SkipNotSuitable => "现在不合适", "Not the right moment";
    SkipDoNotContact => "会员不希望被打扰", "Asked not to be contacted";
    SkipOther => "其他", "Other";
    Planned => "计划回访", "Planned calls";
    Birthday => "生日", "Birthdays";
    FamilyDay => "家人生日与纪念日", "Family & special days";
    FollowUp => "购后回访", "Follow-ups";
    PointsExpiring => "积分即将到期", "Points expiring";
    TierAtRisk => "等级待保", "Tier at risk";
    RewardInReach => "即将可兑换", "Reward within reach";
    TierGained => "新晋升级", "Tier reached";
    WinBack => "好久未到店", "Win-back";
    DashTitle => "今日待办", "Today's work";
    DashOpen => "打开今日待办", "Open today's list";
});

pub fn trigger_text(t: Trigger) -> TodayText {
    match t {
        Trigger::Planned => TodayText::Planned,
        Trigger::Birthday => TodayText::Birthday,
        Trigger::FamilyDay => TodayText::FamilyDay,
        Trigger::FollowUp => TodayText::FollowUp,
        Trigger::PointsExpiring => TodayText::PointsExpiring,
        Trigger::TierAtRisk => TodayText::TierAtRisk,
        Trigger::RewardInReach => TodayText::RewardInReach,
        Trigger::TierGained => TodayText::TierGained,
        Trigger::WinBack => TodayText::WinBack,
    }
}

pub fn skip_text(r: SkipReason) -> TodayText {
    match r {
        SkipReason::AlreadyInTouch => TodayText::SkipInTouch,
        SkipReason::NotSuitable => TodayText::SkipNotSuitable,
        SkipReason::DoNotContact => TodayText::SkipDoNotContact,
        SkipReason::Other => TodayText::SkipOther,
    }
}

fn away(lang: Lang, days: i64) -> String {
    match (days, lang) {
        (0, Lang::Zh) => "今天".into(),
        (0, Lang::En) => "today".into(),
        (1, Lang::Zh) => "明天".into(),
        (1, Lang::En) => "tomorrow".into(),
        (n, Lang::Zh) => format!("{n} 天后"),
        (n, Lang::En) => format!("in {n} days"),
    }
}

/// Why the item is on the list, in one line.
pub fn why_text(lang: Lang, settings: &StoreSettings, scheme: &Scheme, why: &Why) -> String {
    let date = |d| format::date(settings, d);
    let explain = match lang {
        Lang::Zh => ExplainLang::Zh,
        Lang::En => ExplainLang::En,
    };
    let zh = lang == Lang::Zh;
    match why {
        Why::Birthday {
            date: on,
            days_away,
            turning,
        } => {
            let age = match (turning, zh) {
                (Some(a), true) => format!("，{a} 岁"),
                (Some(a), false) => format!(", turns {a}"),
                (None, _) => String::new(),
            };
            if zh {
                format!("生日 {}（{}{age}）", date(*on), away(lang, *days_away))
            } else {
                format!("Birthday {} ({}{age})", date(*on), away(lang, *days_away))
            }
        }
        Why::FamilyDay {
            occasion,
            date: on,
            days_away,
        } => {
            let what = match (occasion, zh) {
                (Occasion::FamilyBirthday { relation, name }, true) => {
                    format!("{relation} {name} 生日")
                }
                (Occasion::FamilyBirthday { relation, name }, false) => {
                    format!("{relation} {name}'s birthday")
                }
                (Occasion::SpecialDay { label }, _) => label.clone(),
                (Occasion::Birthday, true) => "生日".into(),
                (Occasion::Birthday, false) => "Birthday".into(),
            };
            format!("{what} · {} ({})", date(*on), away(lang, *days_away))
        }
        Why::FollowUp {
            receipt,
            bought,
            after,
            category,
        } => {
            let cat = if category.is_empty() {
                String::new()
            } else {
                format!(" · {category}")
            };
            if zh {
                format!(
                    "购买后第 {after} 天回访 · 小票 {receipt}（{}）{cat}",
                    date(*bought)
                )
            } else {
                format!(
                    "Day {after} after a sale · receipt {receipt} of {}{cat}",
                    date(*bought)
                )
            }
        }
        Why::PointsExpiring { points, first } => {
            if zh {
                format!("{points} 积分将于 {} 起到期", date(*first))
            } else {
                format!("{points} points expire from {}", date(*first))
            }
        }
        Why::RewardInReach {
            reward,
            short,
            balance,
        } => {
            if zh {
                format!("再积 {short} 分可兑换「{reward}」（现有 {balance} 分）")
            } else {
                format!("{short} points short of “{reward}” (has {balance})")
            }
        }
        Why::TierGained { tier, on } => {
            let name = tier_name(scheme, Some(*tier), explain);
            if zh {
                format!("{} 升为 {name}", date(*on))
            } else {
                format!("Reached {name} on {}", date(*on))
            }
        }
        Why::TierAtRisk {
            tier,
            review,
            needed,
            metric,
        } => {
            let name = tier_name(scheme, *tier, explain);
            let more = if metric.is_money() {
                format::money(settings, Money(*needed))
            } else if zh {
                format!("{needed} 笔")
            } else {
                format!("{needed} purchases")
            };
            if zh {
                format!("{name} 将于 {} 复核，还差 {more} 保级", date(*review))
            } else {
                format!(
                    "{name} is reviewed on {}: {more} more keeps it",
                    date(*review)
                )
            }
        }
        Why::WinBack { purchases, last } => {
            let m = settings.today.win_back.months;
            if zh {
                format!("近 {m} 个月购买 {purchases} 次，最后一次 {}", date(*last))
            } else {
                format!(
                    "{purchases} purchases in {m} months, the last on {}",
                    date(*last)
                )
            }
        }
        Why::Planned { what, due, .. } => {
            if zh {
                format!("计划：{what}（{} 到期）", date(*due))
            } else {
                format!("Planned: {what} (due {})", date(*due))
            }
        }
    }
}
