//! `cargo xtask serve` and `cargo xtask test`: each sets up what is missing
//! on this machine (from the package registries only) and then runs.
//! Every step checks first and skips what is already there, so a second
//! run costs seconds.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod split;

const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("setup") => setup(Needs { browser: true }),
        Some("build") => setup(Needs { browser: false }).and_then(|()| build_release()),
        Some("sync-server") => sync_server(&args[1..]),
        // Trunk's wasm-bindgen step, reached through bin/wasm-bindgen.
        Some("bindgen") => split::bindgen(&args[1..]),
        // cargo's runner for wasm tests, through bin/wasm-bindgen-test-runner.
        Some("test-runner") => split::bindable_args(&args[1..])
            .and_then(|a| run(Command::new(cargo_bin().join("wasm-bindgen-test-runner")).args(a))),
        _ => {
            eprintln!("usage: cargo xtask serve | test | setup | build | sync-server");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// PATH with our wasm-bindgen wrapper (xtask/bin), the npm tools and
/// cargo's bin first, so Trunk finds wasm-bindgen and binaryen's wasm-opt
/// without downloading anything, and its wasm-bindgen step splits the wasm.
fn tool_path() -> String {
    let npm_bin = root().join("node_modules").join(".bin");
    format!(
        "{}:{}:{}:{}",
        root().join("xtask").join("bin").display(),
        npm_bin.display(),
        cargo_bin().display(),
        env::var("PATH").unwrap_or_default()
    )
}

fn cargo_bin() -> PathBuf {
    env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env::var("HOME").unwrap_or_default()).join(".cargo"))
        .join("bin")
}

fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", tool_path());
    // bin/wasm-bindgen hands Trunk's call back to this program.
    if let Ok(me) = env::current_exe() {
        c.env("CLIENTELE_XTASK", me);
    }
    c
}

