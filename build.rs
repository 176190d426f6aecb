// The console's release wasm is split into the first-load part and chunks
// (xtask/src/split.rs): it keeps its relocations for the splitter, and
// `split_chunks` turns the `split_fn!` functions into split points. Debug
// builds (the wasm tests) and native builds stay one piece.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(split_chunks)");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    if wasm && std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo::rustc-cfg=split_chunks");
        println!("cargo::rustc-link-arg-bin=clientele-web=--emit-relocs");
    }
}
