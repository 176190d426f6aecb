//! Settings → Sync: this device joins the boutique's server. The first
//! device takes its store there; a new device with an empty store takes a
//! copy of the server's; after that changes go both ways, live. Off until
//! set up: a boutique with one device needs no server.

use crate::chunks::{split_fn, ChunkMissing};
use crate::components::qr_code::QrCode;
use crate::i18n::tr;
use crate::state::{use_app, AppState};
use crate::storage::{self, SyncConfig, SyncError, SyncState, SyncStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an invitation link carries: where the boutique's server is. Never
/// the password or the passphrase (a link travels through chat apps).
#[derive(Serialize, Deserialize)]
struct Invitation {
    url: String,
    db: String,
    #[serde(default)]
    user: String,
}

/// The invitation in this page's address (`?join=`), if any.
fn invitation_here() -> Option<Invitation> {
    let value = crate::folder::query_param("join")?;
    let json: String = js_sys::decode_uri_component(&value).ok()?.into();
    serde_json::from_str(&json).ok()
}

/// A link to this console's Settings that fills in the server.
fn invitation_link(config: &SyncConfig) -> String {
    let invitation = Invitation {
        url: config.url.clone(),
        db: config.db.clone(),
        user: config.user.clone(),
    };
    let json = serde_json::to_string(&invitation).unwrap_or_default();
    let here = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    let join: String = js_sys::encode_uri_component(&json).into();
    format!("{here}settings?join={join}")
}

split_fn! { settings_page;
    /// What the first load calls to resume sync at open: this chunk's
    /// [`start`], so sync's code is fetched only by a device that syncs.
    pub fn sync_chunk() -> Result<fn(AppState), ChunkMissing> {
        Ok(start)
    }
}

/// Starts this device's live sync as its settings say.
fn start(app: AppState) {
    let Some(config) = storage::load_sync().filter(|c| c.key.is_some()) else {
        app.sync.set(SyncStatus::default());
        return;
    };
    // Conflicts noticed before the last close are still waiting.
    app.settle_conflicts(Vec::new());
    if config.paused {
        app.sync.set(SyncStatus {
            state: SyncState::Paused,
            waiting: 0,
        });
        return;
    }
    app.sync.set(SyncStatus {
        state: SyncState::Starting,
        waiting: 0,
    });
    storage::sync_start(&config, move |status| {
        if status.state == SyncState::Synced {
            use chrono::Timelike;
            let t = crate::clock::now_local();
            app.synced_at
                .set(Some(format!("{:02}:{:02}", t.hour(), t.minute())));
        }
        app.sync.set(status);
    });
}

/// Stops the sync (paused, or left); the store stays as it is.
fn stop(app: AppState, state: SyncState) {
    storage::sync_stop();
    app.sync.set(SyncStatus { state, waiting: 0 });
}

crate::texts!(SyncText {
    Title => "多台设备同步", "Sync between devices";
    About => "店里的电脑、平板和手机共用一份会员数据：连接到店铺自己的 CouchDB 服务器。数据在离开本机前加密，服务器只看到密文；同步口令只有店里的人知道，丢了就无法找回。", "The shop's computer, tablet and phone share one store through the boutique's own CouchDB server. Data is encrypted before it leaves this device: the server sees only ciphertext. Only the shop knows the sync passphrase; if it is lost it cannot be recovered.";
    Url => "服务器地址", "Server address";
    Db => "数据库名", "Database";
    User => "用户名", "User";
    Password => "密码", "Password";
    Passphrase => "同步口令（每台设备相同）", "Sync passphrase (the same on every device)";
    Device => "本设备名称", "This device's name";
    Connect => "连接并同步", "Connect and sync";
    Connecting => "正在连接…", "Connecting…";
    Joining => "正在取回店铺数据：", "Copying the boutique's store: ";
    Docs => " 条记录", " records";
    Pause => "暂停同步", "Pause sync";
    Resume => "继续同步", "Resume sync";
    Leave => "退出同步", "Leave sync";
    LeaveHint => "退出后本机数据保持不变，只是不再与服务器同步。", "Leaving keeps this device's store as it is; it just stops syncing.";
    StateSynced => "已同步，最后一次：", "Synced, last at ";
    StateActive => "正在同步…", "Syncing…";
    StateStarting => "正在连接服务器…", "Connecting to the server…";
    StateOffline => "离线：连不上服务器，改动保存在本机，恢复连接后自动同步。待同步改动：", "Offline: the server cannot be reached. Changes are kept on this device and go when it can. Changes waiting: ";
    StatePaused => "同步已暂停。改动保存在本机。", "Sync is paused. Changes are kept on this device.";
    StateOn => "同步到：", "Syncing with: ";
    ThisDevice => "本设备：", "this device: ";
    NeedUrl => "请填写以 https:// 开头的服务器地址（本机测试可用 http://127.0.0.1）。", "Enter the server's address starting with https:// (http://127.0.0.1 for a server on this computer).";
    NeedDb => "数据库名只能用小写字母开头，包含小写字母、数字和 _ $ ( ) + - /。", "The database name starts with a lowercase letter and has only lowercase letters, digits and _ $ ( ) + - /.";
    NeedPassphrase => "请填写同步口令（至少 8 个字符）。", "Enter the sync passphrase (at least 8 characters).";
    ErrWrongPassphrase => "同步口令不对：服务器上的数据不是用这个口令加密的。本机数据没有任何改动。", "Wrong sync passphrase: the server's data was not encrypted with it. Nothing on this device changed.";
    ErrNeedsPassphrase => "需要同步口令。", "The sync passphrase is needed.";
    ErrServerHasStore => "服务器上已经有另一份店铺数据，本机也有自己的数据，不能直接合并。请先下载本机备份，再重置本机，然后用空白数据加入同步。", "The server already holds a boutique's store, and this device has a store of its own: they cannot simply be merged. Download this device's backup, reset it, then join with an empty store.";
    ErrDenied => "服务器拒绝了用户名或密码。", "The server refused the user or password.";
    ErrNoDatabase => "服务器上没有这个数据库，且此用户无权创建。", "The server has no such database, and this user may not create it.";
    ErrUnreachable => "连不上服务器：请检查地址、网络，以及服务器是否允许本网页的来源（CORS）。", "The server cannot be reached: check the address, the network, and that the server allows this page's origin (CORS).";
    ErrKeyUnreadable => "服务器上有记录无法用本店的密钥解密：可能是另一家店的数据，或数据被改动过。", "A record on the server cannot be decrypted with this boutique's key: it may be another boutique's data, or it was altered.";
    ErrServer => "服务器出错：", "The server said: ";
    Invite => "邀请另一台设备", "Invite another device";
    InviteHint => "在新设备上打开这个链接（或扫描二维码），选择“从空白开始”，再填写密码和同步口令。链接里没有密码和口令。", "Open this link on the new device (or scan the code), choose to start empty, then enter the password and the sync passphrase. The link holds neither.";
    Invited => "来自店铺的邀请：服务器已填好，请填写密码和同步口令。", "An invitation from the boutique: the server is filled in; enter the password and the sync passphrase.";
});

use SyncText as T;

/// The error in the owner's words.
fn say_error(app: AppState, e: &SyncError) -> String {
    let t = |k| app.t(k).to_string();
    match e {
        SyncError::WrongPassphrase => t(T::ErrWrongPassphrase),
        SyncError::NeedsPassphrase => t(T::ErrNeedsPassphrase),
        SyncError::ServerHasStore => t(T::ErrServerHasStore),
        SyncError::Denied => t(T::ErrDenied),
        SyncError::NoDatabase => t(T::ErrNoDatabase),
        SyncError::Unreachable => t(T::ErrUnreachable),
        SyncError::KeyUnreadable => t(T::ErrKeyUnreadable),
        SyncError::Server(m) => format!("{}{m}", t(T::ErrServer)),
    }
}

/// CouchDB's rule for database names.
fn valid_db(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c))
}

