//! Clear-text variable values of a plan are never kept, exactly as a live collection never keeps them
//! (docs/inventory.md): a container's `environment[].value`, a CodeBuild PLAINTEXT variable's `value`, a
//! CodePipeline variable's `default_value` and the values inside a CodeBuild action's
//! `EnvironmentVariables` keep only what the credential rules (`lib/credentials.rego`) read — an ARN or an
//! empty value as it is, a value shaped like an access key id masked to `AKIAXXXXXXXXXXXXXXXX` /
//! `ASIAXXXXXXXXXXXXXXXX`, anything else `(redacted)`. References (`PARAMETER_STORE` / `SECRETS_MANAGER`
//! values, `secrets[].valueFrom`) are kept. Log-driver options whose key names a credential, an inline
//! buildspec and credentials in a source URL are redacted the same way.
//!
//! Terraform does not mark these values sensitive, so a plan holds them in clear text; without this they
//! would reach the inventory (`--save-inventory`) and anything built from it.

use crate::SENSITIVE;
pub(crate) use palisade_model::redact::environment_variables;
use palisade_model::redact::{
    build_variable, buildspec, credential_option, redact_in_place, source_location, REDACTED,
};
use serde_json::{Map, Value};

/// `container_definitions` (a JSON string of the API's container definitions) with environment values
/// and credential log options redacted. A string that is not a list of containers is redacted whole.
pub(crate) fn container_definitions(raw: &str) -> String {
    if raw == SENSITIVE {
        return raw.to_string();
    }
    let Ok(Value::Array(mut containers)) = serde_json::from_str::<Value>(raw) else {
        return REDACTED.to_string();
    };
    for c in containers.iter_mut() {
        let Value::Object(c) = c else {
            return REDACTED.to_string();
        };
        if let Some(Value::Array(env)) = c.get_mut("environment") {
            for e in env.iter_mut() {
                match e {
                    Value::Object(e) => {
                        if let Some(v) = e.get_mut("value") {
                            redact_in_place(v);
                        }
                    }
                    other => *other = Value::String(REDACTED.into()),
                }
            }
        }
        if let Some(Value::Object(log)) = c.get_mut("logConfiguration") {
            if let Some(Value::Object(options)) = log.get_mut("options") {
                for (k, v) in options.iter_mut() {
                    if credential_option(k) {
                        redact_in_place(v);
                    }
                }
            }
        }
    }
    serde_json::to_string(&Value::Array(containers)).unwrap_or_else(|_| REDACTED.to_string())
}

/// The objects of a nested block list.
fn blocks<'a>(
    m: &'a mut Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'a mut Map<String, Value>> {
    m.get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
}

fn map_string(m: &mut Map<String, Value>, key: &str, f: impl Fn(&str) -> String) {
    if let Some(Value::String(s)) = m.get_mut(key) {
        *s = f(s);
    }
}

/// Redacts the clear-text values of one resource's attributes in place.
pub(crate) fn attributes(rtype: &str, attrs: &mut Map<String, Value>) {
    match rtype {
        "aws_ecs_task_definition" => {
            map_string(attrs, "container_definitions", container_definitions)
        }
        "aws_codebuild_project" => {
            for env in blocks(attrs, "environment") {
                for v in blocks(env, "environment_variable") {
                    build_variable(v);
                }
            }
            for key in ["source", "secondary_sources"] {
                for src in blocks(attrs, key) {
                    map_string(src, "buildspec", buildspec);
                    map_string(src, "location", source_location);
                }
            }
        }
        "aws_codepipeline" => {
            for stage in blocks(attrs, "stage") {
                for action in blocks(stage, "action") {
                    if let Some(Value::Object(cfg)) = action.get_mut("configuration") {
                        map_string(cfg, "EnvironmentVariables", environment_variables);
                    }
                }
            }
            for v in blocks(attrs, "variable") {
                if let Some(d) = v.get_mut("default_value") {
                    redact_in_place(d);
                }
            }
        }
        _ => {}
    }
}
