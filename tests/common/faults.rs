//! A fault-injecting HTTP proxy on loopback, between palisade and the emulator, for the reliability tests
//! (tests/faults.rs). Every request it receives is recorded (signing service, region, operation, the IAM
//! action that authorizes it, the fault injected and the status answered). Rules pick requests by
//! service, operation and region (from the SigV4 credential scope, as AWS does) and answer a chosen share
//! of them with a fault: throttling or a server error in the protocol's own error format, a delay, a
//! dropped connection, a truncated or a garbage body, or AccessDenied. Page-size rules rewrite list
//! requests so that the emulator answers in many small pages.
//!
//! It is deterministic: whether a request faults is decided by a PRNG seeded with the configured seed, the
//! request itself (service, region, method, path and body) and how many times that same request was seen
//! before (retries of one call are the same request). Concurrency does not change the decisions, so a
//! failing run can be replayed with the same seed against the same emulator state (the emulator draws
//! random resource ids at seeding, and requests that name them change with them).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What to answer instead of (or on top of) the emulator's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 400 with the protocol's throttling code (`ThrottlingException`, `Throttling`,
    /// `RequestLimitExceeded` for EC2, `SlowDown` with 503 for S3).
    Throttle,
    /// HTTP 500 `InternalFailure` (503 `ServiceUnavailable` every other time).
    ServerError,
    /// Wait this many milliseconds, then forward.
    Delay(u64),
    /// Read the request, then close the connection without an answer.
    Drop,
    /// Forward, then send the head and only half the body (the Content-Length still says all of it)
    /// and close.
    Truncate,
    /// Forward, then replace the body with garbage of the same length (HTTP 200).
    Garbage,
    /// HTTP 403 / 400 AccessDenied (`UnauthorizedOperation` for EC2), naming the missing permission.
    Deny,
}

impl Fault {
    pub fn name(&self) -> String {
        match self {
            Fault::Throttle => "throttle".into(),
            Fault::ServerError => "5xx".into(),
            Fault::Delay(ms) => format!("delay {ms} ms"),
            Fault::Drop => "drop".into(),
            Fault::Truncate => "truncate".into(),
            Fault::Garbage => "garbage".into(),
            Fault::Deny => "deny".into(),
        }
    }
}

/// Which requests a rule applies to: every field that is set must match.
#[derive(Debug, Clone, Default)]
pub struct Match {
    /// Signing service, e.g. `secretsmanager`, `elasticloadbalancing`, `s3`.
    pub service: Option<String>,
    /// Operation, e.g. `ListSecrets`, `DescribeSecurityGroups`, `GetBucketPolicy`.
    pub operation: Option<String>,
    /// Region of the credential scope, e.g. `eu-west-1`.
    pub region: Option<String>,
}

impl Match {
    pub fn any() -> Match {
        Match::default()
    }
    pub fn service(s: &str) -> Match {
        Match {
            service: Some(s.into()),
            ..Match::default()
        }
    }
    pub fn operation(service: &str, op: &str) -> Match {
        Match {
            service: Some(service.into()),
            operation: Some(op.into()),
            region: None,
        }
    }
    pub fn region(r: &str) -> Match {
        Match {
            region: Some(r.into()),
            ..Match::default()
        }
    }
    fn matches(&self, service: &str, op: &str, region: &str) -> bool {
        self.service.as_deref().is_none_or(|s| s == service)
            && self.operation.as_deref().is_none_or(|o| o == op)
            && self.region.as_deref().is_none_or(|r| r == region)
    }
}

/// Answer `share` (0.0 – 1.0) of the requests that `when` matches with `fault`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub when: Match,
    pub fault: Fault,
    pub share: f64,
}

/// Rewrite a list request so that the emulator answers in pages of `size` items: `param` is the
/// operation's page-size parameter (`MaxResults`, `PageSize`, `MaxItems`, `Limit`, …).
#[derive(Debug, Clone)]
pub struct PageSize {
    pub service: String,
    pub operation: String,
    pub param: String,
    pub size: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub seed: u64,
    /// Checked in order; the first rule whose draw falls under its share applies.
    pub rules: Vec<Rule>,
    /// At most this many faults for one request (counting its retries), so that transient faults stay
    /// transient: with `Some(2)` and 3 attempts, every call eventually succeeds.
    pub max_faults_per_request: Option<u32>,
    pub page_sizes: Vec<PageSize>,
    /// Strings that must never be sent over the wire (canary secret keys): a request containing one is
    /// recorded with `leaked = true`.
    pub canaries: Vec<String>,
}

