//! palisade's infrastructure-as-code source: a Terraform plan (`terraform show -json plan.out`) becomes an
//! [`Inventory`], so the same policies that judge a live account judge a change before it is applied.
//!
//! - Resources come from `planned_values` (every module, `count` and `for_each` instances); data sources and
//!   non-AWS resources are left out, and so are resources being deleted (they are not in `planned_values`).
//! - Attribute names are the provider's, which are the inventory's.
//! - A value unknown until apply (`after_unknown`) is listed in the resource's `unknown` paths, so a rule
//!   that reads it reports ERROR, never PASS. An unknown identity (`id`, `arn`) becomes an ARN-shaped
//!   placeholder that keeps the resource's address, and an unknown argument that only refers to other resources' identities
//!   (`resource_arn = aws_lb.app.arn`, `vpc_security_group_ids = [aws_security_group.db.id]`) is resolved
//!   to them through the plan's `configuration`, so cross-resource checks work inside a plan.
//!   An unknown identity the provider derives from known arguments is the ARN AWS will give
//!   (`arn:aws:ecs:<region>:<account>:cluster/<name>`, a service's `…:service/<cluster>/<name>`, an alarm's
//!   `…:alarm:<name>`), and so are computed values the provider derives (a load balancer's `arn_suffix`, the
//!   CloudWatch `LoadBalancer` dimension); a reference inside a document (`container_definitions`, a policy,
//!   a pipeline action's `EnvironmentVariables`) is never taken for the document.
//! - A resource of an aliased provider (`provider = aws.dr`) is in that provider configuration's region.
//! - Sensitive values (`after_sensitive`) are never kept: they become `"(sensitive)"`. Clear-text variable
//!   values (container environments, CodeBuild and CodePipeline variables), which Terraform does not mark
//!   sensitive, are redacted as a live collection redacts them.
//! - With a Terraform directory, each resource carries the `.tf` file and line of its block.

mod locate;
mod redact;
mod resolve;

pub use locate::locate;

use palisade_model::{Inventory, Provenance, Resource, SCHEMA_VERSION};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A plan that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum IacError {
    #[error("invalid Terraform plan {file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("invalid Terraform plan {file}: {message}")]
    Shape { file: String, message: String },
}

/// How to place a plan's resources.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// The account the plan applies to (default: the account in the plan's known ARNs, else `unknown`).
    pub account: Option<String>,
    /// The region when neither the resource nor the provider configuration says (default `unknown`).
    pub region: Option<String>,
    /// The directory of the root module's `.tf` files: each resource then carries the file and line of
    /// its block (shown as the path given).
    pub terraform_dir: Option<std::path::PathBuf>,
}

/// The placeholder of a sensitive value: palisade never keeps one.
pub const SENSITIVE: &str = palisade_model::redact::SENSITIVE;

/// Resource types AWS treats as global (reported in region `global`, as the live collectors do).
fn global_type(t: &str) -> bool {
    [
        "aws_iam_",
        "aws_cloudfront_",
        "aws_route53_",
        "aws_shield_",
        "aws_s3_account_",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// Attributes whose value is a list of references even when the plan says nothing of its shape (a plan's
/// `sensitive_values` gives `[]` for an unknown list; this is for plans without it).
fn list_valued(attr: &str) -> bool {
    attr.ends_with("_ids")
        || attr.ends_with("_arns")
        || attr.ends_with("_actions")
        || matches!(
            attr,
            "security_groups" | "subnets" | "log_destination_configs" | "aliases"
        )
}

/// The configuration of a planned resource.
struct ConfigOf {
    /// Its block's `expressions` (`null` when the configuration has no block for it).
    expressions: Value,
    /// The instance prefix of its module (`module.data.`, empty at the root).
    prefix: String,
    /// Its `provider_config_key` (`aws`, `aws.dr`).
    provider_key: Option<String>,
}

struct Change<'a> {
    after_unknown: &'a Value,
    after_sensitive: &'a Value,
    actions: Vec<String>,
}

/// One managed resource of `planned_values`, with its module path.
struct Planned<'a> {
    address: String,
    /// Module call names from the root, e.g. `["data"]` for `module.data[0]`.
    module: Vec<String>,
    /// Address inside its module without instance key, e.g. `aws_db_instance.app`.
    config_address: String,
    rtype: String,
    values: Map<String, Value>,
    sensitive: &'a Value,
}

