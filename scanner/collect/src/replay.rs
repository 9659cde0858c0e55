//! Test-only HTTP client that answers the SDK from recorded exchanges (tests/fixtures/recorded/, written by
//! tests/emulator/record.py from a live collection of the seeded emulator), so that every collector's
//! mapping from real SDK responses is tested without the emulator and without a network.
//!
//! A request is answered by the first recorded exchange with the same method, path and query, x-amz-target
//! and body. Bodies are compared exactly, except JSON bodies, which are compared as JSON values (the
//! recording stores them parsed). An exchange may be answered any number of times. A request that matches no
//! exchange is answered `599` with a body naming the request, and is listed by [`Replay::unmatched`]:
//! [`Replay::finish`] fails the test when there is one.
//!
//! Error cases replace one recorded answer with an AWS error in the protocol's own format
//! ([`Answer::json_error`], [`Answer::query_error`], [`Answer::ec2_error`], [`Answer::s3_error`]).
//! Recorded exchanges that record.py patched say why in `patched` (tests/fixtures/recorded/README.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cloudfront;
mod cognito;
mod ec2;
mod elbv2;
mod iam;
mod rds;
mod route53;
mod s3;
mod secretsmanager;
mod shield;
mod wafv2;

use crate::calls::CallLog;
use crate::scope::{Output, Scope};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use aws_types::region::Region;
use palisade_model::{CollectionError, Resource};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// A request or response body as recorded: a JSON value, or text (a list of lines when multi-line).
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Json(Value),
    Text(String),
}

impl Body {
    fn parse(v: &Value) -> Body {
        if let Some(j) = v.get("json") {
            return Body::Json(j.clone());
        }
        match v.get("text") {
            Some(Value::Array(lines)) => Body::Text(
                lines
                    .iter()
                    .map(|l| l.as_str().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Some(Value::String(s)) => Body::Text(s.clone()),
            _ => Body::Text(String::new()),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        match self {
            Body::Json(v) => serde_json::to_vec(v).unwrap(),
            Body::Text(s) => s.clone().into_bytes(),
        }
    }

    /// Whether an actual request body matches this recorded one.
    fn matches(&self, actual: &[u8]) -> bool {
        match self {
            Body::Json(v) => serde_json::from_slice::<Value>(actual).is_ok_and(|a| &a == v),
            Body::Text(s) => s.as_bytes() == actual,
        }
    }

    /// The body as text, for selectors and messages.
    pub fn text(&self) -> String {
        match self {
            Body::Json(v) => v.to_string(),
            Body::Text(s) => s.clone(),
        }
    }

    /// The recorded JSON value (panics on a text body).
    pub fn json(&self) -> &Value {
        match self {
            Body::Json(v) => v,
            Body::Text(t) => panic!("not a JSON body: {t}"),
        }
    }
}

/// A recorded request.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub target: Option<String>,
    pub body: Body,
}

impl Req {
    /// The operation: the x-amz-target's operation (JSON protocols) or the `Action` (query protocols);
    /// for REST protocols, empty (select on `path`).
    pub fn operation(&self) -> String {
        if let Some(t) = &self.target {
            return t.rsplit('.').next().unwrap_or_default().to_string();
        }
        let text = self.body.text();
        text.split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .unwrap_or_default()
            .to_string()
    }

    pub fn describe(&self) -> String {
        format!(
            "{} {} target={} body={}",
            self.method,
            self.path,
            self.target.as_deref().unwrap_or("-"),
            self.body.text()
        )
    }
}

/// A recorded (or replacement) response.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub error_type: Option<String>,
    pub body: Body,
}

impl Answer {
    fn parse(v: &Value) -> Answer {
        Answer {
            status: v["status"].as_u64().unwrap_or(0) as u16,
            content_type: v["content_type"].as_str().map(str::to_string),
            error_type: v["error_type"].as_str().map(str::to_string),
            body: Body::parse(&v["body"]),
        }
    }

    /// A successful JSON-protocol answer.
    pub fn json(body: Value) -> Answer {
        Answer {
            status: 200,
            content_type: Some("application/x-amz-json-1.1".into()),
            error_type: None,
            body: Body::Json(body),
        }
    }

    /// An error of the AWS JSON protocols (Secrets Manager, Cognito, WAFv2, Shield): `__type` in the body and
    /// the `x-amzn-errortype` header.
    pub fn json_error(status: u16, code: &str, message: &str) -> Answer {
        Answer {
            status,
            content_type: Some("application/x-amz-json-1.1".into()),
            error_type: Some(code.into()),
            body: Body::Json(serde_json::json!({"__type": code, "message": message})),
        }
    }

