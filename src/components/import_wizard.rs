//! Import a CSV or xlsx file: choose it, confirm encoding, sheet, kind,
//! mapping and date order, preview what would change (planned in slices
//! so a large file shows progress and can be cancelled), then commit all
//! at once. Parsing and planning live in the `clientele-io` crate.

use crate::components::import_moving_in::{IgnoredColumns, MovingInChoices, MovingInCounts};
use crate::files;
use crate::i18n::Lang;
use crate::state::use_app;
use crate::storage;
use clientele_io::mapping::{Field, ImportKind, Mapping, Requirement};
use clientele_io::plan::{
    self, ImportError, ImportPlan, ImportSettings, MergeMode, MovingIn, RowReason,
};
use clientele_io::read::{column_letter, Decoded, ReadError, ReadOptions, Row, TextEncoding};
use clientele_io::values::{AmountIssue, DateIssue, DateOrder};
use leptos::prelude::*;
use std::sync::Arc;

/// Rows planned between two yields to the browser: about 30 ms of work in
/// Chromium, so the tab keeps answering clicks (and the cancel button).
const ROWS_PER_SLICE: usize = 5_000;

crate::texts!(ImportText {
    Title => "导入会员或消费数据", "Import members or purchases";
    Intro => "选择 CSV 或 Excel（.xlsx）文件。先预览，确认后才会保存；不会上传到任何地方。", "Choose a CSV or Excel (.xlsx) file. You see a preview first; nothing is stored until you confirm, and nothing leaves this browser.";
    Choose => "选择文件", "Choose a file";
    Encoding => "文字编码", "Text encoding";
    EncAuto => "自动识别", "Detect";
    Sheet => "工作表", "Sheet";
    Kind => "导入内容", "What the file holds";
    KMembers => "会员", "Members";
    KPurchases => "消费记录", "Purchases";
    KReturns => "退货", "Returns";
    KOpening => "期初积分", "Opening points balances";
    Mapping => "列对应", "Columns";
    EditMapping => "调整列对应", "Adjust columns";
    MappingHint => "请告诉我们每一列是什么。下次导入相同表头的文件时会记住。", "Tell us what each column holds. Files with the same headers will be matched the same way next time.";
    Ignore => "（不导入）", "(ignore)";
    Needs => "还缺：", "Still needed:";
    MemberKey => "会员卡号或手机号", "card number or mobile";
    DateOrderQ => "文件中的日期（如 05/03/2024）可以两种方式理解，请选择：", "Dates in this file (such as 05/03/2024) read two ways. Which is it?";
    DayFirst => "日/月/年（5 日 3 月）", "day/month/year (5 March)";
    MonthFirst => "月/日/年（3 月 5 日）", "month/day/year (May 3)";
    Mode => "合并方式", "Merge";
    AddNew => "只添加新的", "Add new only";
    AddUpdate => "添加并更新（按卡号，其次手机号匹配）", "Add and update (matched by card number, else mobile)";
    Replace => "全部替换", "Replace everything";
    Preview => "预览", "Preview";
    Cancel => "取消", "Cancel";
    Reading => "正在读取…", "Reading…";
    Opening => "正在打开文件…", "Opening the file…";
    ReaderFailed => "文件读取程序无法运行，请重新加载页面后再试", "The file reader could not run; reload the page and try again";
    New => "新增", "New";
    Updated => "更新", "Updated";
    Unchanged => "无变化", "Unchanged";
    Duplicate => "重复", "Duplicate";
    Invalid => "无效", "Invalid";
    Issues => "有问题的行（不会导入）", "Rows with problems (not imported)";
    Row => "行", "Row";
    Column => "列", "Column";
    Reason => "原因", "Reason";
    More => "另有 {n} 行未列出。", "{n} more not listed.";
    Commit => "确认导入", "Import";
    NothingToDo => "没有需要导入的内容。", "Nothing to import.";
    ConfirmReplace => "全部替换会删除当前数据并用文件内容代替。会先自动下载一份备份。继续吗？", "Replace everything deletes the current data and uses the file instead. A backup downloads first. Continue?";
    Done => "已导入：新增 {new}，更新 {updated}。", "Imported: {new} new, {updated} updated.";
    Changed => "预览之后数据有变动，请重新预览。", "The data changed after the preview; preview again.";
    // Read errors
    EEmpty => "文件是空的。", "The file is empty.";
    ETooLarge => "文件有 {mb} MB，上限为 {limit} MB。", "The file is {mb} MB; the limit is {limit} MB.";
    EBinary => "这不是 CSV 或 Excel 文件。", "This is not a CSV or Excel file.";
    ELegacy => "这是旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV。", "This is the old .xls format: save it as .xlsx or CSV in Excel.";
    EUndecodable => "文件内容不是所选的文字编码，请换一种编码。", "The text is not in the chosen encoding; try another one.";
    EQuote => "第 {row} 行的引号没有结束。", "A quote opened on row {row} is never closed.";
    ENoHeader => "没有找到表头行。", "No header row found.";
    EDupHeader => "列名“{name}”出现了两次（{a} 列和 {b} 列）。", "Column name \"{name}\" appears twice (columns {a} and {b}).";
    ETooMany => "行数超过 {limit}。", "More than {limit} rows.";
    EWorkbook => "Excel 文件已损坏，无法读取。", "The Excel file is damaged and cannot be read.";
    ENoSheet => "没有名为“{name}”的工作表。", "No sheet named \"{name}\".";
    ENoSheets => "工作簿里没有工作表。", "The workbook has no sheets.";
    // Row reasons
    RRagged => "单元格比表头多（表头 {e} 列，此行 {f} 列）", "more cells than headers ({e} headers, {f} cells)";
    RMissing => "缺少{field}", "{field} is missing";
    RMemberKey => "没有会员卡号或手机号", "no card number or mobile";
    RDateUnreadable => "无法识别的日期", "not a date";
    RDateImpossible => "不存在的日期", "a date that does not exist";
    RDateAmbiguous => "日期可以两种方式理解，请选择日月顺序", "the date reads two ways: choose the order";
    RAmountNaN => "金额不是数字", "the amount is not a number";
    RAmountNeg => "金额为负数（可选择记为退货，或单独导入退货）", "a negative amount (choose to record it as a return, or import returns separately)";
    RAmountDecimals => "金额超过两位小数", "more than two decimals";
    RAmountLarge => "金额过大", "the amount is too large";
    RMobile => "手机号无效", "not a mobile number";
    REmail => "邮箱无效", "not an email address";
    RGender => "性别无法识别", "gender not recognised";
    RPoints => "积分必须是整数", "points must be a whole number";
    RQuantity => "数量无效", "not a quantity";
    RYesNo => "应为 是/否", "expected yes or no";
    RTooLong => "内容过长（上限 {n} 字）", "too long (limit {n} characters)";
    RUnknownMember => "找不到这位会员", "no such member";
    RUnknownReceipt => "找不到这张小票", "no such receipt";
    RDupInFile => "与第 {row} 行重复", "repeats row {row}";
    RReceiptOther => "同一小票号属于另一位会员（第 {row} 行）", "the same receipt belongs to another member (row {row})";
    RReceiptTaken => "小票号已属于另一位会员", "the receipt number belongs to another member";
    RMobileOther => "手机号已属于另一位会员", "the mobile belongs to another member";
    RReturnExceeds => "退货金额超过小票剩余金额 {left}", "refund exceeds what is left on the receipt ({left})";
    RReturnBefore => "退货日期早于消费日期", "returned before it was bought";
    RUnknownTier => "会员方案中没有这个等级（中文或英文名称）", "no tier of the scheme has this name (Chinese or English)";
    RSharedCard => "这个卡号属于多位会员（两台设备离线时发了同一个卡号），且手机号不能确定是哪一位：请先在“会员”页给其中一位换卡号，或在文件中写上手机号", "this card number belongs to more than one member (two devices gave it out offline) and the mobile does not tell which: give one of them a new card on the Members page, or add the mobile to the file";
    RNoFreeId => "本设备的会员编号已用完：请再导入一次，其余的行会用新的编号段", "this device has used up its member numbers: import again to bring the rest in under a new range";
    // Field names
    FCardNo => "会员卡号", "card number";
    FName => "姓名", "name";
    FFirstName => "名", "first name";
    FLastName => "姓", "last name";
    FMobile => "手机", "mobile";
    FEmail => "邮箱", "email";
    FGender => "性别", "gender";
    FBirthday => "生日", "birthday";
    FJoined => "入会日期", "joined";
    FStore => "门店", "store";
    FStaff => "导购", "staff";
    FAddress => "地址", "address";
    FWorkplace => "工作单位", "workplace";
    FJob => "职业", "job";
    FNotes => "备注", "notes";
    FTags => "标签", "tags";
    FConsentSms => "短信同意", "SMS consent";
    FConsentPhone => "电话同意", "phone consent";
    FConsentEmail => "邮件同意", "email consent";
    FReceipt => "小票号", "receipt";
    FDate => "日期", "date";
    FAmount => "金额", "amount";
    FSku => "货号", "SKU";
    FCategory => "品类", "category";
    FQuantity => "数量", "quantity";
    FLineAmount => "明细金额", "line amount";
    FReturnId => "退货单号", "return slip";
    FPoints => "积分", "points";
    FExpires => "到期日", "expires";
    FTier => "等级", "tier";
    FOriginalReceipt => "原小票号", "original receipt";
    FTotalSpend => "累计消费", "total spend";
});

