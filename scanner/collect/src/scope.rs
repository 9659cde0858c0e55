//! What every collector works with: a [`Scope`] (one account and region, the SDK configuration for it, a
//! sink for resources and collection errors) and the classification of SDK errors into collection errors.
//! Collectors map SDK types to the inventory model and decide nothing; a failed call is recorded here and
//! the collector moves on.

use crate::calls::CallLog;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use palisade_model::{CollectionError, ErrorKind, Resource};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// What the inventory keeps of a clear-text variable value (docs/inventory.md; shared with the plan reader).
pub use palisade_model::redact::value as redact_value;

/// Resources and errors gathered by the collectors of one account.
#[derive(Default)]
pub struct Output {
    pub resources: Vec<Resource>,
    pub errors: Vec<CollectionError>,
    /// How many of `errors` the progress display has counted.
    pub reported: usize,
}

/// One account and region (or `global`), with everything a collector needs.
#[derive(Clone)]
pub struct Scope {
    pub account: String,
    /// The region resources are reported in (`global` for global services).
    pub region: String,
    /// The SDK configuration, with its region set to the region to call.
    pub sdk: aws_types::SdkConfig,
    pub calls: Arc<CallLog>,
    /// Concurrency of per-resource calls inside one collector.
    pub per_service_concurrency: usize,
    /// Whether an endpoint override is in force (S3 then needs path-style addressing).
    pub endpoint_override: Option<String>,
    pub(crate) out: Arc<Mutex<Output>>,
}

/// Removes `null` members recursively: in the inventory an unknown value is absent, never null.
pub fn clean(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, clean(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(clean).collect()),
        other => other,
    }
}

/// RFC 3339 text of an SDK timestamp.
pub fn date(d: Option<&aws_smithy_types::DateTime>) -> Value {
    d.and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
        .map_or(Value::Null, Value::String)
}

impl Scope {
    /// Runs `f` on every item with at most `per_service_concurrency` calls in flight, for the
    /// per-resource calls a list call does not cover. Results come back in completion order.
    pub async fn each<T, F, Fut, R>(&self, items: Vec<T>, f: F) -> Vec<R>
    where
        F: FnMut(T) -> Fut,
        Fut: std::future::Future<Output = R>,
    {
        use futures_util::StreamExt;
        futures_util::stream::iter(items.into_iter().map(f))
            .buffer_unordered(self.per_service_concurrency.max(1))
            .collect()
            .await
    }

    /// Records a resource; `attributes` is a JSON object (nulls are dropped).
    pub fn push(
        &self,
        resource_type: &str,
        id: impl Into<String>,
        name: Option<String>,
        attributes: Value,
        tags: BTreeMap<String, String>,
    ) {
        self.push_in(
            &self.region.clone(),
            resource_type,
            id,
            name,
            attributes,
            tags,
        );
    }

    /// Records a resource in an explicit region (e.g. a bucket listed globally).
    pub fn push_in(
        &self,
        region: &str,
        resource_type: &str,
        id: impl Into<String>,
        name: Option<String>,
        attributes: Value,
        tags: BTreeMap<String, String>,
    ) {
        let attributes = match clean(attributes) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let r = Resource {
            id: id.into(),
            resource_type: resource_type.to_string(),
            account: self.account.clone(),
            region: region.to_string(),
            name,
            attributes,
            tags,
            unknown: Vec::new(),
            source: None,
        };
        if let Ok(mut o) = self.out.lock() {
            o.resources.push(r);
        }
    }

    /// Records a failed call. `types` are the resource types whose data the call would have provided.
    pub fn error<E>(
        &self,
        service: &str,
        operation: &str,
        types: &[&str],
        resource_id: Option<&str>,
        err: &SdkError<E, HttpResponse>,
    ) where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let (code, message, kind) = classify(err);
        self.record(service, operation, types, resource_id, code, message, kind);
    }

    /// Records a successful answer that lacks what it exists to return (a describe without the described
    /// resource): a malformed answer, never a silently absent resource.
    pub fn empty(
        &self,
        service: &str,
        operation: &str,
        types: &[&str],
        resource_id: Option<&str>,
        what: &str,
    ) {
        self.record(
            service,
            operation,
            types,
            resource_id,
            "EmptyResponse".into(),
            format!("the answer held no {what}"),
            ErrorKind::Malformed,
        );
    }

    /// Records a collection error from its parts.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &self,
        service: &str,
        operation: &str,
        types: &[&str],
        resource_id: Option<&str>,
        code: String,
        message: String,
        kind: ErrorKind,
    ) {
        let e = CollectionError {
            service: service.to_string(),
            account: self.account.clone(),
            region: self.region.clone(),
            operation: format!("{service}:{operation}"),
            error_code: code,
            message,
            kind,
            resource_types: types.iter().map(|t| t.to_string()).collect(),
            resource_id: resource_id.map(str::to_string),
        };
        if let Ok(mut o) = self.out.lock() {
            o.errors.push(e);
        }
    }
}