    /// An error of the AWS query protocol (RDS, ELBv2, IAM), also the wrapped REST-XML errors
    /// (`<ErrorResponse><Error><Code>`) of CloudFront, Route 53 and S3 Control.
    pub fn query_error(status: u16, code: &str, message: &str) -> Answer {
        Answer {
            status,
            content_type: Some("text/xml".into()),
            error_type: None,
            body: Body::Text(format!(
                "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
                 <Code>{code}</Code><Message>{message}</Message></Error>\
                 <RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
            )),
        }
    }

    /// An error of the EC2 query protocol.
    pub fn ec2_error(status: u16, code: &str, message: &str) -> Answer {
        Answer {
            status,
            content_type: Some("text/xml;charset=UTF-8".into()),
            error_type: None,
            body: Body::Text(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>\
                 <Message>{message}</Message></Error></Errors>\
                 <RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>"
            )),
        }
    }

    /// An error of S3's unwrapped REST-XML errors (`<Error><Code>`; S3 Control wraps them: [`Answer::query_error`]).
    pub fn s3_error(status: u16, code: &str, message: &str) -> Answer {
        Answer {
            status,
            content_type: Some("application/xml".into()),
            error_type: None,
            body: Body::Text(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>\
                 <RequestId>0000000000000000</RequestId><HostId>replay</HostId></Error>"
            )),
        }
    }

    fn response(&self) -> Response<SdkBody> {
        let mut r = Response::new(
            StatusCode::try_from(self.status).unwrap(),
            SdkBody::from(self.body.bytes()),
        );
        if let Some(ct) = &self.content_type {
            r.headers_mut().insert("content-type", ct.clone());
        }
        if let Some(et) = &self.error_type {
            r.headers_mut().insert("x-amzn-errortype", et.clone());
        }
        r
    }
}

#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: Req,
    pub answer: Answer,
    pub patched: Option<String>,
    /// Times this exchange answered a request.
    served: usize,
}

#[derive(Debug, Default)]
struct State {
    exchanges: Vec<Exchange>,
    unmatched: Vec<String>,
}

/// The replaying HTTP client (cheap to clone; clones share their state).
#[derive(Debug, Clone, Default)]
pub struct Replay {
    state: Arc<Mutex<State>>,
}

/// Where the recorded fixtures are.
pub fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/recorded")
        .join(format!("{name}.json"))
}

impl Replay {
    /// The exchanges of `tests/fixtures/recorded/<name>.json`.
    pub fn load(name: &str) -> Replay {
        let path = fixture_path(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let v: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        let exchanges = v
            .as_array()
            .unwrap_or_else(|| panic!("{} is not a list of exchanges", path.display()))
            .iter()
            .map(|x| {
                let q = &x["request"];
                Exchange {
                    request: Req {
                        method: q["method"].as_str().unwrap_or_default().into(),
                        path: q["path"].as_str().unwrap_or_default().into(),
                        target: q["target"].as_str().map(str::to_string),
                        body: Body::parse(&q["body"]),
                    },
                    answer: Answer::parse(&x["response"]),
                    patched: x["patched"].as_str().map(str::to_string),
                    served: 0,
                }
            })
            .collect();
        Replay {
            state: Arc::new(Mutex::new(State {
                exchanges,
                unmatched: Vec::new(),
            })),
        }
    }

    /// Every recorded exchange (a copy).
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.state.lock().unwrap().exchanges.clone()
    }

    /// The recorded answer of the one exchange `select` picks (panics unless exactly one).
    pub fn recorded(&self, select: impl Fn(&Req) -> bool) -> Answer {
        let st = self.state.lock().unwrap();
        let found: Vec<&Exchange> = st.exchanges.iter().filter(|x| select(&x.request)).collect();
        assert_eq!(
            found.len(),
            1,
            "the selector picks {} exchanges",
            found.len()
        );
        found[0].answer.clone()
    }

    /// Replaces the answer of every exchange `select` picks (at least one, or the test is wrong).
    pub fn replace(self, select: impl Fn(&Req) -> bool, answer: Answer) -> Replay {
        {
            let mut st = self.state.lock().unwrap();
            let mut n = 0;
            for x in st.exchanges.iter_mut().filter(|x| select(&x.request)) {
                x.answer = answer.clone();
                n += 1;
            }
            assert!(n > 0, "replace: no recorded exchange matches the selector");
        }
        self
    }

