//! The Care words and the small helpers the Care page and its components
//! share (member names for a page of rows, a labelled choice), kept below
//! both so components never import from a page.

use crate::state::use_app;
use clientele_engine::care::log::{ContactKind, ContactOutcome};
use clientele_engine::{MemberId, Store};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

crate::texts!(CareText {
    TabDays => "生日与纪念日", "Birthdays & special days";
    TabCalls => "回访计划", "Call plan";
    TabPlan => "维护计划", "Maintenance plan";
    TabLog => "联系记录", "Contact log";
    TabReferrals => "转介绍", "Referrals";
    Next7 => "未来 7 天", "Next 7 days";
    Next30 => "未来 30 天", "Next 30 days";
    Today => "今天", "Today";
    Tomorrow => "明天", "Tomorrow";
    OccBirthday => "生日", "Birthday";
    OccFamily => "家人生日", "Family birthday";
    OccSpecial => "纪念日", "Special day";
    BenefitBirthday => "生日当月消费享双倍积分，并可到店领取生日礼。", "Birthday month: double points on purchases, and a birthday gift in store.";
    BenefitFamily => "送上贺卡，邀请到店为家人挑选礼物，享 95 折。", "Send a card and invite them to choose a gift for the family, 5% off.";
    BenefitSpecial => "送上祝福；到店可领取纪念日小礼。", "Send wishes; a small gift waits in store.";
    DaysEmpty => "这段时间没有生日或纪念日。可在会员资料中补充生日、家人生日和纪念日，以便提前准备。", "No birthdays or special days in this window. Add birthdays, family birthdays and special days to member profiles to plan ahead.";
    CallsRule => "每位会员每年至少联系 3 次（约每 4 个月一次）。未接通的电话不计入。", "Each member should be reached at least 3 times a year (about every 4 months). Unanswered calls do not count.";
    Overdue => "已逾期", "Overdue";
    DueSoon => "30 天内到期", "Due within 30 days";
    LastContact => "上次联系：", "Last contact: ";
    Never => "从未联系", "never";
    DueOn => "应联系日期", "Due";
    CallDone => "已回访", "Call done";
    OverdueEmpty => "没有逾期的回访，做得好！看看下面即将到期的会员。", "Nobody is overdue. Well done! See who is due soon below.";
    DueSoonEmpty => "30 天内没有到期的回访。可以提前联系最近没来的会员。", "Nobody is due in the next 30 days. You could reach out early to members who have not visited lately.";
    FieldKind => "方式", "How";
    FieldOutcome => "结果", "Outcome";
    FieldNote => "备注", "Note";
    FieldStaff => "经办导购（可不填）", "Staff (optional)";
    SaveContact => "保存记录", "Save";
    KindCall => "电话", "Call";
    KindVisit => "到店", "Visit";
    KindMessage => "消息", "Message";
    KindGift => "送礼", "Gift";
    KindEvent => "活动", "Event";
    OutReached => "已联系上", "Reached";
    OutNoAnswer => "未接通", "No answer";
    OutInterested => "有兴趣", "Interested";
    OutBought => "已购买", "Bought";
    OutDeclined => "婉拒", "Declined";
    OutComplaint => "投诉", "Complaint";
    PlanWhat => "事项", "What to do";
    PlanWhatHint => "如：新品到店时电话邀约", "e.g. call when the new collection arrives";
    PlanDue => "日期", "When";
    PlanWho => "负责人", "Who";
    PlanAdd => "添加到计划", "Add to plan";
    PlanOpen => "待办事项", "Open items";
    PlanNew => "为会员添加计划", "Add a plan item for a member";
    PlanFind => "找到会员：手机号、卡号或姓名", "Find the member: mobile, card number or name";
    PlanNoMatch => "没有找到会员，换个关键词试试。", "No member matches; try another search.";
    PlanFor => "添加给", "Adding for";
    PlanChange => "换一位", "Change";
    MarkDone => "完成", "Mark done";
    Reopen => "撤销", "Undo";
    DoneOn => "已完成", "Done";
    PlanEmpty => "没有待办的维护计划。在下方找到会员并添加一项，例如“寄送新季画册”。", "No open plan items. Find a member below and add one, e.g. “send the new season lookbook”.";
    MemberPlanEmpty => "还没有维护计划。在下方添加一项，例如“新品到店时电话邀约”。", "No plan items yet. Add one below, e.g. “call when the new collection arrives”.";
    ErrWhat => "请填写要做的事项。", "Say what is to be done.";
    ErrDate => "请选择日期。", "Pick a date.";
    ErrMember => "找不到该会员。", "That member does not exist.";
    ErrChurnNote => "选择“其他”时请写明原因。", "With “Other”, write what the reason was.";
    ErrSeries => "本设备的计划编号已用完（超过两百万条）。", "This device has used up its plan item numbers (over two million).";
    LogAll => "全部方式", "All kinds";
    LogAdd => "记录联系", "Log a contact";
    LogEmpty => "还没有联系记录。在“回访计划”中标记已回访，或在会员页记录联系。", "No contacts logged yet. Mark a call done in the call plan, or log one on a member's page.";
    MemberLogEmpty => "还没有联系记录。联系后在这里记下结果。", "No contacts yet. After reaching this member, note the outcome here.";
    RefRule => "老带新：介绍来的新会员首次消费后，介绍人获得奖励积分。", "Member-get-member: the referrer earns reward points when the member they brought first buys.";
    RefEmpty => "还没有转介绍记录。在会员资料的“介绍人”一栏填写即可记录。", "No referrals yet. Fill in “Referred by” on a member's profile to record one.";
    RefBrought => "介绍了", "Brought";
    RefPeople => "位", "";
    RefReward => "介绍奖励", "Referral reward";
    TabWinBack => "流失挽留", "Win back";
    TabResults => "消息效果", "Results";
    TabStaff => "导购业绩", "Staff";
    WinRule => "VIP（最高等级、金字塔 A/B 层、最有价值客户、重要价值客户）中，仍活跃概率低于 50% 或未到店时间远超自己平时间隔的会员，按可能流失的价值排序。", "VIPs (top tier, pyramid layers A and B, most valuable, champions) whose chance of still being active fell below 50%, or who have been away far longer than their own usual gap, ranked by the value at stake.";
    WinEmpty => "目前没有面临流失的 VIP。继续保持联系，并在会员资料中记录离开的原因。", "No VIP is about to lapse right now. Keep in touch, and record reasons for leaving on members who do.";
    ReasonsTitle => "离开原因统计", "Reasons for leaving";
    ValueAtStake => "可能流失的价值", "Value at stake";
    ChurnRecord => "记录原因", "Record reason";
    ChurnReasonField => "原因", "Reason";
    WonBack => "已挽回", "Won back";
    Step1 => "估算这位会员的未来价值（见右侧金额），先联系价值最高的会员。", "Weigh what the member is worth (the value shown) and call the most valuable first.";
    Step2 => "电话或到店时了解离开的原因，并在这里记录。", "On the call or visit, ask why they stopped coming and record it here.";
    Step3 => "针对原因采取挽回措施，并预防其他会员出现同样的问题。", "Act on that reason to win them back, and fix it for everyone else.";
    ReasonProduct => "商品（质量、价格、包装）", "Product (quality, price, packaging)";
    ReasonEnvironment => "购物环境", "Store environment";
    ReasonSales => "销售过程服务", "Service during the sale";
    ReasonAfterSales => "售后服务与投诉", "After-sales and complaints";
    ReasonCompetitor => "竞争对手", "A competitor";
    ReasonMoved => "搬家离开", "Moved away";
    ReasonOther => "其他", "Other";
    StepProduct => "邀请来看新品，并提供换货或修改服务。", "Invite them to see the new collection; offer an exchange or alterations.";
    StepEnvironment => "邀请预约私享时段到店，安静舒适地挑选。", "Invite them to a private appointment at a quiet hour.";
    StepSales => "由店长致电致歉，并指定一位专属导购。", "Have the manager call to apologise and assign a personal stylist.";
    StepAfterSales => "先解决投诉，一周内再回访确认满意。", "Resolve the complaint first, then call back within a week.";
    StepCompetitor => "提供对手没有的会员专享权益或活动邀请。", "Offer a member-only benefit or event the competitor does not have.";
    StepMoved => "提供送货上门或线上下单，并在特别的日子问候。", "Offer delivery or ordering by message; keep in touch on special days.";
    StepOther => "按会员所说的情况跟进。", "Follow up on what the member told you.";
    VipTopTier => "最高等级", "Top tier";
    VipPyramidA => "金字塔 A 层", "Pyramid A";
    VipPyramidB => "金字塔 B 层", "Pyramid B";
    VipMvc => "最有价值客户", "Most valuable";
    VipChampion => "重要价值客户", "Champion";
    VipCantLose => "不能失去的客户", "Can't lose them";
    RefPoints => "积分", "points";
});