fn shape(file: &str, message: impl Into<String>) -> IacError {
    IacError::Shape {
        file: file.to_string(),
        message: message.into(),
    }
}

/// Module call names of a module address (`module.a[0].module.b` → `["a", "b"]`).
fn module_path(addr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = addr;
    while let Some(r) = rest.strip_prefix("module.") {
        let end = r.find(['.', '[']).unwrap_or(r.len());
        out.push(r[..end].to_string());
        rest = &r[end..];
        if rest.starts_with('[') {
            rest = rest.find(']').map_or("", |i| &rest[i + 1..]);
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

/// The module-instance prefix of a resource address (`module.a["x"].aws_lb.b[0]` → `module.a["x"].`).
fn module_prefix(address: &str, type_and_name: &str) -> String {
    address
        .rfind(type_and_name)
        .map(|i| address[..i].to_string())
        .unwrap_or_default()
}

fn walk_module<'a>(
    file: &str,
    m: &'a Value,
    out: &mut Vec<Planned<'a>>,
    depth: usize,
) -> Result<(), IacError> {
    if depth > 64 {
        return Err(shape(file, "modules nested more than 64 deep"));
    }
    let Some(obj) = m.as_object() else {
        return Err(shape(file, "a module in planned_values is not an object"));
    };
    let module_addr = obj.get("address").and_then(Value::as_str).unwrap_or("");
    if let Some(rs) = obj.get("resources") {
        let Some(rs) = rs.as_array() else {
            return Err(shape(
                file,
                format!("planned_values module `{module_addr}`: `resources` is not an array"),
            ));
        };
        for (i, r) in rs.iter().enumerate() {
            let field = |k: &str| r.get(k).and_then(Value::as_str);
            let (Some(address), Some(rtype), Some(name)) =
                (field("address"), field("type"), field("name"))
            else {
                return Err(shape(
                    file,
                    format!(
                        "planned_values module `{}` resource #{}: needs string `address`, `type` and `name`",
                        if module_addr.is_empty() { "(root)" } else { module_addr },
                        i + 1
                    ),
                ));
            };
            if field("mode") == Some("data") || !rtype.starts_with("aws_") {
                continue;
            }
            let values = match r.get("values") {
                Some(Value::Object(v)) => v.clone(),
                None | Some(Value::Null) => Map::new(),
                Some(_) => {
                    return Err(shape(
                        file,
                        format!("resource {address}: `values` is not an object"),
                    ))
                }
            };
            out.push(Planned {
                address: address.to_string(),
                module: module_path(address),
                config_address: format!("{rtype}.{name}"),
                rtype: rtype.to_string(),
                values,
                sensitive: r.get("sensitive_values").unwrap_or(&Value::Null),
            });
        }
    }
    if let Some(children) = obj.get("child_modules") {
        let Some(children) = children.as_array() else {
            return Err(shape(
                file,
                format!("planned_values module `{module_addr}`: `child_modules` is not an array"),
            ));
        };
        for c in children {
            walk_module(file, c, out, depth + 1)?;
        }
    }
    Ok(())
}

/// Every path (`a.0.b`) where `marks` (an `after_unknown`/`after_sensitive` tree) is `true`.
fn true_paths(marks: &Value, prefix: &str, out: &mut Vec<String>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match marks {
        Value::Bool(true) => out.push(prefix.to_string()),
        Value::Object(m) => m.iter().for_each(|(k, v)| true_paths(v, &join(k), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| true_paths(v, &join(&i.to_string()), out)),
        _ => {}
    }
}

/// Sets the value at a dotted path (creating objects on the way; array indices must exist).
fn set_path(v: &mut Value, path: &[&str], new: Value) {
    let Some((first, rest)) = path.split_first() else {
        *v = new;
        return;
    };
    match v {
        Value::Object(m) => {
            let child = m.entry(first.to_string()).or_insert(Value::Null);
            if rest.is_empty() {
                *child = new;
            } else {
                set_path(child, rest, new);
            }
        }
        Value::Array(a) => {
            if let Some(child) = first.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                set_path(child, rest, new);
            }
        }
        _ => {}
    }
}

/// A reference `type.name[key].attr` (in the referring module) split into (`type.name[key]`, `attr`).
pub(crate) fn split_reference(r: &str) -> Option<(String, String)> {
    if r.starts_with("var.") || r.starts_with("local.") || r.starts_with("module.") {
        return None;
    }
    if r.starts_with("data.") || r.starts_with("each.") || r.starts_with("count.") {
        return None;
    }
    // type.name, then an optional [key], then .attr
    let mut parts = r.splitn(3, '.');
    let (t, rest1) = (parts.next()?, parts.next()?);
    let attr_part = parts.next()?;
    let (name, key) = match rest1.find('[') {
        Some(i) => (&rest1[..i], &rest1[i..]),
        None => (rest1, ""),
    };
    // `aws_lb.app[0].arn` splits as ("aws_lb", "app[0]", "arn"); `aws_lb.app.arn` as ("aws_lb","app","arn").
    let attr = attr_part.split(['.', '[']).next()?.to_string();
    Some((format!("{t}.{name}{key}"), attr))
}

/// Reads a Terraform plan in JSON form (`terraform show -json plan.out`). `file` names it in errors.
pub fn parse_plan(file: &str, text: &str, opts: &PlanOptions) -> Result<Inventory, IacError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| IacError::Syntax {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    })?;
    let Some(root) = doc.as_object() else {
        return Err(shape(
            file,
            "expected a JSON object (`terraform show -json plan.out`)",
        ));
    };
    match root.get("format_version").and_then(Value::as_str) {
        Some(v) if v.split('.').next() == Some("1") => {}
        Some(v) => {
            return Err(shape(
                file,
                format!("unsupported format_version {v:?} (palisade reads plan format 1.x)"),
            ))
        }
        None => {
            return Err(shape(
                file,
                "no `format_version`: not the JSON of a Terraform plan (`terraform show -json plan.out`)",
            ))
        }
    }
    let Some(planned) = root.get("planned_values") else {
        let hint = if root.contains_key("values") {
            " (this looks like a state: `terraform show -json` without a plan file)"
        } else {
            ""
        };
        return Err(shape(
            file,
            format!("no `planned_values`: not a Terraform plan{hint}"),
        ));
    };
    let empty = Vec::new();
    let changes_list = match root.get("resource_changes") {
        None => &empty,
        Some(Value::Array(a)) => a,
        Some(_) => return Err(shape(file, "`resource_changes` is not an array")),
    };
    let mut changes: BTreeMap<&str, Change<'_>> = BTreeMap::new();
    for (i, c) in changes_list.iter().enumerate() {
        let Some(address) = c.get("address").and_then(Value::as_str) else {
            return Err(shape(
                file,
                format!("resource_changes #{}: no string `address`", i + 1),
            ));
        };
        let change = c.get("change").unwrap_or(&Value::Null);
        changes.insert(
            address,
            Change {
                after_unknown: change.get("after_unknown").unwrap_or(&Value::Null),
                after_sensitive: change.get("after_sensitive").unwrap_or(&Value::Null),
                actions: change
                    .get("actions")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            },
        );
    }
    let mut planned_list = Vec::new();
    if let Some(rm) = planned.get("root_module") {
        walk_module(file, rm, &mut planned_list, 0)?;
    }
    let config = root.get("configuration").unwrap_or(&Value::Null);
    let variables = root.get("variables").unwrap_or(&Value::Null);
    // The region of every provider configuration (`aws`, `aws.dr`, ...): a constant, or a root variable.
    let provider_regions: BTreeMap<String, String> = config
        .get("provider_config")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(key, p)| {
                    let expr = p.get("expressions")?.get("region")?;
                    let region = match expr.get("constant_value") {
                        Some(v) => v.as_str()?.to_string(),
                        None => {
                            let refs = expr.get("references")?.as_array()?;
                            let var = refs.first()?.as_str()?.strip_prefix("var.")?;
                            variables.get(var)?.get("value")?.as_str()?.to_string()
                        }
                    };
                    Some((key.clone(), region))
                })
                .collect()
        })
        .unwrap_or_default();
    // The configuration of each planned resource: its expressions, the instance prefix of its module
    // (`module.data.`) and its provider configuration.
    let configs: Vec<ConfigOf> = planned_list
        .iter()
        .map(|p| {
            let block = resolve::config_module(config, &p.module)
                .and_then(|m| m.get("resources"))
                .and_then(Value::as_array)
                .and_then(|rs| {
                    rs.iter().find(|r| {
                        r.get("address").and_then(Value::as_str) == Some(p.config_address.as_str())
                    })
                });
            ConfigOf {
                expressions: block
                    .and_then(|r| r.get("expressions"))
                    .cloned()
                    .unwrap_or(Value::Null),
                prefix: module_prefix(&p.address, &p.config_address),
                provider_key: block
                    .and_then(|r| r.get("provider_config_key"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }
        })
        .collect();
    // The account: given, else the one in the plan's known ARNs.
    let account = opts.account.clone().or_else(|| {
        planned_list.iter().find_map(|p| {
            let arn = p.values.get("arn")?.as_str()?;
            let acct = arn.split(':').nth(4)?;
            (acct.len() == 12 && acct.chars().all(|c| c.is_ascii_digit())).then(|| acct.to_string())
        })
    });
    let account = account.unwrap_or_else(|| "unknown".to_string());

    let regions: Vec<String> = planned_list
        .iter()
        .zip(&configs)
        .map(|(p, c)| {
            if global_type(&p.rtype) {
                return "global".to_string();
            }
            p.values
                .get("region")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    c.provider_key
                        .as_ref()
                        .and_then(|k| provider_regions.get(k))
                        .cloned()
                })
                .or_else(|| provider_regions.get("aws").cloned())
                .or_else(|| opts.region.clone())
                .unwrap_or_else(|| "unknown".to_string())
        })
        .collect();
    // Identity of each planned resource: its ARN when known, else an ARN-shaped placeholder that keeps
    // its address (or the address itself for types without one).
    let known_arn = |p: &Planned<'_>| {
        p.values
            .get("arn")
            .and_then(Value::as_str)
            .filter(|a| !a.is_empty())
            .or_else(|| {
                p.values
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|a| resolve::id_is_arn(&p.rtype) && a.starts_with("arn:"))
            })
            .map(str::to_string)
    };
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut provider_ids: BTreeMap<String, String> = BTreeMap::new();
    for (p, region) in planned_list.iter().zip(&regions) {
        let id = known_arn(p).unwrap_or_else(|| {
            resolve::placeholder_arn(&p.rtype, &p.address, &p.values, &account, region)
                .unwrap_or_else(|| p.address.clone())
        });
        let provider_id = p
            .values
            .get("id")
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .or_else(|| {
                resolve::id_argument(&p.rtype)
                    .and_then(|k| p.values.get(k))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .or_else(|| resolve::placeholder_id(&p.rtype, &p.address))
            .unwrap_or_else(|| id.clone());
        provider_ids.insert(p.address.clone(), provider_id);
        ids.insert(p.address.clone(), id);
    }
    let mut resolver = resolve::Resolver {
        config,
        planned: planned_list
            .iter()
            .map(|p| (p.address.clone(), (p.rtype.as_str(), &p.values)))
            .collect(),
        ids,
        provider_ids,
        variables,
        account: account.clone(),
        regions: planned_list
            .iter()
            .zip(&regions)
            .map(|(p, r)| (p.address.clone(), r.clone()))
            .collect(),
    };
    // Placeholders built from references to other resources (a service's cluster, an attachment's
    // policy): resolved first, so that `…:service/<cluster name>/<name>` names the cluster as AWS will.
    let mut renamed = Vec::new();
    for ((p, c), region) in planned_list.iter().zip(&configs).zip(&regions) {
        let inputs = resolve::placeholder_inputs(&p.rtype);
        if inputs.is_empty() || known_arn(p).is_some() {
            continue;
        }
        let current = Value::Object(p.values.clone());
        let mut values = p.values.clone();
        for k in inputs {
            if values.get(*k).is_some_and(|v| !v.is_null()) {
                continue;
            }
            let refs =
                resolve::expression_references(&c.expressions, &current, &[k]).unwrap_or_default();
            if let [leaf] = resolve::leaf_references(&refs).as_slice() {
                if let [v] = resolver.resolve(&p.module, &c.prefix, leaf, 0).as_slice() {
                    values.insert((*k).to_string(), v.clone());
                }
            }
        }
        if let Some(id) = resolve::placeholder_arn(&p.rtype, &p.address, &values, &account, region)
        {
            renamed.push((p.address.clone(), id));
        }
    }
    for (address, id) in renamed {
        let old = resolver.ids.insert(address.clone(), id.clone());
        if resolver.provider_ids.get(&address) == old.as_ref() {
            resolver.provider_ids.insert(address, id);
        }
    }

    let locations = opts
        .terraform_dir
        .as_ref()
        .map(|d| locate(config, d, d))
        .unwrap_or_default();
    let mut resources = Vec::new();
    let mut region_set = BTreeSet::new();
    for ((p, c), region) in planned_list.iter().zip(&configs).zip(&regions) {
        let change = changes.get(p.address.as_str());
        if change.is_some_and(|c| c.actions.iter().all(|a| a == "delete")) {
            continue;
        }
        let own_id = resolver.ids.get(&p.address).cloned().unwrap_or_default();
        let own_provider_id = resolver
            .provider_ids
            .get(&p.address)
            .cloned()
            .unwrap_or_default();
        let mut attrs = Value::Object(p.values.clone());
        // Sensitive values are never kept.
        let mut sensitive = Vec::new();
        true_paths(p.sensitive, "", &mut sensitive);
        if let Some(c) = change {
            true_paths(c.after_sensitive, "", &mut sensitive);
        }
        sensitive.sort();
        sensitive.dedup();
        for path in &sensitive {
            let segs: Vec<&str> = path.split('.').collect();
            if pointer_exists(&attrs, &segs) {
                set_path(&mut attrs, &segs, Value::String(SENSITIVE.into()));
            }
        }
        // Unknown values: identities get placeholders, computed values the provider derives from known
        // ones are filled in, references resolve through the configuration.
        let mut unknown = Vec::new();
        if let Some(c) = change {
            true_paths(c.after_unknown, "", &mut unknown);
        }
        let expressions = &c.expressions;
        let prefix = &c.prefix;
        let values_now = Value::Object(p.values.clone());
        let mut still_unknown = Vec::new();
        for path in unknown {
            let segs: Vec<&str> = path.split('.').collect();
            let top = segs.first().copied().unwrap_or("");
            if segs.len() == 1 && matches!(top, "id" | "arn") {
                let v = if top == "arn" {
                    &own_id
                } else {
                    &own_provider_id
                };
                set_path(&mut attrs, &segs, Value::String(v.clone()));
                continue;
            }
            if segs.len() == 1 {
                if let Some(v) = resolve::derived(
                    &p.rtype,
                    top,
                    &own_id,
                    &own_provider_id,
                    &p.values,
                    &account,
                    region,
                ) {
                    set_path(&mut attrs, &segs, v);
                    continue;
                }
            }
            // The expression of this value (for an element of a list, the list's expression).
            let (expr_path, element): (Vec<&str>, Option<usize>) = match segs.split_last() {
                Some((last, init)) if last.parse::<usize>().is_ok() && !init.is_empty() => {
                    (init.to_vec(), last.parse::<usize>().ok())
                }
                _ => (segs.clone(), None),
            };
            // Not set in the configuration at all: a value the provider computes (a default TTL, a
            // listener's rule order, a bucket's own policy attribute). It is absent, as on a live
            // account where AWS does not return it — except for blocks, which a `dynamic` block may set
            // without leaving any trace in the plan's configuration (hashicorp/terraform#28346).
            match resolve::expression_at(expressions, &values_now, &expr_path) {
                resolve::Expr::NotInConfig(key) if !resolve::may_be_dynamic_block(&key) => continue,
                _ => {}
            }
            // A document (`jsonencode(...)` of a container definition, a policy, a pipeline action's
            // environment variables) is never one of the values it refers to.
            let name = segs
                .iter()
                .rev()
                .find(|s| s.parse::<usize>().is_err())
                .copied()
                .unwrap_or(top);
            if resolve::document_valued(name) {
                still_unknown.push(path);
                continue;
            }
            let refs = resolve::expression_references(expressions, &values_now, &expr_path)
                .unwrap_or_default();
            let leaves = resolve::leaf_references(&refs);
            let mut resolved: Vec<Value> = Vec::new();
            let mut complete = !leaves.is_empty();
            for r in &leaves {
                let got = resolver.resolve(&p.module, prefix, r, 0);
                if got.is_empty() {
                    complete = false;
                }
                for v in got {
                    if !resolved.contains(&v) {
                        resolved.push(v);
                    }
                }
            }
            let leaf = expr_path.last().copied().unwrap_or(top);
            if !complete {
                still_unknown.push(path);
                continue;
            }
            // The plan's shape of the value (`sensitive_values` keeps `[]` for an unknown list or set,
            // `{}` for an unknown map or object).
            let shape = shape_at(p.sensitive, &segs)
                .or_else(|| change.and_then(|c| shape_at(c.after_sensitive, &segs)));
            match element {
                Some(i) => {
                    // One element of a list: the i-th resolved value when the counts agree.
                    if leaves.len() == 1 && resolved.len() == 1 {
                        set_path(&mut attrs, &segs, resolved.remove(0));
                    } else if let Some(v) = resolved.get(i).cloned() {
                        set_path(&mut attrs, &segs, v);
                    } else {
                        still_unknown.push(path);
                    }
                }
                // A list of references (ids, ARNs, actions): flattened. Any other list may be a list of
                // blocks written as an attribute (`ingress = [{...}]`), whose references say nothing of
                // its shape: it stays unknown.
                None if list_valued(leaf) => {
                    let list = resolved
                        .into_iter()
                        .flat_map(|v| match v {
                            Value::Array(a) => a,
                            other => vec![other],
                        })
                        .collect();
                    set_path(&mut attrs, &segs, Value::Array(list));
                }
                // A whole map (`dimensions = { LoadBalancer = aws_lb.app.arn_suffix }` when the
                // provider makes the whole map unknown): which key a reference fills is not in the
                // plan, unless the reference is the whole map.
                None if shape.is_some_and(Value::is_object) => {
                    if resolved.len() == 1 && resolved[0].is_object() {
                        set_path(&mut attrs, &segs, resolved.remove(0));
                    } else {
                        still_unknown.push(path);
                    }
                }
                None if resolved.len() == 1 => set_path(&mut attrs, &segs, resolved.remove(0)),
                None => still_unknown.push(path),
            }
        }
        let Value::Object(mut attributes) = attrs else {
            continue;
        };
        // Clear-text variable values (container environments, build and pipeline variables) are never
        // kept, as in a live collection.
        redact::attributes(&p.rtype, &mut attributes);
        let region = region.clone();
        region_set.insert(region.clone());
        let tags: BTreeMap<String, String> = attributes
            .get("tags")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        attributes.remove("tags_all");
        resources.push(Resource {
            id: own_id,
            resource_type: p.rtype.clone(),
            account: account.clone(),
            region,
            name: Some(p.address.clone()),
            attributes,
            tags,
            unknown: still_unknown,
            source: locations
                .get(&(p.module.clone(), p.config_address.clone()))
                .cloned(),
        });
    }
    resources.sort_by(|a, b| (&a.resource_type, &a.id).cmp(&(&b.resource_type, &b.id)));
    let collected_at = root
        .get("timestamp")
        .and_then(Value::as_str)
        .filter(|t| palisade_model::time::parse_rfc3339_ns(t).is_some())
        .map_or_else(palisade_model::time::now_for_report, str::to_string);
    Ok(Inventory {
        schema_version: SCHEMA_VERSION.to_string(),
        provenance: Provenance {
            source: "terraform-plan".into(),
            collected_at,
            tool_version: root
                .get("terraform_version")
                .and_then(Value::as_str)
                .map_or_else(
                    || env!("CARGO_PKG_VERSION").to_string(),
                    |t| format!("{} (terraform {t})", env!("CARGO_PKG_VERSION")),
                ),
            accounts: vec![account],
            regions: region_set.into_iter().collect(),
        },
        resources,
        collection_errors: Vec::new(),
    })
}

/// The array or object at a dotted path of a `sensitive_values`/`after_sensitive` tree (`None` for a
/// primitive, or where the tree says nothing).
fn shape_at<'a>(marks: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = marks;
    for seg in path {
        cur = match cur {
            Value::Object(m) => m.get(*seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    (cur.is_array() || cur.is_object()).then_some(cur)
}

fn pointer_exists(v: &Value, path: &[&str]) -> bool {
    let mut cur = v;
    for seg in path {
        cur = match cur {
            Value::Object(m) => match m.get(*seg) {
                Some(x) => x,
                None => return false,
            },
            Value::Array(a) => match seg.parse::<usize>().ok().and_then(|i| a.get(i)) {
                Some(x) => x,
                None => return false,
            },
            _ => return false,
        };
    }
    !cur.is_null()
}

#[cfg(test)]
mod tests;
