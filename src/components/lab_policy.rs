//! A candidate scheme's bonuses, pending period, point value, expiry and
//! return rules.

use crate::components::lab_field::{
    field_error, input, milli_text, parse_int, parse_milli, problem_of,
};
use crate::i18n::tr;
use chrono::NaiveDate;
use clientele_engine::members::model::LeapDay;
use clientele_engine::points::rules::{Milli, SchemeField};
use clientele_engine::points::scheme::{
    BirthdayBonus, BirthdayGift, BirthdayWindow, ExpiryPolicy, ReturnPolicy, Scheme,
};
use leptos::prelude::*;

crate::texts!(LabPolicyText {
    Bonuses => "奖励积分", "Bonus points";
    FirstPurchase => "首次消费奖励", "First purchase bonus";
    Profile => "完善资料奖励", "Profile completion bonus";
    CheckIn => "每日签到", "Daily check-in";
    Referral => "老带新奖励", "Referral bonus";
    Birthday => "生日当月首单奖励积分", "Birthday month: bonus points on the first purchase";
    BirthdayMult => "生日首单积分倍数", "Birthday purchase multiplier";
    Pending => "积分到账等待天数", "Days before points can be spent";
    PointValue => "每 1000 分折合金额（分）", "Worth of 1,000 points (in cents / fen)";
    Expiry => "积分有效期", "Points expiry";
    Never => "永久有效", "Never expire";
    AfterDays => "获得后若干天", "Days after earning";
    EndOfMonth => "获得后第 N 个月月底", "Month-end, N months later";
    Annual => "每年固定日期清零", "Cleared yearly on a date";
    Inactive => "连续无活动若干月后全部清零", "Lapse after idle months";
    Days => "天数", "Days";
    Months => "月数", "Months";
    Month => "月", "Month";
    Day => "日", "Day";
    ExtraYears => "顺延年数", "Extra years";
    Returns => "退货已用积分", "Returns of spent points";
    AllowNegative => "记为负积分，从以后积分中扣回", "Go negative, repaid later";
    ClawBack => "先从其他积分中扣回", "Taken from other points";
    SignUp => "注册礼（开卡当天赠送积分）", "Sign-up bonus (points on the day they join)";
    Gift => "生日礼（生日当天赠送积分，无需消费）", "Birthday gift (points on the birthday, no purchase needed)";
    Programme => "活动有效期（此期间外不积分，留空为不限）", "Programme dates (nothing earns outside them; empty for none)";
    ProgrammeFrom => "开始日期", "Starts";
    ProgrammeTo => "结束日期", "Ends";
    Leap => "2 月 29 日生日在平年算作", "A 29 February birthday in common years falls on";
    Feb28 => "2 月 28 日", "28 February";
    Mar1 => "3 月 1 日", "1 March";
});

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// An empty field clears the date; an unreadable one changes nothing.
fn parse_date(v: &str) -> Option<Option<NaiveDate>> {
    let v = v.trim();
    if v.is_empty() {
        return Some(None);
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().map(Some)
}

fn expiry_code(e: &ExpiryPolicy) -> &'static str {
    match e {
        ExpiryPolicy::Never => "never",
        ExpiryPolicy::AfterDays { .. } => "days",
        ExpiryPolicy::EndOfMonthAfter { .. } => "month_end",
        ExpiryPolicy::AnnualClear { .. } => "annual",
        ExpiryPolicy::Inactivity { .. } => "inactive",
    }
}

fn num(v: &str) -> Option<u32> {
    v.trim().parse().ok()
}

