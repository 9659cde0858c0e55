//! palisade's live collection: AWS SDK → [`Inventory`]. It owns the credentials and scope (profile, role,
//! regions, endpoint override), runs every (service, region) collector concurrently under a bound, and
//! turns every failed call into a collection error — the engine then reports ERROR, never PASS, for what
//! depends on it. One file per AWS service under `services/`; the [`services::REGISTRY`] lists them.

pub mod calls;
pub mod scope;
pub mod services;

#[cfg(test)]
mod replay;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;
use aws_types::region::Region;
use calls::{CallLog, Recorder};
use palisade_model::{ErrorKind, Inventory, Provenance, SCHEMA_VERSION};
use scope::{Output, Scope};
use services::{Placement, REGISTRY};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How to reach the account and what to collect.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Regions to scan; empty = the configured default region.
    pub regions: Vec<String>,
    /// Every region enabled for the account (EC2 DescribeRegions).
    pub all_regions: bool,
    /// Send every call to this endpoint (the local emulator).
    pub endpoint_url: Option<String>,
    pub profile: Option<String>,
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    /// (service, region) collectors running at once.
    pub concurrency: usize,
    /// Per-resource calls running at once inside one collector.
    pub per_service_concurrency: usize,
    /// SDK attempts per call (1 = no retry).
    pub max_attempts: u32,
    /// Limit for one call, retries included.
    pub timeout: Duration,
    /// Only these services (registry names); empty = all.
    pub services: Vec<String>,
    /// Scan these accounts (assuming `account_role` in each) instead of the caller's account.
    pub accounts: Vec<String>,
    /// Scan every active account of the caller's AWS Organization (organizations:ListAccounts).
    pub org: bool,
    /// The role assumed in each account of `accounts` / `org` (its name, or a full ARN pattern with
    /// `{account}`).
    pub account_role: Option<String>,
    /// Accounts collected at once.
    pub account_concurrency: usize,
    /// Only a deterministic share of the accounts: shard `i` of `n` (1-based).
    pub shard: Option<(u32, u32)>,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            regions: Vec::new(),
            all_regions: false,
            endpoint_url: None,
            profile: None,
            role_arn: None,
            external_id: None,
            concurrency: 16,
            per_service_concurrency: 8,
            max_attempts: 3,
            timeout: Duration::from_secs(60),
            services: Vec::new(),
            accounts: Vec::new(),
            org: false,
            account_role: None,
            account_concurrency: 4,
            shard: None,
        }
    }
}

/// Live progress, for the CLI's progress bar.
#[derive(Debug, Default)]
pub struct Progress {
    pub total: AtomicUsize,
    pub done: AtomicUsize,
    pub errors: AtomicUsize,
    pub calls: Arc<CallLog>,
}

/// What a collection produced.
pub struct Collected {
    /// The inventory; after [`collect_streamed`], its provenance only (the resources and collection
    /// errors were sent).
    pub inventory: Inventory,
    pub calls: Arc<CallLog>,
    pub elapsed: Duration,
    /// (service, region) tasks run.
    pub tasks: usize,
    /// After [`collect_streamed`]: the resources and the collection errors sent.
    pub sent: Option<(usize, usize)>,
}

/// What [`collect_streamed`] sends, in this order: the provenance, once the accounts and regions are
/// known, then each account as its collection finishes.
#[derive(Debug)]
pub enum Streamed {
    Started(Provenance),
    /// One account's resources and collection errors, all of them.
    Account {
        account: String,
        resources: Vec<palisade_model::Resource>,
        errors: Vec<palisade_model::CollectionError>,
    },
}

/// Errors that stop a collection before it starts (no credentials, no account).
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("cannot identify the AWS account (sts:GetCallerIdentity): {0}")]
    Identity(String),
    #[error("no region: pass --region or set AWS_REGION / a profile region")]
    NoRegion,
    #[error("cannot list the account's regions (ec2:DescribeRegions): {0}")]
    Regions(String),
    #[error("unknown service `{0}` (known: {1})")]
    UnknownService(String, String),
    #[error("cannot list the organization's accounts (organizations:ListAccounts): {0}")]
    Organization(String),
    #[error("{0}")]
    Usage(String),
}

/// The shard (1-based `i` of `n`) an account belongs to: FNV-1a of its id, so the split is stable,
/// needs no list of the other accounts, and every account is in exactly one shard.
pub fn shard_of(account: &str, n: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in account.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(n.max(1))) as u32 + 1
}

