//! The console's wasm in parts: what the first screen needs, and chunks for
//! the other pages, fetched the first time one opens (`#[lazy]` pages in
//! src/pages/mod.rs). Trunk calls wasm-bindgen through bin/wasm-bindgen,
//! which lands here: the console's wasm is split first, wasm-bindgen runs on
//! the first-load part, and the chunks are optimised, named by their content
//! and left in target/wasm-split for scripts/place-split.sh (a post_build
//! hook) to put beside Trunk's files. Every other wasm (the file worker)
//! goes straight to wasm-bindgen.

use crate::{cargo_bin, root, run, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SPLIT_APP: &str = "clientele-web";

pub fn bindgen(args: &[String]) -> Result {
    let real = cargo_bin().join("wasm-bindgen");
    let app = args.iter().position(|a| {
        !a.starts_with('-')
            && Path::new(a)
                .file_name()
                .is_some_and(|n| n == "clientele-web.wasm")
    });
    let Some(app) = app else {
        return run(Command::new(&real).args(args));
    };
    let wasm = fs::read(&args[app]).map_err(|e| format!("{}: {e}", args[app]))?;
    let dir = root().join("target").join("wasm-split");
    let chunks = dir.join("chunks");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&chunks).map_err(|e| format!("{}: {e}", chunks.display()))?;
    let main = dir.join(format!("{SPLIT_APP}.wasm"));
    // Named by content: a browser never pairs a new console with old chunks.
    let link = format!("./{SPLIT_APP}-split-{:016x}.js", fnv(&wasm));
    let split = wasm_split_cli_support::transform({
        let mut o = wasm_split_cli_support::Options::new(&wasm);
        o.output_dir = &chunks;
        o.main_out_path = &main;
        o.link_name = &link;
        // place-split.sh puts Trunk's hashed name here.
        o.main_module = "./clientele-web.js";
        o
    })
    .map_err(|e| format!("splitting {}: {e:#}", args[app]))?;

    let mut bindgen_args = args.to_vec();
    bindgen_args[app] = main.display().to_string();
    // The chunks call into the first-load part by its linker names.
    for flag in ["--keep-lld-exports", "--no-demangle"] {
        if !bindgen_args.iter().any(|a| a == flag) {
            bindgen_args.push(flag.into());
        }
    }
    run(Command::new(&real).args(&bindgen_args))?;

    let link_path = chunks.join(link.trim_start_matches("./"));
    let mut js =
        fs::read_to_string(&link_path).map_err(|e| format!("{}: {e}", link_path.display()))?;
    for (stem, named) in optimise_all(&split.split_modules)? {
        js = js.replace(&format!("\"./{stem}.wasm\""), &format!("\"./{named}\""));
    }
    fs::write(&link_path, js).map_err(|e| format!("{}: {e}", link_path.display()))
}

/// wasm-opt on every chunk (two at a time: there are over a hundred, most
/// tiny), then each is renamed `<stem>-<content hash>.wasm`. Returns the
/// (stem, new file name) pairs.
fn optimise_all(paths: &[PathBuf]) -> Result<Vec<(String, String)>> {
    let halves = paths.split_at(paths.len() / 2);
    std::thread::scope(|s| {
        let other = s.spawn(|| {
            halves
                .1
                .iter()
                .map(|p| optimise(p))
                .collect::<Result<Vec<_>>>()
        });
        let mut done = halves
            .0
            .iter()
            .map(|p| optimise(p))
            .collect::<Result<Vec<_>>>()?;
        done.extend(
            other
                .join()
                .map_err(|_| "wasm-opt thread panicked".to_string())??,
        );
        Ok(done)
    })
}

fn optimise(path: &Path) -> Result<(String, String)> {
    let shown = path.display().to_string();
    let out = Command::new("wasm-opt")
        .args(["-Oz", &shown, "-o", &shown])
        .output()
        .map_err(|e| format!("could not start wasm-opt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "wasm-opt {shown}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let bytes = fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("odd chunk name {shown}"))?
        .to_string();
    let named = format!("{stem}-{:016x}.wasm", fnv(&bytes));
    fs::rename(path, path.with_file_name(&named)).map_err(|e| format!("{shown}: {e}"))?;
    Ok((stem, named))
}

/// FNV-1a: enough to tell builds apart in a file name.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
