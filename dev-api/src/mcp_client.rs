//! The MCP side of a refresh: one fresh rmcp client connection per call (Streamable HTTP),
//! `initialize`, `tools/list` following `nextCursor` to the end, close — bounded as a whole
//! by a timeout. The tools come back as the raw JSON the server sent (rmcp's `Tool` drops
//! fields it does not know), and every failure becomes an [`McpFailure`] a person can act on.
//!
//! How the raw JSON is kept: the transport runs on [`TapClient`], an
//! [`StreamableHttpClient`] around reqwest that delegates everything to rmcp's own reqwest
//! client except the `tools/list` POSTs, which it sends itself so it can read the answer
//! (JSON body or SSE events) as JSON text before rmcp parses it. It also records the first
//! transport failure with its cause (connection refused, HTTP 401, …), which rmcp's service
//! layer would otherwise flatten into "transport closed".

use axum::http::{HeaderName, HeaderValue, StatusCode};
use futures::stream::StreamExt;
use mcp_reqwest as reqwest;
use rmcp::model::{
    ClientCapabilities, ClientConfig, ClientJsonRpcMessage, ClientRequest, Implementation,
    JsonRpcMessage, PaginatedRequestParams, ServerJsonRpcMessage,
};
use rmcp::service::{ClientInitializeError, ServiceExt};
use rmcp::transport::common::client_side_sse::NeverRetry;
use rmcp::transport::streamable_http_client::{
    StreamableHttpClient, StreamableHttpClientTransportConfig, StreamableHttpError,
    StreamableHttpPostResponse, StreamableHttpResponseLimits,
};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::ServiceError;
use serde_json::Value;
use sse_stream::{Error as SseError, Sse, SseStream};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, Once};
use std::time::Duration;

/// Why a `tools/list` over MCP did not give a tool list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum McpFailure {
    /// Connection refused, DNS failure, no route: nothing answered at the URL.
    Unreachable(String),
    /// The whole exchange took longer than the timeout.
    Timeout(Duration),
    /// The MCP server answered 401 or 403.
    Auth(u16),
    /// The MCP server answered with a JSON-RPC error.
    JsonRpc {
        /// JSON-RPC error code.
        code: i32,
        /// Its message.
        message: String,
    },
    /// An HTTP error status other than 401/403, without a JSON-RPC error in it.
    HttpStatus(u16, String),
    /// The connection broke or closed before the list was complete.
    ConnectionLost(String),
    /// The answer was not MCP (not JSON-RPC, not a tool list, wrong content type, …).
    Malformed(String),
}

impl McpFailure {
    /// HTTP status of the API answer: 504 for a timeout, 502 for everything else.
    pub fn status(&self) -> StatusCode {
        match self {
            McpFailure::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            _ => StatusCode::BAD_GATEWAY,
        }
    }

    /// Error code of the API answer.
    pub fn code(&self) -> &'static str {
        match self {
            McpFailure::Unreachable(_) => "MCP_SERVER_UNREACHABLE",
            McpFailure::Timeout(_) => "MCP_TIMEOUT",
            McpFailure::Auth(_) => "MCP_AUTH_FAILED",
            McpFailure::JsonRpc { .. } => "MCP_SERVER_ERROR",
            McpFailure::HttpStatus(..) => "MCP_SERVER_ERROR",
            McpFailure::ConnectionLost(_) => "MCP_CONNECTION_LOST",
            McpFailure::Malformed(_) => "MCP_MALFORMED_RESPONSE",
        }
    }

    /// A sentence a person can act on, naming the server.
    pub fn message(&self, url: &str) -> String {
        match self {
            McpFailure::Unreachable(why) => format!(
                "The MCP server at {url} could not be reached ({why}). Is it running, and is the URL right?"
            ),
            McpFailure::Timeout(d) => format!(
                "The MCP server at {url} did not finish listing its tools within {} s.",
                d.as_secs_f64()
            ),
            McpFailure::Auth(status) => format!(
                "The MCP server at {url} rejected the credentials (HTTP {status}). Check the configuration's token."
            ),
            McpFailure::JsonRpc { code, message } => format!(
                "The MCP server at {url} answered with an error: {message} (JSON-RPC {code})."
            ),
            McpFailure::HttpStatus(status, body) => {
                let body = body.trim();
                if body.is_empty() {
                    format!("The MCP server at {url} answered HTTP {status}.")
                } else {
                    format!("The MCP server at {url} answered HTTP {status}: {body}")
                }
            }
            McpFailure::ConnectionLost(why) => format!(
                "The connection to the MCP server at {url} broke before its tool list was complete ({why})."
            ),
            McpFailure::Malformed(why) => format!(
                "The MCP server at {url} sent an answer that is not a valid MCP tool list ({why})."
            ),
        }
    }
}

