//! What palisade keeps of a clear-text value that may be a credential, shared by the live collectors and the
//! Terraform plan reader so that both keep exactly the same (docs/inventory.md): a container's
//! `environment[].value`, a CodeBuild PLAINTEXT variable's `value`, a CodePipeline variable's `default_value`
//! and the values inside a CodeBuild action's `EnvironmentVariables` keep only what the credential rules
//! (`lib/credentials.rego`) read. An ARN or an empty value is kept as it is (it holds no secret), a value
//! shaped like an AWS access key id keeps that shape with its characters masked, anything else becomes
//! `(redacted)`. Values of PARAMETER_STORE / SECRETS_MANAGER variables are references and are kept.

use serde_json::{Map, Value};

/// The placeholder of a clear-text value.
pub const REDACTED: &str = "(redacted)";

/// The placeholder of a value Terraform marks sensitive.
pub const SENSITIVE: &str = "(sensitive)";

/// What the inventory keeps of a clear-text value (see the module documentation).
pub fn value(v: &str) -> String {
    if v.is_empty() || v.starts_with("arn:") || v == SENSITIVE || v == REDACTED {
        return v.to_string();
    }
    let b = v.as_bytes();
    let key_shaped = b.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && b[4..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if key_shaped {
        return format!("{}XXXXXXXXXXXXXXXX", &v[..4]);
    }
    REDACTED.to_string()
}

/// Whether a build variable of this type holds a reference (a parameter's or secret's name or ARN) rather
/// than its value. PLAINTEXT, an absent type and a type unknown to palisade hold the value in clear text.
pub fn is_reference_type(t: Option<&str>) -> bool {
    matches!(t, Some("PARAMETER_STORE") | Some("SECRETS_MANAGER"))
}

/// What is kept of a build variable's value: a reference as it is, a clear-text value through [`value`].
pub fn variable_value(t: Option<&str>, v: &str) -> String {
    if is_reference_type(t) {
        v.to_string()
    } else {
        value(v)
    }
}

/// A build variable `{name, value, type}` as JSON, the value of a clear-text one redacted in place.
pub fn build_variable(m: &mut Map<String, Value>) {
    if is_reference_type(m.get("type").and_then(Value::as_str)) {
        return;
    }
    if let Some(v) = m.get_mut("value") {
        redact_in_place(v);
    }
}

/// Whether a log-driver option's name says it holds a credential (a Splunk token, an API key, ...).
pub fn credential_option(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["token", "key", "password", "passwd", "secret", "credential"]
        .iter()
        .any(|w| k.contains(w))
}

/// A buildspec that names a file (or an S3 ARN) is kept; an inline one, which may set clear-text variables
/// (`env.variables`), is not.
pub fn buildspec(v: &str) -> String {
    if v.contains('\n') || v.contains('{') || v.contains(": ") {
        REDACTED.to_string()
    } else {
        v.to_string()
    }
}

/// A source location with credentials in its URL (`https://user:token@host/...`) keeps everything but them.
pub fn source_location(v: &str) -> String {
    let Some(scheme_end) = v.find("://") else {
        return v.to_string();
    };
    let rest = &v[scheme_end + 3..];
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    match authority.rfind('@') {
        Some(at) => format!("{}://{REDACTED}@{}", &v[..scheme_end], &rest[at + 1..]),
        None => v.to_string(),
    }
}

/// Redacts a JSON value in place when it is a string; anything else that is not null becomes `(redacted)`
/// (a number or a list in a variable's value is still the variable's value).
pub fn redact_in_place(v: &mut Value) {
    match v {
        Value::Null => {}
        Value::String(s) => *s = value(s),
        other => *other = Value::String(REDACTED.into()),
    }
}

/// A CodeBuild action's `EnvironmentVariables` (a JSON string of `[{name, value, type}]`) with every
/// clear-text value (PLAINTEXT, or no type) redacted and references kept. Anything that is not such a list
/// is redacted whole.
pub fn environment_variables(raw: &str) -> String {
    if raw == SENSITIVE {
        return raw.to_string();
    }
    let Ok(Value::Array(mut vars)) = serde_json::from_str::<Value>(raw) else {
        return REDACTED.to_string();
    };
    for v in vars.iter_mut() {
        let Value::Object(m) = v else {
            return REDACTED.to_string();
        };
        build_variable(m);
    }
    serde_json::to_string(&Value::Array(vars)).unwrap_or_else(|_| REDACTED.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_references_and_shapes_never_values() {
        assert_eq!(value(""), "");
        assert_eq!(
            value("arn:aws:secretsmanager:us-east-1:1:secret:x"),
            "arn:aws:secretsmanager:us-east-1:1:secret:x"
        );
        assert_eq!(value("AKIAIOSFODNN7EXAMPLE"), "AKIAXXXXXXXXXXXXXXXX");
        assert_eq!(value("ASIAIOSFODNN7EXAMPLE"), "ASIAXXXXXXXXXXXXXXXX");
        assert_eq!(value("Legacy-Passw0rd!"), REDACTED);
        assert_eq!(value("AKIAshort"), REDACTED);
        assert_eq!(value("production"), REDACTED);
        assert_eq!(value(SENSITIVE), SENSITIVE);
    }

    #[test]
    fn build_variables_keep_references_and_redact_clear_text() {
        let raw = r#"[{"name":"A","value":"hunter2","type":"PLAINTEXT"},{"name":"B","value":"ci/token","type":"SECRETS_MANAGER"},{"name":"C","value":"AKIAIOSFODNN7EXAMPLE"},{"name":"D","value":7}]"#;
        let v: Value = serde_json::from_str(&environment_variables(raw)).unwrap_or_default();
        assert_eq!(v[0]["value"], REDACTED);
        assert_eq!(v[1]["value"], "ci/token");
        assert_eq!(v[2]["value"], "AKIAXXXXXXXXXXXXXXXX");
        assert_eq!(v[3]["value"], REDACTED);
        assert_eq!(environment_variables("PASSWORD=hunter2"), REDACTED);
        assert_eq!(environment_variables(r#"["hunter2"]"#), REDACTED);
        assert_eq!(environment_variables(SENSITIVE), SENSITIVE);
    }

    #[test]
    fn buildspecs_urls_and_log_options() {
        assert_eq!(buildspec("ci/buildspec.yml"), "ci/buildspec.yml");
        assert_eq!(buildspec("version: 0.2\nenv: {}"), REDACTED);
        assert_eq!(
            source_location("https://user:tok@github.com/a/b.git"),
            "https://(redacted)@github.com/a/b.git"
        );
        assert_eq!(
            source_location("https://github.com/a/b.git"),
            "https://github.com/a/b.git"
        );
        assert!(credential_option("splunk-token"));
        assert!(!credential_option("awslogs-group"));
    }
}
