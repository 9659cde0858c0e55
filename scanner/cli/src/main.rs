//! The `palisade` binary: parses the command line and the config, orchestrates the engine and the
//! reporters, and maps outcomes to exit codes. It decides nothing about findings itself.
//!
//! Exit codes: 0 clean; 1 failures at or above `--fail-on`; 2 palisade could not run (bad input, policy,
//! config or flag); 3 the scan is incomplete (ERROR results) and nothing failed at or above the threshold.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod config;

use anyhow::{anyhow, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};
use palisade_engine::{Engine, EngineError, EvalOptions, PolicySet};
use palisade_model::{ScanReport, Severity, Status};
use palisade_reports::{Format, RenderOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "palisade",
    version,
    about = "Policy-as-code security and compliance scanner for AWS"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Collect a live account (or read --inventory), evaluate the policies and report the findings.
    Scan(Box<ScanArgs>),
    /// Collect a live account's configuration into an inventory file.
    Collect {
        #[command(flatten)]
        live: LiveArgs,
        /// Write the inventory to FILE (default: stdout).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Work with policies.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// List every rule with its metadata.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        #[command(flatten)]
        policies: PolicyArgs,
    },
    /// Explain one rule: what it checks, why, how to fix it, which controls it maps to.
    Explain {
        /// Rule id, e.g. RDS-04
        id: String,
        #[command(flatten)]
        policies: PolicyArgs,
    },
    /// Print the JSON Schema of the inventory format.
    Schema,
    /// Render a saved scan (a JSON report) again, in any format: regenerate an auditor's report from
    /// archived evidence, without AWS access.
    Report {
        /// A JSON report written by `palisade scan --format json`.
        #[arg(value_name = "SCAN.json")]
        scan: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Combine the JSON reports of several scans (e.g. the shards of an organization scan, `--shard I/N`)
    /// into one report; the order of the inputs does not matter. Exit codes as `scan`.
    Merge {
        /// JSON reports written by `palisade scan --format json`.
        #[arg(value_name = "SCAN.json", required = true, num_args = 1..)]
        scans: Vec<PathBuf>,
        #[command(flatten)]
        out: OutputArgs,
        /// Exit 1 when a failure of this severity or higher is in the merged report.
        #[arg(long, value_name = "SEVERITY", default_value = "info")]
        fail_on: String,
        /// Exit 0 instead of 3 when some checks could not be run.
        #[arg(long)]
        allow_incomplete: bool,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Run every `test_*` rule of the policies (the built-in set, or DIR).
    Test {
        /// A directory of policies and their `_test.rego` files; default: the built-in policies.
        dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Args, Clone)]
struct PolicyArgs {
    /// Add the policies in DIR (repeatable); package names must match paths under DIR.
    #[arg(long = "policies", value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Leave out the built-in rules (their helpers in lib/ stay available).
    #[arg(long)]
    no_builtin: bool,
}

#[derive(Args, Clone)]
struct LiveArgs {
    /// Region to scan (repeatable); default: the configured region (AWS_REGION, profile).
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,
    /// Scan every region enabled for the account.
    #[arg(long, conflicts_with = "regions")]
    all_regions: bool,
    /// Shared config profile.
    #[arg(long, env = "AWS_PROFILE")]
    profile: Option<String>,
    /// Assume this role before scanning.
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
    /// External id for --role-arn.
    #[arg(long, requires = "role_arn")]
    external_id: Option<String>,
    /// Send every AWS call to this endpoint (e.g. the local emulator).
    #[arg(long, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    endpoint_url: Option<String>,
    /// Only these services (repeatable): ec2, elasticloadbalancing, rds, secretsmanager, cognito-idp,
    /// wafv2, cloudfront, route53, shield, s3, iam, ecs, application-autoscaling, ecr, elasticache, sns,
    /// logs, monitoring, synthetics, xray, codebuild, codepipeline, codedeploy.
    #[arg(long = "service", value_name = "SERVICE")]
    services: Vec<String>,
    /// (service, region) collectors running at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Per-resource calls running at once within one service and region.
    #[arg(long, default_value_t = 8)]
    per_service_concurrency: usize,
    /// Attempts per AWS call, with exponential backoff (1 = no retry).
    #[arg(long, default_value_t = 3, env = "PALISADE_MAX_ATTEMPTS")]
    max_attempts: u32,
    /// Time limit of one AWS call, retries included, in seconds.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// No progress bar or summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Log on stderr: every collection error, and the SDK's info messages (`RUST_LOG` for more).
    #[arg(long, short)]
    verbose: bool,
    /// Write every AWS operation called, with its IAM action and count, to FILE (JSON).
    #[arg(long, value_name = "FILE")]
    record_calls: Option<PathBuf>,
    /// Scan these accounts (comma-separated, repeatable), assuming --account-role in each.
    #[arg(
        long,
        value_name = "ID,...",
        value_delimiter = ',',
        requires = "account_role"
    )]
    accounts: Vec<String>,
    /// Scan every active account of the caller's AWS Organization, assuming --account-role in each.
    #[arg(long, requires = "account_role")]
    org: bool,
    /// Role assumed in each account of --org / --accounts: a name, or an ARN with `{account}`.
    #[arg(long, value_name = "NAME|ARN")]
    account_role: Option<String>,
    /// Accounts scanned at once.
    #[arg(long, default_value_t = 4)]
    account_concurrency: usize,
    /// Scan only shard I of N of the accounts (1-based; e.g. a CI matrix); `palisade merge` combines
    /// the shards' JSON reports.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<(u32, u32)>,
}

