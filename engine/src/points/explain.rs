//! Structured reasons for every ledger line and tier change. They are small
//! `Copy` values (indices into the scheme, multipliers) so replay stays fast;
//! the UI words them in zh-CN or English, and [`Reason::describe`] gives a
//! plain rendering for the command line.

use crate::money::Money;
use crate::points::rules::Milli;
use crate::points::scheme::Scheme;
use crate::points::tiers::{Metric, TierChange, TierIdx, TierReason};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// How a receipt's points were made up.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarnReason {
    /// Points from the rate and multipliers, after the one rounding.
    pub rate_points: i64,
    /// Fixed bonuses on this receipt (first purchase, birthday).
    pub bonus_points: i64,
    pub band: Option<u8>,
    pub band_multiplier: Milli,
    pub tier: Option<TierIdx>,
    pub tier_multiplier: Milli,
    /// The promotion applied (the best one unless the scheme stacks them).
    pub promotion: Option<u16>,
    /// How many promotions were in force that day.
    pub promotions: u8,
    pub birthday: bool,
    pub first_purchase: bool,
    /// 每单积分 added to the amount's points before the multipliers.
    #[serde(default)]
    pub receipt_points: i64,
    /// The receipt's item count, when the scheme reads it (zero otherwise).
    #[serde(default)]
    pub items: u32,
    /// 每件积分 × items, added as `receipt_points` is.
    #[serde(default)]
    pub item_points: i64,
    /// Why the receipt earned nothing under the earning rule, if so.
    #[serde(default)]
    pub not_earned: Option<NotEarned>,
    /// 品类/商品规则: the lines some rule matched (zero: none, or the
    /// scheme has no line rules), the receipt's resulting multiplier
    /// (Σ line × weight / Σ line, rounded down to a thousandth, for
    /// reading only), the lines' amount that earns nothing, and the extra
    /// points for products, added before the multipliers.
    #[serde(default)]
    pub lines_matched: u16,
    #[serde(default)]
    pub line_multiplier: Milli,
    #[serde(default)]
    pub line_excluded: Money,
    #[serde(default)]
    pub line_points: i64,
}

/// Why a receipt (a purchase) earned nothing at all: it still counts toward
/// tiers and spend, but takes no bonus and uses none up.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NotEarned {
    /// Outside the programme dates (活动有效期).
    OutsideProgramme,
    /// Below the minimum receipt amount (最低消费) `min`.
    BelowMinimumAmount { min: Money },
    /// `items` items, fewer than the minimum `min`.
    BelowMinimumItems { min: u32, items: u32 },
}

/// What a ledger line outside the programme dates would have earned.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missed {
    SignUp,
    BirthdayGift,
    CheckIn,
    ProfileCompleted,
    Referral,
    /// The entry reward (升级礼) of a tier reached outside the programme dates.
    TierEntry,
}

/// Why a ledger line exists.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reason {
    Purchase(EarnReason),
    /// 注册礼 / 开卡礼 on the join date.
    SignUp,
    /// 生日礼 on the birthday of `year`.
    BirthdayGift {
        year: i32,
    },
    /// A zero line: this would have earned, but its day lies outside the
    /// programme dates (活动有效期).
    OutsideProgramme {
        missed: Missed,
    },
    CheckIn,
    ProfileCompleted,
    /// The member referred `referred`, whose first purchase earned this.
    Referral {
        referred: u64,
    },
    Adjustment,
    OpeningBalance,
    Redeemed {
        reward: Option<u16>,
    },
    /// 积分抵现: points paid `value` of a receipt.
    PaidWithPoints {
        value: Money,
    },
    /// A return of `returned` gave back that share of the points that
    /// paid for the receipt.
    PointsRefunded {
        returned: Money,
    },
    Expired,
    /// Inactivity: the whole balance lapsed.
    Lapsed,
    /// A return reversed `returned` of the receipt's value.
    Returned {
        returned: Money,
    },
    /// Reversal of already-spent points taken from other lots.
    ClawedBack,
    /// Reversal of already-spent points left as a negative balance.
    NegativeBalance,
    /// A later earning paid off a negative balance.
    DebtSettled,
    /// Stored redemption that this scheme's balance cannot cover.
    RedemptionRefused {
        wanted: i64,
        available: i64,
    },
    /// A second check-in the same day, or a second profile bonus.
    AlreadyAwarded,
    /// 升级礼 / 晋级奖励: the member reached `tier` (once per tier per
    /// member); `reward` is the catalogue reward given with it, if any.
    TierEntry {
        tier: TierIdx,
        reward: Option<u16>,
    },
    /// A return undid the upgrade that reached `tier`, and took its entry
    /// reward back.
    TierEntryReversed {
        tier: TierIdx,
    },
}

