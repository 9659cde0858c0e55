//! Tests of the GitHub Action: `action.yml` (composite) and its scripts in `scanner/cli/action/`.
//!
//! The action's steps run here as a runner runs them: each `run:` text in
//! `bash --noprofile --norc -eo pipefail FILE` from the workspace, with the step's `env:` mapping
//! evaluated from action.yml itself (inputs and their defaults, earlier steps' outputs, the runner and
//! github contexts), fresh GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH / GITHUB_STEP_SUMMARY files per step
//! whose contents feed the next steps, and `if:` conditions evaluated. `uses:` steps (cache, upload-sarif)
//! are not run: the test records whether they would run and with which `with:` values.
//!
//! action.yml is parsed by a real YAML parser: the one palisade reads policy METADATA with
//! (`palisade_engine::metadata::scan_file`, regorus' YAML, i.e. `yaml_serde`), so no Python is needed.
//!
//! No network: the binary under test is installed through PALISADE_BIN, and releases are served from a
//! `file://` directory (PALISADE_RELEASE_BASE_URL).

mod common;

use common::{fixture, read_json, root, temp_dir, write};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_palisade");
const MIB: usize = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// action.yml

fn parse_yaml(name: &str, text: &str) -> Value {
    // scan_file reads YAML from the comment block that follows `# METADATA`.
    let mut doc = String::from("# METADATA\n");
    for line in text.lines() {
        doc.push_str("# ");
        doc.push_str(line);
        doc.push('\n');
    }
    doc.push_str("package action_yaml\n");
    match palisade_engine::metadata::scan_file(name, &doc) {
        Ok(parsed) => match parsed.metadata {
            Some((v, _)) => v,
            None => panic!("{name}: no YAML document"),
        },
        Err(e) => panic!("{name} is not valid YAML: {e}"),
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

fn action_text() -> String {
    read(&root().join("action.yml"))
}

fn action() -> Value {
    let v = parse_yaml("action.yml", &action_text());
    assert!(v.is_object(), "action.yml is not a mapping: {v}");
    v
}

fn map_of(v: &Value, what: &str) -> serde_json::Map<String, Value> {
    match v {
        Value::Object(m) => m.clone(),
        Value::Null => serde_json::Map::new(),
        _ => panic!("{what} is not a mapping: {v}"),
    }
}

fn str_of<'a>(v: &'a Value, what: &str) -> &'a str {
    match v.as_str() {
        Some(s) => s,
        None => panic!("{what} is not a string: {v}"),
    }
}

fn steps_of(action: &Value) -> Vec<Value> {
    match action["runs"]["steps"].as_array() {
        Some(a) => a.clone(),
        None => panic!("action.yml has no runs.steps"),
    }
}

/// The script a `run:` step runs: `bash "$GITHUB_ACTION_PATH/<path>" ...`.
fn script_of(run: &str) -> PathBuf {
    let start = match run.find("$GITHUB_ACTION_PATH/") {
        Some(i) => i + "$GITHUB_ACTION_PATH/".len(),
        None => panic!("run step does not call a script under $GITHUB_ACTION_PATH: {run}"),
    };
    let rest = &run[start..];
    let end = rest.find('"').unwrap_or(rest.len());
    root().join(&rest[..end])
}

