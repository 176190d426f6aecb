//! Every word on screen, in zh-CN and English. One table: a missing
//! translation is a compile error, not a blank label.

use serde::{Deserialize, Serialize};

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The browser's preferred language decides the default: any Chinese
    /// locale gets zh-CN, everything else English.
    pub fn from_browser_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn t<K: Text>(self, key: K) -> &'static str {
        match self {
            Lang::Zh => key.zh(),
            Lang::En => key.en(),
        }
    }
}

/// On-screen words that follow the language switch. Every label goes
/// through this one non-generic view, so the many labels of the console
/// share one piece of rendering code instead of one per label (wasm size).
pub fn tr<K: Text>(key: K) -> impl leptos::prelude::IntoView {
    words(key.zh(), key.en())
}

pub(crate) fn words(zh: &'static str, en: &'static str) -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    let lang = expect_context::<crate::state::AppState>().lang;
    move || if lang.get() == Lang::Zh { zh } else { en }
}

/// A table of on-screen words. Each page may keep its own table (declared
/// with [`texts!`]) so pages grow without touching one shared list.
pub trait Text: Copy + 'static {
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
}

/// Declares an enum of text keys with their zh-CN and English words.
#[macro_export]
macro_rules! texts {
    ($name:ident { $($key:ident => $zh:literal, $en:literal;)* }) => {
        #[derive(Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($key),* }
        impl $crate::i18n::Text for $name {
            fn zh(self) -> &'static str { match self { $($name::$key => $zh),* } }
            fn en(self) -> &'static str { match self { $($name::$key => $en),* } }
        }
    };
}