impl fmt::Display for McpFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message("the URL"))
    }
}

/// Where to list tools, and how.
#[derive(Debug, Clone)]
pub struct Target {
    /// The MCP endpoint (Streamable HTTP), e.g. `http://127.0.0.1:3001/mcp`.
    pub url: String,
    /// Bearer token sent as `Authorization: Bearer …`, if any.
    pub token: Option<String>,
}

/// Installs rustls's ring provider as the process default (reqwest 0.13 is built without
/// one, to keep aws-lc-rs and its cmake build out). Idempotent.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Connects, initializes, lists every tool (following `nextCursor`), closes. The tools are
/// the raw JSON objects the server sent, in its order.
pub async fn list_tools(target: &Target, timeout: Duration) -> Result<Vec<Value>, McpFailure> {
    install_crypto_provider();
    let tap = Arc::new(Mutex::new(Tap::default()));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| McpFailure::Unreachable(format!("cannot build an HTTP client: {e}")))?;
    let client = TapClient {
        http,
        tap: tap.clone(),
    };
    let mut config = StreamableHttpClientTransportConfig::with_uri(target.url.as_str());
    config.retry_config = Arc::new(NeverRetry::default());
    config.reinit_on_expired_session = false;
    if let Some(token) = &target.token {
        config = config.auth_header(token.clone());
    }
    let transport = StreamableHttpClientTransport::with_client(client, config);
    let exchange = async {
        let info = ClientConfig::new(
            ClientCapabilities::default(),
            Implementation::new("connector-refresh-dev-api", env!("CARGO_PKG_VERSION")),
        );
        let running = info
            .serve(transport)
            .await
            .map_err(|e| explain_init(&tap, e))?;
        let peer = running.peer().clone();
        peer.set_response_cache_config(rmcp::ClientCacheConfig::disabled())
            .await;
        let mut tools: Vec<Value> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = HashSet::new();
        loop {
            let params = PaginatedRequestParams::default().with_cursor(cursor.clone());
            let page = peer
                .list_tools(Some(params))
                .await
                .map_err(|e| explain_service(&tap, e))?;
            let raw = take_raw(&tap);
            tools.extend(raw_tools(raw, &page.tools)?);
            match page.next_cursor {
                None => break,
                Some(next) => {
                    if !seen.insert(next.clone()) {
                        return Err(McpFailure::Malformed(format!(
                            "nextCursor {next:?} came back twice: the list would never end"
                        )));
                    }
                    cursor = Some(next);
                }
            }
        }
        let _ = running.cancel().await;
        Ok(tools)
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result,
        Err(_) => Err(McpFailure::Timeout(timeout)),
    }
}