/// The role ARN to assume in `account`: a name becomes `arn:aws:iam::<account>:role/<name>`; an ARN
/// pattern has `{account}` replaced.
pub fn role_arn_for(role: &str, account: &str) -> String {
    if role.starts_with("arn:") {
        role.replace("{account}", account)
    } else {
        format!("arn:aws:iam::{account}:role/{role}")
    }
}

fn sdk_error_text<E, R>(e: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> String
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(&format!(": {s}"));
        src = s.source();
    }
    msg
}

/// Loads the SDK configuration the way AWS users expect: environment, shared config and credentials
/// files (`--profile`), SSO, web identity (GitHub OIDC), container and instance roles; then assumes
/// `--role-arn` if given.
pub async fn sdk_config(opts: &CollectOptions) -> Result<aws_types::SdkConfig, CollectError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(opts.max_attempts.max(1)))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(opts.timeout)
                .connect_timeout(Duration::from_secs(5).min(opts.timeout))
                .build(),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = opts.regions.first() {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let base = loader.load().await;
    if base.region().is_none() {
        return Err(CollectError::NoRegion);
    }
    let Some(role) = &opts.role_arn else {
        return Ok(base);
    };
    let mut b = aws_config::sts::AssumeRoleProvider::builder(role).session_name("palisade");
    if let Some(x) = &opts.external_id {
        b = b.external_id(x);
    }
    let provider = b.configure(&base).build().await;
    Ok(base
        .into_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(provider),
        )
        .build())
}

fn run<'a>(
    service: &'static str,
    s: &'a Scope,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>> {
    match service {
        "ec2" => Box::pin(services::ec2::collect(s)),
        "elasticloadbalancing" => Box::pin(services::elbv2::collect(s)),
        "rds" => Box::pin(services::rds::collect(s)),
        "secretsmanager" => Box::pin(services::secretsmanager::collect(s)),
        "cognito-idp" => Box::pin(services::cognito::collect(s)),
        "wafv2" => Box::pin(services::wafv2::collect(s)),
        "cloudfront" => Box::pin(services::cloudfront::collect(s)),
        "route53" => Box::pin(services::route53::collect(s)),
        "shield" => Box::pin(services::shield::collect(s)),
        "s3" => Box::pin(services::s3::collect(s)),
        "iam" => Box::pin(services::iam::collect(s)),
        "ecs" => Box::pin(services::ecs::collect(s)),
        "application-autoscaling" => Box::pin(services::appautoscaling::collect(s)),
        "ecr" => Box::pin(services::ecr::collect(s)),
        "elasticache" => Box::pin(services::elasticache::collect(s)),
        "sns" => Box::pin(services::sns::collect(s)),
        "logs" => Box::pin(services::logs::collect(s)),
        "monitoring" => Box::pin(services::cloudwatch::collect(s)),
        "synthetics" => Box::pin(services::synthetics::collect(s)),
        "xray" => Box::pin(services::xray::collect(s)),
        "codebuild" => Box::pin(services::codebuild::collect(s)),
        "codepipeline" => Box::pin(services::codepipeline::collect(s)),
        "codedeploy" => Box::pin(services::codedeploy::collect(s)),
        // A registered collector without an arm here would collect nothing: say so, never stay silent.
        other => Box::pin(async move {
            let types = REGISTRY
                .iter()
                .find(|c| c.service == other)
                .map_or(&[][..], |c| c.types);
            s.record(
                other,
                "Collect",
                types,
                None,
                "NotImplemented".into(),
                format!("palisade has no collector for {other}"),
                ErrorKind::NotImplemented,
            );
        }),
    }
}

/// Collects the configuration of the caller's account, or of every account of `accounts` / `org`.
pub async fn collect(
    opts: &CollectOptions,
    progress: Arc<Progress>,
) -> Result<Collected, CollectError> {
    collect_into(opts, progress, None).await
}

/// As [`collect`], sending each account to `sink` as soon as its collection finishes instead of
/// gathering an inventory: an organization is evaluated while its next accounts are collected, and no
/// more than the accounts in flight are held at once. The provenance's `collected_at` is the time the
/// accounts are known (a collection of every account gives the time it ended). If `sink` is closed, the
/// collection goes on and what it collects is dropped.
pub async fn collect_streamed(
    opts: &CollectOptions,
    progress: Arc<Progress>,
    sink: tokio::sync::mpsc::Sender<Streamed>,
) -> Result<Collected, CollectError> {
    collect_into(opts, progress, Some(sink)).await
}