/// Output names a script writes: `set_output NAME ...` and `file_output NAME ...` with a literal NAME.
fn outputs_written(script: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for marker in ["set_output ", "file_output "] {
        for (i, _) in script.match_indices(marker) {
            let name: String = script[i + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// Environment variables of the action's own naming scheme that a script reads.
fn env_vars_read(script: &str) -> BTreeSet<String> {
    let mut vars = BTreeSet::new();
    for prefix in [
        "IN_",
        "SCAN_",
        "PALISADE_VERSION",
        "PALISADE_ACTION_REPOSITORY",
    ] {
        for (i, _) in script.match_indices(prefix) {
            let before = script[..i].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = script[i..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            vars.insert(name);
        }
    }
    vars
}

/// Every expression of action.yml: each `${{ ... }}` in any string, and each `if:` (an expression with
/// or without the `${{ }}`).
fn expressions(v: &Value, key: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            if key == "if" && !s.contains("${{") {
                out.push(s.clone());
            }
            let mut rest = s.as_str();
            while let Some(i) = rest.find("${{") {
                let after = &rest[i + 3..];
                match after.find("}}") {
                    Some(j) => {
                        out.push(after[..j].trim().to_string());
                        rest = &after[j + 2..];
                    }
                    None => panic!("unterminated expression in {s:?}"),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| expressions(x, key, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| expressions(x, k, out)),
        _ => {}
    }
}

/// Names after `prefix` (e.g. `inputs.`) in an expression.
fn refs_after(expr: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in expr.match_indices(prefix) {
        let before = expr[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let name: String = expr[i + prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.')
            .collect();
        names.push(name);
    }
    names
}

// ---------------------------------------------------------------------------------------------------
// A small evaluator of the GitHub expressions action.yml uses: contexts inputs, steps.<id>.outputs,
// runner and github; operators ! == != && || and parentheses; 'strings'; always() success() failure()
// cancelled(). Anything else fails the test, so the action keeps to what is evaluated here.

#[derive(Clone, Debug)]
enum V {
    S(String),
    B(bool),
}

impl V {
    fn truthy(&self) -> bool {
        match self {
            V::B(b) => *b,
            V::S(s) => !s.is_empty(),
        }
    }
    fn text(&self) -> String {
        match self {
            V::B(b) => b.to_string(),
            V::S(s) => s.clone(),
        }
    }
}

struct Ctx<'a> {
    inputs: Option<&'a BTreeMap<String, String>>,
    steps: &'a BTreeMap<String, BTreeMap<String, String>>,
    runner_temp: &'a str,
    workspace: &'a str,
    job_ok: bool,
}

fn tokenize(expr: &str) -> Vec<String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut s = String::from("'");
            i += 1;
            loop {
                match chars.get(i) {
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                    None => panic!("unterminated string in expression {expr:?}"),
                }
            }
            toks.push(s);
        } else if ["==", "!=", "&&", "||"].contains(&two.as_str()) {
            toks.push(two);
            i += 2;
        } else if "!()".contains(c) {
            toks.push(c.to_string());
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "_-.".contains(chars[i]))
            {
                i += 1;
            }
            toks.push(chars[start..i].iter().collect());
        } else {
            panic!("unsupported character {c:?} in expression {expr:?}");
        }
    }
    toks
}

struct Parser<'a, 'c> {
    toks: Vec<String>,
    i: usize,
    ctx: &'a Ctx<'c>,
    expr: &'a str,
}

impl Parser<'_, '_> {
    fn peek(&self) -> &str {
        self.toks.get(self.i).map(String::as_str).unwrap_or("")
    }
    fn next(&mut self) -> String {
        let t = self.peek().to_string();
        self.i += 1;
        t
    }
    fn or(&mut self) -> V {
        let mut v = self.and();
        while self.peek() == "||" {
            self.i += 1;
            let r = self.and();
            if !v.truthy() {
                v = r;
            }
        }
        v
    }
    fn and(&mut self) -> V {
        let mut v = self.unary();
        while self.peek() == "&&" {
            self.i += 1;
            let r = self.unary();
            if v.truthy() {
                v = r;
            }
        }
        v
    }
    fn unary(&mut self) -> V {
        if self.peek() == "!" {
            self.i += 1;
            return V::B(!self.unary().truthy());
        }
        let l = self.primary();
        match self.peek() {
            "==" | "!=" => {
                let op = self.next();
                let r = self.primary();
                let eq = l.text().eq_ignore_ascii_case(&r.text());
                V::B(if op == "==" { eq } else { !eq })
            }
            _ => l,
        }
    }
    fn primary(&mut self) -> V {
        let t = self.next();
        if t == "(" {
            let v = self.or();
            assert_eq!(self.next(), ")", "missing ) in {:?}", self.expr);
            return v;
        }
        if let Some(s) = t.strip_prefix('\'') {
            return V::S(s.to_string());
        }
        if self.peek() == "(" {
            self.i += 1;
            assert_eq!(self.next(), ")", "function arguments in {:?}", self.expr);
            return match t.as_str() {
                "always" => V::B(true),
                "cancelled" => V::B(false),
                "success" => V::B(self.ctx.job_ok),
                "failure" => V::B(!self.ctx.job_ok),
                _ => panic!("unsupported function {t}() in {:?}", self.expr),
            };
        }
        self.reference(&t)
    }
    fn reference(&self, r: &str) -> V {
        let parts: Vec<&str> = r.split('.').collect();
        let s = match parts.as_slice() {
            ["inputs", name] => match self.ctx.inputs {
                Some(inputs) => match inputs.get(*name) {
                    Some(v) => v.clone(),
                    None => panic!("{:?} uses undeclared input {name}", self.expr),
                },
                None => panic!("inputs are not available in {:?}", self.expr),
            },
            ["steps", id, "outputs", name] => self
                .ctx
                .steps
                .get(*id)
                .and_then(|o| o.get(*name))
                .cloned()
                .unwrap_or_default(),
            ["runner", "temp"] => self.ctx.runner_temp.to_string(),
            ["runner", "os"] => "Linux".to_string(),
            ["runner", "arch"] => "X64".to_string(),
            ["github", "action_path"] => root().display().to_string(),
            ["github", "workspace"] => self.ctx.workspace.to_string(),
            // Empty in composite actions on some runners (actions/runner#2473): the scripts cope.
            ["github", "action_repository"] | ["github", "action_ref"] => String::new(),
            _ => panic!("unsupported reference {r} in {:?}", self.expr),
        };
        V::S(s)
    }
}

fn eval(expr: &str, ctx: &Ctx) -> V {
    let mut p = Parser {
        toks: tokenize(expr),
        i: 0,
        ctx,
        expr,
    };
    let v = p.or();
    assert_eq!(p.i, p.toks.len(), "trailing tokens in expression {expr:?}");
    v
}

/// A string with `${{ }}` expressions replaced by their values.
fn interpolate(s: &str, ctx: &Ctx) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let j = match after.find("}}") {
            Some(j) => j,
            None => panic!("unterminated expression in {s:?}"),
        };
        out.push_str(&eval(after[..j].trim(), ctx).text());
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    out
}

/// A step's `if:`; without a status function it means `success() && (...)`, as on GitHub.
fn condition(cond: &str, ctx: &Ctx) -> bool {
    let mut e = cond.trim();
    if let Some(inner) = e.strip_prefix("${{").and_then(|x| x.strip_suffix("}}")) {
        e = inner.trim();
    }
    let status = ["always()", "success()", "failure()", "cancelled()"]
        .iter()
        .any(|f| e.contains(f));
    let v = eval(e, ctx).truthy();
    if status {
        v
    } else {
        ctx.job_ok && v
    }
}

// ---------------------------------------------------------------------------------------------------
// The simulated runner

/// GITHUB_OUTPUT / GITHUB_ENV: `NAME=value` lines and `NAME<<DELIMITER` blocks (later values win).
fn parse_file_command(text: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let eq = line.find('=');
        match line.find("<<") {
            Some(h) if eq.is_none_or(|e| h < e) => {
                let (key, delim) = (&line[..h], &line[h + 2..]);
                let mut value = Vec::new();
                let mut closed = false;
                for l in lines.by_ref() {
                    if l == delim {
                        closed = true;
                        break;
                    }
                    value.push(l);
                }
                assert!(closed, "unterminated {key}<<{delim} in a file command");
                m.insert(key.to_string(), value.join("\n"));
            }
            _ => match eq {
                Some(e) => {
                    m.insert(line[..e].to_string(), line[e + 1..].to_string());
                }
                None => panic!("malformed file command line {line:?}"),
            },
        }
    }
    m
}

#[derive(Debug, Default)]
struct StepRun {
    id: String,
    name: String,
    ran: bool,
    uses: String,
    with: BTreeMap<String, String>,
    code: i32,
    log: String,
    summary: Vec<u8>,
    outputs: BTreeMap<String, String>,
}

struct Run {
    steps: Vec<StepRun>,
    outputs: BTreeMap<String, String>,
    runner_temp: PathBuf,
}

impl Run {
    fn step(&self, id_or_uses: &str) -> &StepRun {
        match self
            .steps
            .iter()
            .find(|s| s.id == id_or_uses || (!s.uses.is_empty() && s.uses.contains(id_or_uses)))
        {
            Some(s) => s,
            None => panic!("no step {id_or_uses} in the run"),
        }
    }
    /// The last step: the gate.
    fn gate(&self) -> &StepRun {
        match self.steps.last() {
            Some(s) => s,
            None => panic!("no steps"),
        }
    }
    fn out(&self, name: &str) -> &str {
        match self.outputs.get(name) {
            Some(v) => v,
            None => panic!("action.yml declares no output {name}"),
        }
    }
    fn count(&self, name: &str) -> u64 {
        match self.out(name).parse() {
            Ok(n) => n,
            Err(e) => panic!("output {name}={:?} is not a count: {e}", self.out(name)),
        }
    }
    fn dump(&self) -> String {
        let mut s = String::new();
        for st in &self.steps {
            s.push_str(&format!(
                "--- step {} {:?} ran={} code={} uses={}\n{}\n",
                st.id, st.name, st.ran, st.code, st.uses, st.log
            ));
        }
        s
    }
}

/// Runs action.yml's steps with the given `with:` inputs. `env` is added to every step's environment
/// (after the runner's variables; PALISADE_BIN is the binary under test unless `env` sets it).
fn run_action(name: &str, with: &[(&str, &str)], env: &[(&str, &str)]) -> Run {
    let action = action();
    let dir = temp_dir(&format!("action-{name}"));
    let ws = dir.join("workspace");
    let rt = dir.join("runner-temp");
    for d in [&ws, &rt] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("mkdir {}: {e}", d.display()));
    }
    // Not empty, so that a `*` that reached a shell's globbing would expand.
    write(&ws.join("a-workspace-file"), "");
    let (ws_s, rt_s) = (ws.display().to_string(), rt.display().to_string());
    let declared = map_of(&action["inputs"], "inputs");
    for (k, _) in with {
        assert!(
            declared.contains_key(*k),
            "with: {k} is not an input of action.yml"
        );
    }
    let mut steps_out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut inputs = BTreeMap::new();
    for (k, spec) in &declared {
        let value = match with.iter().find(|(n, _)| *n == k.as_str()) {
            Some((_, v)) => v.to_string(),
            None => {
                let ctx = Ctx {
                    inputs: None,
                    steps: &steps_out,
                    runner_temp: &rt_s,
                    workspace: &ws_s,
                    job_ok: true,
                };
                interpolate(str_of(&spec["default"], k), &ctx)
            }
        };
        inputs.insert(k.clone(), value);
    }
    let sys_path = std::env::var("PATH").unwrap_or_default();
    let home = std::env::var("HOME").unwrap_or_else(|_| dir.display().to_string());
    let mut file_env: BTreeMap<String, String> = BTreeMap::new();
    let mut path_added: Vec<String> = Vec::new();
    let mut job_ok = true;
    let mut runs = Vec::new();
    for (n, step) in steps_of(&action).iter().enumerate() {
        let mut sr = StepRun {
            id: step["id"].as_str().unwrap_or("").to_string(),
            name: step["name"].as_str().unwrap_or("").to_string(),
            ..StepRun::default()
        };
        let (run_it, step_env, with_values) = {
            let ctx = Ctx {
                inputs: Some(&inputs),
                steps: &steps_out,
                runner_temp: &rt_s,
                workspace: &ws_s,
                job_ok,
            };
            let run_it = match step.get("if") {
                Some(c) => condition(str_of(c, "if"), &ctx),
                None => job_ok,
            };
            let mut step_env = BTreeMap::new();
            for (k, v) in map_of(&step["env"], "env") {
                step_env.insert(k.clone(), interpolate(str_of(&v, &k), &ctx));
            }
            let mut with_values = BTreeMap::new();
            for (k, v) in map_of(&step["with"], "with") {
                with_values.insert(k.clone(), interpolate(str_of(&v, &k), &ctx));
            }
            (run_it, step_env, with_values)
        };
        if !run_it {
            sr.uses = step["uses"].as_str().unwrap_or("").to_string();
            runs.push(sr);
            continue;
        }
        sr.ran = true;
        if let Some(uses) = step["uses"].as_str() {
            sr.uses = uses.to_string();
            sr.with = with_values;
            runs.push(sr);
            continue;
        }
        assert_eq!(step["shell"].as_str(), Some("bash"), "step {n}: shell");
        let files = dir.join(format!("step-{n}"));
        std::fs::create_dir_all(&files)
            .unwrap_or_else(|e| panic!("mkdir {}: {e}", files.display()));
        let f = |name: &str| {
            let p = files.join(name);
            write(&p, "");
            p
        };
        let (output, envf, pathf, summary) = (f("output"), f("env"), f("path"), f("summary"));
        let script = files.join("run.sh");
        write(&script, str_of(&step["run"], "run"));
        let mut path = String::new();
        for p in path_added.iter().rev() {
            path.push_str(p);
            path.push(':');
        }
        path.push_str(&sys_path);
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(&ws)
            .env_clear()
            .env("PATH", path)
            .env("HOME", &home)
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_WORKSPACE", &ws)
            .env("RUNNER_TEMP", &rt)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_ENV", &envf)
            .env("GITHUB_PATH", &pathf)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("PALISADE_BIN", BIN);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.envs(&file_env).envs(&step_env);
        let o = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run bash: {e}"));
        sr.code = o.status.code().unwrap_or(-1);
        sr.log = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        sr.outputs = parse_file_command(&read(&output));
        if !sr.id.is_empty() {
            steps_out.insert(sr.id.clone(), sr.outputs.clone());
        }
        file_env.extend(parse_file_command(&read(&envf)));
        path_added.extend(read(&pathf).lines().map(str::to_string));
        sr.summary = std::fs::read(&summary).unwrap_or_default();
        if sr.code != 0 {
            job_ok = false;
        }
        runs.push(sr);
    }
    let ctx = Ctx {
        inputs: Some(&inputs),
        steps: &steps_out,
        runner_temp: &rt_s,
        workspace: &ws_s,
        job_ok,
    };
    let mut outputs = BTreeMap::new();
    for (k, spec) in map_of(&action["outputs"], "outputs") {
        outputs.insert(k.clone(), interpolate(str_of(&spec["value"], &k), &ctx));
    }
    Run {
        steps: runs,
        outputs,
        runner_temp: rt,
    }
}