use ImportText as T;

pub fn field_text(f: Field) -> T {
    match f {
        Field::CardNo => T::FCardNo,
        Field::Name => T::FName,
        Field::FirstName => T::FFirstName,
        Field::LastName => T::FLastName,
        Field::Mobile => T::FMobile,
        Field::Email => T::FEmail,
        Field::Gender => T::FGender,
        Field::Birthday => T::FBirthday,
        Field::Joined => T::FJoined,
        Field::Store => T::FStore,
        Field::Staff => T::FStaff,
        Field::Address => T::FAddress,
        Field::Workplace => T::FWorkplace,
        Field::Job => T::FJob,
        Field::Notes => T::FNotes,
        Field::Tags => T::FTags,
        Field::ConsentSms => T::FConsentSms,
        Field::ConsentPhone => T::FConsentPhone,
        Field::ConsentEmail => T::FConsentEmail,
        Field::Receipt => T::FReceipt,
        Field::Date => T::FDate,
        Field::Amount => T::FAmount,
        Field::Sku => T::FSku,
        Field::Category => T::FCategory,
        Field::Quantity => T::FQuantity,
        Field::LineAmount => T::FLineAmount,
        Field::ReturnId => T::FReturnId,
        Field::Points => T::FPoints,
        Field::Expires => T::FExpires,
        Field::Tier => T::FTier,
        Field::OriginalReceipt => T::FOriginalReceipt,
        Field::TotalSpend => T::FTotalSpend,
    }
}

