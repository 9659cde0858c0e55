//! The policy set: the rules embedded in the binary plus any user directories, each file scanned for its
//! package, METADATA and tests, and validated as a whole (unique ids, package matches path, one default
//! per parameter).

use crate::error::EngineError;
use crate::metadata::{rule_meta, scan_file, ParsedFile};
use palisade_model::RuleMeta;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_policies.rs"));
}

/// Largest policy file palisade loads (regorus's own limit is 1 MiB).
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// One `.rego` file.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    /// The path shown to users and used as the SARIF location (repo-relative for built-in rules).
    pub path: String,
    /// The path relative to its policy root, which the package must match.
    pub rel: String,
    pub text: String,
    /// `builtin` or `user`.
    pub origin: &'static str,
}

impl PolicyFile {
    pub(crate) fn is_test(&self) -> bool {
        self.rel.ends_with("_test.rego")
    }
    fn is_lib(&self) -> bool {
        self.rel.starts_with("lib/")
    }
    fn expected_package(&self) -> String {
        self.rel.trim_end_matches(".rego").replace('/', ".")
    }
}

/// A `test_*` rule to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub package: String,
    pub name: String,
    pub file: String,
}

/// A validated set of policy files.
#[derive(Debug, Clone)]
pub struct PolicySet {
    pub files: Vec<PolicyFile>,
    pub rules: Vec<RuleMeta>,
    pub tests: Vec<TestCase>,
    /// Parameter name → default value, from the rules' `custom.parameters`.
    pub parameters: BTreeMap<String, Value>,
    /// sha256 of every file's path and text, in path order.
    pub hash: String,
}

/// The built-in policy files, from the `policies/` tree compiled into the binary.
pub fn builtin_files() -> Vec<PolicyFile> {
    embedded::EMBEDDED
        .iter()
        .map(|(path, text)| PolicyFile {
            path: (*path).to_string(),
            rel: path.strip_prefix("policies/").unwrap_or(path).to_string(),
            text: (*text).to_string(),
            origin: "builtin",
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), EngineError> {
    let rd = std::fs::read_dir(dir).map_err(|e| EngineError::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    for e in rd {
        let e = e.map_err(|e| EngineError::Io {
            path: dir.display().to_string(),
            source: e,
        })?;
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "rego") {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads every `.rego` file under `dir` (or the single file `dir`).
pub fn load_dir(dir: &Path, origin: &'static str) -> Result<Vec<PolicyFile>, EngineError> {
    let mut paths = Vec::new();
    let root = if dir.is_file() {
        paths.push(dir.to_path_buf());
        dir.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        walk(dir, &mut paths)?;
        dir.to_path_buf()
    };
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        let path = p.display().to_string().replace('\\', "/");
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        if len > MAX_POLICY_BYTES {
            return Err(EngineError::policy(
                &path,
                None,
                format!("file is {len} bytes; the limit is {MAX_POLICY_BYTES}"),
            ));
        }
        let text = std::fs::read_to_string(&p).map_err(|e| EngineError::Io {
            path: path.clone(),
            source: e,
        })?;
        let rel = p
            .strip_prefix(&root)
            .unwrap_or(&p)
            .display()
            .to_string()
            .replace('\\', "/");
        files.push(PolicyFile {
            path,
            rel,
            text,
            origin,
        });
    }
    Ok(files)
}

impl PolicySet {
    /// Scans and validates `files` as one set.
    pub fn build(files: Vec<PolicyFile>) -> Result<PolicySet, EngineError> {
        let mut rules: Vec<RuleMeta> = Vec::new();
        let mut tests = Vec::new();
        let mut parameters: BTreeMap<String, Value> = BTreeMap::new();
        let mut param_owner: BTreeMap<String, String> = BTreeMap::new();
        let mut hasher = Sha256::new();
        let mut sorted: Vec<&PolicyFile> = files.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        for f in &sorted {
            hasher.update(f.path.as_bytes());
            hasher.update([0]);
            hasher.update(f.text.as_bytes());
            hasher.update([0]);
        }
        for f in &files {
            let parsed: ParsedFile = scan_file(&f.path, &f.text)?;
            let expected = f.expected_package();
            let ok_package = if f.is_test() {
                parsed.package == expected || parsed.package == expected.trim_end_matches("_test")
            } else {
                parsed.package == expected
            };
            if !ok_package {
                return Err(EngineError::policy(
                    &f.path,
                    Some(parsed.package_line),
                    format!(
                        "package `{}` does not match the file's path (expected `{expected}`)",
                        parsed.package
                    ),
                ));
            }
            if f.is_test() {
                for name in &parsed.tests {
                    tests.push(TestCase {
                        package: parsed.package.clone(),
                        name: name.clone(),
                        file: f.path.clone(),
                    });
                }
                continue;
            }
            if f.is_lib() {
                continue;
            }
            let meta = rule_meta(&f.path, &parsed, f.origin)?;
            if let Some(other) = rules.iter().find(|r| r.id == meta.id) {
                return Err(EngineError::policy(
                    &f.path,
                    parsed.metadata.as_ref().map(|m| m.1),
                    format!("rule id `{}` is already used by {}", meta.id, other.file),
                ));
            }
            for (k, v) in &meta.parameters {
                if let Some(prev) = parameters.get(k) {
                    if prev != v {
                        return Err(EngineError::policy(
                            &f.path,
                            parsed.metadata.as_ref().map(|m| m.1),
                            format!(
                                "parameter `{k}` defaults to {v} here but to {prev} in {}",
                                param_owner.get(k).map(String::as_str).unwrap_or("?")
                            ),
                        ));
                    }
                } else {
                    parameters.insert(k.clone(), v.clone());
                    param_owner.insert(k.clone(), f.path.clone());
                }
            }
            rules.push(meta);
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        tests.sort_by(|a, b| (&a.package, &a.name).cmp(&(&b.package, &b.name)));
        let hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        Ok(PolicySet {
            files,
            rules,
            tests,
            parameters,
            hash,
        })
    }

    /// The built-in set plus the user's directories. A user directory that has no `lib/` of its own
    /// gets the built-in helpers.
    pub fn load(user_dirs: &[std::path::PathBuf], builtin: bool) -> Result<PolicySet, EngineError> {
        let mut files = Vec::new();
        if builtin {
            files.extend(builtin_files());
        } else {
            // Without the built-in rules, keep the built-in helpers so user rules may import them.
            let has_own_lib = user_dirs.iter().any(|d| d.join("lib").is_dir());
            if !has_own_lib {
                files.extend(builtin_files().into_iter().filter(PolicyFile::is_lib));
            }
        }
        for d in user_dirs {
            files.extend(load_dir(d, "user")?);
        }
        PolicySet::build(files)
    }
}