fn clean_inventory(dir: &Path) -> PathBuf {
    let p = dir.join("clean-inventory.json");
    write(
        &p,
        r#"{"schema_version":"1.0","provenance":{"source":"snapshot","collected_at":"2026-01-01T00:00:00Z","tool_version":"x"},"resources":[]}"#,
    );
    p
}

fn path_str(p: &Path) -> String {
    p.display().to_string()
}

/// What every completed scan shares: install from PALISADE_BIN, no build, outputs that name files that
/// exist, counts equal to the JSON report's, SARIF 2.1.0, the Markdown summary in the job summary.
fn check_scan(run: &Run, exit_code: &str) -> Value {
    let ctx = run.dump();
    let install = run.step("install");
    assert!(install.ran && install.code == 0, "install failed:\n{ctx}");
    assert_eq!(
        install.outputs.get("source").map(String::as_str),
        Some("PALISADE_BIN")
    );
    assert!(
        !run.step("build").ran,
        "build ran although a binary was installed:\n{ctx}"
    );
    assert!(
        !run.step("actions/cache").ran,
        "cache restored without a build"
    );
    let scan = run.step("scan");
    assert!(
        scan.ran && scan.code == 0,
        "the scan step must not fail on findings:\n{ctx}"
    );
    assert_eq!(run.out("exit-code"), exit_code, "{ctx}");
    assert!(
        run.out("version").starts_with("palisade "),
        "version output: {ctx}"
    );

    let json_file = PathBuf::from(run.out("json-file"));
    let report = read_json(&json_file);
    let summary = &report["summary"];
    for sev in ["critical", "high", "medium", "low", "info"] {
        assert_eq!(
            Some(run.count(sev)),
            summary["failures_by_severity"][sev].as_u64(),
            "output {sev}"
        );
    }
    for (out, status) in [
        ("failures", "FAIL"),
        ("errors", "ERROR"),
        ("waived", "WAIVED"),
        ("passed", "PASS"),
    ] {
        assert_eq!(
            Some(run.count(out)),
            summary["by_status"][status].as_u64(),
            "output {out}"
        );
    }

    let sarif_file = PathBuf::from(run.out("sarif-file"));
    assert_eq!(
        sarif_file,
        run.runner_temp.join("palisade.sarif"),
        "default sarif-file"
    );
    let sarif = read_json(&sarif_file);
    assert_eq!(sarif["version"], "2.1.0", "SARIF version");
    for out in [
        "html-file",
        "junit-file",
        "csv-file",
        "ocsf-file",
        "markdown-file",
    ] {
        let p = run.out(out);
        assert!(
            !p.is_empty() && Path::new(p).is_file(),
            "output {out}={p:?}"
        );
    }
    assert!(run.out("report-dir").ends_with("palisade-report"));

    let markdown = read(Path::new(run.out("markdown-file")));
    assert!(
        markdown.contains("palisade"),
        "markdown summary: {markdown}"
    );
    assert!(scan.summary.len() <= MIB, "job summary over 1 MiB");
    assert_eq!(
        String::from_utf8_lossy(&scan.summary),
        markdown,
        "the job summary is palisade's Markdown summary"
    );
    report
}