/// `I/N` with 1 ≤ I ≤ N.
fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not I/N (e.g. 2/5)"))?;
    let (i, n) = (
        i.trim()
            .parse::<u32>()
            .map_err(|_| format!("`{i}` is not a number"))?,
        n.trim()
            .parse::<u32>()
            .map_err(|_| format!("`{n}` is not a number"))?,
    );
    if i == 0 || n == 0 || i > n {
        return Err(format!("shard {i}/{n}: I must be between 1 and N"));
    }
    Ok((i, n))
}

impl LiveArgs {
    fn options(&self) -> palisade_collect::CollectOptions {
        palisade_collect::CollectOptions {
            regions: self.regions.clone(),
            all_regions: self.all_regions,
            endpoint_url: self.endpoint_url.clone(),
            profile: self.profile.clone(),
            role_arn: self.role_arn.clone(),
            external_id: self.external_id.clone(),
            concurrency: self.concurrency.max(1),
            per_service_concurrency: self.per_service_concurrency.max(1),
            max_attempts: self.max_attempts.max(1),
            timeout: std::time::Duration::from_secs(self.timeout.max(1)),
            services: self.services.clone(),
            accounts: self.accounts.clone(),
            org: self.org,
            account_role: self.account_role.clone(),
            account_concurrency: self.account_concurrency.max(1),
            shard: self.shard,
        }
    }
}

#[derive(Args)]
struct ScanArgs {
    /// Evaluate a saved inventory (from `palisade collect` or a fixture) instead of a live account.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["regions", "all_regions", "role_arn", "save_inventory", "terraform_plan"])]
    inventory: Option<PathBuf>,
    /// Evaluate a Terraform plan (`terraform show -json plan.out > plan.json`) with the same policies.
    #[arg(long, value_name = "PLAN.json", conflicts_with_all = ["regions", "all_regions", "role_arn"])]
    terraform_plan: Option<PathBuf>,
    /// The root module's directory: findings then point at the `.tf` file and line of each resource block.
    #[arg(long, value_name = "DIR", requires = "terraform_plan")]
    terraform_dir: Option<PathBuf>,
    /// Account id of the plan's resources when the plan does not show it.
    #[arg(long, value_name = "ID", requires = "terraform_plan")]
    plan_account: Option<String>,
    /// Region of the plan's resources when neither they nor the provider configuration say.
    #[arg(long, value_name = "REGION", requires = "terraform_plan")]
    plan_region: Option<String>,
    #[command(flatten)]
    live: LiveArgs,
    /// Also write the collected inventory to FILE (live scans and Terraform plans).
    #[arg(long, value_name = "FILE")]
    save_inventory: Option<PathBuf>,
    #[command(flatten)]
    policies: PolicyArgs,
    /// Config file; default: ./palisade.toml when it exists.
    #[arg(long, env = "PALISADE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    out: OutputArgs,
    /// Exit 1 when a failure of this severity or higher is found (critical, high, medium, low, info, none).
    #[arg(long, env = "PALISADE_FAIL_ON", value_name = "SEVERITY")]
    fail_on: Option<String>,
    /// A previous scan's JSON report: each failure is marked new or existing, fixed ones are listed.
    #[arg(long, value_name = "PREVIOUS.json")]
    baseline: Option<PathBuf>,
    /// Gate only on failures that are new since --baseline.
    #[arg(long, requires = "baseline")]
    fail_on_new: bool,
    /// Exit 0 instead of 3 when some checks could not be run (ERROR results).
    #[arg(long)]
    allow_incomplete: bool,
    /// Evaluation threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Time limit per rule, in seconds; a rule over it is ERROR.
    #[arg(long, default_value_t = 60)]
    rule_timeout: u64,
    /// Evaluate at most about this many resources at once, splitting a larger inventory by account (rules
    /// join resources within one account only); bounds the engine's memory on very large inventories.
    /// 0 = the whole inventory at once.
    #[arg(long, default_value_t = palisade_engine::DEFAULT_CHUNK_RESOURCES)]
    chunk_resources: usize,
}

