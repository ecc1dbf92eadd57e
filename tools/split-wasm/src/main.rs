//! `split-wasm STAGING CARGO_WASM`: the app's wasm split at `src/ui/lazy.rs`'s entries
//! into the first load and the parts fetched when first needed. Run by
//! `scripts/finish-build.sh`, Trunk's post_build hook.
//!
//! Trunk has built cargo's wasm (with the `split` feature) and made its glue in
//! STAGING as `connector-refresh-<hash>.js` and `connector-refresh-<hash>_bg.wasm`.
//! Splitting has to happen between cargo and wasm-bindgen, where Trunk 0.21 has no
//! step, so this step:
//! 1. splits cargo's wasm through wasm-split's library (`wasm_split_cli_support`,
//!    its documented `Options`), the way cargo-leptos does;
//! 2. runs wasm-bindgen on the main module under Trunk's own names, which replaces
//!    Trunk's two files (their hash is of the same cargo output, so a name still
//!    stands for one build);
//! 3. puts the parts and their loader (`parts.js`) into the main wasm's folder of
//!    parts, `connector-refresh-<hash>_bg.wasm.parts/`, so every file of one build is
//!    named by that build's hash and can be cached for good. The folder is named
//!    after the wasm so that Trunk's `pattern_preload` (Trunk.toml) can name the
//!    loader as `{wasm}.parts/parts.js`: the page fetches it beside the glue, which
//!    imports it, instead of after the glue arrives.
//!
//! Nothing is edited after a tool wrote it: the loader's path and the glue's path
//! are wasm-split options, and wasm-bindgen names its own output.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Trunk's file name stem for the app: `connector-refresh-<hash>`.
const APP: &str = "connector-refresh";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [staging, cargo_wasm] = args.as_slice() else {
        eprintln!("usage: split-wasm STAGING_DIR CARGO_WASM (run by scripts/finish-build.sh)");
        return ExitCode::FAILURE;
    };
    match run(Path::new(staging), Path::new(cargo_wasm)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("split-wasm: {why}");
            ExitCode::FAILURE
        }
    }
}

fn run(staging: &Path, cargo_wasm: &Path) -> Result<(), String> {
    let stem = trunk_stem(staging)?;
    let input = std::fs::read(cargo_wasm)
        .map_err(|e| format!("cannot read cargo's wasm {}: {e}", cargo_wasm.display()))?;
    let parts_folder = format!("{stem}_bg.wasm.parts");
    let parts_dir = staging.join(&parts_folder);
    std::fs::create_dir_all(&parts_dir).map_err(|e| e.to_string())?;
    let main_wasm = staging.join(format!(".{stem}.split-main.wasm"));

    // The glue imports the parts' loader from `./<stem>_bg.wasm.parts/parts.js`; the
    // loader imports `initSync` from the glue, one folder up.
    let link_name = format!("./{parts_folder}/parts.js");
    let main_module = format!("../{stem}.js");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = staging;
    opts.main_out_path = &main_wasm;
    opts.link_name = &link_name;
    opts.main_module = &main_module;
    let split = wasm_split_cli_support::transform(opts)
        .map_err(|e| format!("wasm-split failed on {}: {e:#}", cargo_wasm.display()))?;
    if split.split_modules.is_empty() {
        return Err(format!(
            "{} has no split points: build it with the `split` feature (Trunk.toml sets it)",
            cargo_wasm.display()
        ));
    }
    // wasm-split writes the parts into its output folder; the loader fetches them
    // from beside itself.
    let mut parts = Vec::new();
    for from in &split.split_modules {
        let name = from
            .file_name()
            .ok_or_else(|| format!("wasm-split named a part {}", from.display()))?;
        let to: PathBuf = parts_dir.join(name);
        std::fs::rename(from, &to).map_err(|e| format!("moving {}: {e}", from.display()))?;
        parts.push(name.to_string_lossy().into_owned());
    }
    parts.sort();

    let status = Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript"])
        // The parts link against the main module's table, memory and stack pointer.
        .arg("--keep-lld-exports")
        .arg("--out-dir")
        .arg(staging)
        .args(["--out-name", &stem])
        .arg(&main_wasm)
        .status()
        .map_err(|e| format!("cannot run wasm-bindgen (scripts/setup.sh installs it): {e}"))?;
    if !status.success() {
        return Err(format!("wasm-bindgen failed on the main module ({status})"));
    }
    std::fs::remove_file(&main_wasm).map_err(|e| e.to_string())?;
    eprintln!(
        "split-wasm: {stem}.js and {stem}_bg.wasm (the first load), {parts_folder}/: parts.js, {}",
        parts.join(", ")
    );
    Ok(())
}

/// The stem of the one `connector-refresh-<hash>_bg.wasm` Trunk wrote into `staging`.
fn trunk_stem(staging: &Path) -> Result<String, String> {
    let entries = std::fs::read_dir(staging).map_err(|e| {
        format!(
            "cannot read Trunk's staging folder {}: {e}",
            staging.display()
        )
    })?;
    let stems: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|name| {
            let stem = name.strip_suffix("_bg.wasm")?;
            let hash = stem.strip_prefix(APP)?.strip_prefix('-')?;
            (!hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| stem.to_owned())
        })
        .collect();
    match stems.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "no {APP}-<hash>_bg.wasm in {}: Trunk's output names changed, or filehash is off",
            staging.display()
        )),
        many => Err(format!(
            "several app wasm files in Trunk's output: {many:?}"
        )),
    }
}