fn kind_text(k: ImportKind) -> T {
    match k {
        ImportKind::Members => T::KMembers,
        ImportKind::Purchases => T::KPurchases,
        ImportKind::Returns => T::KReturns,
        ImportKind::OpeningBalances => T::KOpening,
    }
}

fn field_id(f: Field) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn field_from_id(id: &str) -> Option<Field> {
    serde_json::from_value(serde_json::Value::String(id.to_string())).ok()
}

pub fn read_error_text(lang: Lang, e: &ReadError) -> String {
    let t = |k: T| lang.t(k).to_string();
    match e {
        ReadError::Empty => t(T::EEmpty),
        ReadError::TooLarge { bytes, limit } => t(T::ETooLarge)
            .replace("{mb}", &bytes.div_ceil(1024 * 1024).to_string())
            .replace("{limit}", &(limit / (1024 * 1024)).to_string()),
        ReadError::Binary => t(T::EBinary),
        ReadError::LegacyExcel => t(T::ELegacy),
        ReadError::Undecodable { .. } => t(T::EUndecodable),
        ReadError::UnterminatedQuote { row } => t(T::EQuote).replace("{row}", &row.to_string()),
        ReadError::NoHeader => t(T::ENoHeader),
        ReadError::DuplicateHeader {
            name,
            first,
            second,
        } => t(T::EDupHeader)
            .replace("{name}", name)
            .replace("{a}", &column_letter(*first))
            .replace("{b}", &column_letter(*second)),
        ReadError::TooManyRows { limit } => t(T::ETooMany).replace("{limit}", &limit.to_string()),
        ReadError::Workbook(_) => t(T::EWorkbook),
        ReadError::NoSuchSheet(s) => t(T::ENoSheet).replace("{name}", s),
        ReadError::NoSheets => t(T::ENoSheets),
    }
}