    /// Requests no recorded exchange answered.
    pub fn unmatched(&self) -> Vec<String> {
        self.state.lock().unwrap().unmatched.clone()
    }

    /// Recorded exchanges no request asked for.
    pub fn unused(&self) -> Vec<String> {
        let st = self.state.lock().unwrap();
        st.exchanges
            .iter()
            .filter(|x| x.served == 0)
            .map(|x| x.request.describe())
            .collect()
    }

    fn answer(&self, req: &HttpRequest) -> Response<SdkBody> {
        let method = req.method().to_string();
        // Path and query: the URI without scheme and authority.
        let uri = req.uri();
        let path = match uri.find("://") {
            Some(i) => {
                let rest = &uri[i + 3..];
                rest.find('/').map_or("/", |j| &rest[j..]).to_string()
            }
            None => uri.to_string(),
        };
        let target = req.headers().get("x-amz-target").map(str::to_string);
        let body = req.body().bytes().unwrap_or_default().to_vec();
        let mut st = self.state.lock().unwrap();
        let hit = st.exchanges.iter_mut().find(|x| {
            x.request.method == method
                && x.request.path == path
                && x.request.target == target
                && x.request.body.matches(&body)
        });
        match hit {
            Some(x) => {
                x.served += 1;
                x.answer.response()
            }
            None => {
                let d = format!(
                    "{method} {path} target={} body={}",
                    target.as_deref().unwrap_or("-"),
                    String::from_utf8_lossy(&body)
                );
                st.unmatched.push(d.clone());
                Answer {
                    status: 599,
                    content_type: Some("text/plain".into()),
                    error_type: None,
                    body: Body::Text(format!("palisade replay: no recorded exchange for {d}")),
                }
                .response()
            }
        }
    }

    /// An SDK configuration whose every call is answered by this replay: static test credentials,
    /// us-east-1, no retries, and an endpoint on loopback that is never contacted (the HTTP client is the
    /// replay), as in a collection with `--endpoint-url` (S3 then uses path-style addressing, as recorded).
    pub fn sdk_config(&self) -> aws_types::SdkConfig {
        aws_types::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "AKIDREPLAY",
                "replay-secret",
                None,
                None,
                "palisade-replay",
            )))
            .http_client(self.clone())
            .retry_config(RetryConfig::disabled())
            .endpoint_url(ENDPOINT)
            .build()
    }

    /// A scope of account 123456789012 in `region` (`global` for the global collectors) that calls
    /// us-east-1 through this replay.
    pub fn scope(&self, region: &str) -> Scope {
        Scope {
            account: ACCOUNT.into(),
            region: region.into(),
            sdk: self.sdk_config(),
            calls: Arc::new(CallLog::default()),
            per_service_concurrency: 4,
            endpoint_override: Some(ENDPOINT.into()),
            out: Arc::new(Mutex::new(Output::default())),
        }
    }

    /// What the collector produced; fails the test if a request had no recorded answer.
    pub fn finish(&self, s: &Scope) -> Collected {
        let unmatched = self.unmatched();
        assert!(
            unmatched.is_empty(),
            "requests without a recorded exchange:\n{}",
            unmatched.join("\n")
        );
        let o = std::mem::take(&mut *s.out.lock().unwrap());
        Collected {
            resources: o.resources,
            errors: o.errors,
        }
    }
}

pub const ACCOUNT: &str = "123456789012";
/// Never contacted: the replay answers every request.
const ENDPOINT: &str = "http://127.0.0.1:1";

impl HttpConnector for Replay {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        HttpConnectorFuture::ready(Ok(self.answer(&request)))
    }
}

impl HttpClient for Replay {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// Resources and collection errors of one collector run.
#[derive(Debug)]
pub struct Collected {
    pub resources: Vec<Resource>,
    pub errors: Vec<CollectionError>,
}

impl Collected {
    /// Resources of a type, sorted by id.
    pub fn of_type(&self, t: &str) -> Vec<&Resource> {
        let mut v: Vec<&Resource> = self
            .resources
            .iter()
            .filter(|r| r.resource_type == t)
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Ids of the resources of a type, sorted.
    pub fn ids(&self, t: &str) -> Vec<String> {
        self.of_type(t).iter().map(|r| r.id.clone()).collect()
    }

    /// The one resource of type `t` named `name` (panics with what there is otherwise).
    pub fn named(&self, t: &str, name: &str) -> &Resource {
        let found: Vec<&Resource> = self
            .of_type(t)
            .into_iter()
            .filter(|r| r.name.as_deref() == Some(name))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{t} named {name}: {} found; names: {:?}",
            found.len(),
            self.of_type(t)
                .iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>()
        );
        found[0]
    }