fn now_rfc3339() -> String {
    palisade_model::time::format_rfc3339(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    )
}

/// One account's resources sorted by (type, id), without duplicates (a resource listed twice).
fn sorted(mut resources: Vec<palisade_model::Resource>) -> Vec<palisade_model::Resource> {
    resources.sort_by(|a, b| (&a.resource_type, &a.id).cmp(&(&b.resource_type, &b.id)));
    resources.dedup_by(|a, b| a.resource_type == b.resource_type && a.id == b.id);
    resources
}

async fn collect_into(
    opts: &CollectOptions,
    progress: Arc<Progress>,
    sink: Option<tokio::sync::mpsc::Sender<Streamed>>,
) -> Result<Collected, CollectError> {
    let started = Instant::now();
    for s in &opts.services {
        if !REGISTRY.iter().any(|c| c.service == s) {
            let known: Vec<&str> = REGISTRY.iter().map(|c| c.service).collect();
            return Err(CollectError::UnknownService(s.clone(), known.join(", ")));
        }
    }
    let multi = opts.org || !opts.accounts.is_empty();
    if opts.shard.is_some() && !multi {
        return Err(CollectError::Usage(
            "--shard splits the accounts of --org or --accounts".into(),
        ));
    }
    if multi && opts.account_role.is_none() {
        return Err(CollectError::Usage(
            "--org and --accounts need --account-role (the role palisade assumes in each account)"
                .into(),
        ));
    }
    let base = sdk_config(opts).await?;
    let calls = progress.calls.clone();
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&base)
            .interceptor(Recorder(calls.clone()))
            .build(),
    );
    let caller = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| CollectError::Identity(sdk_error_text(&e)))?
        .account()
        .unwrap_or_default()
        .to_string();
    let mut regions = opts.regions.clone();
    if opts.all_regions {
        let ec2 = aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(&base)
                .interceptor(Recorder(calls.clone()))
                .build(),
        );
        let out = ec2
            .describe_regions()
            .send()
            .await
            .map_err(|e| CollectError::Regions(sdk_error_text(&e)))?;
        regions = out
            .regions()
            .iter()
            .filter_map(|r| r.region_name().map(str::to_string))
            .collect();
    }
    if regions.is_empty() {
        regions.push(
            base.region()
                .map(|r| r.to_string())
                .ok_or(CollectError::NoRegion)?,
        );
    }
    regions.sort();
    regions.dedup();
    let out = Arc::new(Mutex::new(Output::default()));
    let mut accounts: Vec<String> = Vec::new();
    if multi {
        accounts.extend(opts.accounts.iter().cloned());
        if opts.org {
            let org = aws_sdk_organizations::Client::from_conf(
                aws_sdk_organizations::config::Builder::from(&base)
                    .interceptor(Recorder(calls.clone()))
                    .build(),
            );
            let mut pages = org.list_accounts().into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| CollectError::Organization(sdk_error_text(&e)))?;
                for a in page.accounts() {
                    let active = a.status().is_none_or(|s| s.as_str() == "ACTIVE");
                    if let (Some(id), true) = (a.id(), active) {
                        accounts.push(id.to_string());
                    }
                }
            }
        }
        accounts.sort();
        accounts.dedup();
        if let Some((i, n)) = opts.shard {
            accounts.retain(|a| shard_of(a, n) == i);
        }
    } else {
        accounts.push(caller.clone());
    }
    let started_at = now_rfc3339();
    if let Some(sink) = &sink {
        let provenance = Provenance {
            source: "live".into(),
            collected_at: started_at.clone(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            accounts: accounts.clone(),
            regions: regions.clone(),
        };
        let _ = sink.send(Streamed::Started(provenance)).await;
    }
    let sent = Arc::new(Mutex::new((0usize, 0usize)));
    let tasks = Arc::new(AtomicUsize::new(0));
    let role = opts.account_role.clone().unwrap_or_default();
    let sem = Arc::new(tokio::sync::Semaphore::new(opts.account_concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for account in &accounts {
        let (sem, progress, out, tasks, sink, sent) = (
            sem.clone(),
            progress.clone(),
            out.clone(),
            tasks.clone(),
            sink.clone(),
            sent.clone(),
        );
        let (account, regions, opts) = (account.clone(), regions.clone(), opts.clone());
        let base = base.clone();
        let role = role.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            // This account's own output: sent whole when it is done, or added to the inventory.
            let mine = Arc::new(Mutex::new(Output::default()));
            let config = if multi {
                match assume(
                    &base,
                    &role_arn_for(&role, &account),
                    &account,
                    &opts,
                    &progress,
                )
                .await
                {
                    Ok(c) => Some(c),
                    Err(e) => {
                        if let Ok(mut o) = mine.lock() {
                            o.errors.push(e);
                        }
                        progress.errors.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                }
            } else {
                Some(base)
            };
            if let Some(config) = config {
                let n = collect_account(&config, &account, &regions, &opts, &progress, &mine).await;
                tasks.fetch_add(n, Ordering::Relaxed);
            }
            let Ok(mut mine) = mine.lock().map(|mut o| std::mem::take(&mut *o)) else {
                return;
            };
            match sink {
                Some(sink) => {
                    let (resources, mut errors) = (sorted(mine.resources), mine.errors);
                    errors.sort();
                    errors.dedup();
                    if let Ok(mut n) = sent.lock() {
                        n.0 += resources.len();
                        n.1 += errors.len();
                    }
                    let part = Streamed::Account {
                        account,
                        resources,
                        errors,
                    };
                    let _ = sink.send(part).await;
                }
                None => {
                    if let Ok(mut o) = out.lock() {
                        o.resources.append(&mut mine.resources);
                        o.errors.append(&mut mine.errors);
                    }
                }
            }
        });
    }
    while set.join_next().await.is_some() {}
    let n_tasks = tasks.load(Ordering::Relaxed);
    let accounts_scanned = accounts;
    let output = std::mem::take(
        &mut *out
            .lock()
            .map_err(|_| CollectError::Identity("internal: poisoned lock".into()))?,
    );
    let resources = sorted(output.resources);
    let mut errors = output.errors;
    errors.sort();
    errors.dedup();
    let inventory = Inventory {
        schema_version: SCHEMA_VERSION.to_string(),
        provenance: Provenance {
            source: "live".into(),
            collected_at: if sink.is_some() {
                started_at
            } else {
                now_rfc3339()
            },
            tool_version: env!("CARGO_PKG_VERSION").into(),
            accounts: accounts_scanned,
            regions,
        },
        resources,
        collection_errors: errors,
    };
    Ok(Collected {
        inventory,
        calls,
        elapsed: started.elapsed(),
        tasks: n_tasks,
        sent: sink
            .is_some()
            .then(|| sent.lock().map(|n| *n).unwrap_or_default()),
    })
}

/// Every resource type the collectors produce (an account that cannot be reached fails them all).
fn all_types() -> Vec<String> {
    let mut t: Vec<String> = REGISTRY
        .iter()
        .flat_map(|c| c.types.iter().map(|t| t.to_string()))
        .collect();
    t.sort();
    t.dedup();
    t
}

/// The SDK configuration for `account` through its role; a role that cannot be assumed is a collection
/// error for every type in that account (its rules are ERROR there, never silently absent).
async fn assume(
    base: &aws_types::SdkConfig,
    role_arn: &str,
    account: &str,
    opts: &CollectOptions,
    progress: &Progress,
) -> Result<aws_types::SdkConfig, palisade_model::CollectionError> {
    // One explicit AssumeRole first: its error names the cause (AccessDenied, a missing role), where the
    // provider below would only say that credentials could not be loaded.
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(base)
            .interceptor(Recorder(progress.calls.clone()))
            .build(),
    );
    let mut req = sts
        .assume_role()
        .role_arn(role_arn)
        .role_session_name("palisade");
    if let Some(x) = &opts.external_id {
        req = req.external_id(x);
    }
    let failed = |error_code: String, message: String, kind| palisade_model::CollectionError {
        service: "sts".into(),
        account: account.to_string(),
        region: "global".into(),
        operation: "sts:AssumeRole".into(),
        error_code,
        message,
        kind,
        resource_types: all_types(),
        resource_id: None,
    };
    let assumed = match req.send().await {
        Ok(out) => out,
        Err(e) => {
            let (code, message, kind) = scope::classify(&e);
            return Err(failed(
                code,
                format!("cannot assume {role_arn}: {message}"),
                kind,
            ));
        }
    };
    // The session must be in the account asked for (a role ARN pattern can point elsewhere).
    let got = assumed
        .assumed_role_user()
        .map(|u| u.arn())
        .and_then(|arn| arn.split(':').nth(4))
        .unwrap_or("?");
    if got != account {
        return Err(failed(
            "WrongAccount".into(),
            format!("{role_arn} gave credentials of account {got}"),
            palisade_model::ErrorKind::Other,
        ));
    }
    // The provider assumes the role again when its credentials expire (long scans).
    let mut b = aws_config::sts::AssumeRoleProvider::builder(role_arn).session_name("palisade");
    if let Some(x) = &opts.external_id {
        b = b.external_id(x);
    }
    let provider = b.configure(base).build().await;
    Ok(base
        .clone()
        .into_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(provider),
        )
        .build())
}

