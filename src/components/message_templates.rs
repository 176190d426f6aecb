//! Settings → Messages (消息模板): the boutique's own wording of each
//! occasion's message, in Chinese and English, with a preview filled from
//! an example member. An occasion left as it came uses the default.

use crate::components::send_message::OccasionSelect;
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::care::message::{
    fill, set_template, template_for, MessageFacts, Occasion, MAX_TEMPLATE_CHARS,
};
use clientele_engine::points::explain::Lang as ExplainLang;
use leptos::prelude::*;

crate::texts!(TemplateText {
    Title => "消息模板", "Message templates";
    Hint => "每个场合的消息用语。可用字段：{name} 姓名、{tier} 等级、{points} 可用积分、{expiring} 即将到期积分、{expires} 到期日、{reward} 可兑换礼品、{short} 还差积分、{birthday} 生日、{staff} 导购、{shop} 门店。", "The words of each occasion's message. Fields: {name}, {tier}, {points}, {expiring} (points expiring), {expires} (the day), {reward}, {short} (points still missing), {birthday}, {staff}, {shop}.";
    Zh => "中文", "Chinese";
    En => "英文", "English";
    Preview => "预览：", "Preview: ";
    Save => "保存模板", "Save the templates";
    Defaults => "恢复默认用语", "Restore the default words";
    Saved => "已保存。", "Saved.";
});

/// An example member for the preview, in the template's language.
fn example(lang: ExplainLang) -> MessageFacts {
    let zh = lang == ExplainLang::Zh;
    MessageFacts {
        name: if zh { "王芳" } else { "Ann Lee" }.into(),
        tier: "VIP".into(),
        points: 1280,
        expiring: 300,
        expires: chrono::NaiveDate::from_ymd_opt(2026, 12, 31),
        reward: Some((if zh { "真丝围巾" } else { "Silk scarf" }.into(), 220)),
        birthday: Some((3, 8)),
        staff: if zh { "小李" } else { "Lily" }.into(),
        shop: if zh { "静安店" } else { "Jing'an" }.into(),
    }
}

#[component]
pub fn MessageTemplates() -> impl IntoView {
    let app = use_app();
    let occasion = RwSignal::new(Occasion::Birthday);
    let zh = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    // The chosen occasion's words as the store keeps them.
    Effect::new(move |_| {
        let o = occasion.get();
        app.store.with_untracked(|s| {
            zh.set(template_for(&s.settings.templates, o, ExplainLang::Zh).to_string());
            en.set(template_for(&s.settings.templates, o, ExplainLang::En).to_string());
        });
        saved.set(false);
    });
    let save = move |_| {
        let o = occasion.get_untracked();
        let (z, e) = (zh.get_untracked(), en.get_untracked());
        app.update(|s| {
            set_template(&mut s.settings.templates, o, ExplainLang::Zh, &z);
            set_template(&mut s.settings.templates, o, ExplainLang::En, &e);
        });
        saved.set(true);
    };
    let defaults = move |_| {
        let o = occasion.get_untracked();
        zh.set(o.default_template(ExplainLang::Zh).to_string());
        en.set(o.default_template(ExplainLang::En).to_string());
        saved.set(false);
    };
    let area = move |label: TemplateText,
                     text: RwSignal<String>,
                     lang: ExplainLang,
                     testid: &'static str| {
        view! {
            <label class="field">
                <span>{tr(label)}</span>
                <textarea rows="3" maxlength=MAX_TEMPLATE_CHARS.to_string() data-testid=testid prop:value=move || text.get()
                    on:input=move |ev| { text.set(event_target_value(&ev)); saved.set(false); }></textarea>
            </label>
            <p class="hint template-preview" data-testid=format!("{testid}-preview")>
                {tr(TemplateText::Preview)}{move || fill(&text.get(), &example(lang), lang)}
            </p>
        }
    };
    view! {
        <section class="card message-templates" id="messages" data-testid="message-templates">
            <h2>{tr(TemplateText::Title)}</h2>
            <p class="hint">{tr(TemplateText::Hint)}</p>
            <OccasionSelect occasion=occasion testid="template-occasion"/>
            {area(TemplateText::Zh, zh, ExplainLang::Zh, "template-zh")}
            {area(TemplateText::En, en, ExplainLang::En, "template-en")}
            <div class="actions start">
                <button class="btn primary" type="button" data-testid="template-save" on:click=save>{tr(TemplateText::Save)}</button>
                <button class="btn" type="button" data-testid="template-defaults" on:click=defaults>{tr(TemplateText::Defaults)}</button>
            </div>
            <Show when=move || saved.get()>
                <p class="ok" role="status" data-testid="template-saved">{tr(TemplateText::Saved)}</p>
            </Show>
        </section>
    }
}
