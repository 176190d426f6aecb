//! Messages in one tap (一键发送): a template per occasion with merge fields
//! filled from the member's own numbers, the channels the member agreed to,
//! and the link that opens the message ready to send (SMS, e-mail,
//! WhatsApp) or the text to copy (WeChat). Sending logs a contact; the
//! console does that, with the occasion and channel this module names.

use crate::members::model::{Member, MemberId};
use crate::points::checkout::{member_points, scheme_on};
use crate::points::explain::{tier_name, Lang};
use crate::store::document::Store;
use chrono::{Datelike, Days, NaiveDate};

/// Why the member is being contacted: each has its own default template.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Occasion {
    Birthday,
    FollowUp,
    PointsExpiring,
    RewardInReach,
    TierReached,
    WinBack,
    General,
}

impl Occasion {
    pub const ALL: [Occasion; 7] = [
        Occasion::Birthday,
        Occasion::FollowUp,
        Occasion::PointsExpiring,
        Occasion::RewardInReach,
        Occasion::TierReached,
        Occasion::WinBack,
        Occasion::General,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Occasion::Birthday => "birthday",
            Occasion::FollowUp => "follow_up",
            Occasion::PointsExpiring => "points_expiring",
            Occasion::RewardInReach => "reward_in_reach",
            Occasion::TierReached => "tier_reached",
            Occasion::WinBack => "win_back",
            Occasion::General => "general",
        }
    }

    pub fn from_code(code: &str) -> Option<Occasion> {
        Occasion::ALL.into_iter().find(|o| o.code() == code)
    }

    /// The template a boutique starts with, in the member's language.
    pub fn default_template(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Occasion::Birthday, Lang::Zh) => "{name}，生日快乐！{shop}为您准备了生日礼遇，这个月来店里坐坐吧。——{staff}",
            (Occasion::Birthday, Lang::En) => "Happy birthday, {name}! {shop} has a birthday treat for you this month; do drop by. {staff}",
            (Occasion::FollowUp, Lang::Zh) => "{name}您好，上次选购的商品穿着还满意吗？有任何需要随时找我。——{shop} {staff}",
            (Occasion::FollowUp, Lang::En) => "Hello {name}, how are you finding your recent purchase? Anything you need, just ask. {staff}, {shop}",
            (Occasion::PointsExpiring, Lang::Zh) => "{name}您好，您有{expiring}积分将于{expires}到期，当前可用{points}积分，欢迎来店使用。——{shop}",
            (Occasion::PointsExpiring, Lang::En) => "Hello {name}, {expiring} of your points expire on {expires}; you have {points} to use. See you soon at {shop}.",
            (Occasion::RewardInReach, Lang::Zh) => "{name}您好，再积{short}分即可兑换{reward}，当前{points}积分。——{shop}",
            (Occasion::RewardInReach, Lang::En) => "Hello {name}, just {short} more points and {reward} is yours (you have {points}). {shop}",
            (Occasion::TierReached, Lang::Zh) => "恭喜{name}成为{tier}！专属礼遇已为您开启，期待您的光临。——{shop} {staff}",
            (Occasion::TierReached, Lang::En) => "Congratulations {name}, you are now {tier}! Your new benefits are waiting at {shop}. {staff}",
            (Occasion::WinBack, Lang::Zh) => "{name}您好，好久不见！{shop}上了新品，想请您来看看。——{staff}",
            (Occasion::WinBack, Lang::En) => "Hello {name}, it has been a while! New pieces have arrived at {shop}; we would love to show you. {staff}",
            (Occasion::General, Lang::Zh) => "{name}您好，",
            (Occasion::General, Lang::En) => "Hello {name}, ",
        }
    }
}

/// A boutique's own wording for an occasion in one language (Settings →
/// Messages); an occasion without one uses [`Occasion::default_template`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Template {
    /// [`Occasion::code`].
    pub occasion: String,
    /// `zh` or `en`.
    pub lang: String,
    pub text: String,
}

