//! Parses the OPA-style `# METADATA` block of a policy file. regorus drops comments, so palisade reads the
//! block itself: the line `# METADATA` followed by contiguous `#` comment lines holding YAML, placed before
//! the `package` line. The YAML's `custom` object carries palisade's fields.

use crate::error::EngineError;
use palisade_model::{RuleMeta, Severity};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a policy file says about itself, before validation against the other files.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub package: String,
    pub package_line: u32,
    /// Line of the first `deny` rule head, if any.
    pub deny_line: Option<u32>,
    /// The METADATA YAML as JSON and the line of `# METADATA`, if present.
    pub metadata: Option<(Value, u32)>,
    /// Names of `test_*` rules (for `_test.rego` files).
    pub tests: Vec<String>,
}

fn ident_prefix(line: &str) -> Option<&str> {
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    if end == 0 {
        None
    } else {
        Some(&line[..end])
    }
}

/// Refuses YAML complex keys (`? [a, b]: c`, a mapping or a list used as a key) anywhere in METADATA:
/// its fields are plain names, and converting nested complex keys takes time exponential in their depth
/// (found by tests/fuzz: 350 bytes hung `palisade scan` while eating gigabytes).
fn plain_keys(v: &regorus::Value) -> Result<(), String> {
    use regorus::Value as V;
    match v {
        V::Array(a) => a.iter().try_for_each(plain_keys),
        V::Set(s) => s.iter().try_for_each(plain_keys),
        V::Object(m) => m.iter().try_for_each(|(k, x)| match k {
            V::Array(_) | V::Set(_) | V::Object(_) => Err(
                "a key is a list or a mapping (YAML complex key `? …`); METADATA keys are plain names"
                    .to_string(),
            ),
            _ => plain_keys(x),
        }),
        _ => Ok(()),
    }
}

/// Scans a policy file's text for its package, METADATA block, deny head and test rules.
pub fn scan_file(file: &str, text: &str) -> Result<ParsedFile, EngineError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut package = None;
    let mut metadata = None;
    let mut deny_line = None;
    let mut tests = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t == "# METADATA" {
            let start = i;
            let mut yaml = String::new();
            i += 1;
            while i < lines.len() && lines[i].trim_start().starts_with('#') {
                let c = lines[i].trim_start().trim_start_matches('#');
                yaml.push_str(c.strip_prefix(' ').unwrap_or(c));
                yaml.push('\n');
                i += 1;
            }
            if metadata.is_some() || package.is_some() {
                // A block after the package (rule scope) is allowed by OPA; palisade keeps the first one.
                continue;
            }
            let value = regorus::Value::from_yaml_str(&yaml).map_err(|e| {
                let msg = e.to_string();
                let yl = msg
                    .split("line ")
                    .nth(1)
                    .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                    .and_then(|n| n.parse::<u32>().ok());
                let line = yl.map(|l| start as u32 + 1 + l).or(Some(start as u32 + 1));
                EngineError::policy(file, line, format!("METADATA is not valid YAML: {msg}"))
            })?;
            if let Err(why) = plain_keys(&value) {
                return Err(EngineError::policy(
                    file,
                    Some(start as u32 + 1),
                    format!("METADATA: {why}"),
                ));
            }
            let json = serde_json::to_value(&value).map_err(|e| {
                EngineError::policy(file, Some(start as u32 + 1), format!("METADATA: {e}"))
            })?;
            metadata = Some((json, start as u32 + 1));
            continue;
        }
        if package.is_none() {
            if let Some(rest) = t.strip_prefix("package ") {
                package = Some((rest.trim().to_string(), i as u32 + 1));
            }
        } else if !line.starts_with(' ') && !line.starts_with('\t') {
            if let Some(name) = ident_prefix(line) {
                if name == "deny" && deny_line.is_none() {
                    deny_line = Some(i as u32 + 1);
                } else if name.starts_with("test_") && !tests.contains(&name.to_string()) {
                    tests.push(name.to_string());
                }
            }
        }
        i += 1;
    }
    let Some((package, package_line)) = package else {
        return Err(EngineError::policy(file, None, "no `package` declaration"));
    };
    Ok(ParsedFile {
        package,
        package_line,
        deny_line,
        metadata,
        tests,
    })
}

fn get_str(obj: &Value, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_string)
}

fn str_list(v: Option<&Value>) -> Option<Vec<String>> {
    match v {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) => Some(vec![s.clone()]),
        _ => None,
    }
}

