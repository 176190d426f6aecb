//! The scheme lab (/points/lab): edit one or two candidate schemes, replay
//! them over the store's own history side by side with the scheme in
//! force, tune thresholds to a target pyramid, apply a candidate from a
//! date, and move schemes in and out as JSON files.

use crate::components::lab_apply::ApplyPanel;
use crate::components::lab_compare::TrialColumn;
use crate::components::lab_earning::EarningEditor;
use crate::components::lab_field::{preset_name, problem_of, scheme_error_text, scheme_name};
use crate::components::lab_lines::LineRulesEditor;
use crate::components::lab_pay::PayWithPointsEditor;
use crate::components::lab_policy::PolicyEditor;
use crate::components::lab_progress::{run_comparison, ComparisonProgress};
use crate::components::lab_rewards::RewardsEditor;
use crate::components::lab_tiers::TierEditor;
use crate::components::lab_tune::{default_target, target_bp, TunePanel};
use crate::files;
use crate::i18n::{tr, Lang};
use crate::state::use_app;
use chrono::NaiveDate;
use clientele_engine::points::checkout::scheme_on;
use clientele_engine::points::lab::{export_scheme, import_scheme, Preset, SchemeFileError};
use clientele_engine::points::scheme::{presets, Scheme};
use leptos::prelude::*;

crate::texts!(LabText {
    Title => "方案实验室", "Scheme lab";
    Intro => "在本店自己的历史数据上试验积分与等级方案：修改候选方案，与当前方案并排比较，满意后再应用。试验不会改动任何数据，直到你确认应用。",
        "Try points and tier schemes on this store's own history: edit a candidate, compare it side by side with the scheme in force, and apply it only when you are happy. Nothing changes until you confirm.";
    Back => "返回积分与等级", "Back to Points & Tiers";
    Empty => "本店还没有会员和消费记录，比较结果都会是 0。先在“数据”页导入会员与消费，或在“设置”里打开示例店；现在也可以编辑、导入并应用方案。",
        "This store has no members or purchases yet, so every comparison shows 0. Import members and purchases on the Data page, or open the demo boutique from Settings; you can still edit, import and apply a scheme now.";
    StartFrom => "从以下方案开始", "Start from";
    FromCurrent => "当前生效方案", "The scheme in force";
    Simple => "每元 1 分 · 普通/高级/VIP/至尊", "1 point per yuan · Regular/Senior/VIP/Supreme";
    Banded => "分档积分 · 铜/银/金/钻石", "Banded rate · Bronze/Silver/Gold/Diamond";
    Department => "百货四卡", "Department store cards";
    Classic => "近 12 个月消费升降级", "Up and down on the last 12 months";
    Load => "载入", "Load";
    CandidateA => "候选方案 A", "Candidate A";
    CandidateB => "候选方案 B", "Candidate B";
    AddB => "再加一个候选方案", "Add a second candidate";
    RemoveB => "去掉候选方案 B", "Remove candidate B";
    Name => "方案名称", "Scheme name";
    Export => "导出方案文件", "Export scheme file";
    Import => "导入方案文件", "Import a scheme file";
    Imported => "已导入：", "Imported: ";
    NotText => "这个文件不是文本文件。", "This file is not a text file.";
    Unreadable => "无法读取方案文件（第 {line} 行）。请选择由 Clientele 导出的方案 JSON 文件。", "The scheme file cannot be read (line {line}). Choose a scheme JSON file exported by Clientele.";
    Newer => "这个方案文件来自更新版本的 Clientele，请先更新。", "This scheme file comes from a newer Clientele; update first.";
    Invalid => "文件中的方案有误：", "The scheme in the file has a problem: ";
    ReadFailed => "无法读取文件：", "The file could not be read: ";
    Problem => "此方案有问题，请看标出的字段：", "This scheme has a problem; see the field marked: ";
    AsOf => "比较日期", "Compare as of";
    Compare => "并排比较", "Side by side";
    CompareHint => "每个方案都按本店全部历史重新计算到比较日期。", "Each scheme is replayed over the store's whole history up to the comparison date.";
    Current => "当前方案", "In force";
    Editor => "编辑候选方案", "Edit the candidate";
});

/// The scheme to start from: a preset named in the reader's language, or
/// the scheme in force.
fn preset(code: &str, current: &Scheme, lang: Lang) -> Scheme {
    match Preset::from_code(code) {
        Some(p) => Scheme {
            name: preset_name(lang, p).to_string(),
            ..p.scheme()
        },
        None => current.clone(),
    }
}

fn file_error_text(lang: Lang, e: &SchemeFileError) -> String {
    match e {
        SchemeFileError::NotText => lang.t(LabText::NotText).to_string(),
        SchemeFileError::Unreadable { line, .. } => lang
            .t(LabText::Unreadable)
            .replace("{line}", &line.to_string()),
        SchemeFileError::NewerVersion { .. } => lang.t(LabText::Newer).to_string(),
        SchemeFileError::Invalid(p) => {
            format!(
                "{}{}",
                lang.t(LabText::Invalid),
                scheme_error_text(lang, &p.error)
            )
        }
    }
}