texts! { Key {
    AppName => "Clientele 会员管家", "Clientele";
    AppTagline => "精品店 VIP 会员管理", "VIP members for boutiques";
    NavDashboard => "概览", "Dashboard";
    NavMembers => "会员", "Members";
    NavCheckout => "收银", "Checkout";
    NavPoints => "积分与等级", "Points & Tiers";
    NavSegments => "会员分类", "Segments";
    NavCare => "客户关怀", "Care";
    NavToday => "今日待办", "Today";
    NavData => "数据", "Data";
    NavSettings => "设置", "Settings";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "切换到英文界面", "Switch to Chinese";

    WelcomeTitle => "欢迎使用 Clientele", "Welcome to Clientele";
    WelcomeBody => "会员、消费、积分、等级、分类与关怀，全部在这台设备的浏览器里完成。数据保存在本浏览器中；只有设置了多设备同步，才会加密后发送到店铺自己的服务器。",
        "Members, purchases, points, tiers, segments and care work, all in this browser. Your data stays in this browser; only if you set up sync between devices does it go, encrypted, to the boutique's own server.";
    WelcomeDemo => "打开示例精品店", "Open the demo boutique";
    WelcomeDemoHint => "约 1,000 位会员、两年的消费记录，可随意试用，之后可在设置中清空。",
        "About 1,000 members with two years of purchases to explore. You can reset it later in Settings.";
    DemoUnavailable => "示例店暂时无法载入（可能已离线）。联网后再试，或先从空白开始。",
        "The demo boutique could not be loaded (offline?). Try again once connected, or start empty.";
    WelcomeEmpty => "从空白开始", "Start empty";
    WelcomeEmptyHint => "添加会员，或在“数据”页导入现有会员表。", "Add members yourself, or import your member list on the Data page.";
    WelcomeInvited => "你收到了加入店铺同步的邀请：点“从空白开始”，再填写密码和同步口令。", "You were invited to join a boutique's sync: start empty, then enter the password and the sync passphrase.";

    DashEmpty => "还没有会员。去“会员”页添加，或在“数据”页导入。", "No members yet. Add one on the Members page or import a file on the Data page.";

    MembersSearch => "按手机号、卡号或姓名搜索", "Search by mobile, card number or name";
    MembersCount => "位会员", "members";
    MembersNone => "没有找到会员。换个关键词试试，或清除搜索。", "No member matches. Try another search or clear it.";
    MembersEmpty => "还没有会员。可在“数据”页导入会员表，或在设置中打开示例店。", "No members yet. Import a member list on the Data page, or open the demo boutique from Settings.";
    ColCard => "卡号", "Card no.";
    ColName => "姓名", "Name";
    ColMobile => "手机号", "Mobile";
    ColJoined => "入会日期", "Joined";
    ColPurchases => "消费笔数", "Purchases";
    ColSpend => "累计消费", "Total spend";
    ColLast => "最近消费", "Last purchase";
    ColStore => "门店", "Store";
    PagePrev => "上一页", "Previous";
    PageNext => "下一页", "Next";
    PageOf => "页，共", "of";
    ClearSearch => "清除", "Clear";

    DataBackup => "下载完整备份（JSON）", "Download full backup (JSON)";
    DataBackupHint => "备份包含本店全部数据。请妥善保存，数据只在本浏览器中。", "The backup holds all of this store's data. Keep it safe: the data lives only in this browser.";

    SettingsStore => "店铺", "Store";
    SettingsStoreName => "店铺名称", "Store name";
    SettingsCurrency => "货币符号", "Currency symbol";
    SettingsDateFormat => "日期格式", "Date format";
    SettingsLanguage => "界面语言", "Language";
    SettingsDanger => "重置", "Reset";
    SettingsReset => "清空本店全部数据", "Erase all data of this store";
    SettingsResetHint => "会删除本浏览器中的全部会员与消费记录，无法撤销。建议先下载备份。",
        "Deletes every member and purchase kept in this browser. This cannot be undone; download a backup first.";
    SettingsResetConfirm => "确定清空？此操作无法撤销", "Erase everything? This cannot be undone";
    SettingsResetYes => "确定清空", "Yes, erase";
    Cancel => "取消", "Cancel";
    SettingsSaved => "已自动保存", "Saved automatically";
    SettingsDeviceShop => "本设备所在门店", "This device's shop";
    SettingsDeviceShopHint => "有多家门店时填写：在本设备登记的会员、消费和联系记录都会记下这家门店，会员列表可按门店查看。", "For a boutique with several shops: members enrolled, sales and contacts made on this device record this shop, and the member list can show each shop's members.";
    SettingsStorage => "存储", "Storage";
    SettingsStorageUsed => "本机已用空间", "Used on this device";
    SettingsStorageKept => "数据保存位置：本机浏览器的数据库（IndexedDB）。", "Where the data lives: this browser's database (IndexedDB) on this device.";
    SettingsPersisted => "浏览器已承诺保留这些数据，空间紧张时也不会自动清除。", "The browser has promised to keep this data, even when space runs low.";
    SettingsNotPersisted => "浏览器在空间紧张时可能清除这些数据。请让它保留，并定期下载备份。", "The browser may clear this data when space runs low. Ask it to keep the data, and download backups.";
    SettingsStorageUnreported => "此浏览器不提供存储用量，也无法请求保留数据。请定期下载备份；在 iPad 上，把控制台添加到主屏幕可避免数据被自动清除。", "This browser reports no storage figures and cannot be asked to keep the data. Download backups regularly; on an iPad, adding the console to the home screen keeps the browser from clearing it.";
    SettingsPersist => "请浏览器保留数据", "Ask the browser to keep the data";
    SettingsPersistRefused => "浏览器暂未同意（常用或安装到主屏幕后更容易获准）。备份仍是最可靠的保障。", "The browser said not yet (it agrees more readily for sites used often or installed). Backups remain the real safeguard.";
    SettingsLastBackup => "上次备份", "Last backup";
    SettingsNeverBackedUp => "本机从未下载过备份", "Never downloaded on this device";
    SettingsSafari => "在 iPad / iPhone 的 Safari 标签页中，7 天未打开本页，浏览器会删除其数据。请点“分享”→“添加到主屏幕”，从主屏幕图标打开。", "In a Safari tab on iPad or iPhone, the browser deletes this site's data after 7 days without a visit. Tap Share → Add to Home Screen and open Clientele from that icon.";

    BannerUnavailable => "此浏览器不允许使用本地数据库（可能是隐私模式）。数据只保存在内存中，关闭页面就会丢失，请下载备份。",
        "This browser does not allow the on-device database (private mode?). Data is kept in memory only and is lost when the page closes: download a backup.";
    BannerFull => "本机存储空间已满，最近的更改未能保存，但仍保留在内存中。请下载备份后清理空间。",
        "This device's storage is full: your latest changes are not saved, but they are still here in memory. Download a backup, then free up space.";
    BannerFailed => "保存失败，最近的更改仍保留在内存中，尚未保存。请下载备份。", "Saving failed: your latest changes are still here in memory but not saved. Download a backup.";
    BannerNewer => "这些数据由更新版本的 Clientele 保存，当前为只读模式，任何更改都不会被保存。请更新应用。",
        "This data was saved by a newer Clientele. It is open read-only and changes will not be saved. Please update the app.";
    BannerNotMoved => "旧版本保存的数据未能移入本机数据库，原数据保持不动并已显示，但更改不会保存。请下载备份并刷新重试。",
        "The data saved by the older version could not be moved into the database. It stays where it was and is shown, but changes are not saved. Download a backup and reload to try again.";
    BannerCorrupt => "已保存的数据无法读取，未做任何改动，也不会写入。请下载备份并联系支持。", "The saved data could not be read. Nothing was changed and nothing will be written; download a backup and get help.";
    BannerNotOpened => "已保存的数据暂时无法打开（应用的一部分未能载入，可能已离线）。数据没有任何改动；联网后请刷新。",
        "The saved data could not be opened just now (part of the app did not load; offline?). Nothing was changed; reload once you are connected.";
    BannerConflicts => "{n} 位会员在两台设备上被改成了不同内容，请选择要保留的。", "Edited differently on two devices: {n} member(s). Choose what to keep.";
    BannerReview => "去选择", "Choose";
    BannerSetAside => "以下记录无法读取，已单独保存在本机、未被删除，其余数据正常打开：", "These records could not be read. They are kept aside on this device, not deleted, and the rest opened normally:";
    BannerUnfinished => "上次保存大量数据（{n} 条记录，例如导入或恢复备份）时页面被关闭，没有全部写完：这里打开的数据可能缺少其中一部分。如果数据来自文件，请重新导入或恢复；也可以保留现在的数据。", "The last large save ({n} records, such as an import or a restore) was cut short when the page closed: what opened here may lack part of it. If it came from a file, import or restore it again; or keep the data as it is.";
    BannerKeepAsIs => "保留现在的数据", "Keep it as it is";
    BannerSetAsideReason => "内容无法按本版本的格式读取", "its content is not in a form this version reads";
    BackupDue => "已超过 7 天没有下载备份。数据只在本机：下载一份备份，放在电脑或网盘里。", "No backup for more than 7 days. The data lives only on this device: download a backup and keep it on a computer or cloud drive.";
    BackupNever => "还没有下载过备份。数据只在本机：下载一份备份，放在电脑或网盘里。", "No backup yet. The data lives only on this device: download a backup and keep it on a computer or cloud drive.";
    SaveStateSaved => "已保存在本机", "Saved on this device";
    SaveStateSaving => "正在保存…", "Saving…";
    SaveStateOff => "未保存", "Not saved";
    SyncSynced => "已同步", "Synced";
    SyncActive => "正在同步…", "Syncing…";
    SyncOffline => "离线，待同步", "Offline, waiting";
    SyncPaused => "同步已暂停", "Sync paused";
    SyncError => "同步出错", "Sync error";
    BackupLater => "稍后提醒", "Remind me later";
    BannerExport => "下载备份", "Download backup";
    BannerReload => "刷新", "Reload";
    PageLoading => "正在载入…", "Loading…";
    PageUnavailable => "这个页面暂时无法载入（可能已离线）。你的数据没有受影响；联网后刷新即可。",
        "This page could not be loaded (offline?). Your data is safe; reload once you are connected.";
    Offline => "离线", "Offline";
    DemoStoreName => "莲 · 精品女装", "Lotus Boutique";
    MemberAdd => "新增会员", "Add member";
    MemberEdit => "编辑资料", "Edit profile";
    MemberSave => "保存", "Save";
    MemberSaved => "已保存", "Saved";
    MemberRequired => "只需填写姓名，以及手机号或卡号（留空则自动分配卡号）。其他资料可以以后慢慢补充。",
        "Only a name and a mobile or card number are needed (leave the card empty to get one). Fill in the rest over time.";
    FieldName => "姓名", "Name";
    FieldCard => "会员卡号", "Card number";
    FieldMobile => "手机号", "Mobile";
    FieldEmail => "电子邮箱", "Email";
    FieldGender => "性别", "Gender";
    GenderFemale => "女", "Female";
    GenderMale => "男", "Male";
    GenderOther => "其他", "Other";
    GenderUnknown => "未填", "Not given";
    FieldBirthday => "生日", "Birthday";
    FieldBirthdayHint => "如 3-8 或 1990-03-08", "e.g. 3-8 or 1990-03-08";
    FieldWorkplace => "工作单位", "Workplace";
    FieldJob => "职业", "Job";
    FieldAddress => "地址", "Address";
    FieldStaff => "专属导购", "Responsible staff";
    FieldStore => "所属门店", "Home store";
    FieldSizes => "尺码", "Sizes";
    FieldColours => "喜欢的颜色", "Colours";
    FieldStyles => "风格", "Styles";
    FieldCategories => "品类", "Categories";
    FieldListHint => "用逗号分隔", "separate with commas";
    FieldTags => "标签", "Tags";
    FieldNotes => "备注", "Notes";
    FieldConsent => "同意接收联系", "Agreed to be contacted by";
    ConsentSms => "短信", "SMS";
    ConsentPhone => "电话", "Phone";
    ConsentEmail => "邮件", "Email";
    FieldSatisfaction => "满意度（0-10）", "Satisfaction (0-10)";
    FieldReferrer => "介绍人（卡号或手机号）", "Referred by (card or mobile)";
    FieldFamily => "家庭成员", "Family";
    FieldRelation => "关系", "Relation";
    FieldSpecialDays => "纪念日", "Special days";
    FieldLabel => "名称", "What";
    FieldDate => "日期", "Date";
    AddRow => "添加", "Add";
    RemoveRow => "删除", "Remove";
    Completeness => "资料完整度", "Profile complete";
    ProfileSection => "基本资料", "Profile";
    PreferencesSection => "偏好", "Preferences";
    ErrMissingName => "请填写姓名。", "Please enter a name.";
    ErrMissingContact => "请至少填写手机号或会员卡号。", "Please enter a mobile number or a card number.";
    ErrInvalidMobile => "手机号格式不正确：", "This is not a mobile number: ";
    ErrDuplicateCard => "该卡号已被其他会员使用：", "This card number already belongs to another member: ";
    ErrDuplicateMobile => "该手机号已属于其他会员：", "This mobile number already belongs to another member: ";
    ErrInvalidEmail => "邮箱格式不正确：", "This is not an email address: ";
    ErrInvalidSatisfaction => "满意度须在 0 到 10 之间。", "Satisfaction must be between 0 and 10.";
    ErrUnknownMember => "找不到该会员。", "That member does not exist.";
    ErrInvalidReferrer => "找不到这位介绍人，或不能介绍自己。", "That referrer was not found, or is the member themself.";
    ErrInvalidBirthday => "生日格式不正确，请写成 3-8 或 1990-03-08。", "The birthday is not a date: write 3-8 or 1990-03-08.";
    MemberNotFound => "找不到这位会员，可能已被删除。", "This member was not found; it may have been removed.";
    BackToMembers => "返回会员列表", "Back to members";
    MemberPurchases => "消费记录", "Purchases";
    MemberNoPurchases => "还没有消费记录。可在“收银”页录入。", "No purchases yet. Record one on the Checkout page.";
    ColReceipt => "小票号", "Receipt";
    ColDate => "日期", "Date";
    ColAmount => "金额", "Amount";
    ReturnedLabel => "已退", "returned";
    MemberReferrals => "转介绍", "Referrals";
    ReferredBy => "介绍人", "Referred by";
    BroughtIn => "介绍的新会员", "Brought in";
    NoReferrals => "暂无", "None yet";
    MemberSince => "入会", "Member since";
    FamilyBirthday => "生日", "birthday";
}}