/// Where reports go.
#[derive(Args, Clone)]
struct OutputArgs {
    /// Output format of --output FILE / stdout: text, json, sarif, html, markdown, junit, csv, ocsf.
    #[arg(long, value_parser = Format::NAMES)]
    format: Option<String>,
    /// Write the report to FILE instead of stdout; or FORMAT=FILE (repeatable) to write several formats in
    /// one run, e.g. `--output sarif=out.sarif --output html=report.html`.
    #[arg(long, short, value_name = "FILE|FORMAT=FILE")]
    output: Vec<String>,
    /// SARIF automationDetails.id (GitHub code scanning category).
    #[arg(long, value_name = "CATEGORY")]
    category: Option<String>,
}

impl OutputArgs {
    /// The (format, destination) pairs: `None` is stdout.
    fn targets(&self) -> anyhow::Result<Vec<(Format, Option<PathBuf>)>> {
        let main = Format::parse(self.format.as_deref().unwrap_or("text"))
            .ok_or_else(|| anyhow!("unknown format"))?;
        let mut targets = Vec::new();
        let mut plain = 0;
        for o in &self.output {
            match o
                .split_once('=')
                .and_then(|(f, p)| Format::parse(f).map(|f| (f, p)))
            {
                Some((f, p)) if !p.is_empty() => targets.push((f, Some(PathBuf::from(p)))),
                Some((f, _)) => return Err(anyhow!("--output {o}: no file after `{}=`", f.name())),
                None => {
                    plain += 1;
                    targets.push((main, Some(PathBuf::from(o))));
                }
            }
        }
        if plain > 1 {
            return Err(anyhow!(
                "--output: give one plain FILE (for --format) and FORMAT=FILE for the others"
            ));
        }
        // stdout gets the --format report unless every output went to files and no --format was asked.
        if plain == 0 && (targets.is_empty() || self.format.is_some()) {
            targets.push((main, None));
        }
        Ok(targets)
    }
}

/// An error that means "palisade could not run": exit 2.
fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

/// Loads and compiles the policy set (so `rules` and `explain` refuse a broken policy as `scan` does).
fn load_engine(
    p: &PolicyArgs,
    extra: &[PathBuf],
    params: &std::collections::BTreeMap<String, serde_json::Value>,
    options: EvalOptions,
) -> Result<Engine, EngineError> {
    let mut dirs = p.dirs.clone();
    dirs.extend(extra.iter().cloned());
    let set = PolicySet::load(&dirs, !p.no_builtin)?;
    Engine::new(set, params, options)
}

fn load_set(p: &PolicyArgs) -> Result<PolicySet, EngineError> {
    Ok(
        load_engine(p, &[], &Default::default(), EvalOptions::default())?
            .policy_set()
            .clone(),
    )
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    palisade_engine::no_error_backtraces();
    palisade_engine::alloc::tune();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Scan(args) => match scan(*args) {
            Ok(code) => code,
            Err(e) => fail(format!("{e:#}")),
        },
        Command::Collect { live, output } => match collect_cmd(&live, output.as_deref()) {
            Ok(code) => code,
            Err(e) => fail(format!("{e:#}")),
        },
        Command::Policy {
            command: PolicyCommand::Test { dir, format },
        } => policy_test(dir, format),
        Command::Rules { format, policies } => match rules(format, &policies) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(format!("{e:#}")),
        },
        Command::Explain { id, policies } => match explain(&id, &policies) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(format!("{e:#}")),
        },
        Command::Report { scan, out } => match report_cmd(&scan, &out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(format!("{e:#}")),
        },
        Command::Merge {
            scans,
            out,
            fail_on,
            allow_incomplete,
        } => match merge_cmd(&scans, &out, &fail_on, allow_incomplete) {
            Ok(code) => code,
            Err(e) => fail(format!("{e:#}")),
        },
        Command::Schema => {
            println!("{}", palisade_model::INVENTORY_JSON_SCHEMA.trim_end());
            ExitCode::SUCCESS
        }
    }
}

