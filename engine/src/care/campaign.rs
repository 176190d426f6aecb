//! Campaign lists (营销名单): the members of a segment who agreed to be
//! contacted on one channel, as a CSV that opens correctly in Excel and
//! WPS (UTF-8 with a byte-order mark) and cannot smuggle formulas into a
//! spreadsheet.

use crate::members::model::{Member, MemberId};
use crate::points::explain::Lang;
use crate::store::document::Store;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Phone,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Sms, Channel::Phone, Channel::Email];

    /// True when the member agreed to this channel and can be reached on it.
    pub fn reaches(self, m: &Member) -> bool {
        match self {
            Channel::Sms => m.consent.sms && !m.mobile.is_empty(),
            Channel::Phone => m.consent.phone && !m.mobile.is_empty(),
            Channel::Email => m.consent.email && m.email.as_deref().is_some_and(|e| !e.is_empty()),
        }
    }
}

/// Byte-order mark: without it Excel reads UTF-8 Chinese as mojibake.
pub const BOM: &str = "\u{feff}";

/// The members of `ids` (in the store's order) reachable on `channel`.
pub fn campaign_members<'a>(
    store: &'a Store,
    ids: &[MemberId],
    channel: Channel,
) -> Vec<&'a Member> {
    let wanted: HashSet<MemberId> = ids.iter().copied().collect();
    store
        .members
        .iter()
        .filter(|m| wanted.contains(&m.id) && channel.reaches(m))
        .collect()
}

/// The campaign list as CSV text, starting with the BOM: card number,
/// name, mobile, email, one member per line.
pub fn campaign_csv(store: &Store, ids: &[MemberId], channel: Channel, lang: Lang) -> String {
    let header: [&str; 4] = match lang {
        Lang::Zh => ["会员卡号", "姓名", "手机号", "邮箱"],
        Lang::En => ["card_no", "name", "mobile", "email"],
    };
    let mut out = String::from(BOM);
    push_row(&mut out, &header);
    for m in campaign_members(store, ids, channel) {
        push_row(
            &mut out,
            &[
                &m.card_no,
                &m.name,
                &m.mobile,
                m.email.as_deref().unwrap_or(""),
            ],
        );
    }
    out
}

pub fn push_row(out: &mut String, cells: &[&str]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell(c));
    }
    out.push_str("\r\n");
}

/// One CSV cell: a leading = + - @ or tab would make a spreadsheet run it
/// as a formula, so such text gets a leading apostrophe; commas, quotes
/// and line breaks are quoted.
pub fn cell(text: &str) -> String {
    let neutral = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn store() -> Store {
        let joined = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut s = Store::default();
        let mut a = Member::new(MemberId(1), "C001", "王芳", joined);
        a.mobile = "13800138000".into();
        a.consent.sms = true;
        let mut b = Member::new(MemberId(2), "C002", "=HYPERLINK(\"x\")", joined);
        b.mobile = "13900139000".into();
        b.consent.sms = true;
        b.email = Some("b@example.com".into());
        let mut c = Member::new(MemberId(3), "C003", "Lee, Ann", joined);
        c.mobile = "13700137000".into();
        // No consent for SMS: left out.
        c.consent.email = true;
        c.email = Some("ann@example.com".into());
        let mut d = Member::new(MemberId(4), "C004", "无手机", joined);
        d.consent.sms = true;
        s.members = vec![a, b, c, d];
        s
    }

    #[test]
    fn only_consenting_members_reachable_on_the_channel() {
        let s = store();
        let all = [MemberId(1), MemberId(2), MemberId(3), MemberId(4)];
        let sms: Vec<u64> = campaign_members(&s, &all, Channel::Sms)
            .iter()
            .map(|m| m.id.0)
            .collect();
        // 3 refused SMS; 4 agreed but has no mobile.
        assert_eq!(sms, vec![1, 2]);
        let email: Vec<u64> = campaign_members(&s, &all, Channel::Email)
            .iter()
            .map(|m| m.id.0)
            .collect();
        assert_eq!(email, vec![3]);
        // Only the members asked for.
        assert_eq!(campaign_members(&s, &[MemberId(2)], Channel::Sms).len(), 1);
    }

    #[test]
    fn csv_has_bom_header_and_neutralised_cells() {
        let s = store();
        let text = campaign_csv(&s, &[MemberId(1), MemberId(2)], Channel::Sms, Lang::Zh);
        assert_eq!(
            text,
            "\u{feff}会员卡号,姓名,手机号,邮箱\r\n\
             C001,王芳,13800138000,\r\n\
             C002,\"'=HYPERLINK(\"\"x\"\")\",13900139000,b@example.com\r\n"
        );
        let en = campaign_csv(&s, &[MemberId(3)], Channel::Email, Lang::En);
        assert_eq!(
            en,
            "\u{feff}card_no,name,mobile,email\r\nC003,\"Lee, Ann\",13700137000,ann@example.com\r\n"
        );
    }

    #[test]
    fn every_dangerous_lead_is_neutralised() {
        for lead in ["=", "+", "-", "@", "\t"] {
            let c = cell(&format!("{lead}1+1"));
            assert!(c.starts_with('\'') || c.starts_with("\"'"), "{c}");
        }
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell(""), "");
    }
}