impl CareText {
    pub fn error(e: &clientele_engine::care::log::CareError) -> CareText {
        use clientele_engine::care::log::CareError as E;
        match e {
            E::MissingWhat => CareText::ErrWhat,
            E::UnknownMember(_) => CareText::ErrMember,
            E::MissingChurnNote => CareText::ErrChurnNote,
            E::SeriesUsedUp => CareText::ErrSeries,
        }
    }

    pub fn kind(k: ContactKind) -> CareText {
        match k {
            ContactKind::Call => CareText::KindCall,
            ContactKind::Visit => CareText::KindVisit,
            ContactKind::Message => CareText::KindMessage,
            ContactKind::Gift => CareText::KindGift,
            ContactKind::Event => CareText::KindEvent,
        }
    }

    pub fn outcome(o: ContactOutcome) -> CareText {
        match o {
            ContactOutcome::Reached => CareText::OutReached,
            ContactOutcome::NoAnswer => CareText::OutNoAnswer,
            ContactOutcome::Interested => CareText::OutInterested,
            ContactOutcome::Bought => CareText::OutBought,
            ContactOutcome::Declined => CareText::OutDeclined,
            ContactOutcome::Complaint => CareText::OutComplaint,
        }
    }
}

/// Names of just the members a page of rows needs, in one pass.
pub fn member_names(
    store: &Store,
    ids: impl Iterator<Item = MemberId>,
) -> HashMap<MemberId, String> {
    let want: HashSet<MemberId> = ids.collect();
    if want.is_empty() {
        return HashMap::new();
    }
    store
        .members
        .iter()
        .filter(|m| want.contains(&m.id))
        .map(|m| (m.id, m.name.clone()))
        .collect()
}

/// A labelled select over a fixed list of choices.
pub fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    label: CareText,
    all: &'static [T],
    value: RwSignal<T>,
    word: fn(T) -> CareText,
    testid: &'static str,
) -> impl IntoView {
    let app = use_app();
    view! {
        <label class="field">
            <span>{move || app.t(label)}</span>
            <select data-testid=testid on:change=move |ev| {
                if let Some(v) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| all.get(i)) {
                    value.set(*v);
                }
            }>
                {all.iter().enumerate().map(|(i, v)| {
                    let v = *v;
                    view! { <option value=i.to_string() selected=move || value.get() == v>{move || app.t(word(v))}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}
