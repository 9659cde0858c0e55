//! The four fuzz targets, shared by the ordinary-test harness (`main.rs`, run by `cargo test`) and the
//! cargo-fuzz targets (`fuzz_targets/*.rs`, run by libFuzzer). Each takes the raw input and returns a short
//! description of what the reader did, without the numbers and quoted text of the input (the test harness
//! uses it as its stand-in for coverage feedback; libFuzzer ignores it). A panic is a finding.

#![allow(dead_code)]

#[allow(dead_code)]
#[path = "../../scanner/cli/src/config.rs"]
mod config;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use std::time::Duration;

/// The kind of a message, without what it quotes from the input (names, values) or positions, so that
/// the test harness's pool grows with new behaviours, not new spellings.
pub fn signature(prefix: &str, text: &str) -> String {
    let mut s = String::new();
    let mut quoted: Option<char> = None;
    for c in text.chars() {
        match quoted {
            Some(q) if c == q => quoted = None,
            Some(_) => {}
            None if c == '`' || c == '"' || c == '\'' => quoted = Some(c),
            None if c.is_ascii_digit() => {}
            None => s.push(c),
        }
        if s.len() >= 70 {
            break;
        }
    }
    format!("{prefix}:{s}")
}

fn text(input: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(input)
}

/// The built-in rules, loaded once: for evaluating accepted inventories and knowing rule ids.
pub fn engine() -> &'static palisade_engine::Engine {
    static E: OnceLock<palisade_engine::Engine> = OnceLock::new();
    E.get_or_init(|| {
        let set = palisade_engine::PolicySet::load(&[], true)
            .unwrap_or_else(|e| panic!("built-in policies: {e}"));
        palisade_engine::Engine::new(
            set,
            &BTreeMap::new(),
            palisade_engine::EvalOptions {
                threads: 1,
                rule_timeout: Duration::from_secs(10),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("engine: {e}"))
    })
}

pub fn rule_ids() -> &'static BTreeSet<String> {
    static IDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        engine()
            .policy_set()
            .rules
            .iter()
            .map(|r| r.id.clone())
            .collect()
    })
}

/// `palisade_engine::parse_inventory`, then evaluation by the built-in rules and every report format for
/// what it accepts.
pub fn inventory(input: &[u8]) -> String {
    match palisade_engine::parse_inventory("fuzz.json", &text(input)) {
        Err(err) => signature("err", &err.to_string()),
        Ok(inv) => {
            let report = match engine().evaluate(&inv) {
                Ok(r) => r,
                Err(err) => return signature("eval-err", &err.to_string()),
            };
            for f in palisade_reports::Format::NAMES {
                if let Some(format) = palisade_reports::Format::parse(f) {
                    let _ = palisade_reports::render_to_string(
                        format,
                        &report,
                        &palisade_reports::RenderOptions::default(),
                    );
                }
            }
            format!(
                "ok:{}:{}:{}",
                inv.resources.len().min(3),
                inv.collection_errors.len().min(3),
                report.summary.count(palisade_model::Status::Fail).min(5)
            )
        }
    }
}

/// `palisade_iac::parse_plan` (Terraform plan JSON).
pub fn plan(input: &[u8]) -> String {
    let opts = palisade_iac::PlanOptions {
        account: None,
        region: None,
        terraform_dir: None,
    };
    match palisade_iac::parse_plan("fuzz-plan.json", &text(input), &opts) {
        Err(err) => signature("err", &err.to_string()),
        Ok(inv) => format!(
            "ok:{}:{}",
            inv.resources.len().min(5),
            inv.resources
                .iter()
                .map(|r| r.unknown.len())
                .sum::<usize>()
                .min(3)
        ),
    }
}

/// The METADATA parser (`palisade_engine::metadata::scan_file`, `rule_meta`) and the policy set's
/// validation (`PolicySet::build`).
pub fn metadata(input: &[u8]) -> String {
    let t = text(input);
    match palisade_engine::metadata::scan_file("fuzz/x.rego", &t) {
        Err(err) => signature("scan-err", &err.to_string()),
        Ok(parsed) => {
            let meta = palisade_engine::metadata::rule_meta("fuzz/x.rego", &parsed, "user");
            let set = palisade_engine::PolicySet::build(vec![palisade_engine::PolicyFile {
                path: "fuzz/x.rego".into(),
                rel: format!("{}.rego", parsed.package.replace('.', "/")),
                text: t.to_string(),
                origin: "user",
            }]);
            match (meta, set) {
                (Err(err), _) => signature("meta-err", &err.to_string()),
                (Ok(_), Err(err)) => signature("set-err", &err.to_string()),
                (Ok(m), Ok(s)) => format!(
                    "ok:{}:{}:{}:{}",
                    m.severity,
                    m.resource_types.len().min(3),
                    m.parameters.len().min(3),
                    s.tests.len().min(2)
                ),
            }
        }
    }
}

/// `palisade.toml` and its waivers and frameworks (scanner/cli/src/config.rs, compiled in here).
pub fn config(input: &[u8]) -> String {
    let known = rule_ids();
    let t = text(input);
    match config::parse("fuzz.toml", &t) {
        Err(err) => signature("parse-err", &err.to_string()),
        Ok(c) => {
            let params = config::parameters_json(&c);
            let loaded = config::Loaded {
                config: c,
                name: "fuzz.toml".into(),
                text: t.to_string(),
            };
            let w = loaded.waivers(known);
            let f = loaded.frameworks(known);
            match (w, f) {
                (Err(err), _) | (_, Err(err)) => signature("check-err", &err.to_string()),
                (Ok(w), Ok(f)) => format!(
                    "ok:{}:{}:{}",
                    w.len().min(3),
                    f.len().min(3),
                    params.len().min(3)
                ),
            }
        }
    }
}