// Apart from the shared table, which every first load carries: only the
// member form and picker word this.
texts!(IdText {
    NoFreeId => "本设备的会员编号已用完，已换用新的编号段，请再保存一次。", "This device has used up its member numbers and has taken a new range: please save again.";
});

/// Words for an engine error about a member record.
pub fn member_error(lang: Lang, e: &clientele_engine::members::edit::MemberError) -> String {
    use clientele_engine::members::edit::MemberError as E;
    match e {
        E::MissingName => lang.t(Key::ErrMissingName).to_string(),
        E::MissingContact => lang.t(Key::ErrMissingContact).to_string(),
        E::InvalidMobile(m) => format!("{}{m}", lang.t(Key::ErrInvalidMobile)),
        E::DuplicateCard { card_no, .. } => format!("{}{card_no}", lang.t(Key::ErrDuplicateCard)),
        E::DuplicateMobile { mobile, .. } => format!("{}{mobile}", lang.t(Key::ErrDuplicateMobile)),
        E::InvalidEmail(x) => format!("{}{x}", lang.t(Key::ErrInvalidEmail)),
        E::InvalidSatisfaction(_) => lang.t(Key::ErrInvalidSatisfaction).to_string(),
        E::UnknownMember(_) => lang.t(Key::ErrUnknownMember).to_string(),
        E::InvalidReferrer(_) => lang.t(Key::ErrInvalidReferrer).to_string(),
        E::NoFreeId(_) => lang.t(IdText::NoFreeId).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_language_picks_default() {
        assert_eq!(Lang::from_browser_tag("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_browser_tag("zh-TW"), Lang::Zh);
        assert_eq!(Lang::from_browser_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_browser_tag("fr"), Lang::En);
    }
}