/// The most templates a store keeps (7 occasions × 2 languages, with room)
/// and the longest text.
pub const MAX_TEMPLATES: usize = 50;
pub const MAX_TEMPLATE_CHARS: usize = 1000;

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// The text `occasion` starts from in `lang`: the boutique's own, else the default.
pub fn template_for(templates: &[Template], occasion: Occasion, lang: Lang) -> &str {
    templates
        .iter()
        .find(|t| {
            t.occasion == occasion.code() && t.lang == lang_code(lang) && !t.text.trim().is_empty()
        })
        .map(|t| t.text.as_str())
        .unwrap_or_else(|| occasion.default_template(lang))
}

/// Sets the boutique's wording of `occasion` in `lang`; the default's own
/// text, or nothing, takes the custom one away.
pub fn set_template(templates: &mut Vec<Template>, occasion: Occasion, lang: Lang, text: &str) {
    templates.retain(|t| !(t.occasion == occasion.code() && t.lang == lang_code(lang)));
    let text = text.trim_end();
    if !text.trim().is_empty() && text != occasion.default_template(lang) {
        templates.push(Template {
            occasion: occasion.code().to_string(),
            lang: lang_code(lang).to_string(),
            text: text.chars().take(MAX_TEMPLATE_CHARS).collect(),
        });
    }
}

/// The merge fields of a template, from the member's record and points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageFacts {
    pub name: String,
    pub tier: String,
    pub points: i64,
    /// Points expiring within 30 days and the first day some expire.
    pub expiring: i64,
    pub expires: Option<NaiveDate>,
    /// The cheapest catalogue reward the balance does not reach yet, and the
    /// points still missing.
    pub reward: Option<(String, i64)>,
    pub birthday: Option<(u32, u32)>,
    pub staff: String,
    pub shop: String,
}

/// The facts for `member` as of `today`: their tier, points and what
/// expires, the next reward, the staff member writing and the shop.
pub fn facts_for(
    store: &Store,
    member: MemberId,
    today: NaiveDate,
    staff: &str,
    lang: Lang,
) -> Option<MessageFacts> {
    let m = store.members.iter().find(|m| m.id == member)?;
    let scheme = scheme_on(store, today);
    let outcome = member_points(store, member, today).ok();
    let (tier, points, expiring, expires) = match &outcome {
        Some(o) => {
            let month = today.checked_add_days(Days::new(30)).unwrap_or(today);
            let first = o
                .ledger
                .expiry_schedule()
                .into_iter()
                .find(|(d, n)| *d >= today && *d <= month && *n > 0)
                .map(|(d, _)| d);
            (
                tier_name(&scheme, o.tier, lang),
                o.available,
                o.expiring_30d,
                first,
            )
        }
        None => (String::new(), 0, 0, None),
    };
    let reward = scheme
        .rewards
        .iter()
        .filter(|r| r.points > points)
        .min_by_key(|r| r.points)
        .map(|r| (r.name.clone(), r.points - points));
    let shop = if m.store.is_empty() {
        store.settings.store_name.clone()
    } else {
        m.store.clone()
    };
    Some(MessageFacts {
        name: m.name.clone(),
        tier,
        points,
        expiring,
        expires,
        reward,
        birthday: m.birthday.map(|b| (b.month, b.day)),
        staff: staff.trim().to_string(),
        shop,
    })
}

/// `template` with its merge fields filled: {name} {tier} {points}
/// {expiring} {expires} {reward} {short} {birthday} {staff} {shop}. A field
/// without a value becomes empty; braces that name no field stay as typed.
pub fn fill(template: &str, f: &MessageFacts, lang: Lang) -> String {
    let date = |d: NaiveDate| match lang {
        Lang::Zh => format!("{}月{}日", d.month(), d.day()),
        Lang::En => d.format("%-d %B").to_string(),
    };
    let value = |field: &str| -> Option<String> {
        Some(match field {
            "name" => f.name.clone(),
            "tier" => f.tier.clone(),
            "points" => f.points.to_string(),
            "expiring" => f.expiring.to_string(),
            "expires" => f.expires.map(date).unwrap_or_default(),
            "reward" => f.reward.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
            "short" => f
                .reward
                .as_ref()
                .map(|r| r.1.to_string())
                .unwrap_or_default(),
            "birthday" => f
                .birthday
                .map(|(m, d)| match lang {
                    Lang::Zh => format!("{m}月{d}日"),
                    Lang::En => format!("{d}/{m}"),
                })
                .unwrap_or_default(),
            "staff" => f.staff.clone(),
            "shop" => f.shop.clone(),
            _ => return None,
        })
    };
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close])?)))
        {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    // A signature left empty (no staff member named) leaves no dangling dash.
    let kept = out.trim_end_matches(['—', ' ']).len();
    out.truncate(kept);
    out
}

