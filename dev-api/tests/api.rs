//! The fake API: auth, listing and paging, filters, validation, get, tools and cache,
//! refresh sequences, conflicts, disabled, snake_case, frozen clock, weird ids, reset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn auth_accepts_bearer_and_x_api_key_and_rejects_others() {
    let s = start(|_| {}).await;
    let url = s.url(BASE);
    let bearer = s.client.get(&url).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(bearer.status(), 200);
    let xkey = s
        .client
        .get(&url)
        .header("X-API-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(xkey.status(), 200);

    for rb in [
        s.client.get(&url),
        s.client.get(&url).bearer_auth("ak_wrong"),
        s.client.get(&url).header("X-API-Key", "ak_wrong"),
        s.client
            .get(&url)
            .header("Authorization", format!("Basic {KEY}")),
    ] {
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert!(header(&r, "x-request-id").unwrap().starts_with("req_"));
        let b = json(r).await;
        assert_eq!(b["success"], false);
        let e = &b["error"];
        assert_eq!(e["code"], "INVALID_API_KEY");
        assert_eq!(e["type"], "authentication_error");
        assert_eq!(e["status"], 401);
        assert_eq!(e["details"], json!({}));
        assert!(e["message"].is_string() && e["system_message"].is_string());
        assert!(e["trace_id"].as_str().unwrap().starts_with("trc_"));
        parse_time(e["timestamp"].as_str().unwrap());
    }
    // Every /v1 route is protected, including unknown ones and refresh.
    let r = s
        .client
        .post(s.url(&format!("{BASE}/pconf_abc123/refresh")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = s
        .client
        .get(s.url("/v1/nothing/here"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn request_ids_count_up_on_every_route() {
    let s = start(|_| {}).await;
    let a = s.get(BASE).await;
    let b = s.client.get(s.url("/")).send().await.unwrap();
    let c = s.client.get(s.url(BASE)).send().await.unwrap();
    let n = |r: &reqwest::Response| {
        header(r, "x-request-id").unwrap()[4..]
            .parse::<u64>()
            .unwrap()
    };
    assert!(n(&a) < n(&b) && n(&b) < n(&c));
}

#[tokio::test]
async fn list_pages_with_default_limit_and_after_cursor() {
    let s = start(|_| {}).await;
    let p1 = s.get_json(BASE).await;
    assert_eq!(p1["object"], "list");
    assert_eq!(p1["data"].as_array().unwrap().len(), 20);
    assert_eq!(p1["hasMore"], true);
    let first = ids(&p1);
    assert_eq!(
        &first[..3],
        &["pconf_abc123", "pconf_gh42", "pconf_notion_snake"]
    );
    let last = first.last().unwrap().clone();
    let p2 = s.get_json(&format!("{BASE}?after={last}")).await;
    assert_eq!(p2["hasMore"], false);
    let second = ids(&p2);
    assert_eq!(second.len(), 9);
    assert_eq!(second.last().unwrap(), "pconf_sandbox_16");
    let all: Vec<String> = first.iter().chain(second.iter()).cloned().collect();
    let mut dedup = all.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 29);
    assert!(all.contains(&WEIRD_ID.to_owned()));
    assert!(all.iter().all(|id| !id.starts_with("pconf_fault_")));

    // Small pages walk the same order.
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let q = match &after {
            Some(a) => format!("{BASE}?limit=7&after={}", urlencode(a)),
            None => format!("{BASE}?limit=7"),
        };
        let page = s.get_json(&q).await;
        let got = ids(&page);
        walked.extend(got.iter().cloned());
        if page["hasMore"] == false {
            break;
        }
        after = got.last().cloned();
    }
    assert_eq!(walked, all);

    // Each item has every documented field, credentials redacted.
    let item = &p1["data"][0];
    for k in [
        "id",
        "object",
        "userId",
        "apiKeyId",
        "organizationId",
        "personalConnectorId",
        "name",
        "configuration",
        "credentials",
        "enabled",
        "healthStatus",
        "lastSyncAt",
        "lastError",
        "description",
        "metadata",
        "createdAt",
        "updatedAt",
    ] {
        assert!(item.get(k).is_some(), "missing {k}");
    }
    assert_eq!(item["credentials"], "***REDACTED***");
    assert_eq!(item["object"], "personal_connector.configuration");
    assert_eq!(item["name"], "Team ClickUp");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"_-.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `--list-ignores-cursor`: the same first page whatever `after` says, `hasMore` true
/// while the list (28 configurations) is longer than the page.
#[tokio::test]
async fn list_that_ignores_its_cursor() {
    let s = start(|c| c.list_ignores_cursor = true).await;
    let first = s.get_json(&format!("{BASE}?limit=7")).await;
    assert_eq!(first["hasMore"], true);
    let first_ids = ids(&first);
    assert_eq!(first_ids.len(), 7);
    let last = first_ids.last().unwrap().clone();
    for after in [last.as_str(), "pconf_nope", "pconf_sandbox_15"] {
        let again = s
            .get_json(&format!("{BASE}?limit=7&after={}", urlencode(after)))
            .await;
        assert_eq!(ids(&again), first_ids, "after={after}");
        assert_eq!(again["hasMore"], true, "after={after}");
    }
    // A page that holds the whole list says so, cursor or not.
    let all = s
        .get_json(&format!("{BASE}?limit=100&after={}", urlencode(&last)))
        .await;
    assert_eq!(ids(&all).len(), 29);
    assert_eq!(all["hasMore"], false);
    // Filters still apply (two pcon_clickup configurations), the cursor still does not.
    let clickup = s
        .get_json(&format!(
            "{BASE}?personalConnectorId=pcon_clickup&limit=1&after=pconf_abc123"
        ))
        .await;
    assert_eq!(ids(&clickup), vec!["pconf_abc123"]);
    assert_eq!(clickup["hasMore"], true);
}

#[tokio::test]
async fn list_filters() {
    let s = start(|_| {}).await;
    let disabled = s.get_json(&format!("{BASE}?enabled=false")).await;
    assert_eq!(ids(&disabled), vec!["pconf_disabled"]);
    assert_eq!(disabled["hasMore"], false);
    let unhealthy = s.get_json(&format!("{BASE}?healthStatus=unhealthy")).await;
    assert_eq!(ids(&unhealthy), vec!["pconf_gh42", "pconf_hostile"]);
    let clickup = s
        .get_json(&format!(
            "{BASE}?personalConnectorId=pcon_clickup&organization_id=org_9"
        ))
        .await;
    assert_eq!(ids(&clickup), vec!["pconf_abc123", "pconf_frozen"]);
    let one = s
        .get_json(&format!("{BASE}?personalConnectorId=pcon_clickup&limit=1"))
        .await;
    assert_eq!(ids(&one), vec!["pconf_abc123"]);
    assert_eq!(one["hasMore"], true);
    let next = s
        .get_json(&format!(
            "{BASE}?personalConnectorId=pcon_clickup&limit=1&after=pconf_abc123"
        ))
        .await;
    assert_eq!(ids(&next), vec!["pconf_frozen"]);
    assert_eq!(next["hasMore"], false);
    let enabled_unknown = s
        .get_json(&format!(
            "{BASE}?enabled=true&healthStatus=unknown&limit=100"
        ))
        .await;
    assert!(ids(&enabled_unknown).contains(&"pconf_notion_snake".to_owned()));
    assert!(!ids(&enabled_unknown).contains(&"pconf_disabled".to_owned()));
}

#[tokio::test]
async fn list_validation_errors_are_422() {
    let s = start(|_| {}).await;
    for (q, loc) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("limit=-3", "limit"),
        ("after=pconf_nope", "after"),
        ("after=pconf_fault_429", "after"),
        ("enabled=maybe", "enabled"),
        ("healthStatus=sick", "healthStatus"),
    ] {
        let r = s.get(&format!("{BASE}?{q}")).await;
        assert_eq!(r.status(), 422, "{q}");
        assert!(header(&r, "x-request-id").is_some());
        let b = json(r).await;
        assert_eq!(b["detail"][0]["loc"], json!(["query", loc]), "{q}");
        assert!(b["detail"][0]["msg"].is_string() && b["detail"][0]["type"].is_string());
    }
    assert_eq!(s.get(&format!("{BASE}?limit=1")).await.status(), 200);
    assert_eq!(s.get(&format!("{BASE}?limit=100")).await.status(), 200);
}

#[tokio::test]
async fn get_one_and_404() {
    let s = start(|_| {}).await;
    let c = s.get_json(&format!("{BASE}/pconf_gh42")).await;
    assert_eq!(c["id"], "pconf_gh42");
    assert_eq!(c["enabled"], true);
    assert_eq!(c["healthStatus"], "unhealthy");
    assert_eq!(c["lastError"], "MCP server returned 502 Bad Gateway");
    let r = s.get(&format!("{BASE}/pconf_missing")).await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        json(r).await,
        json!({"error": {"type": "not_found_error",
            "message": "Personal connector configuration with ID 'pconf_missing' not found.",
            "code": "configuration_not_found"}})
    );
    // Unknown fault suffixes are just unknown ids.
    assert_eq!(
        s.get(&format!("{BASE}/pconf_fault_nope")).await.status(),
        404
    );
    // Unknown API routes answer JSON, never the SPA.
    let r = s.get("/v1/unknown").await;
    assert_eq!(r.status(), 404);
    assert_eq!(json(r).await["error"]["code"], "NOT_FOUND");
}

const CLICKUP_SET0: [&str; 6] = [
    "clickup_create_task",
    "clickup_delete_task",
    "clickup_get_task",
    "clickup_list_tasks",
    "clickup_search",
    "clickup_get_workspace",
];

#[tokio::test]
async fn tools_list_shape_and_cache_headers() {
    let s = start(|_| {}).await;
    let r = s.get(&format!("{BASE}/pconf_abc123/tools")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-dev-cache").as_deref(), Some("miss"));
    let cached_at = header(&r, "x-dev-cached-at").unwrap();
    let expires_at = header(&r, "x-dev-expires-at").unwrap();
    assert_eq!(
        (parse_time(&expires_at) - parse_time(&cached_at)).num_seconds(),
        3600
    );
    let b = json(r).await;
    assert_eq!(b["object"], "list");
    assert_eq!(tool_names(&b), CLICKUP_SET0);
    let create = &b["data"][0];
    assert_eq!(create["title"], "Create task");
    assert_eq!(create["description"], "Create a task in a ClickUp list.");
    assert_eq!(create["inputSchema"]["type"], "object");
    assert_eq!(create["inputSchema"]["required"], json!(["listId", "name"]));
    assert!(
        create["outputSchema"].is_object()
            && create["annotations"].is_object()
            && create["_meta"].is_object()
    );

    let again = s.get(&format!("{BASE}/pconf_abc123/tools")).await;
    assert_eq!(header(&again, "x-dev-cache").as_deref(), Some("hit"));
    assert_eq!(header(&again, "x-dev-cached-at").unwrap(), cached_at);

    // forceRefresh bypasses and refills the cache but never advances the sequence.
    let forced = s
        .get(&format!("{BASE}/pconf_abc123/tools?forceRefresh=true"))
        .await;
    assert_eq!(header(&forced, "x-dev-cache").as_deref(), Some("bypass"));
    assert_eq!(tool_names(&json(forced).await), CLICKUP_SET0);

    // Plain names get generated definitions.
    let gh = s.get_json(&format!("{BASE}/pconf_gh42/tools")).await;
    assert_eq!(gh["data"][0]["name"], "github_list_repos");
    assert_eq!(
        gh["data"][0]["description"],
        "github_list_repos (demo tool)"
    );
    assert_eq!(
        gh["data"][0]["inputSchema"],
        json!({"type": "object", "properties": {}})
    );

    assert_eq!(
        s.get(&format!("{BASE}/pconf_missing/tools")).await.status(),
        404
    );
    assert_eq!(
        s.get(&format!("{BASE}/pconf_abc123/tools?forceRefresh=perhaps"))
            .await
            .status(),
        422
    );
}

fn details_of(v: &Value) -> (Vec<String>, Vec<String>, u64, u64) {
    let d = &v["details"];
    (
        names(&d["newTools"]),
        names(&d["removedTools"]),
        d["toolsDiscovered"].as_u64().unwrap(),
        d["previousToolCount"].as_u64().unwrap(),
    )
}

#[tokio::test]
async fn clickup_refresh_sequence_is_scripted_and_cyclic() {
    let s = start(|_| {}).await;
    let expected: [(&[&str], &[&str], u64, u64); 5] = [
        (
            &["clickup_update_task_status", "clickup_add_attachment"],
            &[],
            8,
            6,
        ),
        (
            &["clickup_search_tasks"],
            &["clickup_search", "clickup_add_attachment"],
            7,
            8,
        ),
        (
            &["clickup_create_list", "clickup_archive_task"],
            &["clickup_update_task_status"],
            8,
            7,
        ),
        (
            &["clickup_search"],
            &[
                "clickup_search_tasks",
                "clickup_create_list",
                "clickup_archive_task",
            ],
            6,
            8,
        ),
        (
            &["clickup_update_task_status", "clickup_add_attachment"],
            &[],
            8,
            6,
        ),
    ];
    for (i, (new, removed, discovered, previous)) in expected.iter().enumerate() {
        let r = s.refresh("pconf_abc123").await;
        assert_eq!(r["success"], true);
        assert_eq!(r["message"], "Tool cache refreshed successfully.");
        assert_eq!(r["details"]["configurationId"], "pconf_abc123");
        let got = details_of(&r);
        assert_eq!(
            got,
            (
                new.iter().map(|s| s.to_string()).collect(),
                removed.iter().map(|s| s.to_string()).collect(),
                *discovered,
                *previous
            ),
            "refresh #{}",
            i + 1
        );
        let cached = r["details"]["cachedAt"].as_str().unwrap();
        let expires = r["details"]["expiresAt"].as_str().unwrap();
        assert_millis_z(cached);
        assert_millis_z(expires);
        assert_eq!(
            parse_time(expires) - parse_time(cached),
            chrono::Duration::seconds(3600)
        );

        // The tools endpoint serves the refreshed set from the cache stamped by the refresh.
        let t = s.get(&format!("{BASE}/pconf_abc123/tools")).await;
        assert_eq!(header(&t, "x-dev-cache").as_deref(), Some("hit"));
        assert_eq!(header(&t, "x-dev-cached-at").as_deref(), Some(cached));
        let tools = json(t).await;
        assert_eq!(tools["data"].as_array().unwrap().len() as u64, *discovered);
        for n in new.iter() {
            assert!(tool_names(&tools).contains(&n.to_string()));
        }
        // lastSyncAt follows the refresh.
        let c = s.get_json(&format!("{BASE}/pconf_abc123")).await;
        assert_eq!(c["lastSyncAt"], cached);
    }
}

#[tokio::test]
async fn clickup_sets_carry_schema_changes_on_kept_tools() {
    let s = start(|_| {}).await;
    let find = |v: &Value, name: &str| -> Value {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .cloned()
            .unwrap()
    };
    let path = format!("{BASE}/pconf_abc123/tools");
    let set0 = s.get_json(&path).await;
    s.refresh("pconf_abc123").await;
    let set1 = s.get_json(&path).await;
    s.refresh("pconf_abc123").await;
    let set2 = s.get_json(&path).await;
    s.refresh("pconf_abc123").await;
    let set3 = s.get_json(&path).await;

    assert_eq!(
        find(&set0, "clickup_create_task")["inputSchema"]["required"],
        json!(["listId", "name"])
    );
    assert_eq!(
        find(&set1, "clickup_create_task")["inputSchema"]["required"],
        json!(["listId", "name", "priority"])
    );
    assert_eq!(
        find(&set1, "clickup_get_task")["inputSchema"]["properties"]["taskId"]["type"],
        "string"
    );
    assert_eq!(
        find(&set2, "clickup_get_task")["inputSchema"]["properties"]["taskId"]["type"],
        "integer"
    );
    assert!(
        !find(&set0, "clickup_list_tasks")["inputSchema"]["properties"]["status"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("review"))
    );
    assert!(
        find(&set1, "clickup_list_tasks")["inputSchema"]["properties"]["status"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("review"))
    );
    assert_eq!(
        find(&set0, "clickup_get_workspace")["annotations"],
        json!({"readOnlyHint": true})
    );
    assert_eq!(
        find(&set3, "clickup_get_workspace")["annotations"],
        json!({"destructiveHint": true})
    );
    assert_ne!(
        find(&set0, "clickup_delete_task")["title"],
        find(&set1, "clickup_delete_task")["title"]
    );
    assert_ne!(
        find(&set0, "clickup_delete_task")["description"],
        find(&set1, "clickup_delete_task")["description"]
    );
    assert!(find(&set1, "clickup_get_task")["inputSchema"]["properties"]
        .get("includeSubtasks")
        .is_some());
    assert!(
        find(&set1, "clickup_list_tasks")["inputSchema"]["properties"]
            .get("archived")
            .is_some()
    );
    assert!(
        find(&set2, "clickup_list_tasks")["inputSchema"]["properties"]
            .get("archived")
            .is_none()
    );
    assert!(
        find(&set2, "clickup_get_task")["outputSchema"]["properties"]
            .get("dueDate")
            .is_none()
    );
    assert!(
        find(&set3, "clickup_get_task")["outputSchema"]["properties"]
            .get("dueDate")
            .is_some()
    );
}

#[tokio::test]
async fn github_empty_same_and_big_sequences() {
    let s = start(|_| {}).await;
    let r1 = s.refresh("pconf_gh42").await;
    assert_eq!(
        details_of(&r1),
        (
            vec!["github_merge_pull_request".into()],
            vec!["github_legacy_search".into(), "github_gist_create".into()],
            11,
            12
        )
    );
    let r2 = s.refresh("pconf_gh42").await;
    assert_eq!(
        details_of(&r2),
        (
            vec!["github_search_code".into()],
            vec!["github_get_file_contents".into()],
            11,
            11
        )
    );

    for _ in 0..2 {
        let e = s.refresh("pconf_empty").await;
        assert_eq!(details_of(&e), (vec![], vec![], 0, 0));
        let same = s.refresh("pconf_same").await;
        assert_eq!(details_of(&same), (vec![], vec![], 3, 3));
    }
    assert_eq!(
        s.get_json(&format!("{BASE}/pconf_empty/tools")).await["data"],
        json!([])
    );

    let big0 = s.get_json(&format!("{BASE}/pconf_big/tools")).await;
    assert_eq!(big0["data"].as_array().unwrap().len(), 2000);
    let big = s.refresh("pconf_big").await;
    let (new, removed, discovered, previous) = details_of(&big);
    assert_eq!((discovered, previous), (2100, 2000));
    assert_eq!(
        removed,
        (0..5)
            .map(|n| format!("bulk_tool_{n:04}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(new.len(), 105);
    assert_eq!(new.first().unwrap(), "bulk_tool_2000");
    assert_eq!(new.last().unwrap(), "bulk_tool_2104");
}

#[tokio::test]
async fn concurrent_refresh_gives_one_409() {
    let s = start(|c| c.refresh_delay = Duration::from_millis(800)).await;
    let path = format!("{BASE}/pconf_abc123/refresh");
    let (a, b) = tokio::join!(s.post(&path), s.post(&path));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let conflict = if a.status() == 409 { a } else { b };
    assert_eq!(
        json(conflict).await,
        json!({"error": {"type": "conflict_error", "message": "A refresh is already running for this configuration.", "code": "refresh_in_progress"}})
    );
    // Another configuration is independent, and the flag clears afterwards.
    let gh = format!("{BASE}/pconf_gh42/refresh");
    let (c, d) = tokio::join!(s.post(&gh), s.post(&path));
    assert_eq!((c.status().as_u16(), d.status().as_u16()), (200, 200));
}

#[tokio::test]
async fn disabled_configuration_cannot_refresh() {
    let s = start(|_| {}).await;
    let r = s.post(&format!("{BASE}/pconf_disabled/refresh")).await;
    assert_eq!(r.status(), 400);
    let b = json(r).await;
    assert_eq!(b["error"]["code"], "configuration_disabled");
    assert_eq!(b["error"]["type"], "invalid_request_error");
    assert!(b["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Enable it first"));
    // Its tools can still be read.
    assert_eq!(
        s.get(&format!("{BASE}/pconf_disabled/tools"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn snake_case_configuration_renders_snake_everywhere() {
    let s = start(|_| {}).await;
    let c = s.get_json(&format!("{BASE}/pconf_notion_snake")).await;
    for k in [
        "user_id",
        "organization_id",
        "personal_connector_id",
        "health_status",
        "last_sync_at",
        "last_error",
        "created_at",
        "updated_at",
        "api_key_id",
    ] {
        assert!(c.get(k).is_some(), "missing {k}");
    }
    assert!(c.get("healthStatus").is_none() && c.get("userId").is_none());
    assert_eq!(c["health_status"], "unknown");

    let list = s.get_json(&format!("{BASE}?limit=3")).await;
    assert_eq!(list["hasMore"], true);
    assert!(list["data"][0].get("healthStatus").is_some());
    assert!(list["data"][2].get("health_status").is_some());

    let tools = s
        .get_json(&format!("{BASE}/pconf_notion_snake/tools"))
        .await;
    let first = &tools["data"][0];
    assert!(first.get("input_schema").is_some() && first.get("output_schema").is_some());
    assert!(first.get("inputSchema").is_none());

    let r = s.refresh("pconf_notion_snake").await;
    let d = &r["details"];
    assert_eq!(d["configuration_id"], "pconf_notion_snake");
    assert_eq!(d["tools_discovered"], 5);
    assert_eq!(d["previous_tool_count"], 3);
    assert_eq!(
        d["new_tools"],
        json!(["notion_update_page", "notion_query_database"])
    );
    assert_eq!(d["removed_tools"], json!([]));
    assert_millis_z(d["cached_at"].as_str().unwrap());
    assert_millis_z(d["expires_at"].as_str().unwrap());
    assert!(d.get("toolsDiscovered").is_none());
    let after = s.get_json(&format!("{BASE}/pconf_notion_snake")).await;
    assert_eq!(after["last_sync_at"], d["cached_at"]);
}

#[tokio::test]
async fn frozen_clock_configuration() {
    let s = start(|_| {}).await;
    let r = s.refresh("pconf_frozen").await;
    assert_eq!(r["details"]["cachedAt"], "2025-10-07T12:45:00.000Z");
    assert_eq!(r["details"]["expiresAt"], "2025-10-07T13:45:00.000Z");
    assert_eq!(
        r["details"]["newTools"],
        json!(["clickup_update_task_status", "clickup_add_attachment"])
    );
    let t = s.get(&format!("{BASE}/pconf_frozen/tools")).await;
    assert_eq!(
        header(&t, "x-dev-cached-at").as_deref(),
        Some("2025-10-07T12:45:00.000Z")
    );
    assert_eq!(header(&t, "x-dev-cache").as_deref(), Some("hit"));
    let c = s.get_json(&format!("{BASE}/pconf_frozen")).await;
    assert_eq!(c["lastSyncAt"], "2025-10-07T12:45:00.000Z");
}

#[tokio::test]
async fn cache_expires_after_ttl() {
    let s = start(|c| c.ttl = Duration::from_secs(1)).await;
    let path = format!("{BASE}/pconf_gh42/tools");
    let a = s.get(&path).await;
    assert_eq!(header(&a, "x-dev-cache").as_deref(), Some("miss"));
    let b = s.get(&path).await;
    assert_eq!(header(&b, "x-dev-cache").as_deref(), Some("hit"));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let c = s.get(&path).await;
    assert_eq!(header(&c, "x-dev-cache").as_deref(), Some("miss"));
    assert!(
        parse_time(&header(&c, "x-dev-cached-at").unwrap())
            > parse_time(&header(&a, "x-dev-cached-at").unwrap())
    );
    // Expiry refills from the current set: no sequence movement.
    assert_eq!(json(c).await["data"].as_array().unwrap().len(), 12);

    let r = s.refresh("pconf_gh42").await;
    let d = &r["details"];
    assert_eq!(
        parse_time(d["expiresAt"].as_str().unwrap()) - parse_time(d["cachedAt"].as_str().unwrap()),
        chrono::Duration::seconds(1)
    );
}

#[tokio::test]
async fn percent_encoded_weird_id_and_hostile_names() {
    let s = start(|_| {}).await;
    let c = s.get_json(&format!("{BASE}/{WEIRD_ID_ENCODED}")).await;
    assert_eq!(c["id"], WEIRD_ID);
    assert_eq!(c["name"], "Weird id");
    let t = s
        .get_json(&format!("{BASE}/{WEIRD_ID_ENCODED}/tools"))
        .await;
    assert_eq!(tool_names(&t), vec!["weird_tool_a"]);
    let r = s.refresh(WEIRD_ID_ENCODED).await;
    assert_eq!(r["details"]["configurationId"], WEIRD_ID);
    assert_eq!(r["details"]["newTools"], json!(["weird_tool_b"]));
    let nf = s.get(&format!("{BASE}/pconf_%3Cb%3E%20x")).await;
    assert_eq!(nf.status(), 404);
    assert_eq!(
        json(nf).await["error"]["message"],
        "Personal connector configuration with ID 'pconf_<b> x' not found."
    );

    let h = s.get_json(&format!("{BASE}/pconf_hostile")).await;
    assert_eq!(h["name"], "<img src=x onerror=alert(1)> hostile names");
    let r = s.refresh("pconf_hostile").await;
    let new = names(&r["details"]["newTools"]);
    assert!(new.contains(&"<img src=x onerror=alert(1)>".to_owned()));
    assert!(new.contains(&"</script><script>alert(1)</script>".to_owned()));
    assert!(new.contains(&"\u{202e}evil".to_owned()));
    assert!(new.iter().any(|n| n.chars().count() == 500));
    assert!(new.iter().any(|n| n.contains('🚀')));
    assert_eq!(names(&r["details"]["removedTools"]), vec!["safe_tool"]);
}

#[tokio::test]
async fn reset_restores_sequences_and_last_sync() {
    let s = start(|_| {}).await;
    s.refresh("pconf_abc123").await;
    s.refresh("pconf_abc123").await;
    let r = s.control(reqwest::Method::POST, "/__dev/reset", None).await;
    assert_eq!(r.status(), 200);
    let c = s.get_json(&format!("{BASE}/pconf_abc123")).await;
    assert_eq!(c["lastSyncAt"], "2025-10-07T11:45:00Z");
    let t = s.get(&format!("{BASE}/pconf_abc123/tools")).await;
    assert_eq!(header(&t, "x-dev-cache").as_deref(), Some("miss"));
    assert_eq!(tool_names(&json(t).await), CLICKUP_SET0);
    let again = s.refresh("pconf_abc123").await;
    assert_eq!(again["details"]["previousToolCount"], 6);
}