/// "1 item", "3 items".
fn items_en(n: u32) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

fn milli(m: Milli) -> String {
    let whole = m.0 / 1000;
    let frac = m.0 % 1000;
    if frac == 0 {
        format!("{whole}")
    } else {
        let s = format!("{whole}.{frac:03}");
        s.trim_end_matches('0').to_string()
    }
}

/// A tier's name in the reader's language.
pub fn tier_name(scheme: &Scheme, idx: Option<TierIdx>, lang: Lang) -> String {
    match scheme.tiers.tier(idx) {
        Some(t) if lang == Lang::En && !t.name_en.is_empty() => t.name_en.clone(),
        Some(t) => t.name.clone(),
        None => match lang {
            Lang::En => "no tier".into(),
            Lang::Zh => "无等级".into(),
        },
    }
}

fn metric_name(m: Metric, lang: Lang) -> &'static str {
    match (m, lang) {
        (Metric::LifetimeSpend, Lang::En) => "lifetime spend",
        (Metric::LifetimeSpend, Lang::Zh) => "累计消费",
        (Metric::SpendLast12Months, Lang::En) => "spend in the last 12 months",
        (Metric::SpendLast12Months, Lang::Zh) => "近12个月消费",
        (Metric::SpendCalendarYear, Lang::En) => "spend this year",
        (Metric::SpendCalendarYear, Lang::Zh) => "年度消费",
        (Metric::PurchaseCount, Lang::En) => "purchases",
        (Metric::PurchaseCount, Lang::Zh) => "交易笔数",
        (Metric::SingleDaySpend, Lang::En) => "single-day spend",
        (Metric::SingleDaySpend, Lang::Zh) => "当日消费累计",
    }
}

/// The metric's name under this scheme: a growth year that does not start
/// on 1 January (成长值年度清零) is named by its start day.
fn metric_label(scheme: &Scheme, m: Metric, lang: Lang) -> String {
    match (m, scheme.tiers.growth_year_start) {
        (Metric::SpendCalendarYear, Some(y)) if (y.month, y.day) != (1, 1) => {
            let en_month = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            let month = en_month
                .get(usize::try_from(y.month).unwrap_or(0).wrapping_sub(1))
                .copied()
                .unwrap_or("");
            match lang {
                Lang::En => format!("spend in the year from {} {month}", y.day),
                Lang::Zh => format!("{}月{}日起年度消费", y.month, y.day),
            }
        }
        _ => metric_name(m, lang).to_string(),
    }
}

fn metric_value(m: Metric, v: i64) -> String {
    if m.is_money() {
        Money(v).format_plain()
    } else {
        v.to_string()
    }
}

impl EarnReason {
    /// e.g. "1.5× for 200.00-800.00 band, ×1.2 Gold, ×2 double-points day".
    pub fn describe(&self, scheme: &Scheme, lang: Lang) -> String {
        if let Some(why) = self.not_earned {
            return why.describe(lang);
        }
        let mut parts: Vec<String> = Vec::new();
        let en = lang == Lang::En;
        if let Some(b) = self
            .band
            .and_then(|i| scheme.earning.bands.get(usize::from(i)))
        {
            let range = match b.to {
                Some(to) => format!("{}-{}", b.from.format_plain(), to.format_plain()),
                None => format!("{}+", b.from.format_plain()),
            };
            parts.push(if en {
                format!("×{} for {range} band", milli(self.band_multiplier))
            } else {
                format!("{range}档 ×{}", milli(self.band_multiplier))
            });
        }
        if self.tier_multiplier != Milli::ONE {
            parts.push(format!(
                "×{} {}",
                milli(self.tier_multiplier),
                tier_name(scheme, self.tier, lang)
            ));
        }
        if let Some(p) = self
            .promotion
            .and_then(|i| scheme.promotions.get(usize::from(i)))
        {
            let mut s = format!("×{} {}", milli(p.multiplier), p.name);
            if self.promotions > 1 && !scheme.stack_promotions {
                let _ = write!(
                    s,
                    "{}",
                    if en {
                        " (best promotion)"
                    } else {
                        "（取最优活动）"
                    }
                );
            }
            parts.push(s);
        }
        if self.birthday {
            parts.push(if en { "birthday bonus" } else { "生日奖励" }.to_string());
        }
        if self.first_purchase {
            parts.push(
                if en {
                    "first-purchase bonus"
                } else {
                    "首购奖励"
                }
                .to_string(),
            );
        }
        if self.lines_matched > 0 {
            let n = self.lines_matched;
            if self.line_multiplier != Milli::ONE {
                parts.push(if en {
                    let lines = if n == 1 { "line" } else { "lines" };
                    format!(
                        "×{} by category/product rules ({n} {lines})",
                        milli(self.line_multiplier)
                    )
                } else {
                    format!("品类/商品规则 ×{}（{n}行）", milli(self.line_multiplier))
                });
            }
            if self.line_excluded.0 > 0 {
                parts.push(if en {
                    format!("{} not earning", self.line_excluded.format_plain())
                } else {
                    format!("{}不积分", self.line_excluded.format_plain())
                });
            }
            if self.line_points != 0 {
                parts.push(if en {
                    format!("+{} for products", self.line_points)
                } else {
                    format!("商品加赠+{}", self.line_points)
                });
            }
        }
        if self.receipt_points != 0 {
            parts.push(if en {
                format!("+{} per receipt", self.receipt_points)
            } else {
                format!("每单+{}", self.receipt_points)
            });
        }
        if self.item_points != 0 {
            parts.push(if en {
                format!("+{} for {}", self.item_points, items_en(self.items))
            } else {
                format!("{}件+{}", self.items, self.item_points)
            });
        }
        let head = if en {
            format!("{} from spend", self.rate_points)
        } else {
            format!("消费积分{}", self.rate_points)
        };
        if parts.is_empty() {
            head
        } else if en {
            format!("{head}: {}", parts.join(", "))
        } else {
            format!("{head}：{}", parts.join("，"))
        }
    }
}