/// How a message leaves the counter.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SendChannel {
    Sms,
    WhatsApp,
    /// Copied, to paste into WeChat (no link opens a WeChat chat).
    WeChat,
    Email,
}

impl SendChannel {
    pub const ALL: [SendChannel; 4] = [
        SendChannel::Sms,
        SendChannel::WhatsApp,
        SendChannel::WeChat,
        SendChannel::Email,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SendChannel::Sms => "sms",
            SendChannel::WhatsApp => "whatsapp",
            SendChannel::WeChat => "wechat",
            SendChannel::Email => "email",
        }
    }

    /// Whether the member agreed to it and can be reached on it: messages
    /// to the mobile (SMS, WhatsApp, WeChat) need the SMS consent, e-mail
    /// the e-mail consent.
    pub fn allowed(self, m: &Member) -> bool {
        match self {
            SendChannel::Email => {
                m.consent.email && m.email.as_deref().is_some_and(|e| !e.trim().is_empty())
            }
            _ => m.consent.sms && m.mobile.chars().any(|c| c.is_ascii_digit()),
        }
    }
}

/// The channels the member can be sent a message on.
pub fn channels(m: &Member) -> Vec<SendChannel> {
    SendChannel::ALL
        .into_iter()
        .filter(|c| c.allowed(m))
        .collect()
}

