//! Fault injection: every fault by `X-Dev-Fault` header, by `pconf_fault_<name>` id and
//! by the control API (one-shot), plus clearing and control-API validation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const FAULTS: [&str; 15] = [
    "401",
    "403",
    "404",
    "409",
    "429",
    "429-date",
    "422",
    "500",
    "502-html",
    "503-empty",
    "malformed-json",
    "success-false",
    "slow",
    "hostile-error",
    "404-endpoint",
];

fn global(b: &Value, code: &str, kind: &str, status: u64) {
    assert_eq!(b["success"], false);
    let e = &b["error"];
    assert_eq!(e["code"], code);
    assert_eq!(e["type"], kind);
    assert_eq!(e["status"], status);
    assert_eq!(e["details"], json!({}));
    assert!(e["message"].is_string() && e["system_message"].is_string());
    assert!(e["trace_id"].as_str().unwrap().starts_with("trc_"));
    parse_time(e["timestamp"].as_str().unwrap());
}

fn rate_limit_headers(r: &reqwest::Response, http_date: bool) {
    let now = dev_api::clock::now().timestamp();
    let retry = header(r, "retry-after").unwrap();
    if http_date {
        assert!(retry.ends_with(" GMT"), "{retry}");
        let at = chrono::DateTime::parse_from_rfc2822(&retry)
            .unwrap()
            .timestamp();
        assert!((at - now - 30).abs() <= 3, "{retry}");
    } else {
        assert_eq!(retry, "30");
    }
    assert_eq!(header(r, "x-ratelimit-limit").as_deref(), Some("10"));
    assert_eq!(header(r, "x-ratelimit-remaining").as_deref(), Some("0"));
    let reset: i64 = header(r, "x-ratelimit-reset").unwrap().parse().unwrap();
    assert!((reset - now - 30).abs() <= 3);
}

/// Checks that `r` is the answer of fault `name` (for a refresh of `id`).
/// `slow` is checked by the caller (it answers normally).
async fn assert_fault(name: &str, id: &str, r: reqwest::Response) {
    assert!(
        header(&r, "x-request-id").unwrap().starts_with("req_"),
        "{name}"
    );
    let status = r.status().as_u16();
    let ct = header(&r, "content-type").unwrap_or_default();
    match name {
        "401" => {
            assert_eq!(status, 401);
            global(
                &json(r).await,
                "INVALID_API_KEY",
                "authentication_error",
                401,
            );
        }
        "403" => {
            assert_eq!(status, 403);
            global(
                &json(r).await,
                "INSUFFICIENT_PERMISSIONS",
                "permission_error",
                403,
            );
        }
        "404" => {
            assert_eq!(status, 404);
            let b = json(r).await;
            assert_eq!(b["error"]["code"], "configuration_not_found");
            assert_eq!(b["error"]["type"], "not_found_error");
            assert_eq!(
                b["error"]["message"],
                format!("Personal connector configuration with ID '{id}' not found.")
            );
        }
        "409" => {
            assert_eq!(status, 409);
            assert_eq!(json(r).await["error"]["code"], "refresh_in_progress");
        }
        "429" | "429-date" => {
            assert_eq!(status, 429);
            rate_limit_headers(&r, name == "429-date");
            assert_eq!(
                json(r).await,
                json!({"detail": "Rate limit exceeded. Try again in 30 seconds.", "status_code": 429,
                    "error_type": "rate_limit_error", "meta": {"retry_after": 30}, "errors": []})
            );
        }
        "422" => {
            assert_eq!(status, 422);
            let b = json(r).await;
            assert_eq!(b["detail"][0]["loc"], json!(["path", "config_id"]));
            assert!(b["detail"][0]["msg"].is_string() && b["detail"][0]["type"].is_string());
        }
        "500" => {
            assert_eq!(status, 500);
            global(&json(r).await, "INTERNAL_ERROR", "server_error", 500);
        }
        "502-html" => {
            assert_eq!(status, 502);
            assert!(ct.starts_with("text/html"), "{ct}");
            assert_eq!(
                r.text().await.unwrap(),
                "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
            );
        }
        "503-empty" => {
            assert_eq!(status, 503);
            assert_eq!(r.bytes().await.unwrap().len(), 0);
        }
        "malformed-json" => {
            assert_eq!(status, 200);
            assert_eq!(ct, "application/json");
            let text = r.text().await.unwrap();
            assert_eq!(text, "{\"success\": true, \"details\": {\"newTools\": [");
            assert!(serde_json::from_str::<Value>(&text).is_err());
        }
        "success-false" => {
            assert_eq!(status, 200);
            assert_eq!(
                json(r).await,
                json!({"success": false, "message": "MCP server did not answer the tools/list call."})
            );
        }
        "hostile-error" => {
            assert_eq!(status, 500);
            let b = json(r).await;
            global(&b, "INTERNAL_ERROR", "server_error", 500);
            assert_eq!(
                b["error"]["message"],
                "<img src=x onerror=alert(1)> & </script>"
            );
        }
        "404-endpoint" => {
            assert_eq!(status, 404);
            assert_eq!(r.bytes().await.unwrap().len(), 0);
        }
        other => panic!("unexpected fault {other}"),
    }
}