/// `--fail-on` threshold: `None` means never fail on findings.
fn parse_fail_on(s: &str) -> anyhow::Result<Option<Severity>> {
    if s.eq_ignore_ascii_case("none") || s.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    s.parse::<Severity>()
        .map(Some)
        .map_err(|e| anyhow!("--fail-on: {e}"))
}

/// The exit code a report deserves. With `only_new`, only failures new since the baseline count.
fn exit_code(
    report: &ScanReport,
    fail_on: Option<Severity>,
    allow_incomplete: bool,
    only_new: bool,
) -> u8 {
    let failing = fail_on.is_some_and(|t| {
        report.results.iter().any(|f| {
            f.status == Status::Fail
                && f.severity >= t
                && (!only_new || f.baseline != Some(palisade_model::BaselineState::Existing))
        })
    });
    if failing {
        1
    } else if report.summary.count(Status::Error) > 0 && !allow_incomplete {
        3
    } else {
        0
    }
}

fn scan(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let loaded = match &args.config {
        Some(p) => config::load(p)?,
        None if Path::new("palisade.toml").is_file() => config::load(Path::new("palisade.toml"))?,
        None => config::Loaded::default(),
    };
    let cfg = &loaded.config;
    let targets = args.out.targets()?;
    let baseline = match &args.baseline {
        Some(p) => Some(read_report(p)?),
        None => None,
    };
    let fail_on = parse_fail_on(
        args.fail_on
            .as_deref()
            .or(cfg.scan.fail_on.as_deref())
            .unwrap_or("info"),
    )?;
    let load = || {
        load_engine(
            &args.policies,
            &cfg.scan.policies,
            &config::parameters_json(cfg),
            EvalOptions {
                threads: args.threads,
                rule_timeout: std::time::Duration::from_secs(args.rule_timeout.max(1)),
                chunk_resources: args.chunk_resources,
            },
        )
    };
    // Policies are compiled before anything is read, so that a broken one fails at once (exit 2).
    let mut engine = load()?;
    // Waivers and framework mappings are checked before anything is collected, too.
    let known: std::collections::BTreeSet<String> = engine
        .policy_set()
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let waivers = loaded.waivers(&known)?;
    let frameworks = loaded.frameworks(&known)?;
    let live = args.inventory.is_none() && args.terraform_plan.is_none();
    // A scan of several accounts evaluates each account while the next ones are collected, unless the
    // whole inventory is asked for (--save-inventory).
    let streamed =
        live && (args.live.org || !args.live.accounts.is_empty()) && args.save_inventory.is_none();
    if !live {
        palisade_engine::alloc::keep_freed_memory();
    }
    let inv = match (&args.inventory, &args.terraform_plan) {
        (_, Some(plan)) => {
            let path = plan.display().to_string();
            let text = std::fs::read_to_string(plan)
                .with_context(|| format!("cannot read Terraform plan {path}"))?;
            let inv = palisade_iac::parse_plan(
                &path,
                &text,
                &palisade_iac::PlanOptions {
                    account: args.plan_account.clone(),
                    region: args.plan_region.clone(),
                    terraform_dir: args.terraform_dir.clone(),
                },
            )?;
            if let Some(p) = &args.save_inventory {
                write_atomic(p, serde_json::to_string_pretty(&inv)?.as_bytes())?;
            }
            Some(inv)
        }
        (Some(file), None) => {
            let path = file.display().to_string();
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read inventory {path}"))?;
            Some(palisade_engine::parse_inventory(&path, &text)?)
        }
        (None, None) if streamed => {
            palisade_engine::alloc::keep_freed_memory();
            None
        }
        (None, None) => {
            // A live scan holds the compiled policies only after collecting: compiled again (some
            // tens of milliseconds), they do not add to the collection's peak memory.
            drop(engine);
            let mut inv = live_collect(&args.live)?;
            palisade_engine::alloc::release_freed_memory();
            palisade_engine::alloc::keep_freed_memory();
            engine = load()?;
            not_collected(&mut inv, engine.policy_set());
            if let Some(p) = &args.save_inventory {
                write_atomic(p, serde_json::to_string_pretty(&inv)?.as_bytes())?;
            }
            Some(inv)
        }
    };
    let mut report = match inv {
        Some(inv) => engine.evaluate_owned(inv)?,
        None => streamed_scan(&args.live, &engine)?,
    };
    for (fw, control, rules) in frameworks {
        for r in report.rules.iter_mut().filter(|r| rules.contains(&r.id)) {
            let ids = r.frameworks.entry(fw.clone()).or_default();
            if !ids.contains(&control) {
                ids.push(control.clone());
                ids.sort();
            }
        }
    }
    let today: String = palisade_model::time::now_for_report()
        .chars()
        .take(10)
        .collect();
    palisade_engine::review::apply_waivers(&mut report, &waivers, &today);
    if let (Some(prev), Some(path)) = (&baseline, &args.baseline) {
        palisade_engine::review::compare_baseline(&mut report, prev, &path.display().to_string());
    }
    let opts = RenderOptions {
        category: args.out.category.clone().or(cfg.scan.category.clone()),
        ..RenderOptions::default()
    };
    for (format, dest) in &targets {
        write_report(*format, &report, &opts, dest.as_deref())?;
    }
    let files: Vec<String> = targets
        .iter()
        .filter_map(|(_, d)| d.as_ref().map(|p| p.display().to_string()))
        .collect();
    if !files.is_empty() && std::io::stderr().is_terminal() {
        let s = &report.summary;
        eprintln!(
            "palisade: {} FAIL, {} ERROR, {} WAIVED, {} PASS over {} resources; reports written to {}",
            s.count(Status::Fail),
            s.count(Status::Error),
            s.count(Status::Waived),
            s.count(Status::Pass),
            s.resources,
            files.join(", ")
        );
    }
    for w in report
        .waivers
        .iter()
        .filter(|w| w.state != palisade_model::WaiverState::Active)
    {
        eprintln!(
            "palisade: waiver {} ({} on {}) is {}{}",
            w.id,
            w.rule_id,
            w.resource,
            w.state.as_str(),
            if w.state == palisade_model::WaiverState::Expired {
                format!(" since {}: its findings fail again", w.expires)
            } else {
                ": it matched no failing result".to_string()
            }
        );
    }
    let allow_incomplete = args.allow_incomplete || cfg.scan.allow_incomplete.unwrap_or(false);
    Ok(ExitCode::from(exit_code(
        &report,
        fail_on,
        allow_incomplete,
        args.fail_on_new,
    )))
}