/// Validates a rule file's METADATA and builds its [`RuleMeta`].
pub fn rule_meta(file: &str, parsed: &ParsedFile, origin: &str) -> Result<RuleMeta, EngineError> {
    let Some((meta, mline)) = &parsed.metadata else {
        return Err(EngineError::policy(
            file,
            Some(parsed.package_line),
            "rule file has no `# METADATA` block before its package",
        ));
    };
    let at = Some(*mline);
    let missing =
        |what: &str| EngineError::policy(file, at, format!("METADATA is missing `{what}`"));
    let title = get_str(meta, "title").ok_or_else(|| missing("title"))?;
    let description = get_str(meta, "description").ok_or_else(|| missing("description"))?;
    let custom = meta.get("custom").ok_or_else(|| missing("custom"))?;
    let id = get_str(custom, "id").ok_or_else(|| missing("custom.id"))?;
    if id.trim().is_empty() || id.contains(char::is_whitespace) {
        return Err(EngineError::policy(
            file,
            at,
            format!("custom.id `{id}` must be a non-empty word"),
        ));
    }
    let sev_text = get_str(custom, "severity").ok_or_else(|| missing("custom.severity"))?;
    let severity: Severity = sev_text
        .parse()
        .map_err(|e: String| EngineError::policy(file, at, format!("custom.severity: {e}")))?;
    let resource_types = str_list(custom.get("resource_types"))
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("custom.resource_types (a non-empty list)"))?;
    let requires = str_list(custom.get("requires")).ok_or_else(|| {
        EngineError::policy(file, at, "custom.requires must be a list of resource types")
    })?;
    let remediation =
        get_str(custom, "remediation").ok_or_else(|| missing("custom.remediation"))?;
    let frameworks_v = custom
        .get("frameworks")
        .ok_or_else(|| missing("custom.frameworks"))?;
    let mut frameworks = BTreeMap::new();
    match frameworks_v {
        Value::Object(m) => {
            for (k, v) in m {
                let ids = str_list(Some(v)).ok_or_else(|| {
                    EngineError::policy(
                        file,
                        at,
                        format!("custom.frameworks.{k} must be a list of control ids"),
                    )
                })?;
                frameworks.insert(k.clone(), ids);
            }
        }
        Value::Null => {}
        _ => {
            return Err(EngineError::policy(
                file,
                at,
                "custom.frameworks must map framework names to lists of control ids",
            ))
        }
    }
    let mut parameters = BTreeMap::new();
    match custom.get("parameters") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                parameters.insert(k.clone(), v.clone());
            }
        }
        Some(_) => {
            return Err(EngineError::policy(
                file,
                at,
                "custom.parameters must map parameter names to default values",
            ))
        }
    }
    let Some(line) = parsed.deny_line else {
        return Err(EngineError::policy(
            file,
            Some(parsed.package_line),
            "rule file defines no `deny` rule (the contract is `deny contains {\"resource\", \"message\", \"evidence\"}`)",
        ));
    };
    Ok(RuleMeta {
        id,
        title,
        description,
        severity,
        resource_types,
        requires,
        remediation,
        frameworks,
        parameters,
        package: parsed.package.clone(),
        file: file.to_string(),
        line,
        origin: origin.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: X-01\n#   severity: high\n#   resource_types: [aws_db_instance]\n#   remediation: fix it\n#   frameworks:\n#     fsbp: [RDS.5]\npackage aws.x\n\nimport rego.v1\n\ndeny contains f if {\n  f := 1\n}\n";

    #[test]
    fn parses_metadata_and_deny_line() {
        let p = scan_file("x.rego", GOOD).map_err(|e| e.to_string());
        let p = p.as_ref().map_err(String::as_str);
        let p = match p {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(p.package, "aws.x");
        assert_eq!(p.deny_line, Some(15));
        let m = rule_meta("x.rego", p, "builtin").map_err(|e| e.to_string());
        let m = match m {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(m.id, "X-01");
        assert_eq!(m.severity, Severity::High);
        assert_eq!(m.frameworks["fsbp"], vec!["RDS.5".to_string()]);
    }

    #[test]
    fn missing_field_names_field_and_line() {
        let bad = GOOD.replace("# description: D\n", "");
        let p = scan_file("x.rego", &bad).map_err(|e| e.to_string());
        let err = match p {
            Ok(p) => rule_meta("x.rego", &p, "builtin")
                .err()
                .map(|e| e.to_string()),
            Err(e) => Some(e),
        };
        assert_eq!(
            err.as_deref(),
            Some("invalid policy x.rego:1: METADATA is missing `description`")
        );
    }

    #[test]
    fn bad_severity_is_refused() {
        let bad = GOOD.replace("severity: high", "severity: severe");
        let err = scan_file("x.rego", &bad)
            .and_then(|p| rule_meta("x.rego", &p, "builtin"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("unknown severity `severe`"), "{err}");
    }
}