// ---------------------------------------------------------------------------------------------------
// 1. action.yml is consistent

#[test]
fn action_yml_parses_and_every_reference_resolves() {
    let text = action_text();
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = map_of(&action["inputs"], "inputs");
    for name in [
        "version",
        "inventory",
        "terraform-plan",
        "terraform-dir",
        "regions",
        "role-arn",
        "fail-on",
        "allow-incomplete",
        "category",
        "config",
        "policies",
        "baseline",
        "fail-on-new",
        "sarif-file",
        "upload-sarif",
        "summary",
        "output-dir",
        "args",
        "cache",
    ] {
        assert!(inputs.contains_key(name), "input {name} missing");
    }
    for (name, spec) in &inputs {
        let d = spec["description"].as_str().unwrap_or("");
        assert!(!d.trim().is_empty(), "input {name} has no description");
        assert!(
            spec["default"].is_string(),
            "input {name} has no string default"
        );
    }
    assert_eq!(inputs["fail-on"]["default"], "high");
    assert_eq!(inputs["allow-incomplete"]["default"], "false");
    assert_eq!(inputs["category"]["default"], "palisade");
    assert_eq!(inputs["upload-sarif"]["default"], "true");
    assert_eq!(inputs["summary"]["default"], "true");

    // Every expression references declared inputs and existing step outputs; every input is used.
    let mut exprs = Vec::new();
    expressions(&action, "", &mut exprs);
    let steps = steps_of(&action);
    let mut written: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let lib = read(&root().join("scanner/cli/action/lib.sh"));
    for (n, step) in steps.iter().enumerate() {
        if let Some(run) = step.get("run") {
            let run = str_of(run, "run");
            assert!(
                !run.contains("${{"),
                "step {n}: run: holds an expression (script injection): {run}"
            );
            assert_eq!(step["shell"].as_str(), Some("bash"), "step {n}: shell");
            let script_path = script_of(run);
            let script = read(&script_path);
            let env = map_of(&step["env"], "env");
            let used = env_vars_read(&script);
            for var in &used {
                assert!(
                    env.contains_key(var),
                    "step {n}: {} reads {var}, which the step's env: does not set",
                    script_path.display()
                );
            }
            for var in env.keys() {
                assert!(
                    used.contains(var),
                    "step {n}: env: sets {var}, which {} never reads",
                    script_path.display()
                );
            }
            if let Some(id) = step["id"].as_str() {
                let mut names = outputs_written(&script);
                names.extend(outputs_written(&lib));
                written.insert(id.to_string(), names);
            }
        } else {
            let uses = str_of(&step["uses"], "uses");
            assert!(uses.contains('@'), "step {n}: {uses} is not pinned");
        }
    }
    let mut used_inputs = BTreeSet::new();
    for e in &exprs {
        for name in refs_after(e, "inputs.") {
            assert!(
                inputs.contains_key(&name),
                "{e:?} uses undeclared input {name}"
            );
            used_inputs.insert(name);
        }
        for r in refs_after(e, "steps.") {
            let parts: Vec<&str> = r.split('.').collect();
            match parts.as_slice() {
                [id, "outputs", name] => match written.get(*id) {
                    Some(names) => assert!(
                        names.contains(*name),
                        "{e:?}: step {id} never writes output {name} (it writes {names:?})"
                    ),
                    None => panic!("{e:?}: no run step with id {id}"),
                },
                _ => panic!("{e:?}: unsupported steps reference {r}"),
            }
        }
    }
    for name in inputs.keys() {
        assert!(
            used_inputs.contains(name),
            "input {name} is declared but never used"
        );
    }

    // The outputs the brief promises, each mapped from a step output.
    let outputs = map_of(&action["outputs"], "outputs");
    for name in [
        "exit-code",
        "sarif-file",
        "json-file",
        "html-file",
        "critical",
        "high",
        "medium",
        "low",
        "info",
        "failures",
        "errors",
        "waived",
    ] {
        let v = outputs
            .get(name)
            .and_then(|o| o["value"].as_str())
            .unwrap_or("");
        assert!(v.contains("steps.scan.outputs."), "output {name}: {v:?}");
    }

    // Third-party actions are pinned to a full commit SHA, with the tag in a comment.
    for line in text.lines().filter(|l| l.trim_start().starts_with("uses:")) {
        let rest = match line.split_once('@') {
            Some((_, r)) => r,
            None => panic!("unpinned: {line}"),
        };
        let sha: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        assert_eq!(sha.len(), 40, "not pinned to a commit SHA: {line}");
        assert!(
            rest[40..].trim_start().starts_with("# v"),
            "no tag comment: {line}"
        );
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .unwrap_or_else(|| panic!("no upload-sarif step"));
    let cond = upload["if"].as_str().unwrap_or("");
    assert!(
        cond.contains("always()") && cond.contains("inputs.upload-sarif == 'true'"),
        "upload-sarif condition: {cond}"
    );
}

#[test]
fn readme_workflows_use_only_declared_inputs() {
    let readme = read(&root().join("README.md"));
    let start = match readme.find("\n## GitHub Action\n") {
        Some(i) => i,
        None => panic!("README.md has no \"## GitHub Action\" section"),
    };
    let section = &readme[start + 1..];
    let section = match section[3..].find("\n## ") {
        Some(end) => &section[..end + 3],
        None => section,
    };
    let inputs = map_of(&action()["inputs"], "inputs");
    let mut uses_found = 0;
    for (k, block) in section.split("```yaml\n").skip(1).enumerate() {
        let yaml = block.split("\n```").next().unwrap_or("");
        let doc = parse_yaml(&format!("README workflow {k}"), yaml);
        for job in map_of(&doc["jobs"], "jobs").values() {
            for step in job["steps"].as_array().cloned().unwrap_or_default() {
                let uses = step["uses"].as_str().unwrap_or("");
                if !uses.starts_with("palisade-scanner/palisade@") {
                    continue;
                }
                uses_found += 1;
                for key in map_of(&step["with"], "with").keys() {
                    assert!(
                        inputs.contains_key(key),
                        "README workflow {k}: unknown input {key}"
                    );
                }
            }
        }
    }
    assert!(
        uses_found >= 3,
        "README shows {uses_found} uses of the action"
    );
}

// ---------------------------------------------------------------------------------------------------
// 2. The action's steps in a simulated runner

#[test]
fn clean_inventory_passes() {
    let dir = temp_dir("action-clean-input");
    let inv = path_str(&clean_inventory(&dir));
    let run = run_action("clean", &[("inventory", &inv)], &[]);
    check_scan(&run, "0");
    assert_eq!(run.out("failures"), "0");
    assert_eq!(run.out("errors"), "0");
    let upload = run.step("upload-sarif");
    assert!(upload.ran, "upload-sarif skipped:\n{}", run.dump());
    assert_eq!(
        upload.with.get("sarif_file").map(String::as_str),
        Some(run.out("sarif-file"))
    );
    assert_eq!(
        upload.with.get("category").map(String::as_str),
        Some("palisade/")
    );
    let sarif = read_json(Path::new(run.out("sarif-file")));
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "palisade/");
    assert_eq!(run.gate().code, 0, "gate:\n{}", run.dump());
}

