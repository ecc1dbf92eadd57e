//! The `dev-api` binary: start-up lines on stdout, exit code 2 on bad flags or seed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::*;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_dev-api");

async fn first_lines(args: &[&str], n: usize) -> (tokio::process::Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut out = Vec::new();
    while out.len() < n {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        out.push(line);
    }
    (child, out)
}

#[tokio::test]
async fn prints_address_and_key_then_serves() {
    let dist = sample_dist();
    let (mut child, lines) =
        first_lines(&["--port", "0", "--dist", dist.path().to_str().unwrap()], 2).await;
    let url = lines[0]
        .strip_prefix("connector-refresh dev server listening on ")
        .unwrap()
        .to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "{url}"
    );
    assert_eq!(
        lines[1],
        "demo API key: ak_demo_connector_refresh_local_key_000001"
    );
    let r = reqwest::Client::new()
        .get(format!(
            "{url}v1/personal-connectors/configurations?limit=1"
        ))
        .header("X-API-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    child.kill().await.unwrap();
}

#[tokio::test]
async fn custom_key_and_upstream_lines() {
    let (mut child, lines) = first_lines(&["--port", "0", "--api-key", "ak_custom"], 2).await;
    assert_eq!(lines[1], "demo API key: ak_custom");
    child.kill().await.unwrap();
    let (mut child, lines) = first_lines(
        &["--port=0", "--upstream", "https://api.freddy.aitronos.com"],
        2,
    )
    .await;
    assert_eq!(
        lines[1],
        "proxying /v1/* to https://api.freddy.aitronos.com"
    );
    child.kill().await.unwrap();
}

#[tokio::test]
async fn bad_flags_and_bad_seed_exit_2() {
    let status = Command::new(BIN)
        .args(["--bogus"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let bad = TempDir::new("bad-seed");
    bad.write("seed.json", b"{\"configurations\": [{\"id\": 1}]}");
    let seed = bad.path().join("seed.json");
    let status = Command::new(BIN)
        .args(["--port", "0", "--seed", seed.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .unwrap();
    assert_eq!(status.code(), Some(2));

    // MCP settings: a token for no --mcp, an id the seed already has, an unknown bundled
    // server in a seed.
    let ghost = bad.path().join("ghost.json");
    std::fs::write(
        &ghost,
        r#"{"configurations": [{"id": "pconf_g", "name": "G", "personalConnectorId": "pcon_g",
            "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z",
            "mcpServer": "no-such-server"}]}"#,
    )
    .unwrap();
    for args in [
        vec!["--port", "0", "--mcp-token", "ghost=t"],
        vec!["--port", "0", "--mcp", "abc123=http://127.0.0.1:9/mcp"],
        vec!["--port", "0", "--seed", ghost.to_str().unwrap()],
    ] {
        let status = Command::new(BIN)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
            .unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

/// With `--clock-offset-seconds N` the server's times (a refresh's `cachedAt`, the
/// `Date` header) run N seconds off the system clock, ahead or behind.
#[tokio::test]
async fn clock_offset_shifts_the_server_times() {
    let dist = sample_dist();
    let d = dist.path().to_str().unwrap();
    for (args, offset) in [
        (vec!["--clock-offset-seconds", "600"], 600),
        (vec!["--clock-offset-seconds", "-600"], -600),
        (vec![], 0),
    ] {
        let mut all = vec!["--port", "0", "--dist", d, "--refresh-delay-ms", "0"];
        all.extend(args);
        let (mut child, lines) = first_lines(&all, 1).await;
        let url = lines[0]
            .strip_prefix("connector-refresh dev server listening on ")
            .unwrap()
            .to_owned();
        let client = reqwest::Client::new();
        let refresh = client
            .post(format!("{url}{}/pconf_abc123/refresh", &BASE[1..]))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(refresh.status(), 200);
        let refresh_date = date_header(&refresh);
        let body = json(refresh).await;
        let cached_at = parse_time(body["details"]["cachedAt"].as_str().unwrap());
        let tools = client
            .get(format!("{url}{}/pconf_abc123/tools", &BASE[1..]))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(tools.status(), 200);
        let page = client.get(&url).send().await.unwrap();
        for (what, t) in [
            ("cachedAt", cached_at),
            ("refresh Date", refresh_date),
            ("tools Date", date_header(&tools)),
            ("page Date", date_header(&page)),
        ] {
            let ahead = seconds_ahead(t);
            assert!(
                (ahead - offset).abs() <= 5,
                "offset {offset}: {what} is {ahead} s ahead"
            );
        }
        child.kill().await.unwrap();
    }
}