/// Collects one account with `config` (its credentials) in `regions`; returns the (service, region)
/// tasks run.
async fn collect_account(
    base: &aws_types::SdkConfig,
    account: &str,
    regions: &[String],
    opts: &CollectOptions,
    progress: &Arc<Progress>,
    out: &Arc<Mutex<Output>>,
) -> usize {
    let wanted = |svc: &str| opts.services.is_empty() || opts.services.iter().any(|s| s == svc);
    let calls = progress.calls.clone();
    let make_scope = |region: &str, report_region: &str| Scope {
        account: account.to_string(),
        region: report_region.to_string(),
        sdk: base
            .to_builder()
            .region(Region::new(region.to_string()))
            .build(),
        calls: calls.clone(),
        per_service_concurrency: opts.per_service_concurrency,
        endpoint_override: opts.endpoint_url.clone(),
        out: out.clone(),
    };
    let mut tasks: Vec<(&'static str, Scope)> = Vec::new();
    for c in REGISTRY.iter().filter(|c| wanted(c.service)) {
        match c.placement {
            Placement::Regional => {
                for r in regions {
                    tasks.push((c.service, make_scope(r, r)));
                }
            }
            Placement::Global => tasks.push((c.service, make_scope("us-east-1", "global"))),
        }
    }
    let waf = wanted("wafv2");
    progress.total.fetch_add(
        tasks.len() + if waf { regions.len() } else { 0 },
        Ordering::Relaxed,
    );
    let sem = Arc::new(tokio::sync::Semaphore::new(opts.concurrency.max(1)));
    let n_tasks = tasks.len();
    let mut set = tokio::task::JoinSet::new();
    for (service, scope) in tasks {
        let sem = sem.clone();
        let progress = progress.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            run(service, &scope).await;
            progress.done.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut o) = scope.out.lock() {
                let n = o.errors.len();
                progress
                    .errors
                    .fetch_add(n.saturating_sub(o.reported), Ordering::Relaxed);
                o.reported = n;
            }
        });
    }
    while set.join_next().await.is_some() {}
    // Phase 2: which web ACL protects each ALB and user pool (needs phase 1's resources).
    if waf {
        let mut set = tokio::task::JoinSet::new();
        for r in regions {
            let targets: Vec<String> = out
                .lock()
                .map(|o| {
                    o.resources
                        .iter()
                        .filter(|x| x.region == *r && x.account == account)
                        .filter(|x| {
                            (x.resource_type == "aws_lb"
                                && x.attributes
                                    .get("load_balancer_type")
                                    .and_then(|t| t.as_str())
                                    == Some("application"))
                                || x.resource_type == "aws_cognito_user_pool"
                        })
                        .map(|x| x.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            let scope = make_scope(r, r);
            // Load balancers or user pools that could not be listed cannot be looked up: their
            // associations are unknown, which is an error (a rule must not read "no association").
            let unlisted: Option<palisade_model::CollectionError> = out.lock().ok().and_then(|o| {
                o.errors
                    .iter()
                    .filter(|e| e.account == account && e.region == *r && e.resource_id.is_none())
                    .find(|e| {
                        e.resource_types
                            .iter()
                            .any(|t| t == "aws_lb" || t == "aws_cognito_user_pool")
                    })
                    .cloned()
            });
            if let Some(cause) = unlisted {
                // Same code and kind as the cause, so the report says what permission or fault it was.
                scope.record(
                    "wafv2",
                    "GetWebACLForResource",
                    &["aws_wafv2_web_acl_association"],
                    None,
                    cause.error_code.clone(),
                    format!(
                        "associations not looked up because {} failed: {}",
                        cause.operation, cause.message
                    ),
                    cause.kind,
                );
            }
            let sem = sem.clone();
            let progress = progress.clone();
            set.spawn(async move {
                let _permit = sem.acquire_owned().await;
                services::wafv2::associations(&scope, targets).await;
                progress.done.fetch_add(1, Ordering::Relaxed);
            });
        }
        while set.join_next().await.is_some() {}
    }
    n_tasks
}

/// Terraform resource types whose facts a live collection puts on another resource: a secret carries its
/// rotation settings, a Shield protection its automatic application-layer response status.
pub const FOLDED_TYPES: &[&str] = &[
    "aws_secretsmanager_secret_rotation",
    "aws_shield_application_layer_automatic_response",
];

/// Every type a live collection can produce or fold (see [`FOLDED_TYPES`]).
pub fn live_types() -> std::collections::BTreeSet<&'static str> {
    REGISTRY
        .iter()
        .flat_map(|c| c.types.iter().copied())
        .chain(FOLDED_TYPES.iter().copied())
        .collect()
}

/// Every IAM action the collectors may call, for the least-privilege policy.
pub fn required_actions() -> Vec<&'static str> {
    let mut a: Vec<&'static str> = REGISTRY
        .iter()
        .flat_map(|c| c.actions.iter().copied())
        .collect();
    a.extend(["sts:GetCallerIdentity", "ec2:DescribeRegions"]);
    a.sort();
    a.dedup();
    a
}