pub fn reason_text(lang: Lang, r: &RowReason) -> String {
    let t = |k: T| lang.t(k).to_string();
    match r {
        RowReason::Ragged { expected, found } => t(T::RRagged)
            .replace("{e}", &expected.to_string())
            .replace("{f}", &found.to_string()),
        RowReason::Missing { field } => {
            t(T::RMissing).replace("{field}", lang.t(field_text(*field)))
        }
        RowReason::MissingMemberKey => t(T::RMemberKey),
        RowReason::Date { issue } => t(match issue {
            DateIssue::Unreadable => T::RDateUnreadable,
            DateIssue::Impossible => T::RDateImpossible,
            DateIssue::Ambiguous => T::RDateAmbiguous,
        }),
        RowReason::Amount { issue } => t(match issue {
            AmountIssue::NotANumber => T::RAmountNaN,
            AmountIssue::Negative => T::RAmountNeg,
            AmountIssue::TooManyDecimals => T::RAmountDecimals,
            AmountIssue::TooLarge => T::RAmountLarge,
        }),
        RowReason::Mobile => t(T::RMobile),
        RowReason::Email => t(T::REmail),
        RowReason::Gender => t(T::RGender),
        RowReason::Points => t(T::RPoints),
        RowReason::Quantity => t(T::RQuantity),
        RowReason::YesNo => t(T::RYesNo),
        RowReason::TooLong { limit } => t(T::RTooLong).replace("{n}", &limit.to_string()),
        RowReason::UnknownMember => t(T::RUnknownMember),
        RowReason::UnknownReceipt => t(T::RUnknownReceipt),
        RowReason::DuplicateInFile { first_row } => {
            t(T::RDupInFile).replace("{row}", &first_row.to_string())
        }
        RowReason::ReceiptOfAnotherMember { first_row } => {
            t(T::RReceiptOther).replace("{row}", &first_row.to_string())
        }
        RowReason::ReceiptTaken => t(T::RReceiptTaken),
        RowReason::MobileOfAnotherMember => t(T::RMobileOther),
        RowReason::ReturnExceedsPurchase { left } => {
            t(T::RReturnExceeds).replace("{left}", &left.format_plain())
        }
        RowReason::ReturnBeforePurchase => t(T::RReturnBefore),
        RowReason::UnknownTier => t(T::RUnknownTier),
        RowReason::SharedCard => t(T::RSharedCard),
        RowReason::NoFreeId => t(T::RNoFreeId),
    }
}

/// What the opened file showed, kept for the screens after the choice.
#[derive(Clone, Debug, PartialEq)]
struct Head {
    encoding: Option<TextEncoding>,
    sheets: Vec<String>,
    headers: Vec<String>,
    sample: Vec<Row>,
}

fn enc_id(e: Option<TextEncoding>) -> &'static str {
    match e {
        None => "auto",
        Some(TextEncoding::Utf8) => "utf8",
        Some(TextEncoding::Gb18030) => "gb18030",
        Some(TextEncoding::Utf16Le) => "utf16le",
        Some(TextEncoding::Utf16Be) => "utf16be",
    }
}