impl NotEarned {
    pub fn describe(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        match *self {
            NotEarned::OutsideProgramme => if en {
                "no points: outside the programme dates"
            } else {
                "不积分：不在活动有效期内"
            }
            .to_string(),
            NotEarned::BelowMinimumAmount { min } => {
                if en {
                    format!(
                        "no points: below the minimum receipt of {}",
                        min.format_plain()
                    )
                } else {
                    format!("不积分：未达最低消费{}", min.format_plain())
                }
            }
            NotEarned::BelowMinimumItems { min, items } => {
                if en {
                    format!("no points: {}, the minimum is {min}", items_en(items))
                } else {
                    format!("不积分：{items}件，未达最低{min}件")
                }
            }
        }
    }
}

impl Missed {
    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Missed::SignUp, Lang::En) => "sign-up bonus",
            (Missed::SignUp, Lang::Zh) => "注册礼",
            (Missed::BirthdayGift, Lang::En) => "birthday gift",
            (Missed::BirthdayGift, Lang::Zh) => "生日礼",
            (Missed::CheckIn, Lang::En) => "daily check-in",
            (Missed::CheckIn, Lang::Zh) => "每日签到",
            (Missed::ProfileCompleted, Lang::En) => "profile completed",
            (Missed::ProfileCompleted, Lang::Zh) => "完善个人信息",
            (Missed::Referral, Lang::En) => "referral reward",
            (Missed::Referral, Lang::Zh) => "老带新奖励",
            (Missed::TierEntry, Lang::En) => "tier entry reward",
            (Missed::TierEntry, Lang::Zh) => "升级礼",
        }
    }
}

