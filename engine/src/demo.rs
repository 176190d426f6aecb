//! The demo boutique: a deterministic, seeded generator, so a shop can try
//! every screen on believable data. Same seed, same date, same store, on
//! every platform (the PRNG is ours, no OS randomness, no clock).

use crate::members::model::{
    Consent, FamilyMember, Gender, LineItem, Member, MemberId, MonthDay, Preferences, Purchase,
    Return, SpecialDay,
};
use crate::money::Money;
use crate::points::events::{PointsEvent, PointsEventKind};
use crate::points::rules::Milli;
use crate::points::scheme::{
    presets, BirthdayBonus, BirthdayWindow, DatedScheme, Promotion, Reward, Scheme,
};
use crate::points::tiers::presets as tier_presets;
use crate::store::document::{Store, StoreSettings};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use std::collections::HashSet;

/// Which language the generated names and labels are in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DemoLanguage {
    Chinese,
    English,
}

/// SplitMix64: tiny, fast and identical everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }
    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Buying rhythms seen in a boutique's history.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Rhythm {
    OneTime,
    Occasional,
    Regular,
    Seasonal,
    LapsedVip,
    BigSpender,
    Newcomer,
}

fn rhythm(rng: &mut Rng) -> Rhythm {
    match rng.below(100) {
        0..=29 => Rhythm::OneTime,
        30..=51 => Rhythm::Occasional,
        52..=77 => Rhythm::Regular,
        78..=86 => Rhythm::Seasonal,
        87..=92 => Rhythm::LapsedVip,
        93..=96 => Rhythm::BigSpender,
        _ => Rhythm::Newcomer,
    }
}