/// The link that opens `text` ready to send to `m` on `channel` (`None`
/// for WeChat, which is copied, and for a channel the member did not
/// agree to).
pub fn link(channel: SendChannel, m: &Member, text: &str, subject: &str) -> Option<String> {
    if !channel.allowed(m) {
        return None;
    }
    let digits: String = m.mobile.chars().filter(|c| c.is_ascii_digit()).collect();
    let plus = if m.mobile.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    match channel {
        SendChannel::Sms => Some(format!("sms:{plus}{digits}?body={}", percent_encode(text))),
        SendChannel::WhatsApp => Some(format!(
            "https://wa.me/{digits}?text={}",
            percent_encode(text)
        )),
        SendChannel::Email => Some(format!(
            "mailto:{}?subject={}&body={}",
            m.email.as_deref().unwrap_or("").trim(),
            percent_encode(subject),
            percent_encode(text)
        )),
        SendChannel::WeChat => None,
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters, as
/// `encodeURIComponent` does (Chinese text survives any link).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::model::{Consent, MonthDay};

    fn facts() -> MessageFacts {
        MessageFacts {
            name: "王芳".into(),
            tier: "金卡".into(),
            points: 1280,
            expiring: 300,
            expires: NaiveDate::from_ymd_opt(2026, 12, 31),
            reward: Some(("真丝围巾".into(), 220)),
            birthday: Some((3, 8)),
            staff: "小李".into(),
            shop: "静安店".into(),
        }
    }

    #[test]
    fn a_boutiques_own_wording_replaces_the_default_in_its_language_only() {
        let mut t = Vec::new();
        set_template(
            &mut t,
            Occasion::Birthday,
            Lang::Zh,
            "{name}，生日快乐！小礼物已备好。",
        );
        assert_eq!(
            fill(
                template_for(&t, Occasion::Birthday, Lang::Zh),
                &facts(),
                Lang::Zh
            ),
            "王芳，生日快乐！小礼物已备好。"
        );
        assert_eq!(
            template_for(&t, Occasion::Birthday, Lang::En),
            Occasion::Birthday.default_template(Lang::En)
        );
        // Set again: replaced, not added; the default's own text or nothing removes it.
        set_template(&mut t, Occasion::Birthday, Lang::Zh, "生日快乐");
        assert_eq!(t.len(), 1);
        set_template(
            &mut t,
            Occasion::Birthday,
            Lang::Zh,
            Occasion::Birthday.default_template(Lang::Zh),
        );
        assert!(t.is_empty());
        set_template(&mut t, Occasion::WinBack, Lang::En, "Hi {name}");
        set_template(&mut t, Occasion::WinBack, Lang::En, "   ");
        assert!(t.is_empty());
    }

    #[test]
    fn every_default_template_fills_without_braces_left() {
        for o in Occasion::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let text = fill(o.default_template(lang), &facts(), lang);
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "{o:?} {lang:?}: {text}"
                );
            }
        }
        assert_eq!(
            fill(
                Occasion::PointsExpiring.default_template(Lang::Zh),
                &facts(),
                Lang::Zh
            ),
            "王芳您好，您有300积分将于12月31日到期，当前可用1280积分，欢迎来店使用。——静安店"
        );
        assert_eq!(
            fill(
                Occasion::RewardInReach.default_template(Lang::En),
                &facts(),
                Lang::En
            ),
            "Hello 王芳, just 220 more points and 真丝围巾 is yours (you have 1280). 静安店"
        );
    }

    #[test]
    fn unknown_fields_stay_and_missing_values_are_empty() {
        let f = MessageFacts {
            reward: None,
            ..facts()
        };
        assert_eq!(
            fill("{name} {reward}|{nope} {", &f, Lang::En),
            "王芳 |{nope} {"
        );
        assert_eq!(fill("生日{birthday}", &f, Lang::Zh), "生日3月8日");
        let unsigned = MessageFacts {
            staff: String::new(),
            ..facts()
        };
        assert_eq!(
            fill(
                Occasion::WinBack.default_template(Lang::Zh),
                &unsigned,
                Lang::Zh
            ),
            "王芳您好，好久不见！静安店上了新品，想请您来看看。"
        );
    }

    #[test]
    fn only_the_channels_the_member_agreed_to_and_links_that_carry_the_text() {
        let mut m = Member::new(
            MemberId(1),
            "C1",
            "王芳",
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        );
        m.mobile = "+86 138-0013-8000".into();
        m.email = Some("fang@example.com".into());
        m.birthday = MonthDay::new(3, 8, None);
        assert!(channels(&m).is_empty(), "no consent, no channel");
        m.consent = Consent {
            sms: true,
            phone: false,
            email: false,
        };
        assert_eq!(
            channels(&m),
            vec![SendChannel::Sms, SendChannel::WhatsApp, SendChannel::WeChat]
        );
        assert_eq!(link(SendChannel::Email, &m, "x", "y"), None);
        assert_eq!(
            link(SendChannel::Sms, &m, "您好 & bye", "").unwrap(),
            "sms:+8613800138000?body=%E6%82%A8%E5%A5%BD%20%26%20bye"
        );
        assert_eq!(
            link(SendChannel::WhatsApp, &m, "Hi!", "").unwrap(),
            "https://wa.me/8613800138000?text=Hi%21"
        );
        m.consent.email = true;
        assert_eq!(
            link(SendChannel::Email, &m, "Hello", "Lotus").unwrap(),
            "mailto:fang@example.com?subject=Lotus&body=Hello"
        );
    }

    #[test]
    fn the_facts_come_from_the_members_points_and_the_catalogue() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let mut s = crate::demo::demo_store(7, today, crate::demo::DemoLanguage::English);
        let id = s.members[0].id;
        s.members[0].store = String::new();
        let f = facts_for(&s, id, today, " Amy ", Lang::En).unwrap();
        let o = member_points(&s, id, today).unwrap();
        assert_eq!((f.points, f.expiring), (o.available, o.expiring_30d));
        assert_eq!(f.staff, "Amy");
        assert_eq!(f.shop, s.settings.store_name);
        if let Some((_, short)) = &f.reward {
            assert!(*short > 0);
        }
    }
}