/// The raw tools of one page, checked against what rmcp parsed (same names, same order);
/// if the raw copy is missing, rmcp's view of the tools is used.
fn raw_tools(raw: Option<Value>, typed: &[rmcp::model::Tool]) -> Result<Vec<Value>, McpFailure> {
    let raw_list = match raw {
        Some(Value::Object(mut r)) => match r.remove("tools") {
            Some(Value::Array(a)) => Some(a),
            _ => None,
        },
        _ => None,
    };
    let typed_names: Vec<&str> = typed.iter().map(|t| t.name.as_ref()).collect();
    if let Some(list) = raw_list {
        let raw_names: Vec<Option<&str>> = list
            .iter()
            .map(|t| t.get("name").and_then(Value::as_str))
            .collect();
        if raw_names.len() == typed_names.len()
            && raw_names
                .iter()
                .zip(&typed_names)
                .all(|(a, b)| *a == Some(*b))
        {
            return Ok(list);
        }
    }
    typed
        .iter()
        .map(|t| serde_json::to_value(t).map_err(|e| McpFailure::Malformed(e.to_string())))
        .collect()
}

fn explain_init(tap: &Arc<Mutex<Tap>>, e: ClientInitializeError) -> McpFailure {
    if let Some(f) = lock(tap).failure.clone() {
        return f;
    }
    match e {
        ClientInitializeError::JsonRpcError(err) => McpFailure::JsonRpc {
            code: err.code.0,
            message: err.message.to_string(),
        },
        ClientInitializeError::ExpectedInitResponse(_)
        | ClientInitializeError::ExpectedInitResult(_) => {
            McpFailure::Malformed(format!("initialize: {e}"))
        }
        other => McpFailure::ConnectionLost(format!("initialize: {other}")),
    }
}

fn explain_service(tap: &Arc<Mutex<Tap>>, e: ServiceError) -> McpFailure {
    match e {
        ServiceError::McpError(err) => McpFailure::JsonRpc {
            code: err.code.0,
            message: err.message.to_string(),
        },
        other => {
            if let Some(f) = lock(tap).failure.clone() {
                return f;
            }
            match other {
                ServiceError::UnexpectedResponse => {
                    McpFailure::Malformed("the answer to tools/list is not a tool list".into())
                }
                other => McpFailure::ConnectionLost(other.to_string()),
            }
        }
    }
}

/// What the tap saw: the first transport failure, and the raw results of `tools/list`.
#[derive(Debug, Default)]
struct Tap {
    failure: Option<McpFailure>,
    last_list_id: Option<String>,
    results: HashMap<String, Value>,
}

fn lock(tap: &Mutex<Tap>) -> MutexGuard<'_, Tap> {
    tap.lock().unwrap_or_else(|p| p.into_inner())
}

fn record(tap: &Mutex<Tap>, f: McpFailure) {
    let mut t = lock(tap);
    if t.failure.is_none() {
        t.failure = Some(f);
    }
}

/// The raw result of the last `tools/list` request sent, if it arrived.
fn take_raw(tap: &Mutex<Tap>) -> Option<Value> {
    let mut t = lock(tap);
    let id = t.last_list_id.take()?;
    t.results.remove(&id)
}

/// Keeps the `result` of a JSON-RPC response, by id (as JSON text).
fn record_raw(tap: &Mutex<Tap>, message: Value) {
    let Value::Object(mut m) = message else {
        return;
    };
    let (Some(id), Some(result)) = (m.remove("id"), m.remove("result")) else {
        return;
    };
    lock(tap).results.insert(id.to_string(), result);
}

/// Whether a client message is a `tools/list` request; its id as JSON text.
fn list_tools_id(message: &ClientJsonRpcMessage) -> Option<String> {
    match message {
        JsonRpcMessage::Request(r) if matches!(r.request, ClientRequest::ListToolsRequest(_)) => {
            serde_json::to_string(&r.id).ok()
        }
        _ => None,
    }
}

