//! `dev-api` binary: parse flags, build the app, bind, print the start-up lines, serve
//! until Ctrl-C/SIGTERM. All logic lives in the library.

use dev_api::{banner, bind, build_app, parse_args, serve_app, shutdown_signal, ArgsError};
use std::io::Write;
use std::process::exit;

#[tokio::main]
async fn main() {
    let cfg = match parse_args(std::env::args().skip(1)) {
        Ok(cfg) => cfg,
        Err(ArgsError::Help) => {
            println!("{}", dev_api::USAGE);
            return;
        }
        Err(e) => {
            eprintln!("dev-api: {e}");
            exit(2);
        }
    };
    let app = match build_app(cfg.clone()) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("dev-api: {e}");
            exit(2);
        }
    };
    let listener = match bind(&cfg).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("dev-api: {e}");
            exit(2);
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("dev-api: cannot read the bound address: {e}");
            exit(2);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", banner(addr, &cfg));
    let _ = out.flush();
    drop(out);
    if let Err(e) = serve_app(listener, app, shutdown_signal()).await {
        eprintln!("dev-api: {e}");
        exit(1);
    }
}
