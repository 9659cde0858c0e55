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
    /// Time-limited exceptions (`[[waivers]]`).
    #[serde(default)]
    pub waivers: Vec<toml::Spanned<WaiverConfig>>,
    /// The user's own frameworks: `[frameworks.<name>]` with `"<control id>" = ["<rule id>", ...]`.
    #[serde(default)]
    pub frameworks: BTreeMap<String, BTreeMap<String, toml::Spanned<Vec<String>>>>,
}

/// One `[[waivers]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverConfig {
    /// A name for the waiver (default: `<file>#<n>`).
    pub id: Option<String>,
    /// The rule id, e.g. `SG-01`.
    pub rule: String,
    /// The resource id (ARN) or a glob (`*`, `?`).
    pub resource: String,
    pub account: Option<String>,
    pub region: Option<String>,
    /// Why the risk is accepted (required).
    pub reason: String,
    /// Who accepted it.
    pub owner: Option<String>,
    /// Last day the waiver applies: a TOML date (`2027-01-31`) or a `"YYYY-MM-DD"` string (required).
    pub expires: toml::Spanned<toml::Value>,
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

/// A loaded config with what is needed to point at its lines.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    /// The file name as given ("" for the built-in default).
    pub name: String,
    pub text: String,
}

impl Loaded {
    /// `(line, column)` of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// `file:line` of a byte offset.
    pub fn at(&self, offset: usize) -> String {
        format!("{}:{}", self.name, self.line_col(offset).0)
    }

    /// The waivers, validated: a reason, a real date, a rule id that exists. Errors name file and line.
    pub fn waivers(
        &self,
        known_rules: &std::collections::BTreeSet<String>,
    ) -> anyhow::Result<Vec<palisade_engine::review::Waiver>> {
        let mut out = Vec::new();
        for (i, w) in self.config.waivers.iter().enumerate() {
            let at = self.at(w.span().start);
            let v = w.get_ref();
            let bad = |what: String| anyhow::anyhow!("invalid config {at}: waiver: {what}");
            if v.reason.trim().is_empty() {
                return Err(bad(
                    "`reason` is empty (say why the risk is accepted)".into()
                ));
            }
            if v.resource.trim().is_empty() {
                return Err(bad(
                    "`resource` is empty (an ARN or a glob such as \"*\")".into()
                ));
            }
            if !known_rules.contains(&v.rule) {
                return Err(bad(format!("unknown rule id `{}`", v.rule)));
            }
            let date = match v.expires.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
                other => other.to_string(),
            };
            if !palisade_engine::review::valid_date(&date) {
                let at = self.at(v.expires.span().start);
                return Err(anyhow::anyhow!(
                    "invalid config {at}: waiver: `expires` must be a date YYYY-MM-DD, not {date}"
                ));
            }
            out.push(palisade_engine::review::Waiver {
                id: v
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("{}#{}", self.name, i + 1)),
                rule_id: v.rule.clone(),
                resource: v.resource.clone(),
                account: v.account.clone(),
                region: v.region.clone(),
                reason: v.reason.clone(),
                owner: v.owner.clone(),
                expires: date,
                source: at,
            });
        }
        Ok(out)
    }

    /// The user's frameworks as (framework, control, rule ids); unknown rule ids name file and line.
    pub fn frameworks(
        &self,
        known_rules: &std::collections::BTreeSet<String>,
    ) -> anyhow::Result<Vec<(String, String, Vec<String>)>> {
        let mut out = Vec::new();
        for (fw, controls) in &self.config.frameworks {
            for (control, rules) in controls {
                for r in rules.get_ref() {
                    if !known_rules.contains(r) {
                        return Err(anyhow::anyhow!(
                            "invalid config {}: framework {fw} control {control}: unknown rule id `{r}`",
                            self.at(rules.span().start)
                        ));
                    }
                }
                out.push((fw.clone(), control.clone(), rules.get_ref().clone()));
            }
        }
        Ok(out)
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, col)
}

/// Loads `path`; errors carry the file name and TOML's line and column.
pub fn load(path: &Path) -> anyhow::Result<Loaded> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read config {}: {e}", path.display()))?;
    let name = path.display().to_string();
    let config = parse(&name, &text)?;
    Ok(Loaded { config, name, text })
}

pub fn parse(name: &str, text: &str) -> anyhow::Result<Config> {
    toml::from_str::<Config>(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
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
