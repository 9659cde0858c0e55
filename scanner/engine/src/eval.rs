//! Evaluation: one prepared regorus engine, cloned per worker thread, runs every rule's `deny` set over the
//! whole inventory; the results become PASS / FAIL / ERROR / NOT_APPLICABLE per (rule, resource).
//!
//! The rule for ERROR is the heart of "never a false PASS": a resource that a rule did not deny is PASS
//! only when no collection error touches the types the rule judges or reads in that resource's scope.

use crate::error::{parse_regorus_error, EngineError};
use crate::policy::PolicySet;
use crate::timefmt;
use palisade_model::{
    summarize, CollectionError, Finding, Inventory, Resource, RuleMeta, ScanReport, Status,
    ToolInfo, SCHEMA_VERSION,
};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// One rule's judged output: its index, its results, its evaluation time, and why it could not be
/// evaluated (if so).
type RuleOutput = (usize, Vec<Finding>, Duration, Option<String>);

/// One `test_*` rule and its outcome: `Ok(true)` passed, `Ok(false)` failed or undefined, `Err` an error.
pub type TestOutcome = (crate::policy::TestCase, Result<bool, String>);

/// Options of an evaluation.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Wall-clock limit per rule evaluation (per chunk, see `chunk_resources`); a rule over it is ERROR.
    pub rule_timeout: Duration,
    /// Evaluate at most about this many resources at once (0 = the whole inventory at once). Rules join
    /// resources within one account only, so a larger inventory is split by account: accounts in order,
    /// packed into chunks of up to this many resources (an account larger than that is a chunk of its
    /// own). The engine's copy of the inventory and its indexes then exist for one chunk at a time, and
    /// with [`Engine::evaluate_owned`] each chunk's resources are freed once it is judged.
    pub chunk_resources: usize,
}

/// Default of [`EvalOptions::chunk_resources`]: large enough that a single account of the reference
/// architecture at any seeded scale is one chunk, small enough that the engine's working copy stays
/// around 150 MB.
pub const DEFAULT_CHUNK_RESOURCES: usize = 50_000;

/// With automatic threads, one evaluation thread per this many resources (at least one, at most one per
/// core). Measured on a live scan of the emulator at `--scale 20` (3,000 resources): one thread took 0.12 s
/// longer than two and peaked 17 MiB lower (each worker has its own compiled policies and heap).
const RESOURCES_PER_THREAD: usize = 5_000;

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            threads: 0,
            rule_timeout: Duration::from_secs(60),
            chunk_resources: DEFAULT_CHUNK_RESOURCES,
        }
    }
}

/// A policy set loaded into a prepared regorus engine.
pub struct Engine {
    set: PolicySet,
    /// Per rule (same order as `set.rules`): the string literals of its file and of the libraries it
    /// imports — an over-approximation of the attribute names it reads, used to tell whether a value
    /// unknown until apply (Terraform plans) could change its verdict.
    reads: Vec<BTreeSet<String>>,
    base: regorus::Engine,
    config: Map<String, Value>,
    options: EvalOptions,
}

/// Stable identity of a result across runs.
pub fn fingerprint(rule: &str, account: &str, region: &str, resource: &str) -> String {
    let mut h = Sha256::new();
    for part in [rule, account, region, resource] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_regorus(options: &EvalOptions) -> regorus::Engine {
    let mut e = regorus::Engine::new();
    // OPA semantics: a builtin error on one value makes that expression undefined, not the whole rule.
    e.set_strict_builtin_errors(false);
    e.set_gather_prints(true);
    if let Some(interval) = std::num::NonZeroU32::new(1000) {
        e.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: options.rule_timeout,
            check_interval: interval,
        });
    }
    e
}

/// Adds the policy files that `which` selects to `e`; a file regorus refuses is an error naming it.
fn add_policies(
    e: &mut regorus::Engine,
    set: &PolicySet,
    which: impl Fn(&crate::policy::PolicyFile) -> bool,
) -> Result<(), EngineError> {
    for f in set.files.iter().filter(|f| which(f)) {
        e.add_policy(f.path.clone(), f.text.clone()).map_err(|e| {
            let text = e.to_string();
            let (line, column, sentence) = parse_regorus_error(&text);
            EngineError::Policy(crate::error::Located {
                file: f.path.clone(),
                line,
                column,
                message: sentence,
            })
        })?;
    }
    Ok(())
}

/// A regorus engine with the policies of `set` and the parameters `config` loaded: the base engine, and the
/// engine of each scan worker after the first. The `_test.rego` files are left out: a scan never evaluates
/// them, and parsing and preparing them took a third of the compiled policies' memory (they are over a third
/// of the built-in Rego); [`Engine::run_tests`] adds them to a copy of its own.
fn loaded_regorus(
    set: &PolicySet,
    config: &Map<String, Value>,
    options: &EvalOptions,
) -> Result<regorus::Engine, EngineError> {
    let mut e = new_regorus(options);
    add_policies(&mut e, set, |f| !f.is_test())?;
    e.add_data(regorus::Value::from(
        json!({"palisade": {"config": config}}),
    ))
    .map_err(|e| EngineError::Internal(e.to_string()))?;
    Ok(e)
}

impl Engine {
    /// Loads `set` with parameter `overrides` (unknown names are refused).
    pub fn new(
        set: PolicySet,
        overrides: &BTreeMap<String, Value>,
        options: EvalOptions,
    ) -> Result<Engine, EngineError> {
        let mut config: Map<String, Value> = set.parameters.clone().into_iter().collect();
        for (k, v) in overrides {
            if !config.contains_key(k) {
                let known: Vec<&str> = config.keys().map(String::as_str).collect();
                return Err(EngineError::Config(format!(
                    "unknown parameter `{k}` (known: {})",
                    known.join(", ")
                )));
            }
            config.insert(k.clone(), v.clone());
        }
        let base = loaded_regorus(&set, &config, &options)?;
        let reads = set.rules.iter().map(|r| rule_literals(&set, r)).collect();
        let engine = Engine {
            set,
            reads,
            base,
            config,
            options,
        };
        engine.lint()?;
        Ok(engine)
    }

    /// The loaded policy set.
    pub fn policy_set(&self) -> &PolicySet {
        &self.set
    }

    /// The effective parameters (defaults merged with overrides).
    pub fn config(&self) -> &Map<String, Value> {
        &self.config
    }

