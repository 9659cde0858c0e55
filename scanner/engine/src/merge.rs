//! Combining the reports of several scans (shards of an organization scan) into one. The result does not
//! depend on the order of the inputs: results are keyed by fingerprint and sorted, lists are sorted and
//! deduplicated.

use palisade_model::{summarize, Finding, ScanReport, WaiverRecord};
use std::collections::{BTreeMap, BTreeSet};

/// Why reports cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("nothing to merge")]
    Empty,
    #[error("{0} was made with another policy set ({1}) than {2} ({3}): scan every shard with the same policies")]
    PolicySet(String, String, String, String),
    #[error("{0} and {1} both judge {2} with different results: the shards overlap")]
    Conflict(String, String, String),
}

/// Merges `reports` (name, report). Every report must come from the same policy set; a (rule, resource)
/// judged by two reports must have the same status (shards overlap otherwise, which is refused).
pub fn merge(reports: &[(String, ScanReport)]) -> Result<ScanReport, MergeError> {
    let Some((first_name, first)) = reports.first() else {
        return Err(MergeError::Empty);
    };
    for (name, r) in reports {
        if r.policy_set_hash != first.policy_set_hash {
            return Err(MergeError::PolicySet(
                name.clone(),
                r.policy_set_hash.clone(),
                first_name.clone(),
                first.policy_set_hash.clone(),
            ));
        }
    }
    let mut results: BTreeMap<(String, String), (String, Finding)> = BTreeMap::new();
    for (name, r) in reports {
        for f in &r.results {
            let key = (f.rule_id.clone(), f.fingerprint.clone());
            match results.get(&key) {
                Some((other, g)) if g.status != f.status || g.message != f.message => {
                    return Err(MergeError::Conflict(
                        other.clone(),
                        name.clone(),
                        format!(
                            "rule {} on {} ({}/{})",
                            f.rule_id, f.resource_id, f.account, f.region
                        ),
                    ))
                }
                Some(_) => {}
                None => {
                    results.insert(key, (name.clone(), f.clone()));
                }
            }
        }
    }
    let mut results: Vec<Finding> = results.into_values().map(|(_, f)| f).collect();
    // A shard without resources of a rule's types says NOT_APPLICABLE; another shard that has them
    // judged them, and then the rule applies.
    let applicable: BTreeSet<String> = results
        .iter()
        .filter(|f| f.status != palisade_model::Status::NotApplicable)
        .map(|f| f.rule_id.clone())
        .collect();
    results.retain(|f| {
        f.status != palisade_model::Status::NotApplicable || !applicable.contains(&f.rule_id)
    });
    results.sort_by(crate::eval::result_order);
    let mut collection_errors: Vec<_> = reports
        .iter()
        .flat_map(|(_, r)| r.collection_errors.iter().cloned())
        .collect();
    collection_errors.sort();
    collection_errors.dedup();
    // The same waiver seen by several shards: one record, matches added up, the worst state kept.
    let mut waivers: BTreeMap<String, WaiverRecord> = BTreeMap::new();
    for w in reports.iter().flat_map(|(_, r)| r.waivers.iter()) {
        match waivers.get_mut(&w.id) {
            Some(x) => {
                x.matched += w.matched;
                if w.matched > 0 && x.state == palisade_model::WaiverState::Unused {
                    x.state = w.state;
                }
            }
            None => {
                waivers.insert(w.id.clone(), w.clone());
            }
        }
    }
    let mut rules = first.rules.clone();
    for (_, r) in reports {
        for rule in &r.rules {
            if !rules.iter().any(|x| x.id == rule.id) {
                rules.push(rule.clone());
            }
        }
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let mut provenance = first.provenance.clone();
    let accounts: BTreeSet<String> = reports
        .iter()
        .flat_map(|(_, r)| r.provenance.accounts.iter().cloned())
        .collect();
    let regions: BTreeSet<String> = reports
        .iter()
        .flat_map(|(_, r)| r.provenance.regions.iter().cloned())
        .collect();
    provenance.accounts = accounts.into_iter().collect();
    provenance.regions = regions.into_iter().collect();
    // The earliest collection time: the merged report is as old as its oldest part.
    provenance.collected_at = reports
        .iter()
        .map(|(_, r)| r.provenance.collected_at.clone())
        .min()
        .unwrap_or_default();
    let resources = reports.iter().map(|(_, r)| r.summary.resources).sum();
    let summary = summarize(&results, resources, rules.len(), collection_errors.len());
    Ok(ScanReport {
        schema_version: first.schema_version.clone(),
        tool: first.tool.clone(),
        generated_at: palisade_model::time::now_for_report(),
        provenance,
        policy_set_hash: first.policy_set_hash.clone(),
        summary,
        rules,
        results,
        collection_errors,
        waivers: waivers.into_values().collect(),
        baseline: None,
    })
}