/// One request the proxy received.
#[derive(Debug, Clone)]
pub struct Call {
    pub service: String,
    pub region: String,
    pub operation: String,
    /// The IAM action that authorizes the operation (`s3:ListAllMyBuckets` for ListBuckets, …), or
    /// `?:<method> <path>` when the proxy cannot tell.
    pub action: String,
    pub method: String,
    pub path: String,
    pub fault: Option<Fault>,
    /// HTTP status answered (0 = none: dropped).
    pub status: u16,
    /// Whether the request carried a canary string.
    pub leaked: bool,
    /// Whether a page-size rule rewrote it.
    pub paged: bool,
}

pub struct FaultProxy {
    pub port: u16,
    pub url: String,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl FaultProxy {
    /// Every request received so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
    /// Requests answered with `fault` (compared by name, so any `Delay` matches `Delay(0)`'s kind only
    /// when the milliseconds are equal).
    pub fn faulted(&self, fault: &Fault) -> usize {
        self.calls()
            .iter()
            .filter(|c| c.fault.as_ref() == Some(fault))
            .count()
    }
}

struct State {
    config: Config,
    /// Times each request (by its key) was seen, and faulted.
    seen: Mutex<HashMap<u64, (u32, u32)>>,
    calls: Arc<Mutex<Vec<Call>>>,
}

/// Starts a fault proxy in front of the emulator on `upstream`, on a free loopback port.
pub fn start(upstream: u16, config: Config) -> FaultProxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(State {
        config,
        seen: Mutex::new(HashMap::new()),
        calls: calls.clone(),
    });
    std::thread::spawn(move || {
        for c in listener.incoming().flatten() {
            let state = state.clone();
            std::thread::spawn(move || handle(c, upstream, &state));
        }
    });
    FaultProxy {
        port,
        url: format!("http://127.0.0.1:{port}"),
        calls,
    }
}

// ---------------------------------------------------------------------------------------------------
// Deterministic decisions.

fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// splitmix64: one well-mixed 64-bit value from a state.
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A draw in [0, 1) for (seed, request key, occurrence, rule).
fn draw(seed: u64, key: u64, occurrence: u32, rule: usize) -> f64 {
    let x = splitmix(seed ^ splitmix(key ^ splitmix(u64::from(occurrence) << 16 | rule as u64)));
    (x >> 11) as f64 / (1u64 << 53) as f64
}

// ---------------------------------------------------------------------------------------------------
// HTTP.

fn read_head(r: &mut BufReader<TcpStream>) -> Option<(String, Vec<(String, String)>)> {
    let mut first = String::new();
    if r.read_line(&mut first).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        if r.read_line(&mut l).ok()? == 0 {
            return None;
        }
        let l = l.trim_end().to_string();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Some((first.trim_end().to_string(), headers))
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn read_chunked(r: &mut impl BufRead) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let mut size = String::new();
        if r.read_line(&mut size).unwrap_or(0) == 0 {
            break;
        }
        let n =
            usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
        let mut chunk = vec![0; n + 2];
        if r.read_exact(&mut chunk).is_err() || n == 0 {
            break;
        }
        out.extend_from_slice(&chunk[..n]);
    }
    out
}

fn read_body(r: &mut impl BufRead, h: &[(String, String)]) -> Vec<u8> {
    if let Some(n) = header(h, "content-length").and_then(|v| v.parse::<usize>().ok()) {
        let mut b = vec![0; n];
        let _ = r.read_exact(&mut b);
        return b;
    }
    if header(h, "transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        return read_chunked(r);
    }
    Vec::new()
}