fn describe_reqwest(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

fn classify_reqwest(e: &reqwest::Error) -> McpFailure {
    if e.is_connect() {
        McpFailure::Unreachable(describe_reqwest(e))
    } else {
        McpFailure::ConnectionLost(describe_reqwest(e))
    }
}

fn classify(e: &StreamableHttpError<reqwest::Error>) -> McpFailure {
    match e {
        StreamableHttpError::Client(c) => classify_reqwest(c),
        StreamableHttpError::AuthRequired(_) => McpFailure::Auth(401),
        StreamableHttpError::InsufficientScope(_) => McpFailure::Auth(403),
        StreamableHttpError::HttpStatus(s) => McpFailure::HttpStatus(s.status, String::new()),
        StreamableHttpError::UnexpectedServerResponse(msg) => {
            if msg.starts_with("HTTP 401") {
                McpFailure::Auth(401)
            } else if msg.starts_with("HTTP 403") {
                McpFailure::Auth(403)
            } else {
                McpFailure::Malformed(msg.to_string())
            }
        }
        StreamableHttpError::UnexpectedContentType(ct) => McpFailure::Malformed(format!(
            "content type {}",
            ct.as_deref().unwrap_or("missing")
        )),
        StreamableHttpError::Deserialize(d) => McpFailure::Malformed(d.to_string()),
        other => McpFailure::ConnectionLost(other.to_string()),
    }
}

/// rmcp's reqwest client with a tap on `tools/list` answers and on failures.
#[derive(Clone)]
struct TapClient {
    http: reqwest::Client,
    tap: Arc<Mutex<Tap>>,
}

type PostResult = Result<StreamableHttpPostResponse, StreamableHttpError<reqwest::Error>>;

impl TapClient {
    fn note<T>(
        &self,
        r: Result<T, StreamableHttpError<reqwest::Error>>,
    ) -> Result<T, StreamableHttpError<reqwest::Error>> {
        if let Err(e) = &r {
            record(&self.tap, classify(e));
        }
        r
    }

    fn fail(&self, f: McpFailure, e: StreamableHttpError<reqwest::Error>) -> PostResult {
        record(&self.tap, f);
        Err(e)
    }

    /// Sends a `tools/list` request and reads the answer as JSON text first.
    async fn post_list_tools(
        &self,
        uri: Arc<str>,
        message: ClientJsonRpcMessage,
        id: String,
        session_id: Option<Arc<str>>,
        auth_token: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
    ) -> PostResult {
        lock(&self.tap).last_list_id = Some(id);
        let body = serde_json::to_vec(&message)?;
        let mut request = self
            .http
            .post(uri.as_ref())
            .header("accept", "application/json, text/event-stream")
            .header("content-type", "application/json");
        if let Some(token) = auth_token {
            request = request.bearer_auth(token);
        }
        for (name, value) in custom_headers {
            request = request.header(name, value);
        }
        let had_session = session_id.is_some();
        if let Some(s) = session_id {
            request = request.header("mcp-session-id", s.as_ref());
        }
        let response = match request.body(body).send().await {
            Ok(r) => r,
            Err(e) => return self.fail(classify_reqwest(&e), StreamableHttpError::Client(e)),
        };
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return self.fail(
                McpFailure::Auth(status.as_u16()),
                StreamableHttpError::UnexpectedServerResponse(Cow::Owned(format!("HTTP {status}"))),
            );
        }
        if status == reqwest::StatusCode::NOT_FOUND && had_session {
            return self.fail(
                McpFailure::ConnectionLost("the server forgot the session (HTTP 404)".into()),
                StreamableHttpError::SessionExpired,
            );
        }
        let session = response
            .headers()
            .get("mcp-session-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        let is_json = content_type.starts_with("application/json");
        let is_sse = content_type.starts_with("text/event-stream");
        if !status.is_success() {
            let bytes = response.bytes().await.unwrap_or_default();
            if is_json {
                if let Ok(msg @ JsonRpcMessage::Error(_)) =
                    serde_json::from_slice::<ServerJsonRpcMessage>(&bytes)
                {
                    return Ok(StreamableHttpPostResponse::Json(msg, session));
                }
            }
            let text: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
            return self.fail(
                McpFailure::HttpStatus(status.as_u16(), text.clone()),
                StreamableHttpError::UnexpectedServerResponse(Cow::Owned(format!(
                    "HTTP {status}: {text}"
                ))),
            );
        }
        if is_sse {
            let tap = self.tap.clone();
            let events = SseStream::from_bytes_stream(response.bytes_stream()).map(
                move |item: Result<Sse, SseError>| {
                    if let Ok(Sse {
                        data: Some(data), ..
                    }) = &item
                    {
                        if let Ok(v) = serde_json::from_str::<Value>(data) {
                            record_raw(&tap, v);
                        }
                    }
                    item
                },
            );
            return Ok(StreamableHttpPostResponse::Sse(events.boxed(), session));
        }
        if is_json {
            let bytes = match response.bytes().await {
                Ok(b) => b,
                Err(e) => return self.fail(classify_reqwest(&e), StreamableHttpError::Client(e)),
            };
            let raw: Value = match serde_json::from_slice(&bytes) {
                Ok(v) => v,
                Err(e) => {
                    return self.fail(
                        McpFailure::Malformed(format!("the body is not JSON: {e}")),
                        StreamableHttpError::Deserialize(e),
                    )
                }
            };
            let typed = serde_json::from_value::<ServerJsonRpcMessage>(raw.clone());
            record_raw(&self.tap, raw);
            return match typed {
                Ok(msg) => Ok(StreamableHttpPostResponse::Json(msg, session)),
                Err(e) => self.fail(
                    McpFailure::Malformed(format!("not a JSON-RPC message: {e}")),
                    StreamableHttpError::Deserialize(e),
                ),
            };
        }
        let shown = if content_type.is_empty() {
            "no content type".to_owned()
        } else {
            format!("content type {content_type}")
        };
        self.fail(
            McpFailure::Malformed(shown),
            StreamableHttpError::UnexpectedContentType(Some(content_type)),
        )
    }
}

impl StreamableHttpClient for TapClient {
    type Error = reqwest::Error;

    async fn post_message(
        &self,
        uri: Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<Arc<str>>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
    ) -> PostResult {
        self.post_message_with_response_limits(
            uri,
            message,
            session_id,
            auth_header,
            custom_headers,
            StreamableHttpResponseLimits::default(),
        )
        .await
    }

    async fn post_message_with_response_limits(
        &self,
        uri: Arc<str>,
        message: ClientJsonRpcMessage,
        session_id: Option<Arc<str>>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
        limits: StreamableHttpResponseLimits,
    ) -> PostResult {
        if let Some(id) = list_tools_id(&message) {
            return self
                .post_list_tools(uri, message, id, session_id, auth_header, custom_headers)
                .await;
        }
        let r = self
            .http
            .post_message_with_response_limits(
                uri,
                message,
                session_id,
                auth_header,
                custom_headers,
                limits,
            )
            .await;
        self.note(r)
    }

    async fn delete_session(
        &self,
        uri: Arc<str>,
        session_id: Arc<str>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<(), StreamableHttpError<Self::Error>> {
        self.http
            .delete_session(uri, session_id, auth_header, custom_headers)
            .await
    }

    async fn get_stream(
        &self,
        uri: Arc<str>,
        session_id: Option<Arc<str>>,
        last_event_id: Option<String>,
        auth_header: Option<String>,
        custom_headers: HashMap<HeaderName, HeaderValue>,
    ) -> Result<
        futures::stream::BoxStream<'static, Result<Sse, SseError>>,
        StreamableHttpError<Self::Error>,
    > {
        // The standalone event stream is optional for a tools/list: its failures are not
        // the refresh's failures.
        self.http
            .get_stream(uri, session_id, last_event_id, auth_header, custom_headers)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_map_to_statuses_and_codes() {
        let url = "http://127.0.0.1:9/mcp";
        assert_eq!(
            McpFailure::Timeout(Duration::from_secs(20)).status(),
            StatusCode::GATEWAY_TIMEOUT
        );
        let auth = McpFailure::Auth(401);
        assert_eq!(auth.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(auth.code(), "MCP_AUTH_FAILED");
        assert!(auth.message(url).contains(url));
        let rpc = McpFailure::JsonRpc {
            code: -32603,
            message: "boom".into(),
        };
        assert!(rpc.message(url).contains("boom"));
    }
}