#[component]
pub fn PolicyEditor(scheme: RwSignal<Scheme>) -> impl IntoView {
    let problem = problem_of(scheme);
    let bonus = move |get: fn(&Scheme) -> i64, set: fn(&mut Scheme, i64)| {
        (
            move || scheme.with(|s| get(s).to_string()),
            move |v: String| {
                if let Some(x) = parse_int(&v) {
                    scheme.update(|s| set(s, x))
                }
            },
        )
    };
    let (g1, s1) = bonus(
        |s| s.bonuses.first_purchase,
        |s, x| s.bonuses.first_purchase = x,
    );
    let (g2, s2) = bonus(
        |s| s.bonuses.profile_completion,
        |s, x| s.bonuses.profile_completion = x,
    );
    let (g3, s3) = bonus(
        |s| s.bonuses.daily_check_in,
        |s, x| s.bonuses.daily_check_in = x,
    );
    let (g4, s4) = bonus(|s| s.bonuses.referral, |s, x| s.bonuses.referral = x);
    let (g5, s5) = bonus(
        |s| s.bonuses.birthday.as_ref().map_or(0, |b| b.points),
        |s, x| birthday(s).points = x,
    );
    let (g6, s6) = bonus(|s| s.point_value_milli, |s, x| s.point_value_milli = x);
    let (g7, s7) = bonus(|s| s.bonuses.sign_up, |s, x| s.bonuses.sign_up = x);
    let (g8, s8) = bonus(
        |s| s.bonuses.birthday_gift.as_ref().map_or(0, |g| g.points),
        |s, x| {
            s.bonuses.birthday_gift = (x != 0).then_some(BirthdayGift {
                points: x,
                min_notice_days: 30,
            })
        },
    );
    let leap = move || scheme.with(|s| s.leap_birthday);
    let expiry = move || scheme.with(|s| s.expiry.clone());
    let code = move || expiry_code(&expiry());
    let returns = move || scheme.with(|s| s.returns);
    let expiry_num = move |k: &'static str| {
        move || match (expiry(), k) {
            (ExpiryPolicy::AfterDays { days }, _) => days.to_string(),
            (ExpiryPolicy::EndOfMonthAfter { months }, _) => months.to_string(),
            (ExpiryPolicy::Inactivity { months }, _) => months.to_string(),
            (ExpiryPolicy::AnnualClear { month, .. }, "month") => month.to_string(),
            (ExpiryPolicy::AnnualClear { day, .. }, "day") => day.to_string(),
            (ExpiryPolicy::AnnualClear { extra_years, .. }, _) => extra_years.to_string(),
            (ExpiryPolicy::Never, _) => String::new(),
        }
    };
    let set_expiry_num = move |k: &'static str| {
        move |v: String| {
            let Some(x) = num(&v) else { return };
            scheme.update(|s| match (&mut s.expiry, k) {
                (ExpiryPolicy::AfterDays { days }, _) => *days = x,
                (ExpiryPolicy::EndOfMonthAfter { months }, _) => *months = x,
                (ExpiryPolicy::Inactivity { months }, _) => *months = x,
                (ExpiryPolicy::AnnualClear { month, .. }, "month") => *month = x,
                (ExpiryPolicy::AnnualClear { day, .. }, "day") => *day = x,
                (ExpiryPolicy::AnnualClear { extra_years, .. }, _) => *extra_years = x,
                (ExpiryPolicy::Never, _) => {}
            })
        }
    };
    view! {
        <fieldset class="lab-group" data-testid="lab-policy">
            <legend>{tr(LabPolicyText::Bonuses)}</legend>
            <div class="lab-fields">
                <div>{input(LabPolicyText::FirstPurchase, "bonus-first", g1, s1)}{field_error(problem, SchemeField::FirstPurchaseBonus)}</div>
                <div>{input(LabPolicyText::Profile, "bonus-profile", g2, s2)}{field_error(problem, SchemeField::ProfileBonus)}</div>
                <div>{input(LabPolicyText::CheckIn, "bonus-check-in", g3, s3)}{field_error(problem, SchemeField::CheckInBonus)}</div>
                <div>{input(LabPolicyText::Referral, "bonus-referral", g4, s4)}{field_error(problem, SchemeField::ReferralBonus)}</div>
                // Two fields and their error: each its own cell of the grid.
                <div class="lab-pair">
                    {input(LabPolicyText::Birthday, "bonus-birthday", g5, s5)}
                    {input(LabPolicyText::BirthdayMult, "bonus-birthday-mult",
                        move || scheme.with(|s| s.bonuses.birthday.as_ref().map_or("1".into(), |b| milli_text(b.multiplier.0))),
                        move |v| if let Some(x) = parse_milli(&v) { scheme.update(|s| birthday(s).multiplier = Milli(x)) })}
                    {field_error(problem, SchemeField::Birthday)}
                </div>
                <div>{input(LabPolicyText::Pending, "pending-days", move || scheme.with(|s| s.pending_days.to_string()),
                    move |v| if let Some(x) = num(&v) { scheme.update(|s| s.pending_days = x) })}{field_error(problem, SchemeField::Pending)}</div>
                <div>{input(LabPolicyText::PointValue, "point-value", g6, s6)}{field_error(problem, SchemeField::PointValue)}</div>
                <div>{input(LabPolicyText::SignUp, "bonus-sign-up", g7, s7)}{field_error(problem, SchemeField::SignUpBonus)}</div>
                <div>{input(LabPolicyText::Gift, "bonus-birthday-gift", g8, s8)}{field_error(problem, SchemeField::BirthdayGift)}</div>
                <label class="field lab-field long">
                    <span>{tr(LabPolicyText::Leap)}</span>
                    <select data-testid="leap-birthday" on:change=move |ev| {
                        let l = if event_target_value(&ev) == "mar1" { LeapDay::Mar1 } else { LeapDay::Feb28 };
                        scheme.update(|s| s.leap_birthday = l)
                    }>
                        <option value="feb28" selected=move || leap() == LeapDay::Feb28>{tr(LabPolicyText::Feb28)}</option>
                        <option value="mar1" selected=move || leap() == LeapDay::Mar1>{tr(LabPolicyText::Mar1)}</option>
                    </select>
                </label>
            </div>
            <h3>{tr(LabPolicyText::Programme)}</h3>
            <div class="lab-fields">
                {input(LabPolicyText::ProgrammeFrom, "programme-from", move || scheme.with(|s| date_text(s.programme_from)),
                    move |v| if let Some(d) = parse_date(&v) { scheme.update(|s| s.programme_from = d) })}
                {input(LabPolicyText::ProgrammeTo, "programme-to", move || scheme.with(|s| date_text(s.programme_to)),
                    move |v| if let Some(d) = parse_date(&v) { scheme.update(|s| s.programme_to = d) })}
            </div>
            {field_error(problem, SchemeField::Programme)}
        </fieldset>
        <fieldset class="lab-group" data-testid="lab-expiry">
            <legend>{tr(LabPolicyText::Expiry)}</legend>
            <div class="lab-fields">
                <label class="field lab-field long">
                    <span>{tr(LabPolicyText::Expiry)}</span>
                    <select data-testid="expiry-kind" on:change=move |ev| {
                        let e = match event_target_value(&ev).as_str() {
                            "days" => ExpiryPolicy::AfterDays { days: 365 },
                            "month_end" => ExpiryPolicy::EndOfMonthAfter { months: 12 },
                            "annual" => ExpiryPolicy::AnnualClear { month: 12, day: 31, extra_years: 1 },
                            "inactive" => ExpiryPolicy::Inactivity { months: 12 },
                            _ => ExpiryPolicy::Never,
                        };
                        scheme.update(|s| s.expiry = e)
                    }>
                        <option value="never" selected=move || code() == "never">{tr(LabPolicyText::Never)}</option>
                        <option value="days" selected=move || code() == "days">{tr(LabPolicyText::AfterDays)}</option>
                        <option value="month_end" selected=move || code() == "month_end">{tr(LabPolicyText::EndOfMonth)}</option>
                        <option value="annual" selected=move || code() == "annual">{tr(LabPolicyText::Annual)}</option>
                        <option value="inactive" selected=move || code() == "inactive">{tr(LabPolicyText::Inactive)}</option>
                    </select>
                </label>
                {move || match code() {
                    "days" => input(LabPolicyText::Days, "expiry-n", expiry_num("n"), set_expiry_num("n")).into_any(),
                    "month_end" | "inactive" => input(LabPolicyText::Months, "expiry-n", expiry_num("n"), set_expiry_num("n")).into_any(),
                    "annual" => view! {
                        {input(LabPolicyText::Month, "expiry-month", expiry_num("month"), set_expiry_num("month"))}
                        {input(LabPolicyText::Day, "expiry-day", expiry_num("day"), set_expiry_num("day"))}
                        {input(LabPolicyText::ExtraYears, "expiry-years", expiry_num("years"), set_expiry_num("years"))}
                    }.into_any(),
                    _ => ().into_any(),
                }}
                <label class="field lab-field long">
                    <span>{tr(LabPolicyText::Returns)}</span>
                    <select data-testid="return-policy" on:change=move |ev| {
                        let r = if event_target_value(&ev) == "claw_back" { ReturnPolicy::ClawBack } else { ReturnPolicy::AllowNegative };
                        scheme.update(|s| s.returns = r)
                    }>
                        <option value="allow_negative" selected=move || returns() == ReturnPolicy::AllowNegative>{tr(LabPolicyText::AllowNegative)}</option>
                        <option value="claw_back" selected=move || returns() == ReturnPolicy::ClawBack>{tr(LabPolicyText::ClawBack)}</option>
                    </select>
                </label>
            </div>
            {field_error(problem, SchemeField::Expiry)}
        </fieldset>
    }
}

fn birthday(s: &mut Scheme) -> &mut BirthdayBonus {
    s.bonuses.birthday.get_or_insert(BirthdayBonus {
        window: BirthdayWindow::Month,
        points: 0,
        multiplier: Milli::ONE,
        min_notice_days: 30,
    })
}
