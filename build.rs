// The console's wasm keeps its relocations so xtask can split it into the
// first-load part and page chunks (xtask/src/split.rs); the file worker's
// does not need them.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=clientele-web=--emit-relocs");
    }
}
