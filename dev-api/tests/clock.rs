//! The server's clock in-process: a `Date` header from the dev server's own clock on every
//! kind of answer, and the one-offset-per-process rule. (Offsets other than 0 are tested
//! through the binary in `binary.rs`: the offset is process-wide.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::*;

#[tokio::test]
async fn every_answer_has_one_date_header_from_the_server_clock() {
    let s = start(|c| c.cors_origins = vec!["http://localhost:3000".to_owned()]).await;
    let tools = s.get(&format!("{BASE}/pconf_abc123/tools")).await;
    assert_eq!(tools.status(), 200);
    let refresh = s.post(&format!("{BASE}/pconf_abc123/refresh")).await;
    assert_eq!(refresh.status(), 200);
    let list = s.get(BASE).await;
    let fault = s
        .client
        .get(s.url(BASE))
        .bearer_auth(KEY)
        .header("X-Dev-Fault", "429-date")
        .send()
        .await
        .unwrap();
    assert_eq!(fault.status(), 429);
    let unauthorized = s.client.get(s.url(BASE)).send().await.unwrap();
    let page = s.client.get(s.url("/")).send().await.unwrap();
    let asset = s
        .client
        .get(s.url("/app-0123456789abcdef.js"))
        .send()
        .await
        .unwrap();
    let missing = s.client.get(s.url("/robots.txt")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let control = s
        .control(reqwest::Method::GET, "/__dev/refreshes", None)
        .await;
    let preflight = s
        .client
        .request(reqwest::Method::OPTIONS, s.url(BASE))
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    for (what, r) in [
        ("tools", &tools),
        ("refresh", &refresh),
        ("list", &list),
        ("429 fault", &fault),
        ("401", &unauthorized),
        ("index", &page),
        ("asset", &asset),
        ("404 file", &missing),
        ("control", &control),
        ("preflight", &preflight),
    ] {
        let skew = seconds_ahead(date_header(r));
        assert!(skew.abs() <= 5, "{what}: Date {skew} s off");
    }
}

#[tokio::test]
async fn a_second_offset_in_one_process_is_refused() {
    let dist = sample_dist();
    // This file's servers all run the default offset 0; the first one fixes it.
    assert!(dev_api::build_app(test_config(dist.path())).is_ok());
    let mut ahead = test_config(dist.path());
    ahead.clock_offset_secs = 600;
    let err = dev_api::build_app(ahead).err().unwrap().to_string();
    assert!(err.contains("--clock-offset-seconds 600"), "{err}");
    assert!(dev_api::build_app(test_config(dist.path())).is_ok());
}