impl Reason {
    /// Plain wording for the command line and tests; the UI has its own.
    pub fn describe(&self, scheme: &Scheme, lang: Lang) -> String {
        let en = lang == Lang::En;
        let pick = |e: &str, z: &str| if en { e.to_string() } else { z.to_string() };
        match *self {
            Reason::Purchase(r) => r.describe(scheme, lang),
            Reason::SignUp => pick("sign-up bonus", "注册礼"),
            Reason::BirthdayGift { year } => {
                if en {
                    format!("birthday gift {year}")
                } else {
                    format!("{year}年生日礼")
                }
            }
            Reason::OutsideProgramme { missed } => {
                if en {
                    format!("{}: outside the programme dates", missed.name(lang))
                } else {
                    format!("{}：不在活动有效期内", missed.name(lang))
                }
            }
            Reason::CheckIn => pick("daily check-in", "每日签到"),
            Reason::ProfileCompleted => pick("profile completed", "完善个人信息"),
            Reason::Referral { referred } => {
                if en {
                    format!("referral reward (member #{referred} made a first purchase)")
                } else {
                    format!("老带新奖励（会员#{referred}首次消费）")
                }
            }
            Reason::Adjustment => pick("manual adjustment", "手工调整"),
            Reason::OpeningBalance => pick("opening balance imported", "导入期初积分"),
            Reason::Redeemed { reward } => {
                let name = reward
                    .and_then(|i| scheme.rewards.get(usize::from(i)))
                    .map(|r| r.name.clone());
                match (name, en) {
                    (Some(n), true) => format!("redeemed for {n}"),
                    (Some(n), false) => format!("兑换{n}"),
                    (None, true) => "redeemed".into(),
                    (None, false) => "积分兑换".into(),
                }
            }
            Reason::PaidWithPoints { value } => {
                if en {
                    format!("paid {} of the receipt with points", value.format_plain())
                } else {
                    format!("积分抵现{}", value.format_plain())
                }
            }
            Reason::PointsRefunded { returned } => {
                if en {
                    format!(
                        "return of {}: points that paid for it given back",
                        returned.format_plain()
                    )
                } else {
                    format!("退货{}，退还抵现积分", returned.format_plain())
                }
            }
            Reason::Expired => pick("expired", "积分过期"),
            Reason::Lapsed => pick("expired after inactivity", "长期未活动，积分清零"),
            Reason::Returned { returned } => {
                if en {
                    format!("return of {} reversed", returned.format_plain())
                } else {
                    format!("退货{}，扣回积分", returned.format_plain())
                }
            }
            Reason::ClawedBack => pick(
                "already spent: taken from other points",
                "积分已使用：从其他积分扣回",
            ),
            Reason::NegativeBalance => pick(
                "already spent: balance goes negative",
                "积分已使用：余额为负",
            ),
            Reason::DebtSettled => pick("negative balance paid off", "抵扣负积分"),
            Reason::RedemptionRefused { wanted, available } => {
                if en {
                    format!("redemption of {wanted} refused: only {available} available")
                } else {
                    format!("兑换{wanted}积分被拒：可用仅{available}")
                }
            }
            Reason::AlreadyAwarded => pick("already awarded", "已奖励过"),
            Reason::TierEntry { tier, reward } => {
                let name = tier_name(scheme, Some(tier), lang);
                let gift = reward
                    .and_then(|i| scheme.rewards.get(usize::from(i)))
                    .map(|r| r.name.clone());
                match (gift, en) {
                    (Some(g), true) => format!("reached {name}: entry reward, with {g}"),
                    (Some(g), false) => format!("升级至{name}：升级礼，赠{g}"),
                    (None, true) => format!("reached {name}: entry reward"),
                    (None, false) => format!("升级至{name}：升级礼"),
                }
            }
            Reason::TierEntryReversed { tier } => {
                let name = tier_name(scheme, Some(tier), lang);
                if en {
                    format!("a return undid reaching {name}: entry reward taken back")
                } else {
                    format!("退货取消升级{name}：扣回升级礼")
                }
            }
        }
    }
}

impl TierChange {
    pub fn describe(&self, scheme: &Scheme, lang: Lang) -> String {
        let from = tier_name(scheme, self.from, lang);
        let to = tier_name(scheme, self.to, lang);
        let en = lang == Lang::En;
        match self.reason {
            TierReason::Qualified { metric, value } => {
                if en {
                    format!(
                        "{from} → {to}: {} reached {}",
                        metric_label(scheme, metric, lang),
                        metric_value(metric, value)
                    )
                } else {
                    format!(
                        "{from} → {to}：{}达到{}",
                        metric_label(scheme, metric, lang),
                        metric_value(metric, value)
                    )
                }
            }
            TierReason::ValidityEnded { metric, value } => {
                if en {
                    format!(
                        "{from} → {to}: validity ended with {} {}",
                        metric_label(scheme, metric, lang),
                        metric_value(metric, value)
                    )
                } else {
                    format!(
                        "{from} → {to}：等级有效期满，{}为{}",
                        metric_label(scheme, metric, lang),
                        metric_value(metric, value)
                    )
                }
            }
            TierReason::ReturnReversed { metric, value } => {
                if en {
                    format!(
                        "{from} → {to}: a return brought {} back to {}",
                        metric_label(scheme, metric, lang),
                        metric_value(metric, value)
                    )
                } else {
                    format!(
                        "{from} → {to}：退货后{}为{}",
                        metric_label(scheme, metric, lang),
                        metric_value(metric, value)
                    )
                }
            }
            TierReason::OpeningTier => {
                if en {
                    format!("{from} → {to}: opening tier imported")
                } else {
                    format!("{from} → {to}：导入期初等级")
                }
            }
            TierReason::SchemeChanged => {
                if en {
                    format!("{from} → {to}: scheme changed")
                } else {
                    format!("{from} → {to}：会员方案变更")
                }
            }
        }
    }
}