/// (region, service) of the SigV4 credential scope `Credential=AKID/DATE/REGION/SERVICE/aws4_request`.
fn scope_of(h: &[(String, String)]) -> (String, String) {
    let cred = header(h, "authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .unwrap_or("");
    let mut parts = cred.split('/');
    let region = parts.nth(2).unwrap_or("").to_string();
    let service = parts.next().unwrap_or("").to_string();
    (region, service)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Protocol {
    Json,
    Query,
    Ec2,
    /// S3: `<Error>` without a wrapper.
    RestXmlUnwrapped,
    /// CloudFront, Route 53: `<ErrorResponse><Error>`.
    RestXml,
    /// CloudWatch: Smithy RPC-v2 CBOR (`{"__type", "message"}` as a CBOR map).
    Cbor,
}

/// A CBOR text string (major type 3).
fn cbor_text(out: &mut Vec<u8>, s: &str) {
    let n = s.len();
    if n < 24 {
        out.push(0x60 | n as u8);
    } else if n < 256 {
        out.extend([0x78, n as u8]);
    } else {
        out.push(0x79);
        out.extend((n.min(u16::MAX as usize) as u16).to_be_bytes());
    }
    out.extend(&s.as_bytes()[..n.min(u16::MAX as usize)]);
}

/// The RPC-v2 CBOR error body `{"__type": code, "message": message}`.
fn cbor_error(code: &str, message: &str) -> Vec<u8> {
    let mut out = vec![0xa2];
    for s in ["__type", code, "message", message] {
        cbor_text(&mut out, s);
    }
    out
}

fn form_param<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    body.split('&').find_map(|kv| {
        kv.split_once('=')
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v)
    })
}

/// The operation of a REST request (S3, S3 Control, CloudFront, Route 53), for the reads palisade makes;
/// anything else is `<METHOD> <path>`.
fn rest_operation(service: &str, method: &str, path: &str, query: &str) -> String {
    let q: Vec<&str> = query
        .split('&')
        .map(|kv| kv.split('=').next().unwrap_or(""))
        .collect();
    let has = |k: &str| q.contains(&k);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let op = match (service, method) {
        ("s3", "GET") if path.starts_with("/v20180820/configuration/publicAccessBlock") => {
            "GetPublicAccessBlock@control"
        }
        ("s3", "GET") if segs.is_empty() => "ListBuckets",
        ("s3", "GET") if segs.len() == 1 && has("location") => "GetBucketLocation",
        ("s3", "GET") if segs.len() == 1 && has("policyStatus") => "GetBucketPolicyStatus",
        ("s3", "GET") if segs.len() == 1 && has("policy") => "GetBucketPolicy",
        ("s3", "GET") if segs.len() == 1 && has("publicAccessBlock") => "GetPublicAccessBlock",
        ("s3", "GET")
            if segs.len() == 1
                && q.iter().all(|k| {
                    k.is_empty() || *k == "list-type" || *k == "prefix" || *k == "max-keys"
                }) =>
        {
            "ListObjects"
        }
        ("s3", "GET") if segs.len() >= 2 => "GetObject",
        ("cloudfront", "GET") if segs.len() == 2 && segs[1] == "distribution" => {
            "ListDistributions"
        }
        ("cloudfront", "GET") if segs.len() == 3 && segs[1] == "distribution" => "GetDistribution",
        ("cloudfront", "GET") if segs.len() == 4 && segs[3] == "config" => "GetDistributionConfig",
        ("route53", "GET") if segs.len() == 2 && segs[1] == "hostedzone" => "ListHostedZones",
        ("route53", "GET") if segs.len() == 3 && segs[1] == "hostedzone" => "GetHostedZone",
        ("route53", "GET") if segs.len() == 2 && segs[1] == "healthcheck" => "ListHealthChecks",
        ("route53", "GET") if segs.len() == 2 && segs[1] == "queryloggingconfig" => {
            "ListQueryLoggingConfigs"
        }
        ("synthetics", "POST") if segs == ["canaries"] => "DescribeCanaries",
        ("xray", "POST") if segs == ["EncryptionConfig"] => "GetEncryptionConfig",
        ("xray", "POST") if segs == ["GetSamplingRules"] => "GetSamplingRules",
        _ => "",
    };
    if op.is_empty() {
        format!("{method} {path}")
    } else {
        op.to_string()
    }
}

/// The IAM action that authorizes `operation` of the signing service (`?:…` when unknown).
fn iam_action(service: &str, operation: &str) -> String {
    if operation.contains(' ') {
        return format!("?:{operation}");
    }
    match (service, operation) {
        ("s3", "ListBuckets") => "s3:ListAllMyBuckets".into(),
        ("s3", "GetPublicAccessBlock") => "s3:GetBucketPublicAccessBlock".into(),
        ("s3", "GetPublicAccessBlock@control") => "s3:GetAccountPublicAccessBlock".into(),
        ("s3", "ListObjects") => "s3:ListBucket".into(),
        // CloudWatch signs as `monitoring`; its IAM prefix is `cloudwatch`.
        ("monitoring", op) => format!("cloudwatch:{op}"),
        (s, op) => format!("{s}:{op}"),
    }
}