    /// Evaluates every rule once on an empty inventory: regorus finds unknown builtins only at evaluation
    /// time, and a typo in a function name should fail at load, not in the middle of a nightly scan.
    fn lint(&self) -> Result<(), EngineError> {
        let mut e = self.base.clone();
        let _ = e.add_data(regorus::Value::from(json!({"palisade": {"now_ns": 0}})));
        e.set_input(regorus::Value::from(json!({"resources": {}})));
        for r in &self.set.rules {
            let evaluated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                e.eval_rule(format!("data.{}.deny", r.package))
            }));
            // A panic is left to the scan, which reports it as this rule's ERROR.
            let Ok(evaluated) = evaluated else {
                e = self.base.clone();
                let _ = e.add_data(regorus::Value::from(json!({"palisade": {"now_ns": 0}})));
                e.set_input(regorus::Value::from(json!({"resources": {}})));
                continue;
            };
            if let Err(err) = evaluated {
                let text = err.to_string();
                if text.contains("could not find function") || text.contains("not a function") {
                    let (line, column, sentence) = parse_regorus_error(&text);
                    return Err(EngineError::Policy(crate::error::Located {
                        file: r.file.clone(),
                        line,
                        column,
                        message: sentence,
                    }));
                }
            }
        }
        Ok(())
    }

    fn prepared_for(&self, inv: &Inventory) -> Result<regorus::Engine, EngineError> {
        let mut e = self.base.clone();
        e.add_data(self.now_data(inv)?)
            .map_err(|e| EngineError::Internal(e.to_string()))?;
        Ok(e)
    }

    fn now_data(&self, inv: &Inventory) -> Result<regorus::Value, EngineError> {
        let now_ns = timefmt::parse_rfc3339_ns(&inv.provenance.collected_at).ok_or_else(|| {
            EngineError::Config(format!(
                "provenance.collected_at `{}` is not an RFC 3339 time",
                inv.provenance.collected_at
            ))
        })?;
        Ok(regorus::Value::from(
            json!({"palisade": {"now_ns": now_ns}}),
        ))
    }

    /// An engine of its own for one more scan worker: the policies compiled again and the data set again.
    /// A clone would share the compiled syntax tree, whose nodes regorus counts with atomic reference
    /// counts: two workers counting on the same nodes made every rule slower by about a tenth. (The input
    /// stays shared: copying it cost more than it saved.)
    fn unshared_for(&self, inv: &Inventory) -> Option<regorus::Engine> {
        let mut e = loaded_regorus(&self.set, &self.config, &self.options).ok()?;
        e.add_data(self.now_data(inv).ok()?).ok()?;
        Some(e)
    }

    /// Evaluates every rule on `inv` and returns the report.
    pub fn evaluate(&self, inv: &Inventory) -> Result<ScanReport, EngineError> {
        self.evaluate_profiled(inv).map(|(r, _)| r)
    }

    /// As [`Engine::evaluate`], consuming the inventory: when it is split into chunks (see
    /// [`EvalOptions::chunk_resources`]), each chunk's resources are freed as soon as they are judged, so
    /// the inventory shrinks while the results grow.
    pub fn evaluate_owned(&self, inv: Inventory) -> Result<ScanReport, EngineError> {
        self.evaluate_owned_profiled(inv).map(|(r, _)| r)
    }

    /// As [`Engine::evaluate_owned`], also returning each rule's evaluation time (summed over chunks).
    pub fn evaluate_owned_profiled(
        &self,
        mut inv: Inventory,
    ) -> Result<(ScanReport, Vec<(String, Duration)>), EngineError> {
        let resources = std::mem::take(&mut inv.resources);
        let Some(plan) = partition(
            &resources,
            &inv.collection_errors,
            self.options.chunk_resources,
        ) else {
            return self.evaluate_chunks(
                &inv,
                std::iter::once(Ok(Chunk::Owned(resources, inv.collection_errors.clone()))),
            );
        };
        let of: BTreeMap<&str, usize> = plan
            .iter()
            .enumerate()
            .flat_map(|(i, (accounts, _))| accounts.iter().map(move |a| (a.as_str(), i)))
            .collect();
        let mut buckets: Vec<Vec<Resource>> =
            plan.iter().map(|(_, n)| Vec::with_capacity(*n)).collect();
        for r in resources {
            let i = of.get(r.account.as_str()).copied().unwrap_or(0);
            if let Some(b) = buckets.get_mut(i) {
                b.push(r);
            }
        }
        drop(of);
        let chunks = buckets.into_iter().zip(plan).map(|(rs, (accounts, _))| {
            let errors = errors_of(&inv, &accounts);
            Ok(Chunk::Owned(rs, errors))
        });
        self.evaluate_chunks(&inv, chunks)
    }

    /// As [`Engine::evaluate`], also returning each rule's evaluation time (summed over chunks; for
    /// benchmarks).
    pub fn evaluate_profiled(
        &self,
        inv: &Inventory,
    ) -> Result<(ScanReport, Vec<(String, Duration)>), EngineError> {
        let meta = without_resources(inv);
        match partition(
            &inv.resources,
            &inv.collection_errors,
            self.options.chunk_resources,
        ) {
            // One chunk: the resources are borrowed as they are (no copy).
            None => self.evaluate_chunks(&meta, std::iter::once(Ok(Chunk::Borrowed(inv)))),
            // Several: each chunk's resources are copied when its turn comes, and freed after it.
            Some(plan) => {
                let chunks = plan.into_iter().map(|(accounts, n)| {
                    let mut rs = Vec::with_capacity(n);
                    rs.extend(
                        inv.resources
                            .iter()
                            .filter(|r| accounts.contains(r.account.as_str()))
                            .cloned(),
                    );
                    let errors = errors_of(inv, &accounts);
                    Ok(Chunk::Owned(rs, errors))
                });
                self.evaluate_chunks(&meta, chunks)
            }
        }
    }

    /// As [`Engine::evaluate_owned_profiled`], for an inventory that arrives in parts, so that it never
    /// exists whole: `meta` gives the provenance and every collection error (its resources are ignored),
    /// `parts` the resources. Each part holds whole accounts (rules join resources within one account):
    /// an account met again in a later part is an error. A part is evaluated as it arrives and freed once
    /// judged; accounts that appear only in collection errors are judged after the last part.
    pub fn evaluate_parts_profiled(
        &self,
        meta: &Inventory,
        parts: impl Iterator<Item = Vec<Resource>>,
    ) -> Result<(ScanReport, Vec<(String, Duration)>), EngineError> {
        // The accounts of the parts so far, to give the accounts met only in collection errors a part.
        let seen: std::cell::RefCell<BTreeSet<String>> = Default::default();
        let parts = parts
            .map(|resources| {
                let accounts: BTreeSet<String> =
                    resources.iter().map(|r| r.account.clone()).collect();
                let errors = errors_of(meta, &accounts);
                seen.borrow_mut().extend(accounts);
                Part { resources, errors }
            })
            .chain(
                std::iter::once_with(|| {
                    let seen = seen.borrow();
                    let rest: BTreeSet<String> = meta
                        .collection_errors
                        .iter()
                        .map(|e| e.account.clone())
                        .filter(|a| !seen.contains(a))
                        .collect();
                    (!rest.is_empty()).then(|| Part {
                        resources: Vec::new(),
                        errors: errors_of(meta, &rest),
                    })
                })
                .flatten(),
            );
        self.evaluate_stream_profiled(meta, parts)
    }

    /// As [`Engine::evaluate_parts_profiled`], for an inventory whose collection errors arrive with its
    /// resources (a live scan of many accounts, evaluated while the next accounts are collected): `meta`
    /// gives the provenance only (its resources and collection errors are ignored); each [`Part`] holds
    /// the resources and the collection errors of whole accounts, and an account met again in a later
    /// part (by a resource or an error) is an error. The report's collection errors are all the parts'.
    pub fn evaluate_stream_profiled(
        &self,
        meta: &Inventory,
        parts: impl Iterator<Item = Part>,
    ) -> Result<(ScanReport, Vec<(String, Duration)>), EngineError> {
        let mut meta = without_resources(meta);
        meta.collection_errors.clear();
        // The accounts of the parts so far: a later part may not hold one again.
        let seen: std::cell::RefCell<BTreeSet<String>> = Default::default();
        let chunks = parts
            .filter(|p| !p.resources.is_empty() || !p.errors.is_empty())
            .map(|p| {
                let accounts: BTreeSet<String> = p
                    .resources
                    .iter()
                    .map(|r| r.account.clone())
                    .chain(p.errors.iter().map(|e| e.account.clone()))
                    .collect();
                let mut seen = seen.borrow_mut();
                if let Some(a) = accounts.iter().find(|a| seen.contains(*a)) {
                    return Err(EngineError::Config(format!(
                        "account {a} is in two parts of the inventory; each part must hold whole accounts"
                    )));
                }
                seen.extend(accounts.iter().cloned());
                Ok(Chunk::Owned(p.resources, p.errors))
            })
            .chain(
                // No part at all: an empty inventory, evaluated as one.
                std::iter::once_with(|| {
                    seen.borrow()
                        .is_empty()
                        .then(|| Ok(Chunk::Owned(Vec::new(), Vec::new())))
                })
                .flatten(),
            );
        self.evaluate_chunks(&meta, chunks)
    }

    /// Evaluates every rule on each chunk in turn and assembles one report. `meta` gives the provenance
    /// (each chunk brings its collection errors).
    fn evaluate_chunks<'i>(
        &self,
        meta: &Inventory,
        chunks: impl Iterator<Item = Result<Chunk<'i>, EngineError>>,
    ) -> Result<(ScanReport, Vec<(String, Duration)>), EngineError> {
        let prepared = self.prepared_for(meta)?;
        let rules = &self.set.rules;
        let most = if self.options.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.options.threads
        }
        .clamp(1, rules.len().max(1));
        // Each worker's engine lives across chunks (see `unshared_for`), made when first needed.
        let engines: Vec<Mutex<Option<regorus::Engine>>> =
            (0..most).map(|_| Mutex::new(None)).collect();
        let mut per_rule: Vec<Vec<Finding>> = vec![Vec::new(); rules.len()];
        let mut took = vec![Duration::ZERO; rules.len()];
        let mut chunked = 0usize;
        // A rule that could not be evaluated on one chunk (an error, a panic, over its time limit) is not
        // run again on the next ones: it is ERROR as a whole, as it would be evaluated whole, and a
        // runaway rule costs its time limit once, not once per chunk.
        let mut failed: Vec<Option<String>> = vec![None; rules.len()];
        let mut count = 0usize;
        let mut collection_errors: Vec<CollectionError> = Vec::new();
        for chunk in chunks {
            let chunk = chunk?;
            chunked += 1;
            // Automatic: one thread per core, but no more than one per `RESOURCES_PER_THREAD` resources
            // of the chunk, or the workers that already have an engine: on a small chunk (a small account
            // of an organization) a second worker's compiled engine (about 10 MB) costs more than it saves.
            let threads = if self.options.threads == 0 {
                let size = match &chunk {
                    Chunk::Borrowed(whole) => whole.resources.len(),
                    Chunk::Owned(resources, _) => resources.len(),
                };
                let made = engines
                    .iter()
                    .filter(|e| e.lock().is_ok_and(|e| e.is_some()))
                    .count();
                most.min((1 + size / RESOURCES_PER_THREAD).max(made))
            } else {
                most
            };
            let owned;
            let input;
            let inv: &Inventory = match chunk {
                Chunk::Borrowed(whole) => {
                    input = input_of(&whole.resources, threads)?;
                    whole
                }
                Chunk::Owned(mut resources, errors) => {
                    input = input_releasing(&mut resources, threads)?;
                    owned = Inventory {
                        schema_version: meta.schema_version.clone(),
                        provenance: meta.provenance.clone(),
                        collection_errors: errors,
                        resources,
                    };
                    &owned
                }
            };
            collection_errors.extend(inv.collection_errors.iter().cloned());
            count += inv.resources.len();
            for (i, judged, t, error) in
                self.evaluate_one(inv, input, threads, &prepared, &engines, &failed)?
            {
                took[i] += t;
                per_rule[i].extend(judged);
                if error.is_some() {
                    failed[i] = error;
                }
            }
        }
        // Each rule's results were sorted by its worker, chunk by chunk: in rule id order, their
        // concatenation is sorted (chunks come in account order; a result of no account, `*`, may not be).
        let mut order: Vec<usize> = (0..rules.len()).collect();
        order.sort_by(|a, b| rules[*a].id.cmp(&rules[*b].id));
        let mut results = Vec::with_capacity(per_rule.iter().map(Vec::len).sum());
        for &i in &order {
            let mut judged = std::mem::take(&mut per_rule[i]);
            if chunked > 1 {
                if failed[i].is_some() {
                    // As evaluated whole: a rule that could not be evaluated has that one result.
                    judged.retain(|f| {
                        f.status == Status::Error && f.resource_id == "*" && f.account == "*"
                    });
                }
                merge_chunks(&mut judged);
            }
            results.extend(judged);
        }
        if !results.is_sorted_by(|a, b| result_order(a, b).is_le()) {
            results.sort_by(result_order);
        }
        let timings: Vec<(String, Duration)> = rules
            .iter()
            .zip(took)
            .map(|(r, t)| (r.id.clone(), t))
            .collect();
        collection_errors.sort();
        let summary = summarize(&results, count, rules.len(), collection_errors.len());
        let report = ScanReport {
            schema_version: SCHEMA_VERSION.to_string(),
            tool: ToolInfo {
                name: "palisade".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            generated_at: timefmt::now_for_report(),
            provenance: meta.provenance.clone(),
            policy_set_hash: self.set.hash.clone(),
            summary,
            rules: rules.clone(),
            results,
            collection_errors,
            waivers: Vec::new(),
            baseline: None,
        };
        // Freeing the engines' input (hundreds of thousands of nodes at 100,000 resources) takes a tenth
        // of a second; the report does not wait for it.
        let _ = std::thread::Builder::new()
            .name("palisade-free-input".into())
            .spawn(move || drop((engines, prepared)));
        Ok((report, timings))
    }

    /// Every rule on one chunk: `threads` workers, each with its engine from `engines` (made on first
    /// use), take the rules largest first. Returns (rule index, its results sorted, its time).
    fn evaluate_one(
        &self,
        inv: &Inventory,
        input: regorus::Value,
        threads: usize,
        prepared: &regorus::Engine,
        engines: &[Mutex<Option<regorus::Engine>>],
        failed: &[Option<String>],
    ) -> Result<Vec<RuleOutput>, EngineError> {
        let rules = &self.set.rules;
        let index = ResourceIndex::new(inv);
        // Largest rules first (by the resources of the types they judge or read), so that no thread is
        // left with a big rule at the end while the others idle.
        let mut order: Vec<usize> = (0..rules.len()).collect();
        order.sort_by_key(|&i| {
            let r = &rules[i];
            let size: usize = r
                .resource_types
                .iter()
                .chain(r.requires.iter())
                .map(|t| index.by_type.get(t.as_str()).map_or(0, Vec::len))
                .sum();
            (std::cmp::Reverse(size), i)
        });
        let next = AtomicUsize::new(0);
        let outputs: Mutex<Vec<RuleOutput>> = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for (worker, slot) in engines.iter().enumerate().take(threads) {
                let (input, order, next, outputs, index) =
                    (&input, &order, &next, &outputs, &index);
                s.spawn(move || {
                    let Ok(mut slot) = slot.lock() else { return };
                    // The first worker uses the prepared engine; every other one compiles its own (see
                    // `unshared_for`), falling back to a clone. All read the one input.
                    let mut e = match slot.take() {
                        Some(e) => e,
                        None if worker == 0 => prepared.clone(),
                        None => self.unshared_for(inv).unwrap_or_else(|| prepared.clone()),
                    };
                    e.set_input(input.clone());
                    let mut local = Vec::new();
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let Some(rule) = rules.get(i) else { break };
                        if let Some(Some(msg)) = failed.get(i) {
                            let judged = judge(
                                rule,
                                Err(msg.clone()),
                                index,
                                &inv.collection_errors,
                                &self.reads[i],
                            );
                            local.push((i, judged, Duration::ZERO, None));
                            continue;
                        }
                        let started = std::time::Instant::now();
                        // A panic inside the engine (a bug a hostile policy could reach) is this
                        // rule's ERROR, not a crashed scan; the worker goes on with a fresh clone.
                        let evaluated =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                e.eval_rule(format!("data.{}.deny", rule.package))
                            }));
                        let r = match evaluated {
                            Ok(v) => v
                                .map_err(|err| {
                                    let text = err.to_string();
                                    let (line, _, sentence) = parse_regorus_error(&text);
                                    match line {
                                        Some(l) => format!("{}:{l}: {sentence}", rule.file),
                                        None => sentence,
                                    }
                                })
                                .and_then(|v| serde_json::to_value(&v).map_err(|e| e.to_string())),
                            Err(payload) => {
                                e = prepared.clone();
                                e.set_input(input.clone());
                                Err(format!(
                                    "{}: the policy engine failed on this rule ({})",
                                    rule.file,
                                    panic_text(payload.as_ref())
                                ))
                            }
                        };
                        let _ = e.take_prints();
                        let took = started.elapsed();
                        let error = r.as_ref().err().cloned();
                        // Judged here, in the worker, so that turning deny sets into results runs
                        // in parallel too.
                        let mut judged =
                            judge(rule, r, index, &inv.collection_errors, &self.reads[i]);
                        judged.sort_by(result_order);
                        local.push((i, judged, took, error));
                    }
                    if let Ok(mut o) = outputs.lock() {
                        o.extend(local);
                    }
                    *slot = Some(e);
                });
            }
        });
        let outputs = outputs
            .into_inner()
            .map_err(|_| EngineError::Internal("a worker thread panicked".into()))?;
        if outputs.len() != rules.len() {
            return Err(EngineError::Internal("a worker thread panicked".into()));
        }
        Ok(outputs)
    }

    /// Runs every `test_*` rule; `Ok(true)` = passed, `Ok(false)` = failed or undefined, `Err` = error.
    /// The test files are loaded here, into a copy of the engine (scans leave them out); one that regorus
    /// refuses is an error naming its file and line.
    pub fn run_tests(&self) -> Result<Vec<TestOutcome>, EngineError> {
        let mut tested = self.base.clone();
        add_policies(&mut tested, &self.set, crate::policy::PolicyFile::is_test)?;
        let mut e = tested.clone();
        let _ = e.add_data(regorus::Value::from(json!({"palisade": {"now_ns": 0}})));
        e.set_input(regorus::Value::from(json!({"resources": {}})));
        Ok(self
            .set
            .tests
            .iter()
            .map(|t| {
                let evaluated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    e.eval_rule(format!("data.{}.{}", t.package, t.name))
                }));
                let r = match evaluated {
                    Ok(v) => v.map(|v| v == regorus::Value::from(true)).map_err(|err| {
                        let (line, _, sentence) = parse_regorus_error(&err.to_string());
                        match line {
                            Some(l) => format!("{}:{l}: {sentence}", t.file),
                            None => sentence,
                        }
                    }),
                    Err(payload) => {
                        e = tested.clone();
                        let _ =
                            e.add_data(regorus::Value::from(json!({"palisade": {"now_ns": 0}})));
                        e.set_input(regorus::Value::from(json!({"resources": {}})));
                        Err(format!(
                            "{}: the policy engine failed on this test ({})",
                            t.file,
                            panic_text(payload.as_ref())
                        ))
                    }
                };
                let _ = e.take_prints();
                (t.clone(), r)
            })
            .collect())
    }
}