struct Words {
    surnames: &'static [&'static str],
    given: &'static [&'static str],
    stores: [&'static str; 3],
    staff: [&'static str; 5],
    categories: [&'static str; 7],
    tags: [&'static str; 6],
    sizes: [&'static str; 5],
    colours: [&'static str; 6],
    styles: [&'static str; 5],
    jobs: [&'static str; 6],
    workplaces: [&'static str; 5],
    cities: [&'static str; 4],
    relations: [&'static str; 3],
    anniversary: &'static str,
    store_name: &'static str,
    note: &'static str,
}

const ZH: Words = Words {
    surnames: &[
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
        "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    ],
    given: &[
        "芳", "娜", "敏", "静", "丽", "艳", "婷", "雪", "慧", "洁", "琳", "颖", "欣怡", "雨萱",
        "梓涵", "诗琪", "佳怡", "思雨", "晓燕", "美玲", "秀英", "桂英", "海燕", "丹丹", "晨曦",
        "若溪", "可馨", "子涵", "建华", "志强",
    ],
    stores: ["旗舰店", "万象城店", "滨江店"],
    staff: ["小林", "阿美", "王姐", "陈晨", "周周"],
    categories: ["连衣裙", "针织衫", "外套", "衬衫", "半身裙", "配饰", "护肤"],
    tags: [
        "新品预览",
        "VIP沙龙",
        "婚礼客户",
        "团购",
        "喜欢折扣",
        "老顾客",
    ],
    sizes: ["S", "M", "L", "XL", "均码"],
    colours: ["黑色", "米白", "藏青", "酒红", "驼色", "雾霾蓝"],
    styles: ["通勤", "简约", "优雅", "休闲", "度假"],
    jobs: ["教师", "医生", "设计师", "会计", "经理", "律师"],
    workplaces: [
        "市一中",
        "人民医院",
        "设计工作室",
        "会计师事务所",
        "科技公司",
    ],
    cities: [
        "杭州市西湖区",
        "杭州市滨江区",
        "杭州市上城区",
        "杭州市拱墅区",
    ],
    relations: ["丈夫", "女儿", "儿子"],
    anniversary: "结婚纪念日",
    store_name: "莲 · 精品女装",
    note: "喜欢提前试穿新款，周末来店",
};

const EN: Words = Words {
    surnames: &[
        "Smith", "Chen", "Brown", "Wong", "Taylor", "Li", "Wilson", "Lee", "Davies", "Evans",
        "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Green", "Hall", "Wood", "Clarke",
        "Lewis",
    ],
    given: &[
        "Emma", "Olivia", "Sophie", "Grace", "Chloe", "Lucy", "Amelia", "Ella", "Mia", "Hannah",
        "Isla", "Ruby", "Alice", "Zoe", "Leah", "Nora", "Clara", "Iris", "Maya", "Jade", "Anna",
        "Laura", "Kate", "Helen", "Rachel", "Sarah", "Megan", "Daniel", "James", "Tom",
    ],
    stores: ["Flagship", "Mall", "Riverside"],
    staff: ["Lin", "Amy", "Grace W.", "Chen", "Joy"],
    categories: [
        "Dresses",
        "Knitwear",
        "Coats",
        "Blouses",
        "Skirts",
        "Accessories",
        "Skincare",
    ],
    tags: [
        "New-season preview",
        "VIP salon",
        "Wedding client",
        "Group buy",
        "Likes sales",
        "Old friend",
    ],
    sizes: ["S", "M", "L", "XL", "One size"],
    colours: ["Black", "Ivory", "Navy", "Burgundy", "Camel", "Dusty blue"],
    styles: ["Workwear", "Minimal", "Elegant", "Casual", "Resort"],
    jobs: [
        "Teacher",
        "Doctor",
        "Designer",
        "Accountant",
        "Manager",
        "Lawyer",
    ],
    workplaces: [
        "City High School",
        "General Hospital",
        "Design studio",
        "Accounting firm",
        "Tech company",
    ],
    cities: [
        "12 Lake Road",
        "8 River Street",
        "3 Garden Lane",
        "21 Hill Avenue",
    ],
    relations: ["Husband", "Daughter", "Son"],
    anniversary: "Wedding anniversary",
    store_name: "Lotus Boutique",
    note: "Likes to try new arrivals first; visits at weekends",
};

/// Price points in yuan, cheap to dear.
const PRICES: [i64; 15] = [
    199, 299, 399, 499, 599, 699, 899, 1299, 1599, 1999, 2599, 3299, 4800, 6800, 8800,
];

/// The demo boutique with about 1,000 members, as of `today`.
pub fn demo_store(seed: u64, today: NaiveDate, lang: DemoLanguage) -> Store {
    demo_store_sized(seed, today, lang, 1_000)
}

/// The demo boutique with `members` members and about ten purchases each on
/// average among repeat buyers: 100,000 members give about a million
/// purchases, for benchmarks and the large-store checks.
pub fn demo_store_sized(seed: u64, today: NaiveDate, lang: DemoLanguage, members: usize) -> Store {
    let w = match lang {
        DemoLanguage::Chinese => &ZH,
        DemoLanguage::English => &EN,
    };
    let mut rng = Rng(seed ^ 0xC11E_47E1);
    let start = today - Duration::days(730);
    let mut store = Store {
        settings: StoreSettings {
            store_name: w.store_name.to_string(),
            ..StoreSettings::default()
        },
        schemes: vec![DatedScheme {
            effective_from: start,
            scheme: demo_scheme(w, today),
        }],
        ..Default::default()
    };
    store.members.reserve(members);
    store.purchases.reserve(members * 9);
    let mut mobiles = HashSet::with_capacity(members);
    let mut receipt_seq = 0u64;
    let mut return_seq = 0u64;

    for i in 0..members {
        let id = MemberId(i as u64 + 1);
        let r = rhythm(&mut rng);
        // When this member's history begins.
        let first = match r {
            Rhythm::Newcomer => today - Duration::days(rng.range(0, 60)),
            Rhythm::LapsedVip => start + Duration::days(rng.range(0, 200)),
            _ => start + Duration::days(rng.range(0, 700)),
        };
        let dates = purchase_dates(&mut rng, r, first, today);
        let joined = first - Duration::days(rng.range(0, 3));
        let mut m = Member::new(
            id,
            format!("VIP{:06}", i + 1),
            name(&mut rng, w, lang),
            joined,
        );
        m.mobile = loop {
            let prefix = *rng.pick(&[
                130u64, 133, 135, 136, 138, 139, 150, 151, 158, 159, 180, 186, 188, 189,
            ]);
            let candidate = format!("{prefix}{:08}", rng.below(100_000_000));
            if mobiles.insert(candidate.clone()) {
                break candidate;
            }
        };
        m.store = w.stores[rng.below(3) as usize].to_string();
        fill_profile(&mut rng, w, &mut m);
        if i > 20 && rng.chance(10) {
            // Referrers are earlier members; their join date may be later
            // than this member's first purchase only by the demo's chance,
            // so pick among the first half of those already made.
            let referrer = MemberId(rng.below(i as u64 / 2).max(1));
            if store
                .members
                .iter()
                .any(|x| x.id == referrer && x.joined <= joined)
            {
                m.referrer = Some(referrer);
            }
        }
        for d in dates {
            receipt_seq += 1;
            let (amount, lines) = basket(&mut rng, w, r);
            let time =
                NaiveTime::from_hms_opt(rng.range(10, 21) as u32, rng.range(0, 59) as u32, 0)
                    .unwrap_or_default();
            let p = Purchase {
                receipt: format!("R{}{:06}", d.format_compact(), receipt_seq),
                member: id,
                at: d.and_time(time),
                amount,
                store: m.store.clone(),
                device: String::new(),
                lines,
                staff: String::new(),
            };
            if rng.chance(3) {
                let back = d + Duration::days(rng.range(1, 14));
                if back <= today {
                    return_seq += 1;
                    let full = rng.chance(50) || p.lines.len() < 2;
                    let (amt, lines) = if full {
                        (p.amount, p.lines.clone())
                    } else {
                        (p.lines[0].amount, vec![p.lines[0].clone()])
                    };
                    store.returns.push(Return {
                        id: format!("T{:06}", return_seq),
                        receipt: p.receipt.clone(),
                        at: back.and_time(time),
                        amount: amt,
                        lines,
                        staff: String::new(),
                    });
                }
            }
            store.purchases.push(p);
        }
        // Some members check in on the app and redeem gifts.
        if let Some(last) = store.purchases.last().filter(|p| p.member == id) {
            let day = last.at;
            if rng.chance(15) {
                store.points_events.push(PointsEvent {
                    member: id,
                    at: day,
                    kind: PointsEventKind::CheckIn,
                    staff: None,
                });
            }
            if matches!(r, Rhythm::Regular | Rhythm::BigSpender) && rng.chance(30) {
                let (reward, points) = if rng.chance(50) {
                    ("GIFT-BAG", 500)
                } else {
                    ("SCARF", 1_500)
                };
                store.points_events.push(PointsEvent {
                    member: id,
                    at: day + Duration::minutes(5),
                    kind: PointsEventKind::Redemption {
                        reward: Some(reward.into()),
                        quantity: 1,
                        points,
                    },
                    staff: m.staff.clone(),
                });
            }
        }
        store.members.push(m);
    }
    store
}

/// The demo's scheme: the handbook's banded rate, the classic ladder on a
/// year's spend, birthday-month double points, a double-points week and a
/// small rewards catalogue.
fn demo_scheme(w: &Words, today: NaiveDate) -> Scheme {
    let zh = w.store_name == ZH.store_name;
    let mut s = presets::banded();
    s.name = if zh {
        "本店方案".into()
    } else {
        "Our scheme".into()
    };
    s.tiers = tier_presets::classic();
    s.bonuses.first_purchase = 100;
    s.bonuses.daily_check_in = 5;
    s.bonuses.referral = 200;
    s.bonuses.profile_completion = 50;
    s.bonuses.birthday = Some(BirthdayBonus {
        window: BirthdayWindow::Month,
        points: 0,
        multiplier: Milli(2000),
        min_notice_days: 30,
    });
    let week = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    s.promotions.push(Promotion {
        name: if zh {
            "会员周双倍积分".into()
        } else {
            "Member week double points".into()
        },
        from: week,
        to: week + Duration::days(6),
        multiplier: Milli(2000),
    });
    let reward = |id: &str, zh_name: &str, en_name: &str, points: i64, stock: Option<u32>| Reward {
        id: id.into(),
        name: if zh { zh_name.into() } else { en_name.into() },
        points,
        stock,
    };
    s.rewards = vec![
        reward("GIFT-BAG", "精美礼袋", "Gift bag", 500, None),
        reward("COUPON-50", "50元代金券", "¥50 voucher", 1_000, None),
        reward("SCARF", "真丝丝巾", "Silk scarf", 1_500, Some(200)),
        reward("SPA", "护理体验券", "Spa treatment", 6_000, Some(20)),
    ];
    s
}

trait CompactDate {
    fn format_compact(&self) -> String;
}

impl CompactDate for NaiveDate {
    fn format_compact(&self) -> String {
        format!("{:04}{:02}{:02}", self.year(), self.month(), self.day())
    }
}

fn purchase_dates(rng: &mut Rng, r: Rhythm, first: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let mut dates = vec![first];
    let (gap_lo, gap_hi, stop) = match r {
        Rhythm::OneTime => return dates,
        Rhythm::Occasional => {
            let n = rng.range(1, 3);
            for _ in 0..n {
                let d = first + Duration::days(rng.range(20, 500));
                if d <= today {
                    dates.push(d);
                }
            }
            dates.sort();
            return dates;
        }
        Rhythm::Newcomer => (7, 40, today),
        Rhythm::Regular => {
            let g = rng.range(14, 50);
            (g * 2 / 3, g * 4 / 3, today)
        }
        Rhythm::Seasonal => (70, 110, today),
        Rhythm::BigSpender => (18, 40, today),
        // Bought often, then stopped 5 to 13 months ago.
        Rhythm::LapsedVip => (10, 28, today - Duration::days(rng.range(150, 400))),
    };
    let mut d = first;
    loop {
        d += Duration::days(rng.range(gap_lo, gap_hi));
        if d > stop || d > today {
            break;
        }
        dates.push(d);
    }
    dates
}

fn basket(rng: &mut Rng, w: &Words, r: Rhythm) -> (Money, Vec<LineItem>) {
    let items = match r {
        Rhythm::BigSpender | Rhythm::LapsedVip => rng.range(1, 4),
        _ => rng.range(1, 2),
    };
    let dear = matches!(r, Rhythm::BigSpender | Rhythm::LapsedVip);
    let mut lines = Vec::with_capacity(items as usize);
    for _ in 0..items {
        // Skewed toward the cheaper end; big spenders start higher.
        let lo = if dear { 5 } else { 0 };
        let a = rng.range(lo, 14);
        let b = rng.range(lo, 14);
        let c = if dear { 14 } else { rng.range(lo, 14) };
        let price = PRICES[a.min(b).min(c) as usize];
        // Some sales at 10% or 20% off, rounded to whole yuan.
        let off = match rng.below(10) {
            0 => 80,
            1 | 2 => 90,
            _ => 100,
        };
        let cat = rng.below(w.categories.len() as u64) as usize;
        lines.push(LineItem {
            sku: format!("SKU{:03}{:02}", price % 1000, cat),
            category: w.categories[cat].to_string(),
            quantity: 1,
            amount: Money::from_major(price * off / 100),
        });
    }
    let total = lines.iter().map(|l| l.amount).sum();
    // Not every till records line items.
    if rng.chance(35) {
        lines.clear();
    }
    (total, lines)
}

fn name(rng: &mut Rng, w: &Words, lang: DemoLanguage) -> String {
    let s = rng.pick(w.surnames);
    let g = rng.pick(w.given);
    match lang {
        DemoLanguage::Chinese => format!("{s}{g}"),
        DemoLanguage::English => format!("{g} {s}"),
    }
}

fn birthday(rng: &mut Rng, year: Option<i32>) -> MonthDay {
    if rng.chance(1) {
        return MonthDay {
            month: 2,
            day: 29,
            year: year.map(|_| 1992),
        };
    }
    let month = rng.range(1, 12) as u32;
    let day = rng.range(1, 28) as u32;
    MonthDay { month, day, year }
}

/// Profiles fill in step by step: some members gave everything, most gave
/// a little.
fn fill_profile(rng: &mut Rng, w: &Words, m: &mut Member) {
    let depth = rng.below(100); // how forthcoming this member has been
    let share = |rng: &mut Rng, base: u64| rng.chance(base.min(100) * (depth + 30) / 100);
    m.gender = Some(match rng.below(100) {
        0..=84 => Gender::Female,
        85..=97 => Gender::Male,
        _ => Gender::Other,
    });
    if share(rng, 85) {
        let year = rng.chance(60).then(|| rng.range(1965, 2003) as i32);
        m.birthday = Some(birthday(rng, year));
        m.birthday_recorded_on = Some(m.joined);
    }
    if share(rng, 45) {
        let first = rng.pick(w.surnames).to_lowercase();
        m.email = Some(format!(
            "{}{}@example.com",
            if first.is_ascii() {
                first
            } else {
                "member".into()
            },
            m.id.0
        ));
    }
    if share(rng, 35) {
        m.workplace = Some(rng.pick(&w.workplaces).to_string());
        m.job = Some(rng.pick(&w.jobs).to_string());
    }
    if share(rng, 40) {
        m.address = Some(rng.pick(&w.cities).to_string());
    }
    if share(rng, 55) {
        m.preferences = Preferences {
            sizes: vec![rng.pick(&w.sizes).to_string()],
            colours: vec![
                rng.pick(&w.colours).to_string(),
                rng.pick(&w.colours).to_string(),
            ],
            styles: vec![rng.pick(&w.styles).to_string()],
            categories: vec![rng.pick(&w.categories).to_string()],
        };
        m.preferences.colours.dedup();
    }
    if share(rng, 30) {
        let relation = rng.pick(&w.relations).to_string();
        let fam_name = rng.pick(w.given).to_string();
        let bday = Some(birthday(rng, None));
        m.family.push(FamilyMember {
            relation,
            name: fam_name,
            birthday: bday,
        });
    }
    if share(rng, 18) {
        m.special_days.push(SpecialDay {
            label: w.anniversary.to_string(),
            date: birthday(rng, None),
        });
    }
    if rng.chance(75) {
        m.staff = Some(rng.pick(&w.staff).to_string());
    }
    if share(rng, 35) {
        m.tags.push(rng.pick(&w.tags).to_string());
    }
    if rng.chance(8) {
        m.notes = w.note.to_string();
    }
    m.consent = Consent {
        sms: rng.chance(70),
        phone: rng.chance(60),
        email: m.email.is_some() && rng.chance(60),
    };
    if rng.chance(40) {
        m.satisfaction = Some(*rng.pick(&[3u8, 5, 6, 7, 7, 8, 8, 8, 9, 9, 10]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::search::purchase_totals;
    use std::collections::HashMap;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn same_seed_same_store_other_seed_other_store() {
        let a = demo_store(7, today(), DemoLanguage::Chinese);
        let b = demo_store(7, today(), DemoLanguage::Chinese);
        let c = demo_store(8, today(), DemoLanguage::Chinese);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn both_languages_share_one_structure() {
        let zh = demo_store(7, today(), DemoLanguage::Chinese);
        let en = demo_store(7, today(), DemoLanguage::English);
        assert_eq!(zh.purchases.len(), en.purchases.len());
        assert_eq!(
            zh.members.iter().map(|m| &m.mobile).collect::<Vec<_>>(),
            en.members.iter().map(|m| &m.mobile).collect::<Vec<_>>()
        );
        assert!(zh.members[0]
            .name
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        assert!(en.members[0].name.is_ascii());
    }

    #[test]
    fn records_are_consistent() {
        let s = demo_store(20_261_123, today(), DemoLanguage::English);
        assert_eq!(s.members.len(), 1_000);
        assert!(
            (5_000..=15_000).contains(&s.purchases.len()),
            "{} purchases",
            s.purchases.len()
        );
        let ids: HashSet<_> = s.members.iter().map(|m| m.id).collect();
        let cards: HashSet<_> = s.members.iter().map(|m| &m.card_no).collect();
        let mobiles: HashSet<_> = s.members.iter().map(|m| &m.mobile).collect();
        assert_eq!(
            (ids.len(), cards.len(), mobiles.len()),
            (1_000, 1_000, 1_000)
        );
        assert!(s
            .members
            .iter()
            .all(|m| m.mobile.len() == 11 && m.mobile.starts_with('1')));
        let receipts: HashMap<_, _> = s.purchases.iter().map(|p| (&p.receipt, p)).collect();
        assert_eq!(
            receipts.len(),
            s.purchases.len(),
            "receipt numbers are unique"
        );
        let first_buy: HashMap<MemberId, NaiveDate> =
            s.purchases.iter().fold(HashMap::new(), |mut acc, p| {
                let e = acc.entry(p.member).or_insert(p.date());
                *e = (*e).min(p.date());
                acc
            });
        for p in &s.purchases {
            assert!(ids.contains(&p.member));
            assert!(p.date() <= today() && p.date() >= today() - Duration::days(731));
            assert!(p.amount > Money::ZERO);
            if !p.lines.is_empty() {
                assert_eq!(p.lines.iter().map(|l| l.amount).sum::<Money>(), p.amount);
            }
        }
        for m in &s.members {
            if let Some(d) = first_buy.get(&m.id) {
                assert!(m.joined <= *d, "joined before the first purchase");
            }
            if let Some(r) = m.referrer {
                let referrer = s.members.iter().find(|x| x.id == r).unwrap();
                assert!(referrer.joined <= m.joined);
            }
        }
        for r in &s.returns {
            let p = receipts[&r.receipt];
            assert!(r.amount <= p.amount && r.amount > Money::ZERO);
            assert!(r.date() >= p.date() && r.date() <= today());
        }
    }

    #[test]
    fn the_mix_of_rhythms_is_realistic() {
        let s = demo_store(20_261_123, today(), DemoLanguage::Chinese);
        let totals = purchase_totals(&s, today());
        let once = totals.values().filter(|t| t.purchases == 1).count();
        let regulars = totals.values().filter(|t| t.purchases >= 10).count();
        let lapsed = totals
            .values()
            .filter(|t| t.purchases >= 10 && t.last.is_some_and(|l| (today() - l).num_days() > 150))
            .count();
        assert!(once > 250, "many one-time buyers: {once}");
        assert!(regulars > 100, "regulars: {regulars}");
        assert!(lapsed >= 20, "lapsed VIPs: {lapsed}");
        let mut spend: Vec<i64> = totals.values().map(|t| t.spend.minor()).collect();
        spend.sort_unstable_by(|a, b| b.cmp(a));
        let top20: i64 = spend.iter().take(spend.len() / 5).sum();
        let all: i64 = spend.iter().sum();
        let share = top20 * 100 / all;
        assert!(
            (50..=90).contains(&share),
            "top 20% bring {share}% of sales"
        );
        let with_birthday = s.members.iter().filter(|m| m.birthday.is_some()).count();
        assert!((400..=950).contains(&with_birthday));
        assert!(s
            .members
            .iter()
            .any(|m| m.birthday.is_some_and(|b| b.month == 2 && b.day == 29)));
        assert!(s.members.iter().any(|m| !m.family.is_empty()));
        assert!(s.members.iter().filter(|m| m.referrer.is_some()).count() > 30);
        assert!(!s.returns.is_empty());
    }

    #[test]
    fn the_demo_scheme_is_valid_and_its_history_replays_cleanly() {
        let s = demo_store(20_261_123, today(), DemoLanguage::Chinese);
        let r = crate::points::replay::replay_store(&s, today()).expect("valid scheme");
        assert_eq!(r.totals.orphan_returns, 0);
        assert_eq!(r.totals.duplicate_receipts, 0);
        assert_eq!(r.totals.unknown_members, 0);
        assert!(r.totals.redeemed > 0 && r.totals.issued > r.totals.redeemed);
        assert!(r.totals.refused_redemptions * 10 < s.points_events.len() as u32);
        // Every tier of the ladder is held by someone.
        assert!(
            r.totals.tier_counts.iter().all(|c| *c > 0),
            "{:?}",
            r.totals.tier_counts
        );
    }

    #[test]
    fn scales_to_a_large_store() {
        let s = demo_store_sized(1, today(), DemoLanguage::English, 10_000);
        assert_eq!(s.members.len(), 10_000);
        assert!(s.purchases.len() > 50_000);
    }
}