/// A live scan of several accounts, each account evaluated as soon as it is collected, while the next
/// ones are: the organization's inventory never exists whole. The evaluation runs on a thread of its own
/// (with its workers), the collection on the async runtime; one account waits between them at most.
fn streamed_scan(live: &LiveArgs, engine: &Engine) -> anyhow::Result<ScanReport> {
    use palisade_collect::Streamed;
    let (sink, mut parts) = tokio::sync::mpsc::channel::<Streamed>(1);
    std::thread::scope(|s| {
        let evaluation = s.spawn(move || {
            let Some(Streamed::Started(provenance)) = parts.blocking_recv() else {
                return None;
            };
            let meta = palisade_model::Inventory {
                schema_version: palisade_model::SCHEMA_VERSION.to_string(),
                provenance,
                resources: Vec::new(),
                collection_errors: Vec::new(),
            };
            let accounts = std::iter::from_fn(|| match parts.blocking_recv() {
                Some(Streamed::Account {
                    account,
                    resources,
                    mut errors,
                }) => {
                    if live.verbose {
                        print_collection_errors(&errors);
                        eprintln!(
                            "palisade: evaluating account {account} ({} resources) while the next accounts are collected",
                            resources.len()
                        );
                    }
                    errors.extend(not_collected_errors(&[account], engine.policy_set()));
                    Some(palisade_engine::Part { resources, errors })
                }
                _ => None,
            });
            Some(
                engine
                    .evaluate_stream_profiled(&meta, accounts)
                    .map(|(report, _)| report),
            )
        });
        // The collection's own error first: an evaluation cut short by it is not a report.
        let collected = live_run(live, Some(sink));
        let evaluated = evaluation
            .join()
            .map_err(|_| anyhow!("internal: the evaluation thread panicked"))?;
        collected?;
        match evaluated {
            Some(report) => Ok(report?),
            None => Err(anyhow!("internal: the collection sent no provenance")),
        }
    })
}