/// `input.resources`: type → array of resources, in inventory order. Each type is written as JSON text
/// (borrowing, no copy of the resources) and parsed by regorus, which is several times faster than building
/// a `serde_json::Value` and converting it; one type at a time, so that the text never holds more than one
/// type, and the types are split over `threads` threads (writing and parsing is a tenth of a scan's
/// evaluation time on a large inventory).
fn input_of(resources: &[Resource], threads: usize) -> Result<regorus::Value, EngineError> {
    let mut by_type: BTreeMap<&str, Vec<&Resource>> = BTreeMap::new();
    for r in resources {
        by_type.entry(r.resource_type.as_str()).or_default().push(r);
    }
    input_by_type(
        by_type
            .into_iter()
            .map(|(t, rs)| (t.to_string(), rs))
            .collect(),
        threads,
    )
}

/// As [`input_of`], for resources the evaluation owns: once a type is written into the input, its
/// resources' attributes and tags are emptied, because judging the deny sets reads only ids, types,
/// scopes, source locations and unknown paths; the chunk's data then does not exist twice while it is
/// evaluated (a live scan of 12,000 resources held about 60 MiB of attributes it no longer needed). Not when
/// a resource has values unknown until apply (Terraform plans): judging then compares attributes.
fn input_releasing(
    resources: &mut [Resource],
    threads: usize,
) -> Result<regorus::Value, EngineError> {
    if resources.iter().any(|r| !r.unknown.is_empty()) {
        return input_of(resources, threads);
    }
    let mut by_type: BTreeMap<String, Vec<&mut Resource>> = BTreeMap::new();
    for r in resources.iter_mut() {
        match by_type.get_mut(r.resource_type.as_str()) {
            Some(rs) => rs.push(r),
            None => {
                let t = r.resource_type.clone();
                by_type.insert(t, vec![r]);
            }
        }
    }
    input_by_type(by_type.into_iter().collect(), threads)
}

