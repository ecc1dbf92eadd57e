//! The app's build script: the language catalogues (`tools/catalogues`: checked, and
//! `core::i18n`'s tables generated) and, for the split build, the link argument
//! wasm-split needs.

fn main() {
    catalogues::build_script();
    // wasm-split reads the linker's relocations to cut the wasm at `src/ui/lazy.rs`'s
    // entries (tools/split-wasm); only the split build needs them.
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