#[test]
fn findings_at_or_above_fail_on_fail_the_gate() {
    let inv = path_str(&fixture("reference-architecture.json"));
    let run = run_action("findings", &[("inventory", &inv), ("fail-on", "high")], &[]);
    let report = check_scan(&run, "1");
    assert!(run.count("high") > 0, "{}", run.dump());
    assert!(run.count("critical") > 0);
    assert_eq!(
        Some(run.count("failures")),
        report["summary"]["by_status"]["FAIL"].as_u64()
    );
    assert!(
        run.step("upload-sarif").ran,
        "SARIF is uploaded on findings too"
    );
    let gate = run.gate();
    assert_eq!(gate.code, 1, "gate:\n{}", run.dump());
    assert!(
        gate.log.contains("::error") && gate.log.contains("findings at or above fail-on (high)"),
        "gate message: {}",
        gate.log
    );

    // The same scan gated at none passes, and upload-sarif: false skips the upload.
    let run = run_action(
        "findings-none",
        &[
            ("inventory", &inv),
            ("fail-on", "none"),
            ("upload-sarif", "false"),
        ],
        &[],
    );
    check_scan(&run, "0");
    assert!(!run.step("upload-sarif").ran);
    assert_eq!(run.gate().code, 0);
}

#[test]
fn incomplete_scan_fails_unless_allowed() {
    let inv = path_str(&fixture("access-denied-secretsmanager.json"));
    // PALISADE_JQ="" makes run.sh read the counts with python3 (the fallback when jq is absent).
    let run = run_action(
        "incomplete",
        &[("inventory", &inv), ("fail-on", "none")],
        &[("PALISADE_JQ", "")],
    );
    check_scan(&run, "3");
    assert!(run.count("errors") > 0, "{}", run.dump());
    let gate = run.gate();
    assert_eq!(gate.code, 3, "gate:\n{}", run.dump());
    assert!(
        gate.log.contains("scan incomplete"),
        "gate message: {}",
        gate.log
    );

    let run = run_action(
        "incomplete-allowed",
        &[
            ("inventory", &inv),
            ("fail-on", "none"),
            ("allow-incomplete", "true"),
        ],
        &[],
    );
    check_scan(&run, "3");
    let gate = run.gate();
    assert_eq!(gate.code, 0, "gate:\n{}", run.dump());
    assert!(
        gate.log.contains("::warning") && gate.log.contains("scan incomplete"),
        "gate message: {}",
        gate.log
    );
}