#[tokio::test]
async fn every_fault_by_header() {
    let s = start(|c| c.slow = Duration::from_millis(300)).await;
    let path = format!("{BASE}/pconf_abc123/refresh");
    for name in FAULTS {
        let started = Instant::now();
        let r = s
            .client
            .post(s.url(&path))
            .bearer_auth(KEY)
            .header("X-Dev-Fault", name)
            .send()
            .await
            .unwrap();
        if name == "slow" {
            assert!(started.elapsed() >= Duration::from_millis(300));
            assert_eq!(r.status(), 200);
            assert_eq!(json(r).await["details"]["configurationId"], "pconf_abc123");
        } else {
            assert_fault(name, "pconf_abc123", r).await;
        }
    }
    // Also on the list and the tools endpoints.
    let r = s
        .client
        .get(s.url(BASE))
        .bearer_auth(KEY)
        .header("X-Dev-Fault", "429")
        .send()
        .await
        .unwrap();
    assert_fault("429", "", r).await;
    let r = s
        .client
        .get(s.url(&format!("{BASE}/pconf_gh42/tools")))
        .header("X-API-Key", KEY)
        .header("X-Dev-Fault", "502-html")
        .send()
        .await
        .unwrap();
    assert_fault("502-html", "", r).await;
    // Auth comes first; unknown names are reported.
    let r = s
        .client
        .get(s.url(BASE))
        .header("X-Dev-Fault", "500")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = s
        .client
        .get(s.url(BASE))
        .bearer_auth(KEY)
        .header("X-Dev-Fault", "418")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(json(r).await["error"]["code"], "unknown_dev_fault");
}