/// A resource as written into the regorus input, and what becomes of it once written.
trait InputPart: serde::Serialize + Send {
    fn written(&mut self) {}
}

impl InputPart for &Resource {}

impl InputPart for &mut Resource {
    fn written(&mut self) {
        self.attributes = Map::new();
        self.tags = BTreeMap::new();
    }
}

/// Writes and parses each type's resources, largest types first, each type to the thread with the fewest
/// resources so far; `{"resources": {type: [...]}}`.
fn input_by_type<R: InputPart>(
    types: Vec<(String, Vec<R>)>,
    threads: usize,
) -> Result<regorus::Value, EngineError> {
    let mut types = types;
    types.sort_by(|(ta, a), (tb, b)| b.len().cmp(&a.len()).then_with(|| ta.cmp(tb)));
    let threads = threads.clamp(1, types.len().max(1));
    // Per thread: its resource count and its types.
    type Share<R> = (usize, Vec<(String, Vec<R>)>);
    let mut shares: Vec<Share<R>> = (0..threads).map(|_| (0, Vec::new())).collect();
    for (t, rs) in types {
        if let Some(share) = shares.iter_mut().min_by_key(|(n, _)| *n) {
            share.0 += rs.len();
            share.1.push((t, rs));
        }
    }
    fn parse_share<R: InputPart>(
        share: Vec<(String, Vec<R>)>,
    ) -> Result<Vec<(String, regorus::Value)>, String> {
        share
            .into_iter()
            .map(|(t, mut rs)| {
                let text = serde_json::to_string(&rs).map_err(|e| format!("{t}: {e}"))?;
                rs.iter_mut().for_each(InputPart::written);
                let v = regorus::Value::from_json_str(&text).map_err(|e| format!("{t}: {e}"))?;
                Ok((t, v))
            })
            .collect()
    }
    let parsed: Vec<Result<Vec<(String, regorus::Value)>, String>> = if threads == 1 {
        shares
            .into_iter()
            .map(|(_, share)| parse_share(share))
            .collect()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = shares
                .into_iter()
                .map(|(_, share)| s.spawn(move || parse_share(share)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("a thread writing the input panicked".into()))
                })
                .collect()
        })
    };
    let mut resources = regorus::Value::new_object();
    let map = resources
        .as_object_mut()
        .map_err(|e| EngineError::Internal(e.to_string()))?;
    for share in parsed {
        // Never evaluated on part of the data: an input that cannot be built fails the evaluation.
        let share = share
            .map_err(|e| EngineError::Internal(format!("cannot build the policy input: {e}")))?;
        for (t, v) in share {
            map.insert(regorus::Value::from(t), v);
        }
    }
    let mut root = regorus::Value::new_object();
    root.as_object_mut()
        .map_err(|e| EngineError::Internal(e.to_string()))?
        .insert(regorus::Value::from("resources"), resources);
    Ok(root)
}