#[component]
pub fn Lab() -> impl IntoView {
    let app = use_app();
    let current = move || {
        let today = app.today.get_untracked();
        app.store.with_untracked(|s| scheme_on(s, today))
    };
    let cands = [
        RwSignal::new(current()),
        RwSignal::new(preset(
            "banded",
            &presets::banded(),
            app.lang.get_untracked(),
        )),
    ];
    let two = RwSignal::new(false);
    let editing = RwSignal::new(0usize);
    let preset_code = RwSignal::new("current".to_string());
    let as_of = RwSignal::new(app.today.get_untracked().to_string());
    let as_of_date = Signal::derive(move || {
        NaiveDate::parse_from_str(&as_of.get(), "%Y-%m-%d").unwrap_or_else(|_| app.today.get())
    });
    let target = RwSignal::new(Vec::<String>::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let edited = Signal::derive(move || cands[editing.get().min(1)].get());

    let base_scheme = Signal::derive(move || {
        let d = as_of_date.get();
        app.store.with(|s| scheme_on(s, d))
    });
    let compared = run_comparison(
        as_of_date,
        base_scheme,
        Signal::derive(move || {
            let mut list = vec![cands[0].get()];
            if two.get() {
                list.push(cands[1].get());
            }
            list
        }),
    );
    let pending = compared.pending;
    // Each column shows the scheme as it was replayed, beside its trial.
    let column = move |i: Option<usize>| {
        let scheme = Signal::derive(move || {
            compared
                .results
                .with(|r| {
                    r.as_ref().and_then(|r| match i {
                        None => Some(r.base.scheme.clone()),
                        Some(i) => r.candidates.get(i).map(|c| c.scheme.clone()),
                    })
                })
                .unwrap_or_else(|| match i {
                    None => base_scheme.get(),
                    Some(i) => cands[i.min(1)].get(),
                })
        });
        let trial = Signal::derive(move || {
            compared.results.with(|r| {
                r.as_ref().and_then(|r| match i {
                    None => Some(r.base.trial.clone()),
                    Some(i) => r.candidates.get(i).map(|c| c.trial.clone()),
                })
            })
        });
        (scheme, trial)
    };
    let (shown_base, base_trial) = column(None);
    let (a_scheme, a_trial) = column(Some(0));
    let (b_scheme, b_trial) = column(Some(1));
    let target_for = move |n: usize| {
        let typed = target.get();
        if typed.len() + 1 == n {
            let upper = target_bp(&typed);
            let rest = 10_000u32.saturating_sub(upper.iter().sum());
            std::iter::once(rest).chain(upper).collect()
        } else {
            default_target(n)
        }
    };

    let load = move |_| {
        let s = preset(
            &preset_code.get_untracked(),
            &current(),
            app.lang.get_untracked(),
        );
        cands[editing.get_untracked().min(1)].set(s);
        message.set(None);
    };
    let export = move |_| {
        let s = edited.get_untracked();
        let name = app.store.with_untracked(|st| {
            files::file_name(
                &st.settings.store_name,
                "scheme",
                app.today.get_untracked(),
                "json",
            )
        });
        if let Err(e) = files::download(&name, "application/json", export_scheme(&s).as_bytes()) {
            message.set(Some((false, format!("{}{e}", app.t(LabText::ReadFailed)))));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = files::take_picked_file(&ev) else {
            return;
        };
        let slot = cands[editing.get_untracked().min(1)];
        leptos::task::spawn_local(async move {
            let lang = app.lang.get_untracked();
            match files::read_file_bytes(file).await {
                Ok(bytes) => match import_scheme(&bytes) {
                    Ok(s) => {
                        message.set(Some((
                            true,
                            format!("{}{}", lang.t(LabText::Imported), s.name),
                        )));
                        slot.set(s);
                    }
                    Err(e) => message.set(Some((false, file_error_text(lang, &e)))),
                },
                Err(e) => message.set(Some((false, format!("{}{e}", lang.t(LabText::ReadFailed))))),
            }
        });
    };

    let editor = move || {
        let scheme = cands[editing.get().min(1)];
        let problem = problem_of(scheme);
        view! {
            <section class="card lab-editor" data-testid="lab-editor">
                <h2>{tr(LabText::Editor)}</h2>
                <label class="field lab-field wide">
                    <span>{tr(LabText::Name)}</span>
                    <input type="text" data-testid="scheme-name" prop:value=move || scheme.with(|s| scheme_name(app.lang.get(), &s.name))
                        on:change=move |ev| { let v = event_target_value(&ev); scheme.update(|s| s.name = v) }/>
                </label>
                {move || problem.get().map(|p| view! {
                    <p class="error" role="alert" data-testid="scheme-problem">
                        {tr(LabText::Problem)} {move || scheme_error_text(app.lang.get(), &p.error)}
                    </p>
                })}
                <TierEditor scheme=scheme/>
                <EarningEditor scheme=scheme/>
                <LineRulesEditor scheme=scheme/>
                <PolicyEditor scheme=scheme/>
                <RewardsEditor scheme=scheme/>
                <PayWithPointsEditor scheme=scheme/>
            </section>
        }
    };
    let tune = move || {
        let scheme = cands[editing.get().min(1)];
        view! { <TunePanel scheme=scheme target=target as_of=as_of_date/> }
    };
    let apply = move || {
        let scheme = cands[editing.get().min(1)];
        view! { <ApplyPanel scheme=scheme/> }
    };

    view! {
        <div class="lab" data-testid="lab">
            <h1 class="page-title">{tr(LabText::Title)}</h1>
            <p class="hint">{tr(LabText::Intro)} " " <a href="points">{tr(LabText::Back)}</a></p>
            {move || app.store.with(|s| s.members.is_empty()).then(|| view! {
                <section class="card empty" data-testid="lab-empty"><p>{tr(LabText::Empty)}</p></section>
            })}
            <section class="card lab-toolbar">
                <div class="tabs" role="tablist">
                    <button class="btn tab" type="button" role="tab" data-testid="edit-a"
                        class:active=move || editing.get() == 0 on:click=move |_| editing.set(0)>{tr(LabText::CandidateA)}</button>
                    <Show when=move || two.get() fallback=move || view! {
                        <button class="btn tab" type="button" data-testid="add-b" on:click=move |_| { two.set(true); editing.set(1); }>{tr(LabText::AddB)}</button>
                    }>
                        <button class="btn tab" type="button" role="tab" data-testid="edit-b"
                            class:active=move || editing.get() == 1 on:click=move |_| editing.set(1)>{tr(LabText::CandidateB)}</button>
                        <button class="btn" type="button" data-testid="remove-b" on:click=move |_| { two.set(false); editing.set(0); }>{tr(LabText::RemoveB)}</button>
                    </Show>
                </div>
                <div class="lab-fields">
                    <label class="field lab-field long">
                        <span>{tr(LabText::StartFrom)}</span>
                        <select data-testid="preset-select" on:change=move |ev| preset_code.set(event_target_value(&ev))>
                            <option value="current" selected=move || preset_code.get() == "current">{tr(LabText::FromCurrent)}</option>
                            <option value="simple" selected=move || preset_code.get() == "simple">{tr(LabText::Simple)}</option>
                            <option value="banded" selected=move || preset_code.get() == "banded">{tr(LabText::Banded)}</option>
                            <option value="department" selected=move || preset_code.get() == "department">{tr(LabText::Department)}</option>
                            <option value="classic" selected=move || preset_code.get() == "classic">{tr(LabText::Classic)}</option>
                        </select>
                    </label>
                    <div class="lab-buttons">
                        <button class="btn" type="button" data-testid="load-preset" on:click=load>{tr(LabText::Load)}</button>
                        <button class="btn" type="button" data-testid="export-scheme" on:click=export>{tr(LabText::Export)}</button>
                        <label class="btn file-btn">
                            {tr(LabText::Import)}
                            <input type="file" accept=".json,application/json" data-testid="import-scheme" on:change=import/>
                        </label>
                    </div>
                </div>
                {move || message.get().map(|(ok, text)| view! {
                    <p class=if ok { "ok" } else { "error" } role="status" data-testid="lab-message">{text}</p>
                })}
            </section>
            {editor}
            {tune}
            <section class="card" data-testid="lab-compare" aria-busy=move || if pending.get() { "true" } else { "false" }>
                <h2>{tr(LabText::Compare)}</h2>
                <p class="hint">{tr(LabText::CompareHint)}</p>
                <div class="lab-fields">
                    <label class="field lab-field">
                        <span>{tr(LabText::AsOf)}</span>
                        <input type="date" data-testid="as-of" prop:value=move || as_of.get()
                            on:change=move |ev| as_of.set(event_target_value(&ev))/>
                    </label>
                </div>
                <div class="lab-compare-body">
                    <ComparisonProgress progress=compared.progress/>
                    <div class="lab-columns" class:three=move || two.get() class:stale=move || pending.get()>
                        <TrialColumn testid="compare-current"
                            title=Signal::derive(move || app.t(LabText::Current).to_string())
                            scheme=shown_base base_scheme=shown_base
                            trial=base_trial
                            target=Signal::derive(move || target_for(shown_base.with(|s| s.tiers.tiers.len())))/>
                        <TrialColumn testid="compare-a"
                            title=Signal::derive(move || app.t(LabText::CandidateA).to_string())
                            scheme=a_scheme base_scheme=shown_base
                            trial=a_trial
                            target=Signal::derive(move || target_for(a_scheme.with(|s| s.tiers.tiers.len())))/>
                        <Show when=move || two.get()>
                            <TrialColumn testid="compare-b"
                                title=Signal::derive(move || app.t(LabText::CandidateB).to_string())
                                scheme=b_scheme base_scheme=shown_base
                                trial=b_trial
                                target=Signal::derive(move || target_for(b_scheme.with(|s| s.tiers.tiers.len())))/>
                        </Show>
                    </div>
                </div>
            </section>
            {apply}
        </div>
    }
}