#[tokio::test]
async fn every_fault_by_config_id() {
    let s = start(|c| c.slow = Duration::from_millis(300)).await;
    for name in FAULTS {
        let id = format!("pconf_fault_{name}");
        let started = Instant::now();
        let r = s.post(&format!("{BASE}/{id}/refresh")).await;
        if name == "slow" {
            assert!(started.elapsed() >= Duration::from_millis(300));
            assert_eq!(r.status(), 200);
            let b = json(r).await;
            assert_eq!(b["details"]["configurationId"], id);
            assert_eq!(b["details"]["newTools"], json!(["fault_demo_c"]));
        } else {
            assert_fault(name, &id, r).await;
        }
    }
    // Every endpoint of such an id answers with the fault.
    let r = s.get(&format!("{BASE}/pconf_fault_429")).await;
    assert_fault("429", "pconf_fault_429", r).await;
    let r = s.get(&format!("{BASE}/pconf_fault_503-empty/tools")).await;
    assert_fault("503-empty", "pconf_fault_503-empty", r).await;
    // The header wins over the id.
    let r = s
        .client
        .get(s.url(&format!("{BASE}/pconf_fault_500")))
        .bearer_auth(KEY)
        .header("X-Dev-Fault", "403")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// The `slow` fault's delay in the one-shot test: long enough that a loopback request
/// under any load finishes well inside it, so "not slow again" is no timing test.
const SLOW: Duration = Duration::from_secs(3);

#[tokio::test]
async fn every_fault_by_control_api_is_one_shot() {
    let s = start(|c| c.slow = SLOW).await;
    let path = format!("{BASE}/pconf_gh42/refresh");
    for name in FAULTS {
        let armed = s
            .control(Method::POST, "/__dev/faults", Some(json!({"configId": "pconf_gh42", "fault": name, "times": 1, "endpoint": "refresh"})))
            .await;
        assert_eq!(armed.status(), 201, "{name}");
        // Other configurations and endpoints are not affected and do not consume it.
        assert_eq!(
            s.post(&format!("{BASE}/pconf_abc123/refresh"))
                .await
                .status(),
            200
        );
        assert_eq!(
            s.get(&format!("{BASE}/pconf_gh42/tools")).await.status(),
            200
        );
        let started = Instant::now();
        let r = s.post(&path).await;
        if name == "slow" {
            assert!(started.elapsed() >= SLOW);
            assert_eq!(r.status(), 200);
        } else {
            assert_fault(name, "pconf_gh42", r).await;
        }
        // One-shot: the next one is normal and fast.
        let started = Instant::now();
        let r = s.post(&path).await;
        assert_eq!(r.status(), 200, "{name} should be consumed");
        assert!(started.elapsed() < SLOW, "{name} should be consumed");
    }
}

#[tokio::test]
async fn control_api_times_list_endpoint_clear_and_validation() {
    let s = start(|_| {}).await;
    let arm = |body: Value| s.control(Method::POST, "/__dev/faults", Some(body));
    assert_eq!(
        arm(json!({"fault": "500", "times": 2, "endpoint": "list"}))
            .await
            .status(),
        201
    );
    assert_eq!(s.get(BASE).await.status(), 500);
    assert_eq!(s.get(&format!("{BASE}/pconf_abc123")).await.status(), 200);
    assert_eq!(s.get(BASE).await.status(), 500);
    assert_eq!(s.get(BASE).await.status(), 200);

    // configId without endpoint: every endpoint of that configuration.
    assert_eq!(
        arm(json!({"configId": "pconf_abc123", "fault": "403", "times": 3}))
            .await
            .status(),
        201
    );
    assert_eq!(s.get(BASE).await.status(), 200);
    assert_eq!(s.get(&format!("{BASE}/pconf_abc123")).await.status(), 403);
    assert_eq!(
        s.get(&format!("{BASE}/pconf_abc123/tools")).await.status(),
        403
    );
    let pending = json(s.control(Method::GET, "/__dev/faults", None).await).await;
    assert_eq!(pending["pending"][0]["remaining"], 1);
    assert_eq!(pending["pending"][0]["fault"], "403");
    let cleared = json(s.control(Method::DELETE, "/__dev/faults", None).await).await;
    assert_eq!(cleared["cleared"], 1);
    assert_eq!(
        s.post(&format!("{BASE}/pconf_abc123/refresh"))
            .await
            .status(),
        200
    );

    // Reset also disarms.
    assert_eq!(arm(json!({"fault": "429"})).await.status(), 201);
    s.control(Method::POST, "/__dev/reset", None).await;
    assert_eq!(s.get(BASE).await.status(), 200);

    for bad in [
        json!({"fault": "418"}),
        json!({"fault": "429", "endpoint": "nope"}),
        json!({"fault": "429", "times": 0}),
        json!({"fault": "429", "endpoint": "list", "configId": "pconf_abc123"}),
        json!({"fault": "429", "extra": 1}),
        json!({"times": 1}),
    ] {
        let r = arm(bad.clone()).await;
        assert_eq!(r.status(), 400, "{bad}");
        assert_eq!(json(r).await["error"]["code"], "bad_dev_request");
    }
    let r = s.control(Method::GET, "/__dev/nothing", None).await;
    assert_eq!(r.status(), 404);
    assert!(header(&r, "content-type")
        .unwrap()
        .starts_with("application/json"));
}

#[tokio::test]
async fn slow_fault_uses_slow_seconds_flag() {
    // Default test setting: --slow-seconds 1.
    let s = start(|_| {}).await;
    let started = Instant::now();
    let r = s
        .client
        .get(s.url(&format!("{BASE}/pconf_abc123")))
        .bearer_auth(KEY)
        .header("X-Dev-Fault", "slow")
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["id"], "pconf_abc123");
}