struct ResourceIndex<'a> {
    by_type: BTreeMap<&'a str, Vec<&'a Resource>>,
    by_id: BTreeMap<&'a str, &'a Resource>,
}

impl<'a> ResourceIndex<'a> {
    fn new(inv: &'a Inventory) -> Self {
        let mut by_type: BTreeMap<&str, Vec<&Resource>> = BTreeMap::new();
        let mut by_id = BTreeMap::new();
        for r in &inv.resources {
            by_type.entry(r.resource_type.as_str()).or_default().push(r);
            by_id.insert(r.id.as_str(), r);
        }
        ResourceIndex { by_type, by_id }
    }
}

/// Whether a collection error in `err`'s scope can hide resources of `account`/`region`: same region, or an
/// account-wide (`global`) error; global resources (CloudFront, IAM, the CLOUDFRONT-scope web ACLs) are
/// read through us-east-1, so only an error there (or a global one) touches them.
fn scope_matches(err: &CollectionError, account: &str, region: &str) -> bool {
    err.account == account
        && (err.region == region
            || err.region == "global"
            || (region == "global" && err.region == "us-east-1"))
}

fn error_text(err: &CollectionError) -> String {
    format!(
        "{} failed in {}/{}: {} ({}){}",
        err.operation,
        err.account,
        err.region,
        err.error_code,
        err.kind.as_str(),
        if err.message.is_empty() {
            String::new()
        } else {
            format!(": {}", err.message)
        }
    )
}

struct Denial {
    messages: Vec<String>,
    evidence: Vec<Value>,
}

/// Turns one rule's deny output into results.
/// The quoted string literals (not in comments) of `text`.
fn literals(text: &str, out: &mut BTreeSet<String>) {
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with('#') {
            continue;
        }
        let mut parts = code.split('"');
        parts.next();
        while let (Some(lit), Some(_)) = (parts.next(), parts.next()) {
            out.insert(lit.to_string());
        }
    }
}

/// The top-level definitions (rules and functions) of a library file: name → its text. A definition
/// starts at a line in column 0 that begins with its name; comments and imports end it.
fn definitions(text: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let starts_def = line
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && !line.starts_with("package ")
            && !line.starts_with("import ");
        if starts_def {
            let name: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            current = Some(name);
        } else if line.starts_with('#')
            || line.starts_with("package ")
            || line.starts_with("import ")
        {
            current = None;
        }
        if let Some(n) = &current {
            let body = out.entry(n.clone()).or_default();
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// Whether `text` uses the identifier `name` (not as part of a longer identifier).
fn uses(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(|c| ident(c) || c == '.') && !after.is_some_and(ident)
    })
}