fn run(c: &mut Command) -> Result {
    let shown = format!("{c:?}");
    eprintln!("xtask: running {shown}");
    let status = c
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

fn output(c: &mut Command) -> Option<String> {
    let out = c.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

struct Needs {
    browser: bool,
}

fn setup(needs: Needs) -> Result {
    ensure_wasm_target()?;
    ensure_rust_src()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages()?;
    ensure_db_bundle()?;
    if needs.browser {
        ensure_chromium()?;
        ensure_webkit()?;
    }
    // Trunk builds offline: fetch every crate first, the standard
    // library's own among them (see `console_build`).
    run(cmd("cargo").args(["fetch"]))?;
    run(console_build(cmd("cargo")).args([
        "fetch",
        "-Zbuild-std=std,panic_abort",
        "--target",
        WASM_TARGET,
    ]))
}

/// The console's release wasm is built with its own standard library,
/// compiled with `panic = "immediate-abort"`: a panic traps at once instead
/// of formatting a message first, which takes all of the panic-message
/// machinery out of the first load (24 KB gzipped, measured in the closing
/// note of that change). Both are unstable cargo features of this stable
/// toolchain, turned on for this build alone by `RUSTC_BOOTSTRAP`, the way
/// other projects pinned to one stable rustc use them; they need the
/// `rust-src` component (`ensure_rust_src`). The console's app code never
/// relies on a panic message: every fault a user can cause is an `Err`
/// shown in words. The build has its own target folder, so the host build
/// scripts compiled under these settings do not make the tests' builds
/// start over.
fn console_build(mut c: Command) -> Command {
    c.env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT", "true")
        .env("CARGO_PROFILE_WASM_RELEASE_PANIC", "immediate-abort")
        .env("CARGO_TARGET_DIR", root().join("target").join("console"));
    c
}

fn ensure_rust_src() -> Result {
    let installed =
        output(cmd("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "rust-src") {
        return Ok(());
    }
    run(cmd("rustup").args(["component", "add", "rust-src"]))
}

fn ensure_wasm_target() -> Result {
    let installed =
        output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(cmd("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_trunk() -> Result {
    let have = output(cmd("trunk").arg("--version")).unwrap_or_default();
    if have.contains(TRUNK_VERSION) {
        return Ok(());
    }
    // trunk 0.22 needs a newer rustc than this machine's; 0.21.14 is verified.
    run(cmd("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
}

/// The wasm-bindgen version Cargo.lock resolved; the CLI must match it.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn ensure_wasm_bindgen() -> Result {
    let want = locked_wasm_bindgen()?;
    let have = output(cmd("wasm-bindgen").arg("--version")).unwrap_or_default();
    let runner = output(cmd("wasm-bindgen-test-runner").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) && runner.contains(&want) {
        return Ok(());
    }
    // `--locked` fails on a dependency the registry no longer has.
    run(cmd("cargo").args(["install", "wasm-bindgen-cli", "--version", &want, "--force"]))
}

fn ensure_npm_packages() -> Result {
    if output(cmd("npm").arg("--version")).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let r = root();
    let stamp = r.join("node_modules").join(".package-lock.json");
    let fresh = match (
        std::fs::metadata(&stamp),
        std::fs::metadata(r.join("package-lock.json")),
    ) {
        (Ok(s), Ok(l)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    let has_tools = r.join("node_modules/.bin/wasm-opt").exists()
        && r.join("node_modules/.bin/esbuild").exists()
        && r.join("node_modules/pouchdb-core").exists()
        && r.join("node_modules/pouchdb-replication").exists()
        && r.join("node_modules/.bin/pouchdb-server").exists()
        && r.join("node_modules/playwright-core").exists();
    if fresh && has_tools {
        return Ok(());
    }
    // No install scripts: none of these needs one, and pouchdb-server's
    // optional on-disk backends (leveldown, sqlite3) would compile native
    // code that its in-memory mode never loads.
    run(cmd("npm").args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"]))
}

/// The console's database scripts, bundled by esbuild (from npm) into
/// `target/js/`, which Trunk copies into dist/ and the wasm tests load:
/// `js/db.js` (the first load's reader of the database), PouchDB with
/// `js/pouch.js`, and sync (`js/sync.js`: replication, HTTP, encryption).
/// Rebuilt when the glue or the lockfile is newer.
fn ensure_db_bundle() -> Result {
    // db.js is in the first load; pouch.js comes after the first screen,
    // sync.js only where a device syncs, and scan.js (the camera's QR
    // reader) when the counter opens the camera.
    for name in ["db.js", "pouch.js", "sync.js", "scan.js"] {
        let r = root();
        let out = r.join("target").join("js").join(name);
        let built = std::fs::metadata(&out).and_then(|m| m.modified()).ok();
        // failure.js: the error shape db.js and pouch.js share.
        let newest_input = [
            format!("js/{name}"),
            "js/failure.js".to_string(),
            "package-lock.json".to_string(),
        ]
        .iter()
        .filter_map(|p| std::fs::metadata(r.join(p)).and_then(|m| m.modified()).ok())
        .max();
        if built.is_some() && built >= newest_input {
            continue;
        }
        run(cmd("esbuild").args([
            &format!("js/{name}"),
            "--bundle",
            "--minify",
            "--format=iife",
            "--target=es2019",
            "--legal-comments=none",
            &format!("--outfile={}", out.display()),
        ]))?;
    }
    Ok(())
}

/// Chromium and its driver, plus a CJK font so screenshots show Chinese
/// rather than empty boxes (shop tablets have one; a bare server does not).
fn ensure_chromium() -> Result {
    let cjk = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if Path::new("/usr/bin/chromium").exists()
        && Path::new("/usr/bin/chromedriver").exists()
        && cjk.exists()
    {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver", "fonts-noto-cjk"])
}

/// WebKitGTK, the engine of Safari, for tests/webkit: its WebDriver
/// (which brings the engine and MiniBrowser), an X server to draw in, and
/// the GObject bindings that tests/webkit/browser.py, a browser shell whose
/// website data lives on disk as Safari's does, is written with.
fn ensure_webkit() -> Result {
    let shell = output(Command::new("/usr/bin/python3").args([
        "-c",
        "import gi; gi.require_version('Gtk', '3.0'); gi.require_version('WebKit2', '4.1')",
    ]))
    .is_some();
    let cjk = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if shell
        && Path::new("/usr/bin/WebKitWebDriver").exists()
        && Path::new("/usr/bin/Xvfb").exists()
        && cjk.exists()
    {
        return Ok(());
    }
    apt_install(&[
        "webkit2gtk-driver",
        "xvfb",
        "python3-gi",
        "gir1.2-webkit2-4.1",
        "fonts-noto-cjk",
    ])
}

fn apt_install(packages: &[&str]) -> Result {
    let sudo = output(Command::new("id").arg("-u"))
        .map(|u| u.trim() != "0")
        .unwrap_or(true);
    let apt = |args: &[&str]| {
        let mut c = if sudo { cmd("sudo") } else { cmd("apt-get") };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c)
    };
    apt(&["update"])?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args)
}

fn build_release() -> Result {
    run(console_build(cmd("trunk")).args(["build", "--release"]))
}

fn serve() -> Result {
    setup(Needs { browser: false })?;
    eprintln!("xtask: Clientele will be at http://127.0.0.1:8080 once built (Ctrl-C stops it)");
    run(console_build(cmd("trunk")).args([
        "serve",
        "--release",
        "--address",
        "127.0.0.1",
        "--port",
        "8080",
    ]))
}

/// A CouchDB-protocol server for trying sync or for a back-office computer
/// (scripts/sync-server.mjs: pouchdb-server from npm, set up and supervised).
/// Options are the script's; a relative `--dir` is from where it was run.
fn sync_server(options: &[String]) -> Result {
    ensure_npm_packages()?;
    let script = root().join("scripts").join("sync-server.mjs");
    let status = Command::new("node")
        .arg(&script)
        .args(options)
        .env("PATH", tool_path())
        .status()
        .map_err(|e| format!("could not start node: {e}"))?;
    match status.code() {
        Some(0) | None => Ok(()),
        Some(code) => Err(format!("the sync server stopped (exit {code})")),
    }
}

fn test() -> Result {
    setup(Needs { browser: true })?;
    // 1. The engine, the native command and everything else that runs natively.
    run(cmd("cargo").args([
        "test",
        "--workspace",
        "--exclude",
        "clientele-web",
        "--exclude",
        "xtask",
    ]))?;
    // UI helpers that are plain Rust run natively too.
    run(cmd("cargo").args(["test", "-p", "clientele-web", "--lib"]))?;
    // 2. Storage and file glue in headless Chromium.
    run(cmd("cargo")
        .args([
            "test",
            "-p",
            "clientele-web",
            "--target",
            WASM_TARGET,
            "--test",
            "web",
        ])
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "180"))?;
    // 3. The release build, end to end in a real browser.
    build_release()?;
    run(cmd("node").args(["--test", "--test-concurrency=1", "tests/e2e/"]))?;
    // 4. The storage tests and one walk again in WebKit, Safari's engine
    // (each test file starts its own Xvfb and WebKitWebDriver).
    run(cmd("node").args(["--test", "--test-concurrency=1", "tests/webkit/"]))
}