#[tokio::test]
async fn the_429_faults_ask_for_the_configured_wait() {
    let s = start(|c| c.rate_limit_secs = 3).await;
    let r = s
        .client
        .post(s.url(&format!("{BASE}/pconf_abc123/refresh")))
        .bearer_auth(KEY)
        .header("X-Dev-Fault", "429")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    let reset: i64 = r.headers()["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let now = dev_api::clock::now().timestamp();
    assert!((now + 2..=now + 4).contains(&reset), "{reset} vs {now}");
    let b = json(r).await;
    assert_eq!(b["detail"], "Rate limit exceeded. Try again in 3 seconds.");
}

#[tokio::test]
async fn the_server_counts_refreshes_in_flight_and_the_most_at_once() {
    let s = start(|c| c.slow = Duration::from_millis(600)).await;
    for id in ["pconf_abc123", "pconf_gh42"] {
        let r = s
            .control(
                Method::POST,
                "/__dev/faults",
                Some(json!({"configId": id, "fault": "slow", "endpoint": "refresh"})),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let stats = || async { json(s.control(Method::GET, "/__dev/refreshes", None).await).await };
    // Two slow ones overlap; while they run the server says two are in flight.
    let (pa, pb) = (
        format!("{BASE}/pconf_abc123/refresh"),
        format!("{BASE}/pconf_gh42/refresh"),
    );
    let (a, b) = (s.post(&pa), s.post(&pb));
    let watch = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stats().await
    };
    let (ra, rb, during) = tokio::join!(a, b, watch);
    assert_eq!((ra.status().as_u16(), rb.status().as_u16()), (200, 200));
    assert_eq!(during["inFlight"], 2, "{during}");
    // One after the other never counts more than one at once.
    assert_eq!(
        s.post(&format!("{BASE}/pconf_same/refresh")).await.status(),
        200
    );
    let after = stats().await;
    assert_eq!(after["inFlight"], 0);
    assert_eq!(after["maxInFlight"], 2);
    assert_eq!(after["total"], 3);
    let log = after["log"].as_array().unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[2]["configId"], "pconf_same");
    assert_eq!(log[2]["status"], 200);
    assert!(log[2]["startedMs"].as_i64().unwrap() >= log[0]["endedMs"].as_i64().unwrap() - 1000);
    // A fault's answer is counted too, and a reset forgets the log and the maximum.
    let r = s
        .client
        .post(s.url(&format!("{BASE}/pconf_same/refresh")))
        .bearer_auth(KEY)
        .header("X-Dev-Fault", "500")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(stats().await["log"][3]["status"], 500);
    assert!(s
        .client
        .post(s.url("/__dev/reset"))
        .send()
        .await
        .unwrap()
        .status()
        .is_success());
    let cleared = stats().await;
    assert_eq!(
        (cleared["maxInFlight"].as_u64(), cleared["total"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(cleared["log"], json!([]));
}