/// An over-approximation of the attribute names a rule reads: the string literals of its file and of
/// the library definitions it uses, transitively (`net.ingress` → `aws.as_list` …), so that a literal of
/// a helper the rule never calls does not count.
fn rule_literals(set: &PolicySet, rule: &RuleMeta) -> BTreeSet<String> {
    fn package_of(text: &str) -> Option<&str> {
        text.lines()
            .find_map(|l| l.trim().strip_prefix("package "))
            .map(str::trim)
    }
    let mut out = BTreeSet::new();
    let Some(file) = set.files.iter().find(|f| f.path == rule.file) else {
        return out;
    };
    literals(&file.text, &mut out);
    // Every library: alias (last package segment) → its definitions.
    let libs: BTreeMap<String, BTreeMap<String, String>> = set
        .files
        .iter()
        .filter_map(|f| {
            let pkg = package_of(&f.text)?;
            pkg.starts_with("lib.").then(|| {
                (
                    pkg.rsplit('.').next().unwrap_or(pkg).to_string(),
                    definitions(&f.text),
                )
            })
        })
        .collect();
    // Work list of (library alias, definition) reached; start from `alias.name` uses in the rule file.
    let mut todo: Vec<(String, String)> = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let reach = |text: &str, own: Option<&str>, todo: &mut Vec<(String, String)>| {
        for (alias, defs) in &libs {
            for name in defs.keys() {
                let qualified = format!("{alias}.{name}");
                let used = text.match_indices(&qualified).any(|(i, _)| {
                    !text[i + qualified.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                if used {
                    todo.push((alias.clone(), name.clone()));
                }
            }
        }
        if let Some(own) = own {
            if let Some(defs) = libs.get(own) {
                for name in defs.keys() {
                    if uses(text, name) {
                        todo.push((own.to_string(), name.clone()));
                    }
                }
            }
        }
    };
    reach(&file.text, None, &mut todo);
    while let Some(item) = todo.pop() {
        if !seen.insert(item.clone()) {
            continue;
        }
        let (alias, name) = item;
        let Some(body) = libs.get(&alias).and_then(|d| d.get(&name)) else {
            continue;
        };
        literals(body, &mut out);
        reach(body, Some(&alias), &mut todo);
    }
    out
}

/// The paths of `r`'s unknown-until-apply attributes that `reads` may look at: a path counts when the
/// name of the unknown value (its last non-index segment: `order` in `default_action.0.order`, or the
/// whole block when the block is unknown) is a literal of the rule.
fn relevant_unknowns<'a>(r: &'a Resource, reads: &BTreeSet<String>) -> Vec<&'a str> {
    r.unknown
        .iter()
        .filter(|p| {
            p.split('.')
                .rev()
                .find(|seg| seg.parse::<usize>().is_err())
                .is_some_and(|leaf| reads.contains(leaf))
        })
        .map(String::as_str)
        .collect()
}

/// Whether some string in `a`'s attributes names `b` (its id, ARN, provider id or name).
fn refers_to(a: &Resource, b: &Resource) -> bool {
    fn any_string(v: &Value, f: &dyn Fn(&str) -> bool) -> bool {
        match v {
            Value::String(s) => f(s),
            Value::Array(x) => x.iter().any(|v| any_string(v, f)),
            Value::Object(m) => m.values().any(|v| any_string(v, f)),
            _ => false,
        }
    }
    let mut names: Vec<&str> = vec![b.id.as_str()];
    for k in ["id", "arn", "name"] {
        if let Some(s) = b.attributes.get(k).and_then(Value::as_str) {
            if s.len() > 3 {
                names.push(s);
            }
        }
    }
    a.attributes
        .values()
        .any(|v| any_string(v, &|s: &str| names.contains(&s)))
}

/// The order of a report's results: rule, account, region, resource, status.
pub fn result_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (&a.rule_id, &a.account, &a.region, &a.resource_id, a.status).cmp(&(
        &b.rule_id,
        &b.account,
        &b.region,
        &b.resource_id,
        b.status,
    ))
}

/// `inv`'s schema version, provenance and collection errors, without its resources.
fn without_resources(inv: &Inventory) -> Inventory {
    Inventory {
        schema_version: inv.schema_version.clone(),
        provenance: inv.provenance.clone(),
        resources: Vec::new(),
        collection_errors: inv.collection_errors.clone(),
    }
}

/// The collection errors of `inv` about these accounts.
fn errors_of(inv: &Inventory, accounts: &BTreeSet<String>) -> Vec<CollectionError> {
    inv.collection_errors
        .iter()
        .filter(|e| accounts.contains(e.account.as_str()))
        .cloned()
        .collect()
}

/// What [`Engine::evaluate_chunks`] evaluates at once.
enum Chunk<'i> {
    /// The whole inventory, borrowed.
    Borrowed(&'i Inventory),
    /// Resources of whole accounts (or of the whole inventory), and their collection errors.
    Owned(Vec<Resource>, Vec<CollectionError>),
}

/// One part of an inventory given in parts ([`Engine::evaluate_stream_profiled`]): the resources and
/// collection errors of whole accounts.
#[derive(Debug, Default)]
pub struct Part {
    pub resources: Vec<Resource>,
    pub errors: Vec<CollectionError>,
}

/// How to split an inventory for evaluation (see [`EvalOptions::chunk_resources`]): `None` when it is
/// evaluated whole; otherwise chunks of whole accounts, in account order, with their resource counts.
/// Accounts that appear only in collection errors belong to a chunk too, so their errors are judged.
fn partition(
    resources: &[Resource],
    errors: &[CollectionError],
    limit: usize,
) -> Option<Vec<(BTreeSet<String>, usize)>> {
    if limit == 0 || resources.len() <= limit {
        return None;
    }
    let mut per_account: BTreeMap<&str, usize> = BTreeMap::new();
    for r in resources {
        *per_account.entry(r.account.as_str()).or_default() += 1;
    }
    for e in errors {
        per_account.entry(e.account.as_str()).or_default();
    }
    if per_account.len() <= 1 {
        return None;
    }
    let mut plan: Vec<(BTreeSet<String>, usize)> = Vec::new();
    for (account, n) in per_account {
        match plan.last_mut() {
            Some((accounts, size)) if *size + n <= limit => {
                accounts.insert(account.to_string());
                *size += n;
            }
            _ => plan.push((BTreeSet::from([account.to_string()]), n)),
        }
    }
    (plan.len() > 1).then_some(plan)
}

/// One rule's results from several chunks: a chunk without the rule's subjects said NOT_APPLICABLE,
/// which only stands if no chunk had one; a result about no account (`*`, e.g. a rule that could not be
/// evaluated) is said by every chunk and kept once.
fn merge_chunks(judged: &mut Vec<Finding>) {
    if judged.iter().any(|f| f.status != Status::NotApplicable) {
        judged.retain(|f| f.status != Status::NotApplicable);
    }
    if !judged.is_sorted_by(|a, b| result_order(a, b).is_le()) {
        judged.sort_by(result_order);
    }
    judged.dedup_by(|a, b| result_order(a, b).is_eq());
}

