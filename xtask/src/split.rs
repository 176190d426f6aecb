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
        return run(Command::new(&real).args(&bindable_args(args)?));
    };
    let wasm = fs::read(&args[app]).map_err(|e| format!("{}: {e}", args[app]))?;
    let wasm = without_turned_off_features(&wasm)?;
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
    let out_dir = flag_value(&bindgen_args, "--out-dir").unwrap_or(".");
    let out_name = flag_value(&bindgen_args, "--out-name").unwrap_or(SPLIT_APP);
    minify(&Path::new(out_dir).join(format!("{out_name}.js")))?;

    let link_path = chunks.join(link.trim_start_matches("./"));
    let mut js =
        fs::read_to_string(&link_path).map_err(|e| format!("{}: {e}", link_path.display()))?;
    for (stem, named) in optimise_all(&split.split_modules)? {
        js = js.replace(&format!("\"./{stem}.wasm\""), &format!("\"./{named}\""));
    }
    fs::write(&link_path, js).map_err(|e| format!("{}: {e}", link_path.display()))?;
    minify(&link_path)
}

/// `--flag=value` or `--flag value` in wasm-bindgen's arguments.
fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, a)| {
        let rest = a.strip_prefix(flag)?;
        match rest.strip_prefix('=') {
            Some(v) => Some(v),
            None if rest.is_empty() => args.get(i + 1).map(String::as_str),
            None => None,
        }
    })
}

/// The first load's scripts (wasm-bindgen's glue, the chunks' loader)
/// minified in place by esbuild, as db.js is: 3.7 KB gz less. Trunk then
/// names them by their content, so integrity and caching see the result.
fn minify(path: &Path) -> Result {
    let shown = path.display().to_string();
    run(crate::cmd("esbuild").args([
        shown.as_str(),
        "--minify",
        "--format=esm",
        "--log-level=warning",
        // wasm-bindgen names one module once per import: harmless.
        "--log-override:duplicate-object-key=silent",
        "--allow-overwrite",
        &format!("--outfile={shown}"),
    ]))
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

/// `args` with each wasm file among them replaced by a copy whose
/// `target_features` section no longer names the features turned off
/// (see [`without_turned_off_features`]).
pub fn bindable_args(args: &[String]) -> Result<Vec<String>> {
    let mut out = args.to_vec();
    for a in out.iter_mut() {
        if a.starts_with('-') || !a.ends_with(".wasm") || !Path::new(a).is_file() {
            continue;
        }
        let wasm = fs::read(&*a).map_err(|e| format!("{a}: {e}"))?;
        let bindable = Path::new(a).with_extension("bindable.wasm");
        fs::write(&bindable, without_turned_off_features(&wasm)?)
            .map_err(|e| format!("{}: {e}", bindable.display()))?;
        *a = bindable.display().to_string();
    }
    Ok(out)
}

/// Features the console is built without (.cargo/config.toml: WebKit has
/// miscompiled them).
const TURNED_OFF: [&[u8]; 2] = [b"reference-types", b"multivalue"];

/// The module with `reference-types` and `multivalue` taken out of its
/// `target_features` section. The console is built without them, but
/// Rust's prebuilt standard library still marks the module as using them,
/// and wasm-bindgen, reading that mark, would expect externref intrinsics
/// that were never built. The other features stay named, for wasm-opt.
fn without_turned_off_features(wasm: &[u8]) -> Result<Vec<u8>> {
    fn leb(bytes: &[u8], at: &mut usize) -> Result<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let b = *bytes.get(*at).ok_or("wasm: a section runs past the end")?;
            *at += 1;
            value |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 28 {
                return Err("wasm: a length is too long".into());
            }
        }
    }
    fn push_leb(out: &mut Vec<u8>, mut v: usize) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)?;
        let end = at
            .checked_add(size)
            .filter(|&e| e <= wasm.len())
            .ok_or("wasm: a section runs past the end")?;
        let mut name_at = at;
        let name_len = if id == 0 { leb(wasm, &mut name_at)? } else { 0 };
        if id != 0 || wasm.get(name_at..name_at + name_len) != Some(b"target_features".as_slice()) {
            out.extend_from_slice(&wasm[start..end]);
            at = end;
            continue;
        }
        // A vector of (prefix byte, feature name).
        let mut p = name_at + name_len;
        let count = leb(wasm, &mut p)?;
        let mut kept = Vec::new();
        let mut n = 0;
        for _ in 0..count {
            let entry = p;
            p += 1;
            let len = leb(wasm, &mut p)?;
            let name = wasm
                .get(p..p + len)
                .ok_or("wasm: a feature runs past the end")?;
            p += len;
            if !TURNED_OFF.contains(&name) {
                kept.extend_from_slice(&wasm[entry..p]);
                n += 1;
            }
        }
        let mut body = wasm[at..name_at + name_len].to_vec();
        push_leb(&mut body, n);
        body.extend(kept);
        out.push(0);
        push_leb(&mut out, body.len());
        out.extend(body);
        at = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_turned_off_features_leave_the_target_features_section() {
        let custom = |name: &str, body: &[u8]| {
            let mut s = vec![0u8, (1 + name.len() + body.len()) as u8, name.len() as u8];
            s.extend_from_slice(name.as_bytes());
            s.extend_from_slice(body);
            s
        };
        let header = b"\0asm\x01\0\0\0".to_vec();
        let kept = custom("name", b"xy");
        let types = vec![1u8, 1, 0];
        let mut wasm = header.clone();
        wasm.extend(&kept);
        wasm.extend(custom(
            "target_features",
            b"\x03+\x0freference-types+\x0bbulk-memory+\x0amultivalue",
        ));
        wasm.extend(&types);
        let mut expected = header;
        expected.extend(&kept);
        expected.extend(custom("target_features", b"\x01+\x0bbulk-memory"));
        expected.extend(&types);
        assert_eq!(without_turned_off_features(&wasm).unwrap(), expected);
        assert!(without_turned_off_features(b"\0asm\x01\0\0\0\x01\x09").is_err());
    }
}