fn error_response(
    protocol: Protocol,
    status: u16,
    reason: &str,
    code: &str,
    message: &str,
    extra_headers: &str,
) -> Vec<u8> {
    let (ctype, body) = match protocol {
        Protocol::Cbor => {
            let body = cbor_error(code, message);
            let mut out = format!(
                "HTTP/1.1 {status} {reason}\r\nContent-Type: application/cbor\r\nsmithy-protocol: rpc-v2-cbor\r\n{extra_headers}x-amzn-RequestId: fault-proxy\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            out.extend(body);
            return out;
        }
        Protocol::Json => (
            "application/x-amz-json-1.1",
            format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}"),
        ),
        Protocol::Ec2 => (
            "text/xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>"),
        ),
        Protocol::Query | Protocol::RestXml => (
            "text/xml",
            format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>"),
        ),
        Protocol::RestXmlUnwrapped => (
            "application/xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault-proxy</RequestId></Error>"),
        ),
    };
    let json_type = if protocol == Protocol::Json {
        format!("x-amzn-ErrorType: {code}\r\n")
    } else {
        String::new()
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\n{json_type}{extra_headers}x-amzn-RequestId: fault-proxy\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn throttle(protocol: Protocol) -> Vec<u8> {
    match protocol {
        Protocol::Json | Protocol::Cbor => error_response(
            protocol,
            400,
            "Bad Request",
            "ThrottlingException",
            "Rate exceeded",
            "",
        ),
        Protocol::Ec2 => error_response(
            protocol,
            503,
            "Service Unavailable",
            "RequestLimitExceeded",
            "Request limit exceeded.",
            "",
        ),
        Protocol::RestXmlUnwrapped => error_response(
            protocol,
            503,
            "Slow Down",
            "SlowDown",
            "Please reduce your request rate.",
            "",
        ),
        Protocol::Query | Protocol::RestXml => error_response(
            protocol,
            400,
            "Bad Request",
            "Throttling",
            "Rate exceeded",
            "",
        ),
    }
}

fn server_error(protocol: Protocol, alternate: bool) -> Vec<u8> {
    if alternate {
        error_response(
            protocol,
            503,
            "Service Unavailable",
            "ServiceUnavailable",
            "Service is unavailable, try again.",
            "",
        )
    } else {
        let code = match protocol {
            Protocol::Json | Protocol::Cbor => "InternalFailure",
            _ => "InternalError",
        };
        error_response(
            protocol,
            500,
            "Internal Server Error",
            code,
            "We encountered an internal error. Please try again.",
            "",
        )
    }
}

fn deny(protocol: Protocol, action: &str) -> Vec<u8> {
    let message = format!("User: arn:aws:sts::123456789012:assumed-role/palisade-readonly/palisade is not authorized to perform: {action} because no identity-based policy allows the {action} action");
    match protocol {
        Protocol::Json | Protocol::Cbor => error_response(
            protocol,
            400,
            "Bad Request",
            "AccessDeniedException",
            &message,
            "",
        ),
        Protocol::Ec2 => error_response(
            protocol,
            403,
            "Forbidden",
            "UnauthorizedOperation",
            &format!("You are not authorized to perform this operation. {message}"),
            "",
        ),
        _ => error_response(protocol, 403, "Forbidden", "AccessDenied", &message, ""),
    }
}

/// Splits a raw HTTP response into (head, body), decoding a chunked body.
fn split_response(resp: &[u8]) -> (String, Vec<u8>) {
    let Some(i) = resp.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (String::from_utf8_lossy(resp).into_owned(), Vec::new());
    };
    let head = String::from_utf8_lossy(&resp[..i]).into_owned();
    let raw = &resp[i + 4..];
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked {
        read_chunked(&mut BufReader::new(raw))
    } else {
        raw.to_vec()
    };
    (head, body)
}

/// The response head without its framing headers, then our own.
fn reframe(head: &str, len: usize) -> Vec<u8> {
    let mut out = String::new();
    for (i, l) in head.split("\r\n").enumerate() {
        let lower = l.to_ascii_lowercase();
        if i > 0
            && (lower.starts_with("content-length:")
                || lower.starts_with("transfer-encoding:")
                || lower.starts_with("connection:"))
        {
            continue;
        }
        out.push_str(l);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "Content-Length: {len}\r\nConnection: close\r\n\r\n"
    ));
    out.into_bytes()
}