fn judge(
    rule: &RuleMeta,
    out: Result<Value, String>,
    index: &ResourceIndex<'_>,
    errors: &[CollectionError],
    reads: &BTreeSet<String>,
) -> Vec<Finding> {
    let mut results = judge_inner(rule, out, index, errors, reads);
    for f in results.iter_mut() {
        if let Some(r) = index.by_id.get(f.resource_id.as_str()) {
            f.location = r.source.clone();
        }
    }
    results
}

fn judge_inner(
    rule: &RuleMeta,
    out: Result<Value, String>,
    index: &ResourceIndex<'_>,
    errors: &[CollectionError],
    reads: &BTreeSet<String>,
) -> Vec<Finding> {
    let mk = |status,
              r_id: &str,
              r_type: &str,
              account: &str,
              region: &str,
              message: String,
              evidence| Finding {
        rule_id: rule.id.clone(),
        status,
        severity: rule.severity,
        resource_id: r_id.to_string(),
        resource_type: r_type.to_string(),
        account: account.to_string(),
        region: region.to_string(),
        message,
        evidence,
        fingerprint: fingerprint(&rule.id, account, region, r_id),
        waiver: None,
        location: None,
        baseline: None,
    };
    let all_types = rule.resource_types.join(",");
    let denied_value = match out {
        Ok(v) => v,
        Err(msg) => {
            return vec![mk(
                Status::Error,
                "*",
                &all_types,
                "*",
                "*",
                format!("rule could not be evaluated: {msg}"),
                Value::Null,
            )]
        }
    };
    // Collect denials by resource id.
    let mut denials: BTreeMap<String, Denial> = BTreeMap::new();
    let entries = match denied_value {
        Value::Array(a) => a,
        Value::Null => Vec::new(),
        other => {
            return vec![mk(
                Status::Error,
                "*",
                &all_types,
                "*",
                "*",
                format!("rule's `deny` is not a set: {other}"),
                Value::Null,
            )]
        }
    };
    for entry in entries {
        let resource = entry.get("resource").and_then(Value::as_str);
        let message = entry.get("message").and_then(Value::as_str);
        let (Some(resource), Some(message)) = (resource, message) else {
            return vec![mk(
                Status::Error,
                "*",
                &all_types,
                "*",
                "*",
                format!("rule's `deny` entry lacks a string `resource` or `message`: {entry}"),
                Value::Null,
            )];
        };
        let d = denials.entry(resource.to_string()).or_insert(Denial {
            messages: Vec::new(),
            evidence: Vec::new(),
        });
        d.messages.push(message.to_string());
        d.evidence
            .push(entry.get("evidence").cloned().unwrap_or(Value::Null));
    }
    let read_types: BTreeSet<&str> = rule
        .resource_types
        .iter()
        .chain(rule.requires.iter())
        .map(String::as_str)
        .collect();
    let relevant: Vec<&CollectionError> = errors
        .iter()
        .filter(|e| {
            e.resource_types
                .iter()
                .any(|t| read_types.contains(t.as_str()))
        })
        .collect();
    // Resources the rule reads but does not judge, whose relevant values are unknown until apply: a PASS
    // in their account could rest on them.
    let unknown_required: Vec<(&Resource, Vec<&str>)> = rule
        .requires
        .iter()
        .flat_map(|t| index.by_type.get(t.as_str()).into_iter().flatten())
        .filter_map(|r| {
            let u = relevant_unknowns(r, reads);
            (!u.is_empty()).then_some((*r, u))
        })
        .collect();
    let subject_ids: BTreeSet<&str> = rule
        .resource_types
        .iter()
        .flat_map(|t| index.by_type.get(t.as_str()).into_iter().flatten())
        .map(|r| r.id.as_str())
        .collect();
    let mut results = Vec::new();
    let mut subject_count = 0usize;
    for t in &rule.resource_types {
        for r in index
            .by_type
            .get(t.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            subject_count += 1;
            // What may make a verdict on `r` rest on missing data: a collection error in its scope; a
            // per-resource error about a subject of the rule touches that subject only, but one about
            // another resource (the web ACL of one load balancer, read by a rule that judges web ACLs)
            // touches every subject of its account, since any of them may be the one it would have
            // joined (and rules join across regions); and values unknown until apply, its own or those of
            // a resource the rule reads for it (one refers to the other).
            let blocking = relevant.iter().find(|e| match &e.resource_id {
                Some(id) if subject_ids.contains(id.as_str()) => id == &r.id,
                Some(_) => e.account == r.account,
                None => scope_matches(e, &r.account, &r.region),
            });
            let mut unknown: Vec<String> = relevant_unknowns(r, reads)
                .into_iter()
                .map(str::to_string)
                .collect();
            for (o, u) in &unknown_required {
                if o.account == r.account && (refers_to(r, o) || refers_to(o, r)) {
                    unknown.push(format!("{} of {}", u.join(", "), o.id));
                }
            }
            if let Some(d) = denials.remove(r.id.as_str()) {
                let evidence = if d.evidence.len() == 1 {
                    d.evidence.into_iter().next().unwrap_or(Value::Null)
                } else {
                    Value::Array(d.evidence)
                };
                // A failure stays a failure (hiding a real one would be worse), but it says what it
                // may rest on.
                let mut message = d.messages.join("; ");
                if !unknown.is_empty() {
                    message.push_str(&format!(
                        " (note: {} unknown until apply)",
                        unknown.join(", ")
                    ));
                }
                if let Some(e) = blocking {
                    message.push_str(&format!(
                        " (note: data this check reads could not be collected: {})",
                        error_text(e)
                    ));
                }
                results.push(mk(
                    Status::Fail,
                    &r.id,
                    &r.resource_type,
                    &r.account,
                    &r.region,
                    message,
                    evidence,
                ));
                continue;
            }
            if blocking.is_none() && !unknown.is_empty() {
                let what = unknown.join(", ");
                results.push(mk(
                    Status::Error,
                    &r.id,
                    &r.resource_type,
                    &r.account,
                    &r.region,
                    format!("not checked: {what} unknown until apply"),
                    json!({"unknown_until_apply": what}),
                ));
                continue;
            }
            match blocking {
                Some(e) => results.push(mk(
                    Status::Error,
                    &r.id,
                    &r.resource_type,
                    &r.account,
                    &r.region,
                    format!("not checked: {}", error_text(e)),
                    json!({"operation": e.operation, "error_code": e.error_code, "kind": e.kind}),
                )),
                None => results.push(mk(
                    Status::Pass,
                    &r.id,
                    &r.resource_type,
                    &r.account,
                    &r.region,
                    format!("{}: passed", rule.title),
                    Value::Null,
                )),
            }
        }
    }
    // Denials of ids that are not subjects of the rule (e.g. an account-level finding).
    for (id, d) in denials {
        let (t, account, region) = match index.by_id.get(id.as_str()) {
            Some(r) => (r.resource_type.clone(), r.account.clone(), r.region.clone()),
            None => (all_types.clone(), "*".to_string(), "*".to_string()),
        };
        let evidence = if d.evidence.len() == 1 {
            d.evidence.into_iter().next().unwrap_or(Value::Null)
        } else {
            Value::Array(d.evidence)
        };
        results.push(mk(
            Status::Fail,
            &id,
            &t,
            &account,
            &region,
            d.messages.join("; "),
            evidence,
        ));
    }
    // One ERROR per failed scope (resources that could not be listed at all are not silently absent), and
    // one per failed per-resource call that concerned no subject of this rule (e.g. the bucket policy a
    // distribution's check reads).
    let mut seen = BTreeSet::new();
    for e in &relevant {
        let resource = match &e.resource_id {
            Some(id) if subject_ids.contains(id.as_str()) => continue,
            Some(id) => id.clone(),
            None => format!("*:{}", e.operation),
        };
        if !seen.insert((e.account.clone(), e.region.clone(), resource.clone())) {
            continue;
        }
        let types: Vec<&str> = e
            .resource_types
            .iter()
            .map(String::as_str)
            .filter(|t| read_types.contains(t))
            .collect();
        results.push(mk(
            Status::Error,
            &resource,
            &types.join(","),
            &e.account,
            &e.region,
            format!("not checked: {}", error_text(e)),
            json!({"operation": e.operation, "error_code": e.error_code, "kind": e.kind}),
        ));
    }
    if subject_count == 0 && results.is_empty() {
        results.push(mk(
            Status::NotApplicable,
            "*",
            &all_types,
            "*",
            "*",
            format!("no resources of type {all_types}"),
            Value::Null,
        ));
    }
    results
}