/// The least-privilege IAM policy palisade ships (attach it to the scanning role).
pub const READONLY_POLICY: &str = include_str!("../palisade-readonly-policy.json");

#[cfg(test)]
mod tests {
    use super::*;

    /// Every registered collector is dispatched by `run` (a missing arm would only record NotImplemented).
    #[test]
    fn every_registered_collector_has_a_run_arm() {
        let src = include_str!("lib.rs");
        let body = src
            .split("fn run<'a>(")
            .nth(1)
            .and_then(|r| r.split("\n}\n").next())
            .unwrap_or("");
        for c in REGISTRY {
            assert!(
                body.contains(&format!("\"{}\" => Box::pin(", c.service)),
                "no run arm for {}",
                c.service
            );
        }
    }

    fn policy_actions() -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(READONLY_POLICY).unwrap_or_default();
        v["Statement"][0]["Action"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn shipped_policy_grants_exactly_what_the_collectors_declare() {
        let mut declared: Vec<String> = required_actions().iter().map(|s| s.to_string()).collect();
        declared.sort();
        let mut granted = policy_actions();
        granted.sort();
        assert_eq!(declared, granted);
        for a in &granted {
            assert!(calls::is_read_only(a), "{a} is not a read of configuration");
        }
    }

    /// Static guard: every client call in a collector (`c.op(` / `rc.op(` / `ec2.op(`) is a describe, list
    /// or get, and none reads a secret value.
    #[test]
    fn collector_sources_call_only_reads_and_never_secret_values() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![dir.join("lib.rs")];
        for e in std::fs::read_dir(dir.join("services"))
            .into_iter()
            .flatten()
            .flatten()
        {
            files.push(e.path());
        }
        let mut ops = 0;
        for f in &files {
            let full = std::fs::read_to_string(f).unwrap_or_default();
            // This test module names what it forbids; judge only the code above it.
            let code = full.split("#[cfg(test)]").next().unwrap_or("");
            // Join method chains that rustfmt split over lines (`c\n    .get_x()` -> `c.get_x()`), so a
            // call is seen however it is formatted.
            let mut text = String::with_capacity(code.len());
            let chars: Vec<char> = code.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                if chars[i].is_whitespace() {
                    let mut j = i;
                    while j < chars.len() && chars[j].is_whitespace() {
                        j += 1;
                    }
                    if chars.get(j) == Some(&'.') && chars[i..j].contains(&'\n') {
                        i = j;
                        continue;
                    }
                }
                text.push(chars[i]);
                i += 1;
            }
            assert!(
                !text.contains("get_secret_value"),
                "{} mentions get_secret_value",
                f.display()
            );
            for client in ["c.", "rc.", "ec2.", "sts."] {
                for (i, _) in text.match_indices(client) {
                    let before = text[..i].chars().last().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' || before == '.' {
                        continue;
                    }
                    let rest = &text[i + client.len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if name.is_empty() || name == "clone" || !rest[name.len()..].starts_with("()") {
                        continue;
                    }
                    ops += 1;
                    assert!(
                        ["describe_", "list_", "get_", "batch_get_"]
                            .iter()
                            .any(|p| name.starts_with(p)),
                        "{} calls `{name}`, which is not a read",
                        f.display()
                    );
                }
            }
        }
        assert!(
            ops >= 35,
            "only {ops} client calls found: the guard is not looking"
        );
    }
}