#[test]
fn palisade_that_cannot_run_fails_with_exit_2() {
    let run = run_action(
        "cannot-run",
        &[("inventory", "no/such/inventory.json")],
        &[],
    );
    let scan = run.step("scan");
    assert_eq!(scan.code, 0, "{}", run.dump());
    assert_eq!(run.out("exit-code"), "2");
    assert_eq!(
        run.out("sarif-file"),
        "",
        "no SARIF when palisade could not run"
    );
    assert!(!run.step("upload-sarif").ran, "nothing to upload");
    assert!(String::from_utf8_lossy(&scan.summary).contains("could not run"));
    let gate = run.gate();
    assert_eq!(gate.code, 2, "gate:\n{}", run.dump());
    assert!(gate.log.contains("palisade could not run"), "{}", gate.log);
}

/// A stand-in for palisade that records its arguments (NUL-separated, in $FAKE_ARGV), writes a small
/// JSON report and a Markdown summary of $FAKE_MD_BYTES bytes, and exits $FAKE_EXIT.
fn fake_palisade(dir: &Path) -> PathBuf {
    let p = dir.join("fake-palisade");
    write(
        &p,
        r#"#!/usr/bin/env bash
if [ "${1:-}" = --version ]; then echo "palisade 0.0.0-fake"; exit 0; fi
printf '%s\0' "$@" >"$FAKE_ARGV"
for a in "$@"; do
  case "$a" in
  --output=json=*)
    printf '%s' '{"summary":{"by_status":{"FAIL":1,"ERROR":0,"WAIVED":0,"PASS":2,"NOT_APPLICABLE":0},"failures_by_severity":{"critical":0,"high":1,"medium":0,"low":0,"info":0}}}' >"${a#--output=json=}" ;;
  --output=markdown=*)
    if [ -n "${FAKE_MD_BYTES:-}" ]; then
      yes '| SG-01 | high | FAIL | arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0 | ünïcödé |' | head -c "$FAKE_MD_BYTES" >"${a#--output=markdown=}"
    else
      echo '## fake summary' >"${a#--output=markdown=}"
    fi ;;
  esac
done
exit "${FAKE_EXIT:-0}"
"#,
    );
    let o = Command::new("chmod").arg("+x").arg(&p).output();
    assert!(o.is_ok_and(|o| o.status.success()), "chmod {}", p.display());
    p
}

#[test]
fn job_summary_is_cut_below_one_mib() {
    let dir = temp_dir("action-summary-input");
    let fake = path_str(&fake_palisade(&dir));
    let argv = path_str(&dir.join("argv"));
    let run = run_action(
        "summary",
        &[],
        &[
            ("PALISADE_BIN", &fake),
            ("FAKE_ARGV", &argv),
            ("FAKE_MD_BYTES", "3000000"),
        ],
    );
    let scan = run.step("scan");
    assert_eq!(run.out("exit-code"), "0", "{}", run.dump());
    assert!(
        scan.summary.len() <= MIB,
        "job summary of {} bytes",
        scan.summary.len()
    );
    assert!(scan.summary.len() > MIB / 2, "summary cut too much");
    let text = match String::from_utf8(scan.summary.clone()) {
        Ok(t) => t,
        Err(e) => panic!("the cut summary is not UTF-8: {e}"),
    };
    assert!(text.contains("Summary truncated"), "no truncation note");
    let before_note = text
        .split("\n\n> **Summary truncated**")
        .next()
        .unwrap_or("");
    assert!(
        before_note.lines().all(|l| l.ends_with(" |")),
        "a table row was cut in the middle"
    );
    // The summary can also be turned off.
    let run = run_action(
        "no-summary",
        &[("summary", "false")],
        &[
            ("PALISADE_BIN", &fake),
            ("FAKE_ARGV", &argv),
            ("FAKE_MD_BYTES", "1000"),
        ],
    );
    assert!(run.step("scan").summary.is_empty());
}

// ---------------------------------------------------------------------------------------------------
// 3. Inputs with shell metacharacters stay inert

fn argv_of(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    String::from_utf8_lossy(&bytes)
        .split('\0')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn shell_metacharacters_in_inputs_reach_palisade_as_literal_text() {
    let dir = temp_dir("action-injection-input");
    let m = |i: usize| path_str(&dir.join(format!("pwned-{i}")));
    let fake = path_str(&fake_palisade(&dir));
    let argv_file = dir.join("argv");
    let argv_s = path_str(&argv_file);

    let category = format!("$(touch {}); echo `touch {}`\nexit-code=0", m(1), m(2));
    let regions = format!("us-east-1, eu-west-1;`touch {}`\n$(touch {})", m(3), m(4));
    let role = format!("arn:aws:iam::123456789012:role/x; touch {}", m(5));
    let policies = format!("my policies/a,$(touch {})\n`touch {}`", m(6), m(7));
    let config = format!("-c $(touch {})", m(8));
    let baseline = format!("prev`touch {}`.json", m(9));
    let args = format!(
        "--threads 2 $(touch {}) `touch {}`;x '--quoted arg' * ~",
        m(10),
        m(11)
    );
    let run = run_action(
        "injection",
        &[
            ("category", &category),
            ("regions", &regions),
            ("role-arn", &role),
            ("policies", &policies),
            ("config", &config),
            ("baseline", &baseline),
            ("fail-on-new", "true"),
            ("args", &args),
            ("formats", ""),
        ],
        &[
            ("PALISADE_BIN", &fake),
            ("FAKE_ARGV", &argv_s),
            ("FAKE_EXIT", "1"),
        ],
    );
    for i in 1..=11 {
        assert!(
            !Path::new(&m(i)).exists(),
            "an input was run by a shell: {}",
            m(i)
        );
    }
    let report_dir = run.runner_temp.join("palisade-report");
    let mut expected: Vec<String> = vec!["scan".into(), "--format=text".into()];
    for r in [
        "us-east-1".to_string(),
        "eu-west-1;`touch".to_string(),
        format!("{}`", m(3)),
        "$(touch".to_string(),
        format!("{})", m(4)),
    ] {
        expected.push(format!("--region={r}"));
    }
    expected.push(format!("--role-arn={role}"));
    expected.push(format!("--config={config}"));
    for p in [
        "my policies/a".to_string(),
        format!("$(touch {})", m(6)),
        format!("`touch {}`", m(7)),
    ] {
        expected.push(format!("--policies={p}"));
    }
    expected.push("--fail-on=high".into());
    expected.push(format!("--baseline={baseline}"));
    expected.push("--fail-on-new".into());
    expected.push(format!("--category={category}/"));
    expected.push(format!(
        "--output=json={}",
        path_str(&report_dir.join("scan.json"))
    ));
    expected.push(format!(
        "--output=markdown={}",
        path_str(&report_dir.join("summary.md"))
    ));
    expected.push(format!(
        "--output=sarif={}",
        path_str(&run.runner_temp.join("palisade.sarif"))
    ));
    for a in [
        "--threads".to_string(),
        "2".to_string(),
        "$(touch".to_string(),
        format!("{})", m(10)),
        "`touch".to_string(),
        format!("{}`;x", m(11)),
        "'--quoted".to_string(),
        "arg'".to_string(),
        "*".to_string(),
        "~".to_string(),
    ] {
        expected.push(a);
    }
    assert_eq!(argv_of(&argv_file), expected, "{}", run.dump());
    // A newline in an input cannot forge another step output.
    assert_eq!(run.out("exit-code"), "1");
    assert_eq!(
        run.outputs.get("category"),
        None,
        "category is not an action output"
    );
    assert_eq!(
        run.step("scan").outputs.get("category").map(String::as_str),
        Some(format!("{category}/").as_str())
    );
    assert_eq!(run.gate().code, 1, "{}", run.dump());

    // The real binary: the category becomes the SARIF's automationDetails.id, character for character.
    let inv = path_str(&fixture("reference-architecture.json"));
    let category = format!("$(touch {}); echo `touch {}` ;", m(12), m(13));
    let run = run_action(
        "injection-real",
        &[
            ("inventory", &inv),
            ("category", &category),
            ("fail-on", "none"),
        ],
        &[],
    );
    check_scan(&run, "0");
    assert!(!Path::new(&m(12)).exists() && !Path::new(&m(13)).exists());
    let sarif = read_json(Path::new(run.out("sarif-file")));
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"].as_str(),
        Some(format!("{category}/").as_str())
    );
    assert_eq!(
        run.step("upload-sarif").with.get("category"),
        Some(&format!("{category}/"))
    );
}