/// The store holds nothing a boutique made: joining may replace it.
fn store_is_empty(app: AppState) -> bool {
    app.store.with_untracked(|s| {
        s.members.is_empty()
            && s.purchases.is_empty()
            && s.returns.is_empty()
            && s.points_events.is_empty()
            && s.care.contacts.is_empty()
            && s.care.plan.is_empty()
    })
}

#[component]
pub fn SyncSettings() -> impl IntoView {
    let app = use_app();
    let saved = storage::load_sync().unwrap_or_default();
    let invited = invitation_here().filter(|_| saved.key.is_none());
    let (url0, db0, user0) = match &invited {
        Some(i) => (i.url.clone(), i.db.clone(), i.user.clone()),
        None => (saved.url.clone(), saved.db.clone(), saved.user.clone()),
    };
    let url = RwSignal::new(url0);
    let db = RwSignal::new(db0);
    let user = RwSignal::new(user0);
    let was_invited = invited.is_some();
    let password = RwSignal::new(saved.password.clone());
    let device = RwSignal::new(saved.device.clone());
    let passphrase = RwSignal::new(String::new());
    // Set up on this device (a key kept): the form gives way to the state.
    let set_up = RwSignal::new(saved.key.is_some());
    let busy = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);

    let connect = move |_| {
        let url_text = url.get_untracked().trim().to_string();
        let db_text = db.get_untracked().trim().to_string();
        let pass = passphrase.get_untracked();
        let local =
            url_text.starts_with("http://127.0.0.1") || url_text.starts_with("http://localhost");
        let check = if !(url_text.starts_with("https://") || local) {
            Some(T::NeedUrl)
        } else if !valid_db(&db_text) {
            Some(T::NeedDb)
        } else if pass.chars().count() < 8 {
            Some(T::NeedPassphrase)
        } else {
            None
        };
        if let Some(k) = check {
            problem.set(Some(app.t(k).to_string()));
            return;
        }
        problem.set(None);
        busy.set(Some(app.t(T::Connecting).to_string()));
        let mut config = SyncConfig {
            url: url_text,
            db: db_text,
            user: user.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            device: device.get_untracked().trim().to_string(),
            ..SyncConfig::default()
        };
        leptos::task::spawn_local(async move {
            let outcome = async {
                let found = storage::sync_connect(&config, &pass).await?;
                config.key = Some(found.key);
                if found.remote_docs == 0 || found.same_store {
                    return Ok(false);
                }
                if !store_is_empty(app) {
                    return Err(SyncError::ServerHasStore);
                }
                let joining = app.t(T::Joining);
                let docs = app.t(T::Docs);
                storage::sync_join(&config, move |n| {
                    busy.set(Some(format!("{joining}{n}{docs}")))
                })
                .await?;
                Ok(true)
            }
            .await;
            match outcome {
                Ok(joined) => {
                    if let Err(e) = storage::save_sync(Some(&config)) {
                        busy.set(None);
                        problem.set(Some(format!("{e:?}")));
                        return;
                    }
                    passphrase.set(String::new());
                    if joined {
                        // The database was replaced under the console: open it again.
                        let _ = web_sys::window().map(|w| w.location().reload());
                        return;
                    }
                    busy.set(None);
                    set_up.set(true);
                    start(app);
                }
                Err(e) => {
                    busy.set(None);
                    problem.set(Some(say_error(app, &e)));
                }
            }
        });
    };

    let set_paused = move |paused: bool| {
        if let Some(mut c) = storage::load_sync() {
            c.paused = paused;
            let _ = storage::save_sync(Some(&c));
        }
        if paused {
            stop(app, SyncState::Paused);
        } else {
            start(app);
        }
    };
    let leave = move |_| {
        stop(app, SyncState::Off);
        let _ = storage::save_sync(None);
        set_up.set(false);
    };

    let status = move || {
        let s = app.sync.get();
        match &s.state {
            SyncState::Synced => format!(
                "{}{}",
                app.t(T::StateSynced),
                app.synced_at.get().unwrap_or_default()
            ),
            SyncState::Active => app.t(T::StateActive).to_string(),
            SyncState::Starting => app.t(T::StateStarting).to_string(),
            SyncState::Offline => format!("{}{}", app.t(T::StateOffline), s.waiting),
            SyncState::Paused => app.t(T::StatePaused).to_string(),
            SyncState::Failed(e) => say_error(app, e),
            SyncState::Off => String::new(),
        }
    };
    let paused = move || app.sync.with(|s| s.state == SyncState::Paused);
    let server = move || {
        let name = device.get();
        let this = if name.is_empty() {
            String::new()
        } else {
            format!(" · {}{name}", app.t(T::ThisDevice))
        };
        format!("{} / {}{this}", url.get(), db.get())
    };

    let field =
        move |label: T, value: RwSignal<String>, kind: &'static str, testid: &'static str| {
            view! {
                <label>
                    <span>{tr(label)}</span>
                    <input type=kind data-testid=testid autocomplete="off"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                </label>
            }
        };

    view! {
        <section class="card form" id="sync" data-testid="sync-card">
            <h2>{tr(T::Title)}</h2>
            <Show when=move || set_up.get() fallback=move || view! {
                <p class="hint">{tr(T::About)}</p>
                {was_invited.then(|| view! { <p class="notice-inline" data-testid="sync-invited">{tr(T::Invited)}</p> })}
                {field(T::Url, url, "url", "sync-url")}
                {field(T::Db, db, "text", "sync-db")}
                {field(T::User, user, "text", "sync-user")}
                {field(T::Password, password, "password", "sync-password")}
                {field(T::Passphrase, passphrase, "password", "sync-passphrase")}
                {field(T::Device, device, "text", "sync-device")}
                <div class="actions">
                    <button class="btn primary" data-testid="sync-connect"
                        disabled=move || busy.get().is_some() on:click=connect>{tr(T::Connect)}</button>
                </div>
            }>
                <p data-testid="sync-server">{tr(T::StateOn)} {server}</p>
                <p data-testid="sync-status" aria-live="polite">{status}</p>
                <div class="actions">
                    <Show when=paused fallback=move || view! {
                        <button class="btn" data-testid="sync-pause" on:click=move |_| set_paused(true)>{tr(T::Pause)}</button>
                    }>
                        <button class="btn primary" data-testid="sync-resume" on:click=move |_| set_paused(false)>{tr(T::Resume)}</button>
                    </Show>
                    <button class="btn" data-testid="sync-leave" on:click=leave>{tr(T::Leave)}</button>
                </div>
                <p class="hint">{tr(T::LeaveHint)}</p>
                <details class="invite">
                    <summary data-testid="sync-invite">{tr(T::Invite)}</summary>
                    {move || {
                        let link = storage::load_sync().map(|c| invitation_link(&c)).unwrap_or_default();
                        let qr = view! { <QrCode text=link.clone() label=link.clone() testid="sync-invite-qr"/> };
                        view! {
                            <p class="hint">{tr(T::InviteHint)}</p>
                            {qr}
                            <p class="invite-link"><a href=link.clone() data-testid="sync-invite-link">{link.clone()}</a></p>
                        }
                    }}
                </details>
            </Show>
            {move || busy.get().map(|b| view! { <p data-testid="sync-busy" aria-live="polite">{b}</p> })}
            {move || problem.get().map(|p| view! { <p class="error" role="alert" data-testid="sync-problem">{p}</p> })}
        </section>
    }
}