/// Types the rules judge or read that this version does not collect from a live account: a collection
/// error in every scanned account, so the rules that need them say "not checked" (ERROR), never
/// NOT_APPLICABLE or a verdict on half the data.
fn not_collected(inv: &mut palisade_model::Inventory, set: &PolicySet) {
    let errors = not_collected_errors(&inv.provenance.accounts, set);
    inv.collection_errors.extend(errors);
    inv.collection_errors.sort();
}

/// The errors of [`not_collected`], for these accounts.
fn not_collected_errors(
    accounts: &[String],
    set: &PolicySet,
) -> Vec<palisade_model::CollectionError> {
    let live = palisade_collect::live_types();
    let mut missing: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for r in &set.rules {
        for t in r.resource_types.iter().chain(r.requires.iter()) {
            if !live.contains(t.as_str()) {
                missing.insert(t.clone());
            }
        }
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let types: Vec<String> = missing.into_iter().collect();
    let mut errors = Vec::new();
    for account in accounts {
        errors.push(palisade_model::CollectionError {
            service: "palisade".into(),
            account: account.clone(),
            region: "global".into(),
            operation: "palisade:collect".into(),
            error_code: "NotCollected".into(),
            message: format!(
                "this version of palisade does not collect {} from a live account",
                types.join(", ")
            ),
            kind: palisade_model::ErrorKind::NotImplemented,
            resource_types: types.clone(),
            resource_id: None,
        });
    }
    errors
}

/// Reads a JSON report written by `palisade scan --format json`; errors name file, line and column.
fn read_report(p: &Path) -> anyhow::Result<ScanReport> {
    let name = p.display().to_string();
    let text = std::fs::read_to_string(p).with_context(|| format!("cannot read report {name}"))?;
    let report: ScanReport = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "invalid report {name}:{}:{}: {e} (expected a JSON report from `palisade scan --format json`)",
            e.line(),
            e.column()
        )
    })?;
    if report.schema_version.split('.').next() != palisade_model::SCHEMA_VERSION.split('.').next() {
        return Err(anyhow!(
            "invalid report {name}: schema_version {} is not supported (this palisade reads {})",
            report.schema_version,
            palisade_model::SCHEMA_VERSION
        ));
    }
    Ok(report)
}

fn merge_cmd(
    scans: &[PathBuf],
    out: &OutputArgs,
    fail_on: &str,
    allow_incomplete: bool,
) -> anyhow::Result<ExitCode> {
    let fail_on = parse_fail_on(fail_on)?;
    let mut reports = Vec::new();
    for p in scans {
        reports.push((p.display().to_string(), read_report(p)?));
    }
    let merged = palisade_engine::merge::merge(&reports)?;
    let opts = RenderOptions {
        category: out.category.clone(),
        ..RenderOptions::default()
    };
    for (format, dest) in out.targets()? {
        write_report(format, &merged, &opts, dest.as_deref())?;
    }
    Ok(ExitCode::from(exit_code(
        &merged,
        fail_on,
        allow_incomplete,
        false,
    )))
}

fn report_cmd(scan: &Path, out: &OutputArgs) -> anyhow::Result<()> {
    let report = read_report(scan)?;
    let opts = RenderOptions {
        category: out.category.clone(),
        ..RenderOptions::default()
    };
    for (format, dest) in out.targets()? {
        write_report(format, &report, &opts, dest.as_deref())?;
    }
    Ok(())
}

fn write_report(
    format: Format,
    report: &ScanReport,
    opts: &RenderOptions,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let reporter = format.reporter();
    match output {
        Some(p) => {
            // Written next to the target and renamed, so a reader never sees half a report; streamed to
            // that file rather than rendered in memory first (a report of 200,000 results is 120 MB).
            let tmp = tmp_path(p);
            let written = std::fs::File::create(&tmp).and_then(|f| {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
                reporter.render(report, opts, &mut w)?;
                w.flush()
            });
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(e).with_context(|| format!("cannot write {}", tmp.display()));
            }
            std::fs::rename(&tmp, p).with_context(|| format!("cannot write {}", p.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            // A reader that stops early (`| head`) is not an error.
            match reporter
                .render(report, opts, &mut lock)
                .and_then(|()| lock.flush())
            {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other?,
            }
        }
    }
    Ok(())
}

/// The temporary file next to `p`, named per process: two runs writing the same output at once each
/// rename their own file (the last one wins) instead of one failing on the other's rename.
fn tmp_path(p: &Path) -> std::path::PathBuf {
    let mut name = p.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".palisade-tmp-{}", std::process::id()));
    p.with_file_name(name)
}