/// The message of a caught panic.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = include_str!("../../../tests/fixtures/reference-architecture.json");

    /// The reference fixture (two accounts), and a copy of it in two other accounts: every account id in
    /// it, in ARNs too, changed.
    fn two_accounts() -> (Vec<Resource>, Vec<Resource>, Inventory) {
        let parse = |text: &str| -> Inventory {
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
        };
        let mut meta = parse(REFERENCE);
        let a = std::mem::take(&mut meta.resources);
        let b = parse(
            &REFERENCE
                .replace("123456789012", "923456789012")
                .replace("210987654321", "910987654321"),
        )
        .resources;
        (a, b, meta)
    }

    fn engine() -> Engine {
        let set = PolicySet::load(&[], true).unwrap_or_else(|e| panic!("{e}"));
        Engine::new(set, &BTreeMap::new(), EvalOptions::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Each part is judged as its accounts alone would be. (Not compared with the two copies evaluated
    /// as one inventory: ARNs without an account, such as Route 53 zones and S3 buckets, are the same in
    /// both copies, and one inventory must not hold an id twice.)
    #[test]
    fn an_inventory_in_parts_is_judged_as_each_part_alone() {
        let (a, b, meta) = two_accounts();
        let e = engine();
        let alone = |rs: &[Resource]| {
            let mut inv = meta.clone();
            inv.resources = rs.to_vec();
            e.evaluate_owned_profiled(inv)
                .unwrap_or_else(|err| panic!("{err}"))
                .0
                .results
        };
        let mut expected = alone(&a);
        expected.extend(alone(&b));
        expected.sort_by(result_order);
        // A rule with no subject says NOT_APPLICABLE once, not once per part.
        expected.dedup_by(|x, y| result_order(x, y).is_eq());
        let (parts, _) = e
            .evaluate_parts_profiled(&meta, vec![a, b].into_iter())
            .unwrap_or_else(|err| panic!("{err}"));
        let differ = parts.results.iter().zip(&expected).find(|(p, w)| p != w);
        assert!(
            differ.is_none(),
            "in parts {differ:#?} (left), alone (right)"
        );
        assert_eq!(parts.results.len(), expected.len());
        assert!(parts.results.iter().any(|f| f.account == "923456789012"));
        assert_eq!(
            parts.summary.count(Status::Fail),
            expected.iter().filter(|f| f.status == Status::Fail).count()
        );
    }

    #[test]
    fn an_account_split_over_two_parts_is_refused() {
        let (mut a, _, meta) = two_accounts();
        let second = a.split_off(a.len() / 2);
        let err = engine()
            .evaluate_parts_profiled(&meta, vec![a, second].into_iter())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("account 123456789012 is in two parts"),
            "{err}"
        );
    }

    /// Parts that bring their own collection errors (a streamed live scan) are judged as one inventory
    /// that holds the same errors: the ERROR verdicts they cause and the report's errors are the same.
    #[test]
    fn parts_with_their_own_collection_errors_are_judged_as_the_whole() {
        let (a, b, mut meta) = two_accounts();
        let error = |account: &str| CollectionError {
            service: "ec2".into(),
            account: account.into(),
            region: "us-east-1".into(),
            operation: "ec2:DescribeSecurityGroups".into(),
            error_code: "AccessDenied".into(),
            message: "denied".into(),
            kind: palisade_model::ErrorKind::AccessDenied,
            resource_types: vec!["aws_security_group".into()],
            resource_id: None,
        };
        // One error in an account with resources, one in an account that has nothing else (a role
        // that could not be assumed).
        let (with, alone) = (error("923456789012"), error("555555555555"));
        meta.collection_errors = vec![with.clone(), alone.clone()];
        let e = engine();
        let (whole, _) = e
            .evaluate_parts_profiled(&meta, vec![a.clone(), b.clone()].into_iter())
            .unwrap_or_else(|err| panic!("{err}"));
        let parts = vec![
            Part {
                resources: a,
                errors: Vec::new(),
            },
            Part {
                resources: Vec::new(),
                errors: vec![alone],
            },
            Part {
                resources: b,
                errors: vec![with],
            },
        ];
        let (streamed, _) = e
            .evaluate_stream_profiled(&meta, parts.into_iter())
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(streamed.results, whole.results);
        assert_eq!(streamed.collection_errors, whole.collection_errors);
        assert_eq!(streamed.collection_errors.len(), 2);
        for account in ["923456789012", "555555555555"] {
            assert!(
                streamed.results.iter().any(|f| f.rule_id == "SG-01"
                    && f.account == account
                    && f.status == Status::Error),
                "no SG-01 ERROR in {account}"
            );
        }
    }

    #[test]
    fn no_parts_is_an_empty_inventory() {
        let (_, _, meta) = two_accounts();
        let e = engine();
        let (expected, _) = e
            .evaluate_owned_profiled(meta.clone())
            .unwrap_or_else(|err| panic!("{err}"));
        let (parts, _) = e
            .evaluate_parts_profiled(&meta, std::iter::empty())
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(parts.results, expected.results);
        assert!(parts
            .results
            .iter()
            .all(|f| f.status == Status::NotApplicable));
    }
}