#[component]
pub fn ImportWizard() -> impl IntoView {
    let app = use_app();
    let bytes: StoredValue<Option<Arc<Vec<u8>>>> = StoredValue::new(None);
    let options = RwSignal::new(ReadOptions::default());
    let head = RwSignal::new(None::<Head>);
    let kind = RwSignal::new(ImportKind::Members);
    let mapping = RwSignal::new(None::<Mapping>);
    let show_mapping = RwSignal::new(false);
    let date_order = RwSignal::new(None::<DateOrder>);
    let ask_order = RwSignal::new(false);
    let mode = RwSignal::new(MergeMode::AddAndUpdate);
    let moving_in = RwSignal::new(MovingIn::default());
    let progress = RwSignal::new(None::<u32>);
    let cancel = RwSignal::new(false);
    let plan_sig = RwSignal::new(None::<ImportPlan>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);

    let lang = move || app.lang.get_untracked();

    // Decoding runs in the file worker; its result is kept so the preview
    // (and a second preview after a mapping change) starts from it.
    let decoded: StoredValue<Option<Decoded>> = StoredValue::new(None);
    let reading = RwSignal::new(false);

    let show_opened = move |o: Result<plan::Opened, ReadError>| match o {
        Ok(o) => {
            let guessed = storage::load_import_mapping(&Mapping::signature(&o.headers))
                .filter(|m| m.headers == o.headers)
                .unwrap_or_else(|| o.mapping());
            let k = guessed.guess_kind();
            kind.set(k);
            moving_in.set(MovingIn::suggested(k, &guessed));
            show_mapping.set(!guessed.missing(k).is_empty());
            ask_order.set(o.dates_ambiguous(&guessed));
            mapping.set(Some(guessed));
            head.set(Some(Head {
                encoding: o.sniffed.encoding,
                sheets: o.sniffed.sheets.clone(),
                headers: o.headers.clone(),
                sample: o.sample.clone(),
            }));
            error.set(None);
        }
        Err(e) => {
            head.set(None);
            mapping.set(None);
            error.set(Some(read_error_text(lang(), &e)));
        }
    };

    let reopen = move || {
        plan_sig.set(None);
        done.set(None);
        decoded.set_value(None);
        let Some(b) = bytes.get_value() else { return };
        let opts = options.get_untracked();
        reading.set(true);
        leptos::task::spawn_local(async move {
            let result = files::decode(&b, &opts).await;
            reading.set(false);
            match result {
                Ok(Ok(d)) => {
                    decoded.set_value(Some(d.clone()));
                    show_opened(plan::open_decoded(d, &opts));
                }
                Ok(Err(e)) => show_opened(Err(e)),
                Err(e) => {
                    head.set(None);
                    mapping.set(None);
                    error.set(Some(format!("{}: {e}", lang().t(T::ReaderFailed))));
                }
            }
        });
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = files::take_picked_file(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match files::read_file_bytes(file).await {
                Ok(b) => {
                    bytes.set_value(Some(Arc::new(b)));
                    options.set(ReadOptions::default());
                    date_order.set(None);
                    reopen();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let preview = move || {
        let Some(d) = decoded.get_value() else { return };
        let Some(m) = mapping.get_untracked() else {
            return;
        };
        let opened = match plan::open_decoded(d, &options.get_untracked()) {
            Ok(o) => o,
            Err(e) => {
                error.set(Some(read_error_text(lang(), &e)));
                return;
            }
        };
        let settings = ImportSettings {
            kind: kind.get_untracked(),
            mode: mode.get_untracked(),
            mapping: m,
            date_order: date_order.get_untracked(),
            today: app.today.get_untracked(),
            moving_in: moving_in.get_untracked(),
            device: app.device_tag(),
        };
        let importer = app
            .store
            .with_untracked(|s| plan::Importer::new(opened, settings, s));
        let mut importer = match importer {
            Ok(i) => i,
            Err(ImportError::Mapping(_)) => {
                show_mapping.set(true);
                return;
            }
            Err(ImportError::Read(e)) => {
                error.set(Some(read_error_text(lang(), &e)));
                return;
            }
        };
        plan_sig.set(None);
        done.set(None);
        error.set(None);
        cancel.set(false);
        progress.set(Some(0));
        leptos::task::spawn_local(async move {
            loop {
                if cancel.get_untracked() {
                    progress.set(None);
                    return;
                }
                match importer.step(ROWS_PER_SLICE) {
                    Ok(p) => {
                        progress.set(Some(p.permille));
                        if p.finished {
                            break;
                        }
                    }
                    Err(ImportError::Read(e)) => {
                        progress.set(None);
                        error.set(Some(read_error_text(lang(), &e)));
                        return;
                    }
                    Err(ImportError::Mapping(_)) => {
                        progress.set(None);
                        return;
                    }
                }
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
            let p = importer.finish();
            if p.needs_date_order {
                ask_order.set(true);
            }
            progress.set(None);
            plan_sig.set(Some(p));
        });
    };

    let commit = move || {
        let Some(p) = plan_sig.get_untracked() else {
            return;
        };
        if p.mode == MergeMode::ReplaceEverything {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(lang().t(T::ConfirmReplace)).ok())
                .unwrap_or(false);
            if !ok {
                return;
            }
            if let Err(e) = app.download_backup() {
                error.set(Some(e));
                return;
            }
        }
        match app.try_update(|s| plan::apply(&p, s)) {
            Some(Ok(counts)) => {
                if let Some(m) = mapping.get_untracked() {
                    let _ = storage::save_import_mapping(&Mapping::signature(&m.headers), &m);
                }
                app.save_now();
                done.set(Some(
                    lang()
                        .t(T::Done)
                        .replace("{new}", &counts.new.to_string())
                        .replace("{updated}", &counts.updated.to_string()),
                ));
                plan_sig.set(None);
            }
            Some(Err(_)) => error.set(Some(lang().t(T::Changed).to_string())),
            None => {}
        }
    };

    let t = move |k: T| app.t(k);

    let encoding_choice = move || {
        head.get().filter(|h| h.sheets.is_empty()).map(|h| {
            let chosen = enc_id(options.get().encoding);
            let detected = h.encoding;
            view! {
                <label class="field">
                    <span>{move || t(T::Encoding)}</span>
                    <select data-testid="import-encoding" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let e = match v.as_str() {
                            "utf8" => Some(TextEncoding::Utf8),
                            "gb18030" => Some(TextEncoding::Gb18030),
                            "utf16le" => Some(TextEncoding::Utf16Le),
                            "utf16be" => Some(TextEncoding::Utf16Be),
                            _ => None,
                        };
                        options.update(|o| o.encoding = e);
                        reopen();
                    }>
                        <option value="auto" selected=chosen == "auto">
                            {move || format!("{} ({})", t(T::EncAuto), match detected {
                                Some(TextEncoding::Gb18030) => "GBK/GB18030",
                                Some(TextEncoding::Utf16Le) | Some(TextEncoding::Utf16Be) => "UTF-16",
                                _ => "UTF-8",
                            })}
                        </option>
                        <option value="utf8" selected=chosen == "utf8">"UTF-8"</option>
                        <option value="gb18030" selected=chosen == "gb18030">"GBK / GB18030"</option>
                        <option value="utf16le" selected=chosen == "utf16le">"UTF-16"</option>
                    </select>
                </label>
            }
        })
    };

    let sheet_choice = move || {
        head.get().filter(|h| h.sheets.len() > 1).map(|h| {
            let current = options.get().sheet.unwrap_or_else(|| h.sheets[0].clone());
            view! {
                <label class="field">
                    <span>{move || t(T::Sheet)}</span>
                    <select data-testid="import-sheet" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        options.update(|o| o.sheet = Some(v));
                        reopen();
                    }>
                        {h.sheets.iter().map(|s| {
                            let sel = *s == current;
                            view! { <option value=s.clone() selected=sel>{s.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            }
        })
    };

    let kind_choice = move || {
        head.get().map(|_| {
            let k = kind.get();
            view! {
                <label class="field">
                    <span>{move || t(T::Kind)}</span>
                    <select data-testid="import-kind" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(k) = ImportKind::ALL.iter().find(|k| format!("{k:?}") == v) {
                            kind.set(*k);
                            plan_sig.set(None);
                            if let Some(m) = mapping.get_untracked() {
                                show_mapping.set(!m.missing(*k).is_empty());
                                moving_in.set(MovingIn::suggested(*k, &m));
                            }
                        }
                    }>
                        {ImportKind::ALL.iter().map(|o| {
                            let id = format!("{o:?}");
                            let label = kind_text(*o);
                            view! { <option value=id selected=*o == k>{move || t(label)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || t(T::Mode)}</span>
                    <select data-testid="import-mode" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        mode.set(match v.as_str() {
                            "new" => MergeMode::AddNewOnly,
                            "replace" => MergeMode::ReplaceEverything,
                            _ => MergeMode::AddAndUpdate,
                        });
                        plan_sig.set(None);
                    }>
                        <option value="update" selected=mode.get_untracked() == MergeMode::AddAndUpdate>{move || t(T::AddUpdate)}</option>
                        <option value="new" selected=mode.get_untracked() == MergeMode::AddNewOnly>{move || t(T::AddNew)}</option>
                        <option value="replace" selected=mode.get_untracked() == MergeMode::ReplaceEverything>{move || t(T::Replace)}</option>
                    </select>
                </label>
            }
        })
    };

    let mapping_screen = move || {
        let m = mapping.get()?;
        let h = head.get()?;
        let k = kind.get();
        let missing = m.missing(k);
        if !show_mapping.get() && missing.is_empty() {
            return Some(
                view! {
                    <button class="btn" data-testid="edit-mapping" on:click=move |_| show_mapping.set(true)>
                        {move || t(T::EditMapping)}
                    </button>
                }
                .into_any(),
            );
        }
        let choices: Vec<Field> = Field::for_kind(k).to_vec();
        let needs: Vec<String> = missing
            .iter()
            .map(|r| match r {
                Requirement::Field(f) => app.lang.get().t(field_text(*f)).to_string(),
                Requirement::MemberKey => app.lang.get().t(T::MemberKey).to_string(),
            })
            .collect();
        Some(
            view! {
                <div class="mapping" data-testid="mapping">
                    <h3>{move || t(T::Mapping)}</h3>
                    <p class="hint">{move || t(T::MappingHint)}</p>
                    {(!needs.is_empty()).then(|| view! {
                        <p class="error" data-testid="mapping-missing">{move || t(T::Needs)}" "{needs.join(", ")}</p>
                    })}
                    <div class="mapping-grid">
                        {h.headers.iter().enumerate().map(|(i, header)| {
                            let current = m.columns.get(i).copied().flatten();
                            let sample: Vec<String> = h.sample.iter().take(2)
                                .filter_map(|r| r.cells.get(i).cloned())
                                .map(|c| c.chars().take(24).collect())
                                .collect();
                            let choices = choices.clone();
                            view! {
                                <label class="field">
                                    <span class="mono">{column_letter(i)}": "{header.clone()}</span>
                                    <span class="hint">{sample.join(" · ")}</span>
                                    <select data-testid="mapping-select" on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        mapping.update(|m| if let Some(m) = m { m.set(i, field_from_id(&v)) });
                                        plan_sig.set(None);
                                    }>
                                        <option value="" selected=current.is_none()>{move || t(T::Ignore)}</option>
                                        {choices.into_iter().map(|f| {
                                            let label = field_text(f);
                                            view! { <option value=field_id(f) selected=current == Some(f)>{move || t(label)}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </div>
            }
            .into_any(),
        )
    };

    let order_choice = move || {
        ask_order.get().then(|| {
            let current = date_order.get();
            view! {
                <fieldset class="field date-order" data-testid="date-order">
                    <legend>{move || t(T::DateOrderQ)}</legend>
                    <label class="check">
                        <input type="radio" name="date-order" data-testid="day-first" prop:checked=current == Some(DateOrder::DayFirst)
                            on:change=move |_| { date_order.set(Some(DateOrder::DayFirst)); plan_sig.set(None); }/>
                        {move || t(T::DayFirst)}
                    </label>
                    <label class="check">
                        <input type="radio" name="date-order" data-testid="month-first" prop:checked=current == Some(DateOrder::MonthFirst)
                            on:change=move |_| { date_order.set(Some(DateOrder::MonthFirst)); plan_sig.set(None); }/>
                        {move || t(T::MonthFirst)}
                    </label>
                </fieldset>
            }
        })
    };

    let progress_view = move || {
        progress.get().map(|p| {
            view! {
                <div class="import-progress" data-testid="import-progress">
                    <span>{move || t(T::Reading)}" "{p / 10}"%"</span>
                    <div class="meter-bar"><div class="meter-fill" style=format!("width: {}%", p / 10)></div></div>
                    <button class="btn" data-testid="import-cancel" on:click=move |_| cancel.set(true)>{move || t(T::Cancel)}</button>
                </div>
            }
        })
    };

    let preview_view = move || {
        plan_sig.with(|p| {
            p.as_ref().map(|p| {
                let c = p.counts;
                let l = app.lang.get();
                let listed = p.issues.len();
                let more = listed.max(c.invalid).saturating_sub(listed.min(200));
                let rows: Vec<_> = p.issues.iter().take(200).map(|i| {
                    let col = i.column.map(|c| {
                        if i.header.is_empty() { column_letter(c) } else { format!("{} ({})", column_letter(c), i.header) }
                    }).unwrap_or_default();
                    (i.row, col, reason_text(l, &i.reason), i.value.clone())
                }).collect();
                let nothing = p.changes.is_empty() && p.mode != MergeMode::ReplaceEverything;
                let has_balances = mapping
                    .get_untracked()
                    .is_some_and(|m| m.has(Field::Points) || m.has(Field::Tier));
                let (extras, ignored) = (p.extras, p.ignored_columns.clone());
                let stat = |label: T, n: usize, id: &'static str| view! {
                    <div class="stat card" data-testid=id>
                        <span class="stat-value">{n}</span>
                        <span class="stat-label">{move || t(label)}</span>
                    </div>
                };
                view! {
                    <div class="import-preview" data-testid="import-preview">
                        <MovingInChoices kind=p.kind has_balances choices=moving_in
                            on_change=preview/>
                        <div class="stats">
                            {stat(T::New, c.new, "count-new")}
                            {stat(T::Updated, c.updated, "count-updated")}
                            {stat(T::Unchanged, c.unchanged, "count-unchanged")}
                            {stat(T::Duplicate, c.duplicate, "count-duplicate")}
                            {stat(T::Invalid, c.invalid, "count-invalid")}
                            <MovingInCounts extras/>
                        </div>
                        <IgnoredColumns columns=ignored/>
                        {(!rows.is_empty()).then(|| view! {
                            <h3>{move || t(T::Issues)}</h3>
                            <div class="table issues" data-testid="import-issues">
                                <div class="tr th">
                                    <span>{move || t(T::Row)}</span>
                                    <span>{move || t(T::Column)}</span>
                                    <span>{move || t(T::Reason)}</span>
                                </div>
                                {rows.into_iter().map(|(row, col, reason, value)| view! {
                                    <div class="tr" data-testid="import-issue">
                                        <span class="num">{row}</span>
                                        <span class="mono">{col}</span>
                                        <span class="why">{reason}{(!value.is_empty()).then(|| format!(" · “{value}”"))}</span>
                                    </div>
                                }).collect_view()}
                            </div>
                            {(more > 0).then(|| view! { <p class="hint">{move || t(T::More).replace("{n}", &more.to_string())}</p> })}
                        })}
                        {if nothing {
                            view! { <p class="empty" data-testid="import-nothing">{move || t(T::NothingToDo)}</p> }.into_any()
                        } else {
                            view! {
                                <button class="btn primary big" data-testid="import-commit" on:click=move |_| commit()>
                                    {move || t(T::Commit)}
                                </button>
                            }.into_any()
                        }}
                    </div>
                }
            })
        })
    };

    view! {
        <section class="card import" data-testid="import">
            <h2>{move || t(T::Title)}</h2>
            <p class="hint">{move || t(T::Intro)}</p>
            <label class="btn primary file-pick">
                {move || t(T::Choose)}
                <input type="file" data-testid="import-file" accept=".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    on:change=on_file/>
            </label>
            {move || reading.get().then(|| view! { <p class="hint" data-testid="import-opening" aria-busy="true">{move || t(T::Opening)}</p> })}
            {move || error.get().map(|e| view! { <p class="error" data-testid="import-error">{e}</p> })}
            {move || done.get().map(|d| view! { <p class="ok" data-testid="import-done">{d}</p> })}
            <div class="form-grid">
                {encoding_choice}
                {sheet_choice}
                {kind_choice}
            </div>
            {mapping_screen}
            {order_choice}
            {move || head.get().map(|_| view! {
                <div class="actions start">
                    <button class="btn primary" data-testid="import-preview-btn" disabled=move || progress.get().is_some()
                        on:click=move |_| preview()>{move || t(T::Preview)}</button>
                </div>
            })}
            {progress_view}
            {preview_view}
        </section>
    }
}
