//! Email sign-in on the dev server: login → code → tokens, renewal with rotation,
//! expiry (401 TOKEN_EXPIRED), the lock after five wrong codes, logout, and every
//! `/v1/*` route accepting the access token as it accepts the key.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;

async fn post_json(s: &TestServer, path: &str, body: Value) -> reqwest::Response {
    s.control(reqwest::Method::POST, path, Some(body)).await
}

async fn login(s: &TestServer) -> String {
    let r = post_json(
        s,
        "/v1/auth/login",
        json!({"email_or_username": dev_api::login::DEMO_EMAIL, "password": dev_api::login::DEMO_PASSWORD}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v = json(r).await;
    assert_eq!(v["requires_verification"], true);
    assert_eq!(v["next_step"], "verify");
    assert_eq!(v["email"], "d***@example.com");
    v["email_key"].as_str().unwrap().to_owned()
}

async fn last_code(s: &TestServer) -> Value {
    let r = s
        .control(reqwest::Method::GET, "/__dev/last-code", None)
        .await;
    assert_eq!(r.status(), 200);
    json(r).await
}

/// Logs in and verifies: the verify answer.
async fn sign_in(s: &TestServer) -> Value {
    let key = login(s).await;
    let code: u16 = last_code(s).await["code"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let r = post_json(
        s,
        "/v1/auth/verify",
        json!({"email_key": key, "verification_code": code}),
    )
    .await;
    assert_eq!(r.status(), 200);
    json(r).await
}

async fn list_with(s: &TestServer, token: &str) -> reqwest::Response {
    s.client
        .get(s.url(&format!("{BASE}?limit=1")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn login_verify_and_use_the_access_token() {
    let s = start(|_| {}).await;
    assert_eq!(
        s.control(reqwest::Method::GET, "/__dev/last-code", None)
            .await
            .status(),
        404
    );
    let v = sign_in(&s).await;
    for field in ["access_token", "refresh_token", "token_type", "device_id"] {
        assert!(v[field].is_string(), "{field}: {v}");
    }
    assert_eq!(v["expires_in"], 3600);
    assert_eq!(v["user"]["email"], dev_api::login::DEMO_EMAIL);
    let at = v["access_token"].as_str().unwrap();
    assert_eq!(list_with(&s, at).await.status(), 200);
    // also via X-API-Key, and on the refresh route
    let r = s
        .client
        .get(s.url(BASE))
        .header("X-API-Key", at)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .client
        .post(s.url(&format!("{BASE}/pconf_abc123/refresh")))
        .bearer_auth(at)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // the key still works; a made-up token does not
    assert_eq!(list_with(&s, KEY).await.status(), 200);
    let r = list_with(&s, "at_made_up").await;
    assert_eq!(r.status(), 401);
    assert_eq!(json(r).await["error"]["code"], "INVALID_API_KEY");
}

#[tokio::test]
async fn wrong_credentials_and_missing_fields() {
    let s = start(|_| {}).await;
    let r = post_json(
        &s,
        "/v1/auth/login",
        json!({"email_or_username": "demo", "password": "wrong"}),
    )
    .await;
    assert_eq!(r.status(), 401);
    assert_eq!(json(r).await["error"]["code"], "INVALID_CREDENTIALS");
    let r = post_json(&s, "/v1/auth/login", json!({"password": "x"})).await;
    assert_eq!(r.status(), 422);
    // the username works like the email
    let r = post_json(
        &s,
        "/v1/auth/login",
        json!({"email_or_username": "DEMO", "password": dev_api::login::DEMO_PASSWORD}),
    )
    .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn wrong_expired_and_locked_codes() {
    let s = start(|_| {}).await;
    let key = login(&s).await;
    let code: u16 = last_code(&s).await["code"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let wrong = if code == 9999 { 1000 } else { code + 1 };
    for left in (1..=4).rev() {
        let r = post_json(
            &s,
            "/v1/auth/verify",
            json!({"email_key": key, "verification_code": wrong}),
        )
        .await;
        assert_eq!(r.status(), 400);
        let v = json(r).await;
        assert_eq!(v["error"]["code"], "INVALID_VERIFICATION_CODE");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("{left} attempts left")),
            "{v}"
        );
    }
    // the fifth wrong code locks the login, even for the right code afterwards
    let r = post_json(
        &s,
        "/v1/auth/verify",
        json!({"email_key": key, "verification_code": wrong}),
    )
    .await;
    assert_eq!(r.status(), 429);
    assert_eq!(json(r).await["error"]["code"], "TOO_MANY_ATTEMPTS");
    let r = post_json(
        &s,
        "/v1/auth/verify",
        json!({"email_key": key, "verification_code": code.to_string()}),
    )
    .await;
    assert_eq!(r.status(), 429);

    // an expired code
    let key = login(&s).await;
    let code = last_code(&s).await["code"].as_str().unwrap().to_owned();
    s.control(reqwest::Method::POST, "/__dev/auth/expire-codes", None)
        .await;
    let r = post_json(
        &s,
        "/v1/auth/verify",
        json!({"email_key": key, "verification_code": code}),
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(json(r).await["error"]["code"], "VERIFICATION_CODE_EXPIRED");
}

#[tokio::test]
async fn tokens_expire_and_refresh_tokens_rotate() {
    let s = start(|c| c.token_ttl = Duration::from_secs(1)).await;
    let v = sign_in(&s).await;
    assert_eq!(v["expires_in"], 1);
    let at = v["access_token"].as_str().unwrap().to_owned();
    let rt = v["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(list_with(&s, &at).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let r = list_with(&s, &at).await;
    assert_eq!(r.status(), 401);
    assert_eq!(json(r).await["error"]["code"], "TOKEN_EXPIRED");

    let r = post_json(&s, "/v1/auth/refresh", json!({"refresh_token": rt})).await;
    assert_eq!(r.status(), 200);
    let v2 = json(r).await;
    let at2 = v2["access_token"].as_str().unwrap().to_owned();
    let rt2 = v2["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(rt2, rt);
    assert_eq!(list_with(&s, &at2).await.status(), 200);
    // the old refresh token is refused
    let r = post_json(&s, "/v1/auth/refresh", json!({"refresh_token": rt})).await;
    assert_eq!(r.status(), 401);
    assert_eq!(json(r).await["error"]["code"], "INVALID_REFRESH_TOKEN");

    // forced expiry, then revocation
    s.control(reqwest::Method::POST, "/__dev/auth/expire-tokens", None)
        .await;
    let r = list_with(&s, &at2).await;
    assert_eq!(json(r).await["error"]["code"], "TOKEN_EXPIRED");
    s.control(reqwest::Method::POST, "/__dev/auth/revoke", None)
        .await;
    let r = post_json(&s, "/v1/auth/refresh", json!({"refresh_token": rt2})).await;
    assert_eq!(r.status(), 401);
    let c = json(s.control(reqwest::Method::GET, "/__dev/auth", None).await).await;
    assert_eq!(
        (c["logins"].as_u64(), c["refreshes"].as_u64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn logout_ends_the_session() {
    let s = start(|_| {}).await;
    let v = sign_in(&s).await;
    let at = v["access_token"].as_str().unwrap();
    let rt = v["refresh_token"].as_str().unwrap();
    let r = s
        .client
        .post(s.url("/v1/auth/logout"))
        .bearer_auth(at)
        .header("content-type", "application/json")
        .body(json!({"refresh_token": rt}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(list_with(&s, at).await.status(), 401);
    let r = post_json(&s, "/v1/auth/refresh", json!({"refresh_token": rt})).await;
    assert_eq!(r.status(), 401);
    // logout without anything still answers 200
    let r = s
        .client
        .post(s.url("/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
