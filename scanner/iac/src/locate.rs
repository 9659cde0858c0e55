//! Where each resource of a plan is declared: the `.tf` file and line of its `resource "TYPE" "NAME"`
//! block, following local module sources from the plan's `configuration`, so that SARIF can put a
//! finding on the pull request's diff.

use palisade_model::SourceLocation;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// (module call names from the root, `type.name`) → location.
pub type Locations = BTreeMap<(Vec<String>, String), SourceLocation>;

/// `a/./b/../c` → `a/c`, with `/` separators (SARIF URIs are repository-relative and portable).
fn normalize(p: &Path) -> String {
    let mut out: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if out.last().is_some_and(|l| l != "..") {
                    out.pop();
                } else {
                    out.push("..".into());
                }
            }
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            Component::RootDir => out.push(String::new()),
            Component::Prefix(p) => out.push(p.as_os_str().to_string_lossy().into_owned()),
        }
    }
    out.join("/")
}

/// The `resource "TYPE" "NAME"` blocks of the `.tf` files of one directory (not recursive).
fn blocks_in(dir: &Path) -> Vec<(String, PathBuf, u32)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "tf"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix("resource") else {
                continue;
            };
            let labels: Vec<&str> = rest.split('"').collect();
            // resource "TYPE" "NAME" {  →  ["", TYPE, " ", NAME, " {"]
            if labels.len() >= 5 && labels[0].trim().is_empty() && labels[2].trim().is_empty() {
                out.push((
                    format!("{}.{}", labels[1], labels[3]),
                    f.clone(),
                    (i + 1) as u32,
                ));
            }
        }
    }
    out
}

fn walk(
    config_module: &Value,
    module: &[String],
    dir: &Path,
    shown: &Path,
    out: &mut Locations,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for (addr, file, line) in blocks_in(dir) {
        let rel = file.strip_prefix(dir).unwrap_or(&file);
        out.insert(
            (module.to_vec(), addr),
            SourceLocation {
                file: normalize(&shown.join(rel)),
                line,
            },
        );
    }
    let Some(calls) = config_module.get("module_calls").and_then(Value::as_object) else {
        return;
    };
    for (name, call) in calls {
        // Only local sources are in the repository; registry and git modules are not.
        let Some(source) = call.get("source").and_then(Value::as_str) else {
            continue;
        };
        if !(source.starts_with("./") || source.starts_with("../")) {
            continue;
        }
        let Some(child) = call.get("module") else {
            continue;
        };
        let mut path = module.to_vec();
        path.push(name.clone());
        walk(
            child,
            &path,
            &dir.join(source),
            &shown.join(source),
            out,
            depth + 1,
        );
    }
}

/// The declared location of every resource block of the configuration rooted at `dir` (the directory of
/// the root module), shown relative to `shown` (how the user named `dir`, e.g. `infra`).
pub fn locate(configuration: &Value, dir: &Path, shown: &Path) -> Locations {
    let mut out = Locations::new();
    let root = configuration.get("root_module").unwrap_or(&Value::Null);
    walk(root, &[], dir, shown, &mut out, 0);
    out
}
