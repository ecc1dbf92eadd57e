//! `catalogues [OUT_DIR]`: writes each language's served catalogue (`<code>.json`, the
//! file the app fetches when that language is chosen) into OUT_DIR, by default
//! `$TRUNK_STAGING_DIR/i18n` (Trunk's pre_build hook, Trunk.toml, runs it so). The
//! merge is the one `build.rs` uses ([`catalogues::served`]).

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = std::env::args().nth(1).or_else(|| {
        std::env::var("TRUNK_STAGING_DIR")
            .ok()
            .map(|stage| format!("{stage}/i18n"))
    });
    let Some(out) = out else {
        eprintln!("usage: catalogues OUT_DIR (or run by trunk: Trunk.toml)");
        return ExitCode::FAILURE;
    };
    let written = catalogues::read_all(Path::new("i18n"), false)
        .map_err(|p| p.join("\n  "))
        .and_then(|languages| catalogues::served(&languages))
        .and_then(|files| {
            std::fs::create_dir_all(&out).map_err(|e| format!("{out}: {e}"))?;
            for (code, json) in &files {
                let path = Path::new(&out).join(format!("{code}.json"));
                std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Ok(files.len())
        });
    match written {
        Ok(n) => {
            eprintln!("catalogues: {n} languages written to {out}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("catalogues: {why}");
            ExitCode::FAILURE
        }
    }
}
