//! `palisade.toml`: the user's settings. Unknown keys are errors that name the key, the file and the line
//! (a typo in a security setting must not be silently ignored).
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub scan: ScanConfig,
    /// Rule parameters, e.g. `rds_backup_retention_min_days = 14`.
    #[serde(default)]
    pub parameters: BTreeMap<String, toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    pub fail_on: Option<String>,
    #[serde(default)]
    pub policies: Vec<PathBuf>,
    pub allow_incomplete: Option<bool>,
    pub category: Option<String>,
}

/// Loads `path`; errors carry the file name and TOML's line and column.
pub fn load(path: &Path) -> anyhow::Result<Config> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read config {}: {e}", path.display()))?;
    parse(&path.display().to_string(), &text)
}

pub fn parse(name: &str, text: &str) -> anyhow::Result<Config> {
    toml::from_str::<Config>(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before
                    .rfind('\n')
                    .map_or(before.len(), |i| before.len() - i - 1)
                    + 1;
                (line, col)
            })
            .unwrap_or((0, 0));
        anyhow::anyhow!("invalid config {name}:{line}:{col}: {}", e.message().trim())
    })
}

/// Converts TOML parameter values to JSON for the engine.
pub fn parameters_json(c: &Config) -> BTreeMap<String, serde_json::Value> {
    c.parameters
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                serde_json::to_value(v).unwrap_or(serde_json::Value::Null),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse(
            "palisade.toml",
            "[scan]\nfail_on = \"high\"\nfailon = \"low\"\n",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            err.starts_with("invalid config palisade.toml:3:1:"),
            "{err}"
        );
        assert!(err.contains("failon"), "{err}");
    }
}