/// The error code of a service error, if the call reached the service.
pub fn service_code<E>(err: &SdkError<E, HttpResponse>) -> Option<String>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(se) => se.err().code().map(str::to_string),
        _ => None,
    }
}

fn kind_of_code(code: &str, status: Option<u16>) -> ErrorKind {
    let c = code.to_ascii_lowercase();
    if c.contains("accessdenied")
        || c.contains("unauthorized")
        || c.contains("authorizationerror")
        || c == "forbidden"
        || c.contains("notauthorized")
    {
        ErrorKind::AccessDenied
    } else if c.contains("throttl")
        || c.contains("ratelimit")
        || c.contains("requestlimitexceeded")
        || c.contains("toomanyrequests")
        || c == "slowdown"
        || c.contains("limitexceeded") && c.contains("request")
    {
        ErrorKind::Throttled
    } else if c.contains("optinrequired")
        || c.contains("subscriptionrequired")
        || c.contains("notsubscribed")
        || c.contains("invalidclienttokenid")
    {
        ErrorKind::NotSubscribed
    } else if c.contains("notimplemented")
        || c.contains("invalidaction")
        || c.contains("unknownoperation")
        || matches!(status, Some(404) | Some(501))
    {
        ErrorKind::NotImplemented
    } else if status == Some(403) {
        ErrorKind::AccessDenied
    } else {
        ErrorKind::Other
    }
}

fn shorten(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

/// (error code, message, kind) of an SDK error.
pub fn classify<E>(err: &SdkError<E, HttpResponse>) -> (String, String, ErrorKind)
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match err {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            let Some(code) = se.err().code().map(str::to_string) else {
                // No error code: the answer could not be read as the service's error (or, for a 2xx,
                // as its output). Say what was wrong with it rather than nothing.
                let mut msg = format!("unreadable response (HTTP {status}): {}", se.err());
                let mut src = std::error::Error::source(se.err());
                while let Some(s) = src {
                    msg.push_str(&format!(": {s}"));
                    src = s.source();
                }
                // A server error stays a server error; an unreadable 2xx/4xx answer is malformed.
                let kind = if status >= 500 {
                    kind_of_code("", Some(status))
                } else {
                    ErrorKind::Malformed
                };
                return (format!("HTTP{status}"), shorten(&msg), kind);
            };
            let message = se.err().message().map(shorten).unwrap_or_default();
            let kind = kind_of_code(&code, Some(status));
            (code, message, kind)
        }
        SdkError::TimeoutError(_) => (
            "Timeout".into(),
            "the call did not complete within the timeout".into(),
            ErrorKind::Timeout,
        ),
        SdkError::DispatchFailure(d) => {
            let kind = if d.is_timeout() {
                ErrorKind::Timeout
            } else {
                ErrorKind::Other
            };
            let mut msg = format!("{err}");
            let mut src = std::error::Error::source(err);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            ("DispatchFailure".into(), shorten(&msg), kind)
        }
        SdkError::ResponseError(r) => {
            let status = r.raw().status().as_u16();
            let kind = match status {
                404 | 501 => ErrorKind::NotImplemented,
                _ => ErrorKind::Malformed,
            };
            let mut msg = format!("unreadable response (HTTP {status})");
            if let Some(s) = std::error::Error::source(err) {
                msg.push_str(&format!(": {s}"));
            }
            (format!("HTTP{status}"), shorten(&msg), kind)
        }
        _ => {
            let code = err
                .code()
                .map(str::to_string)
                .unwrap_or_else(|| "Error".into());
            (code, shorten(&format!("{err}")), ErrorKind::Other)
        }
    }
}

/// Tags from an SDK tag list.
pub fn tags<I, K, V>(items: I) -> BTreeMap<String, String>
where
    I: IntoIterator<Item = (Option<K>, Option<V>)>,
    K: Into<String>,
    V: Into<String>,
{
    items
        .into_iter()
        .filter_map(|(k, v)| Some((k?.into(), v.map(Into::into).unwrap_or_default())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn codes_are_classified() {
        assert_eq!(
            kind_of_code("AccessDeniedException", Some(400)),
            ErrorKind::AccessDenied
        );
        assert_eq!(
            kind_of_code("UnauthorizedOperation", Some(403)),
            ErrorKind::AccessDenied
        );
        assert_eq!(
            kind_of_code("ThrottlingException", Some(400)),
            ErrorKind::Throttled
        );
        assert_eq!(
            kind_of_code("RequestLimitExceeded", Some(503)),
            ErrorKind::Throttled
        );
        assert_eq!(
            kind_of_code("OptInRequired", Some(401)),
            ErrorKind::NotSubscribed
        );
        assert_eq!(
            kind_of_code("HTTP404", Some(404)),
            ErrorKind::NotImplemented
        );
        assert_eq!(kind_of_code("InternalFailure", Some(500)), ErrorKind::Other);
    }

    #[test]
    fn nulls_are_dropped() {
        let v = clean(serde_json::json!({"a": null, "b": {"c": null, "d": 1}, "e": [{"f": null}]}));
        assert_eq!(v, serde_json::json!({"b": {"d": 1}, "e": [{}]}));
    }
}