    /// The resource with this id (panics with the ids there are otherwise).
    pub fn by_id(&self, id: &str) -> &Resource {
        self.resources
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| {
                panic!(
                    "no resource {id}; ids: {:?}",
                    self.resources.iter().map(|r| &r.id).collect::<Vec<_>>()
                )
            })
    }

    /// The one collection error of `operation` (`service:Operation`).
    pub fn error(&self, operation: &str) -> &CollectionError {
        let found: Vec<&CollectionError> = self
            .errors
            .iter()
            .filter(|e| e.operation == operation)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{operation}: {} errors; all errors: {:#?}",
            found.len(),
            self.errors
        );
        found[0]
    }

    pub fn assert_no_errors(&self) {
        assert!(
            self.errors.is_empty(),
            "unexpected collection errors: {:#?}",
            self.errors
        );
    }
}

/// Every JSON object in `v` that has `key` = `value`, depth first (to find records in a recorded body).
pub fn find_objects<'a>(v: &'a Value, key: &str, value: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    fn walk<'a>(v: &'a Value, key: &str, value: &str, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(m) => {
                if m.get(key).and_then(Value::as_str) == Some(value) {
                    out.push(v);
                }
                m.values().for_each(|x| walk(x, key, value, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, key, value, out)),
            _ => {}
        }
    }
    walk(v, key, value, &mut out);
    out
}

/// The text of the first `<tag>` element after `after` in an XML body (for comparisons with the recording).
pub fn xml_after(xml: &str, after: &str, tag: &str) -> String {
    let start = xml
        .find(after)
        .unwrap_or_else(|| panic!("`{after}` not in the recorded body"));
    let rest = &xml[start..];
    let open = format!("<{tag}>");
    let i = rest
        .find(&open)
        .unwrap_or_else(|| panic!("no <{tag}> after `{after}`"))
        + open.len();
    let j = rest[i..].find(&format!("</{tag}>")).unwrap() + i;
    rest[i..j].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fixture loads, and every answer record.py patched is documented in the fixtures' README.
    #[test]
    fn fixtures_load_and_patches_are_documented() {
        let dir = fixture_path("x").parent().unwrap().to_path_buf();
        // Whitespace-insensitive: the README wraps its lines.
        let readme = std::fs::read_to_string(dir.join("README.md"))
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut files = 0;
        let mut patched = 0;
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let Some(stem) = name.strip_suffix(".json") else {
                continue;
            };
            files += 1;
            assert!(
                readme.contains(&format!("`{name}`")),
                "{name} is not in README.md"
            );
            let r = Replay::load(stem);
            assert!(!r.exchanges().is_empty(), "{name} has no exchange");
            for x in r.exchanges() {
                if let Some(why) = &x.patched {
                    patched += 1;
                    assert!(
                        readme.contains(why.as_str()),
                        "{name}: `{why}` is not in README.md"
                    );
                }
                // Never a credential in a fixture.
                assert!(!x.request.body.text().contains("AWS4-HMAC-SHA256"));
            }
        }
        assert_eq!(files, 12);
        // Three answers patched in flight by record.py, and wafv2's two ListLoggingConfigurations written
        // from recorded answers (README.md says why).
        assert_eq!(patched, 5);
    }

    #[tokio::test]
    async fn an_unrecorded_request_is_answered_599_and_reported() {
        let r = Replay::load("route53").replace(
            |q| q.path == "/2013-04-01/hostedzone",
            Answer::s3_error(404, "NoSuchThing", "gone"),
        );
        // Wrong path on purpose: the replay must not answer it.
        let s = r.scope("global");
        let c = aws_sdk_route53::Client::new(&s.sdk);
        let e = c.get_hosted_zone().id("ZNOTRECORDED").send().await;
        assert!(e.is_err());
        let u = r.unmatched();
        assert_eq!(u.len(), 1, "{u:?}");
        assert!(
            u[0].starts_with("GET /2013-04-01/hostedzone/ZNOTRECORDED"),
            "{u:?}"
        );
        assert_eq!(r.unused().len(), 1);
    }
}