fn status_of(resp: &[u8]) -> u16 {
    String::from_utf8_lossy(&resp[..resp.len().min(20)])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Sets `param` to `size` in a request: a JSON member, a form parameter or a query parameter.
fn set_page_size(
    protocol: Protocol,
    target: &mut String,
    body: &mut Vec<u8>,
    param: &str,
    size: u32,
) {
    match protocol {
        Protocol::Json => {
            if let Ok(serde_json::Value::Object(mut m)) =
                serde_json::from_slice::<serde_json::Value>(body)
            {
                m.insert(param.to_string(), serde_json::json!(size));
                *body = serde_json::Value::Object(m).to_string().into_bytes();
            }
        }
        Protocol::Query | Protocol::Ec2 => {
            let text = String::from_utf8_lossy(body).into_owned();
            let mut kept: Vec<&str> = text
                .split('&')
                .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some(param))
                .collect();
            let p = format!("{param}={size}");
            kept.push(&p);
            *body = kept.join("&").into_bytes();
        }
        // DescribeAlarms pages through MaxRecords in a CBOR body: not rewritten.
        Protocol::Cbor => {}
        Protocol::RestXml | Protocol::RestXmlUnwrapped => {
            let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
            let mut kept: Vec<String> = query
                .split('&')
                .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some(param))
                .map(str::to_string)
                .collect();
            kept.push(format!("{param}={size}"));
            *target = format!("{path}?{}", kept.join("&"));
        }
    }
}