// ---------------------------------------------------------------------------------------------------
// 4. install.sh

struct Install {
    code: i32,
    log: String,
    outputs: BTreeMap<String, String>,
    path: String,
    env: BTreeMap<String, String>,
    cargo_calls: String,
}

/// A directory with a fake `cargo` (records its arguments, "builds" a palisade that prints
/// "palisade 0.0.0-built") to put first on PATH, and a fake action checkout with a Cargo.toml.
fn fake_toolchain(dir: &Path) -> (PathBuf, PathBuf) {
    let bin = dir.join("fake-bin");
    let cargo = bin.join("cargo");
    write(
        &cargo,
        r#"#!/usr/bin/env bash
printf '%s\n' "$*" >>"$FAKE_CARGO_LOG"
prev="" target=""
for a in "$@"; do [ "$prev" = --target-dir ] && target=$a; prev=$a; done
mkdir -p "$target/release"
printf '#!/bin/sh\necho "palisade 0.0.0-built"\n' >"$target/release/palisade"
chmod +x "$target/release/palisade"
"#,
    );
    let src = dir.join("action-src");
    write(&src.join("Cargo.toml"), "[workspace]\n");
    write(&src.join("Cargo.lock"), "version = 4\n");
    let o = Command::new("chmod").arg("+x").arg(&cargo).output();
    assert!(
        o.is_ok_and(|o| o.status.success()),
        "chmod {}",
        cargo.display()
    );
    (bin, src)
}