/// Writes next to the target and renames, so a reader never sees half a file.
fn write_atomic(p: &Path, data: &[u8]) -> anyhow::Result<()> {
    let tmp = tmp_path(p);
    std::fs::write(&tmp, data).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, p).with_context(|| format!("cannot write {}", p.display()))?;
    Ok(())
}

/// Logs on stderr: `RUST_LOG` (e.g. `aws_smithy_runtime=debug` for the SDK's retries) or, with
/// `--verbose`, `info`. Targets that could print signed requests (and so a session token) are capped:
/// request signing at `warn`, the SDK's HTTP layers at `debug`, whatever `RUST_LOG` asks.
fn init_logs(verbose: bool) {
    use tracing_subscriber::EnvFilter;
    let from_env = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty());
    if from_env.is_none() && !verbose {
        return;
    }
    let mut filter = EnvFilter::new(from_env.as_deref().unwrap_or("info"));
    // Caps only ever lower a level: they apply when the filter asks for more than they allow.
    let max = filter.max_level_hint();
    let caps: &[(&str, tracing_subscriber::filter::LevelFilter)] = &[
        (
            "aws_sigv4=warn",
            tracing_subscriber::filter::LevelFilter::WARN,
        ),
        (
            "aws_smithy_runtime=debug",
            tracing_subscriber::filter::LevelFilter::DEBUG,
        ),
        (
            "aws_smithy_runtime_api=debug",
            tracing_subscriber::filter::LevelFilter::DEBUG,
        ),
        (
            "aws_smithy_http_client=debug",
            tracing_subscriber::filter::LevelFilter::DEBUG,
        ),
        ("hyper=info", tracing_subscriber::filter::LevelFilter::INFO),
        (
            "hyper_util=info",
            tracing_subscriber::filter::LevelFilter::INFO,
        ),
        ("rustls=info", tracing_subscriber::filter::LevelFilter::INFO),
    ];
    for (cap, level) in caps {
        if max.is_some_and(|m| m > *level) {
            if let Ok(d) = cap.parse() {
                filter = filter.add_directive(d);
            }
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// Collects a live account, drawing a progress bar on a terminal and a summary line at the end.
fn live_collect(live: &LiveArgs) -> anyhow::Result<palisade_model::Inventory> {
    live_run(live, None)
}

/// As [`live_collect`]; with `sink`, each account is sent to it as its collection finishes (see
/// `palisade_collect::collect_streamed`), and the inventory returned holds the provenance only.
fn live_run(
    live: &LiveArgs,
    sink: Option<tokio::sync::mpsc::Sender<palisade_collect::Streamed>>,
) -> anyhow::Result<palisade_model::Inventory> {
    init_logs(live.verbose);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let progress = std::sync::Arc::new(palisade_collect::Progress::default());
    let tty = std::io::stderr().is_terminal() && !live.quiet;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let drawer = tty.then(|| {
        let (p, stop) = (progress.clone(), stop.clone());
        std::thread::spawn(move || {
            use std::sync::atomic::Ordering::Relaxed;
            while !stop.load(Relaxed) {
                let (done, total) = (p.done.load(Relaxed), p.total.load(Relaxed).max(1));
                let width = 30;
                let filled = (done * width / total).min(width);
                eprint!(
                    "\r[{}{}] {done}/{total} services×regions  {} API calls  {} errors ",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    p.calls.calls(),
                    p.errors.load(Relaxed)
                );
                std::thread::sleep(std::time::Duration::from_millis(120));
            }
            eprint!("\r{}\r", " ".repeat(90));
        })
    });
    let options = live.options();
    let result = rt.block_on(async {
        match sink {
            Some(sink) => {
                palisade_collect::collect_streamed(&options, progress.clone(), sink).await
            }
            None => palisade_collect::collect(&options, progress.clone()).await,
        }
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(d) = drawer {
        let _ = d.join();
    }
    let collected = result?;
    if let Some(p) = &live.record_calls {
        let ops: Vec<serde_json::Value> = collected
            .calls
            .operations()
            .into_iter()
            .map(|(op, n)| {
                let (svc, name) = op.split_once(':').unwrap_or(("", op.as_str()));
                serde_json::json!({"operation": op, "action": palisade_collect::calls::iam_action(svc, name), "count": n})
            })
            .collect();
        write_atomic(p, serde_json::to_string_pretty(&ops)?.as_bytes())?;
    }
    let inv = collected.inventory;
    if live.verbose {
        print_collection_errors(&inv.collection_errors);
    }
    let (resources, errors) = collected
        .sent
        .unwrap_or((inv.resources.len(), inv.collection_errors.len()));
    if !live.quiet {
        eprintln!(
            "palisade: collected {} resources from {} account(s), {} region(s): {} API calls ({} retries), {} collection errors, {:.1} s",
            resources,
            inv.provenance.accounts.len(),
            inv.provenance.regions.len(),
            collected.calls.calls(),
            collected.calls.retries(),
            errors,
            collected.elapsed.as_secs_f64()
        );
    }
    Ok(inv)
}

fn print_collection_errors(errors: &[palisade_model::CollectionError]) {
    for e in errors {
        eprintln!(
            "collection error: {} in {}/{}: {} ({}) {}",
            e.operation,
            e.account,
            e.region,
            e.error_code,
            e.kind.as_str(),
            e.message
        );
    }
}

fn collect_cmd(live: &LiveArgs, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    let mut inv = live_collect(live)?;
    // The built-in rules' types this version cannot collect are recorded, so a later
    // `scan --inventory` says "not checked" for them, as the live scan does.
    not_collected(&mut inv, &PolicySet::load(&[], true)?);
    let text = serde_json::to_string_pretty(&inv)?;
    match output {
        Some(p) => write_atomic(p, format!("{text}\n").as_bytes())?,
        None => println!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn policy_test(dir: Option<PathBuf>, format: ListFormat) -> ExitCode {
    let set = match &dir {
        Some(d) => PolicySet::load(std::slice::from_ref(d), false),
        None => PolicySet::load(&[], true),
    };
    let engine = match set.and_then(|s| Engine::new(s, &Default::default(), EvalOptions::default()))
    {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let results = match engine.run_tests() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let failed = results
        .iter()
        .filter(|(_, r)| !matches!(r, Ok(true)))
        .count();
    let rules = engine.policy_set().rules.len();
    match format {
        ListFormat::Json => {
            let items: Vec<_> = results
                .iter()
                .map(|(t, r)| {
                    serde_json::json!({
                        "package": t.package, "test": t.name, "file": t.file,
                        "passed": matches!(r, Ok(true)),
                        "error": r.as_ref().err(),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "rules": rules, "tests": items.len(), "failed": failed, "results": items
                }))
                .unwrap_or_default()
            );
        }
        ListFormat::Text => {
            for (t, r) in &results {
                let status = match r {
                    Ok(true) => "PASS".to_string(),
                    Ok(false) => "FAIL".to_string(),
                    Err(e) => format!("ERROR {e}"),
                };
                println!("{status:<5} data.{}.{}", t.package, t.name);
            }
            println!(
                "policy tests: {} passed, {failed} failed ({} tests, {rules} rules)",
                results.len() - failed,
                results.len()
            );
        }
    }
    if results.is_empty() {
        eprintln!("error: no test_* rules found");
        return ExitCode::from(1);
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn rules(format: ListFormat, p: &PolicyArgs) -> anyhow::Result<()> {
    let set = load_set(p)?;
    match format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&set.rules)?),
        ListFormat::Text => {
            for r in &set.rules {
                println!("{:<8} {:<8} {}", r.id, r.severity.as_str(), r.title);
            }
            println!("{} rules", set.rules.len());
        }
    }
    Ok(())
}

fn explain(id: &str, p: &PolicyArgs) -> anyhow::Result<()> {
    let set = load_set(p)?;
    let r = set
        .rules
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| anyhow!("no rule with id `{id}` (see `palisade rules`)"))?;
    println!("{} — {}\n", r.id, r.title);
    println!("Severity:       {}", r.severity);
    println!("Resource types: {}", r.resource_types.join(", "));
    if !r.requires.is_empty() {
        println!("Also reads:     {}", r.requires.join(", "));
    }
    println!(
        "Policy:         {}:{} (package {})\n",
        r.file, r.line, r.package
    );
    println!("What it checks and why\n  {}\n", r.description.trim());
    println!("How to fix\n  {}\n", r.remediation.trim());
    if !r.parameters.is_empty() {
        println!("Parameters (set in palisade.toml [parameters])");
        for (k, v) in &r.parameters {
            println!("  {k} = {v}");
        }
        println!();
    }
    println!("Controls");
    for (fw, ids) in &r.frameworks {
        if !ids.is_empty() {
            println!("  {fw}: {}", ids.join(", "));
        }
    }
    Ok(())
}