fn handle(client: TcpStream, upstream: u16, state: &State) {
    let mut reader = BufReader::new(match client.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut client = client;
    let Some((first, headers)) = read_head(&mut reader) else {
        return;
    };
    let mut body = read_body(&mut reader, &headers);
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let mut target = parts.next().unwrap_or("/").to_string();
    let version = parts.next().unwrap_or("HTTP/1.1").to_string();
    let (region, service) = scope_of(&headers);
    let text = String::from_utf8_lossy(&body).into_owned();
    let (path, query) = target
        .split_once('?')
        .map(|(p, q)| (p.to_string(), q.to_string()))
        .unwrap_or((target.clone(), String::new()));
    let (protocol, operation) = if let Some(t) = header(&headers, "x-amz-target") {
        (
            Protocol::Json,
            t.rsplit('.').next().unwrap_or(t).to_string(),
        )
    } else if let Some(a) = form_param(&text, "Action") {
        let p = if service == "ec2" {
            Protocol::Ec2
        } else {
            Protocol::Query
        };
        (p, a.to_string())
    } else if let Some(op) = path.strip_prefix("/service/GraniteServiceVersion20100801/operation/")
    {
        (Protocol::Cbor, op.to_string())
    } else if matches!(service.as_str(), "synthetics" | "xray") {
        // REST-JSON: errors are JSON with x-amzn-ErrorType, as in the JSON protocols.
        (
            Protocol::Json,
            rest_operation(&service, &method, &path, &query),
        )
    } else {
        // S3 answers `<Error>`; S3 Control (signed as `s3`), CloudFront and Route 53 `<ErrorResponse>`.
        let p = if service == "s3" && !path.starts_with("/v20180820/") {
            Protocol::RestXmlUnwrapped
        } else {
            Protocol::RestXml
        };
        (p, rest_operation(&service, &method, &path, &query))
    };
    let action = iam_action(&service, &operation);
    let operation = operation.trim_end_matches("@control").to_string();
    let cfg = &state.config;
    let leaked = cfg.canaries.iter().any(|c| {
        !c.is_empty()
            && (first.contains(c.as_str())
                || text.contains(c.as_str())
                || headers.iter().any(|(_, v)| v.contains(c.as_str())))
    });
    // The request's identity: what is sent, less what changes between attempts (date, signature).
    let key = fnv(&[
        service.as_bytes(),
        region.as_bytes(),
        method.as_bytes(),
        target.as_bytes(),
        &body,
    ]);
    let (occurrence, faults_so_far) = state
        .seen
        .lock()
        .map(|mut s| {
            let e = s.entry(key).or_insert((0, 0));
            e.0 += 1;
            (e.0, e.1)
        })
        .unwrap_or((1, 0));
    let capped = cfg
        .max_faults_per_request
        .is_some_and(|m| faults_so_far >= m);
    let fault = if capped {
        None
    } else {
        cfg.rules.iter().enumerate().find_map(|(i, r)| {
            (r.when.matches(&service, &operation, &region)
                && draw(cfg.seed, key, occurrence, i) < r.share)
                .then(|| r.fault.clone())
        })
    };
    if fault.is_some() {
        if let Ok(mut s) = state.seen.lock() {
            if let Some(e) = s.get_mut(&key) {
                e.1 += 1;
            }
        }
    }
    let mut paged = false;
    for p in &cfg.page_sizes {
        if p.service == service && p.operation == operation {
            set_page_size(protocol, &mut target, &mut body, &p.param, p.size);
            paged = true;
        }
    }
    // Recorded on arrival (a delayed call is seen even if the client gives up), its status set later.
    let index = state.calls.lock().ok().map(|mut c| {
        c.push(Call {
            service: service.clone(),
            region: region.clone(),
            operation: operation.clone(),
            action: action.clone(),
            method: method.clone(),
            path: path.clone(),
            fault: fault.clone(),
            status: 0,
            leaked,
            paged,
        });
        c.len() - 1
    });
    let record = |status: u16| {
        if let (Ok(mut c), Some(i)) = (state.calls.lock(), index) {
            if let Some(call) = c.get_mut(i) {
                call.status = status;
            }
        }
    };
    let answer = match &fault {
        Some(Fault::Throttle) => Some(throttle(protocol)),
        Some(Fault::ServerError) => Some(server_error(protocol, occurrence % 2 == 0)),
        Some(Fault::Deny) => Some(deny(protocol, &action)),
        Some(Fault::Drop) => {
            record(0);
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
        _ => None,
    };
    if let Some(a) = answer {
        record(status_of(&a));
        let _ = client.write_all(&a);
        return;
    }
    if let Some(Fault::Delay(ms)) = &fault {
        std::thread::sleep(Duration::from_millis(*ms));
    }
    let resp = forward(upstream, &method, &target, &version, &headers, &body);
    let Some(resp) = resp else {
        record(0);
        return;
    };
    let status = status_of(&resp);
    record(status);
    let (head, up_body) = split_response(&resp);
    let out = match &fault {
        Some(Fault::Truncate) => {
            // The head promises the whole body; half of it comes, then the connection closes.
            let mut out = reframe(&head, up_body.len());
            out.extend_from_slice(&up_body[..up_body.len() / 2]);
            out
        }
        Some(Fault::Garbage) => {
            let mut g = Vec::with_capacity(up_body.len().max(16));
            let mut s = key;
            for i in 0..up_body.len().max(16) {
                s = splitmix(s ^ i as u64);
                // Printable noise with markup characters, so parsers get far enough to fail in the middle.
                g.push(b"<>{}\"=&;:/ abcXYZ019\x00\xff"[(s % 22) as usize]);
            }
            let mut out = reframe(&head, g.len());
            out.extend_from_slice(&g);
            out
        }
        _ => {
            let mut out = reframe(&head, up_body.len());
            out.extend_from_slice(&up_body);
            out
        }
    };
    let _ = client.write_all(&out);
    let _ = client.flush();
    let _ = client.shutdown(Shutdown::Both);
}

fn forward(
    upstream: u16,
    method: &str,
    target: &str,
    version: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(("127.0.0.1", upstream)).ok()?;
    let mut req = format!("{method} {target} {version}\r\n").into_bytes();
    for (k, v) in headers {
        if k.eq_ignore_ascii_case("connection")
            || k.eq_ignore_ascii_case("transfer-encoding")
            || k.eq_ignore_ascii_case("content-length")
        {
            continue;
        }
        req.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    req.extend_from_slice(
        format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    req.extend_from_slice(body);
    up.write_all(&req).ok()?;
    // The upstream closes after one response (Connection: close): relay until EOF.
    let mut resp = Vec::new();
    let _ = up.read_to_end(&mut resp);
    (!resp.is_empty()).then_some(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_uniform_enough_and_deterministic() {
        let n = 10_000;
        let hits = (0..n).filter(|k| draw(7, *k as u64, 1, 0) < 0.3).count();
        assert!((2_700..3_300).contains(&hits), "{hits}");
        assert_eq!(draw(7, 42, 1, 0), draw(7, 42, 1, 0));
        assert_ne!(draw(7, 42, 1, 0), draw(7, 42, 2, 0));
    }
}