fn install(dir: &Path, mode: &str, env: &[(&str, &str)]) -> Install {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let run_dir = dir.join(format!("run-{n}"));
    let rt = run_dir.join("runner-temp");
    std::fs::create_dir_all(&rt).unwrap_or_else(|e| panic!("mkdir {}: {e}", rt.display()));
    let (bin, src) = fake_toolchain(dir);
    let files: Vec<PathBuf> = ["output", "path", "env", "cargo.log"]
        .iter()
        .map(|f| {
            let p = run_dir.join(f);
            write(&p, "");
            p
        })
        .collect();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scanner/cli/action/install.sh"))
        .arg(mode)
        .current_dir(&run_dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", std::env::var("HOME").unwrap_or_default())
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", &rt)
        .env("GITHUB_ACTION_PATH", &src)
        .env("GITHUB_OUTPUT", &files[0])
        .env("GITHUB_PATH", &files[1])
        .env("GITHUB_ENV", &files[2])
        .env("FAKE_CARGO_LOG", &files[3]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run install.sh: {e}"));
    Install {
        code: o.status.code().unwrap_or(-1),
        log: format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        outputs: parse_file_command(&read(&files[0])),
        path: read(&files[1]),
        env: parse_file_command(&read(&files[2])),
        cargo_calls: read(&files[3]),
    }
}

/// `palisade --version` of the binary install.sh put on the PATH file.
fn installed_version(i: &Install) -> String {
    let dir = match i.path.lines().next() {
        Some(d) => d,
        None => panic!("nothing added to GITHUB_PATH: {}", i.log),
    };
    let exe = Path::new(dir).join("palisade");
    assert_eq!(
        i.env.get("PALISADE").map(String::as_str),
        Some(path_str(&exe).as_str()),
        "GITHUB_ENV PALISADE"
    );
    let o = Command::new(&exe)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", exe.display()));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn sha256_hex(p: &Path) -> String {
    for (cmd, args) in [("sha256sum", vec![]), ("shasum", vec!["-a", "256"])] {
        if let Ok(o) = Command::new(cmd).args(&args).arg(p).output() {
            if o.status.success() {
                let s = String::from_utf8_lossy(&o.stdout).to_string();
                return s.split_whitespace().next().unwrap_or("").to_string();
            }
        }
    }
    panic!("no sha256sum or shasum");
}

/// A release directory served as file://: <base>/download/<tag>/palisade-<tag>-<target>.tar.gz
/// (+ .sha256, right or wrong) and <base>/latest naming the tag.
fn fake_release(dir: &Path, tag: &str, checksum: Option<&str>) -> String {
    let base = dir.join(format!("releases-{}", checksum.unwrap_or("none")));
    let asset = format!("palisade-{tag}-x86_64-unknown-linux-gnu.tar.gz");
    let pkg = dir.join(format!("pkg-{tag}"));
    let exe = pkg.join(format!("palisade-{tag}")).join("palisade");
    write(&exe, "#!/bin/sh\necho \"palisade 9.9.9-release\"\n");
    let o = Command::new("chmod").arg("+x").arg(&exe).output();
    assert!(o.is_ok_and(|o| o.status.success()));
    let tgz = base.join("download").join(tag).join(&asset);
    write(&tgz, "");
    let o = Command::new("tar")
        .arg("-czf")
        .arg(&tgz)
        .arg("-C")
        .arg(&pkg)
        .arg(format!("palisade-{tag}"))
        .output();
    assert!(o.is_ok_and(|o| o.status.success()), "tar");
    match checksum {
        Some("right") => write(
            &base
                .join("download")
                .join(tag)
                .join(format!("{asset}.sha256")),
            &format!("{}  {asset}\n", sha256_hex(&tgz)),
        ),
        Some(_) => write(
            &base
                .join("download")
                .join(tag)
                .join(format!("{asset}.sha256")),
            &format!("{}  {asset}\n", "0".repeat(64)),
        ),
        None => {}
    }
    write(&base.join("latest"), &format!("{tag}\n"));
    format!("file://{}", base.display())
}

#[test]
fn install_uses_palisade_bin() {
    let dir = temp_dir("action-install-bin");
    let i = install(&dir, "download", &[("PALISADE_BIN", BIN)]);
    assert_eq!(i.code, 0, "{}", i.log);
    assert_eq!(i.outputs.get("installed").map(String::as_str), Some("true"));
    assert_eq!(
        i.outputs.get("source").map(String::as_str),
        Some("PALISADE_BIN")
    );
    let expected = Command::new(BIN)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    assert_eq!(installed_version(&i), expected);
    assert_eq!(i.outputs.get("version"), Some(&expected));
    assert!(
        i.cargo_calls.is_empty(),
        "built although PALISADE_BIN is set"
    );
}

#[test]
fn install_verifies_the_release_checksum() {
    let dir = temp_dir("action-install-release");
    // Wrong checksum: the step fails, says why, installs nothing and does not build instead.
    let base = fake_release(&dir, "v9.9.9", Some("wrong"));
    for mode in ["auto", "download"] {
        let i = install(
            &dir,
            mode,
            &[
                ("PALISADE_RELEASE_BASE_URL", &base),
                ("PALISADE_VERSION", "v9.9.9"),
            ],
        );
        assert_ne!(i.code, 0, "{mode}: a wrong checksum installed: {}", i.log);
        assert!(i.log.contains("checksum mismatch"), "{mode}: {}", i.log);
        assert!(i.path.is_empty(), "{mode}: something was put on the PATH");
        assert!(i.cargo_calls.is_empty(), "{mode}: fell back to a build");
        assert_ne!(i.outputs.get("installed").map(String::as_str), Some("true"));
    }
    // No checksum file at all: also a failure, not a build.
    let base = fake_release(&dir, "v9.9.8", None);
    let i = install(
        &dir,
        "auto",
        &[
            ("PALISADE_RELEASE_BASE_URL", &base),
            ("PALISADE_VERSION", "9.9.8"),
        ],
    );
    assert_ne!(i.code, 0, "{}", i.log);
    assert!(i.log.contains(".sha256"), "{}", i.log);
    assert!(i.cargo_calls.is_empty());

    // Right checksum: installed, for a tag and for `latest`.
    let base = fake_release(&dir, "v9.9.9", Some("right"));
    for version in ["v9.9.9", "9.9.9", "latest"] {
        let i = install(
            &dir,
            "auto",
            &[
                ("PALISADE_RELEASE_BASE_URL", &base),
                ("PALISADE_VERSION", version),
            ],
        );
        assert_eq!(i.code, 0, "{version}: {}", i.log);
        assert_eq!(i.outputs.get("source").map(String::as_str), Some("release"));
        assert_eq!(installed_version(&i), "palisade 9.9.9-release");
        assert!(i.cargo_calls.is_empty());
    }
}

#[test]
fn install_builds_from_source_when_there_is_no_release() {
    let dir = temp_dir("action-install-build");
    let base = fake_release(&dir, "v9.9.9", Some("right"));
    // No such release: `auto` builds with cargo in the action's checkout.
    let i = install(
        &dir,
        "auto",
        &[
            ("PALISADE_RELEASE_BASE_URL", &base),
            ("PALISADE_VERSION", "v1.0.0"),
        ],
    );
    assert_eq!(i.code, 0, "{}", i.log);
    assert!(
        i.cargo_calls
            .starts_with("build --release --locked -p palisade --target-dir "),
        "cargo calls: {:?}",
        i.cargo_calls
    );
    assert_eq!(i.outputs.get("source").map(String::as_str), Some("build"));
    assert_eq!(installed_version(&i), "palisade 0.0.0-built");

    // `download` (the action's first step) only reports that a build is needed, with a cache key.
    let i = install(
        &dir,
        "download",
        &[
            ("PALISADE_RELEASE_BASE_URL", &base),
            ("PALISADE_VERSION", "v1.0.0"),
        ],
    );
    assert_eq!(i.code, 0, "{}", i.log);
    assert_eq!(
        i.outputs.get("installed").map(String::as_str),
        Some("false")
    );
    assert!(!i
        .outputs
        .get("cache-key")
        .cloned()
        .unwrap_or_default()
        .is_empty());
    assert!(i.path.is_empty() && i.cargo_calls.is_empty());

    // A runner without a release target (32-bit ARM) builds too.
    let i = install(
        &dir,
        "auto",
        &[("PALISADE_RELEASE_BASE_URL", &base), ("RUNNER_ARCH", "ARM")],
    );
    assert_eq!(i.code, 0, "{}", i.log);
    assert_eq!(i.outputs.get("source").map(String::as_str), Some("build"));

    // A version that is not a tag is refused before anything is downloaded or run.
    let marker = dir.join("pwned");
    let i = install(
        &dir,
        "auto",
        &[
            ("PALISADE_RELEASE_BASE_URL", &base),
            (
                "PALISADE_VERSION",
                &format!("v1;touch {}", marker.display()),
            ),
        ],
    );
    assert_ne!(i.code, 0, "{}", i.log);
    assert!(i.log.contains("invalid version"), "{}", i.log);
    assert!(!marker.exists());
    assert!(i.cargo_calls.is_empty());
}
