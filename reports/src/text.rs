//! The terminal summary: counts per status and per severity, then every failure and every result that
//! could not be checked. Control characters in resource data are stripped so a hostile tag cannot drive
//! the terminal.
use crate::{RenderOptions, Reporter};
use palisade_model::{Finding, ScanReport, Severity, Status, WaiverState};
use std::io::{self, Write};

pub struct Text;

/// Replaces control characters (ANSI escapes included) with `?`.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

impl Reporter for Text {
    fn render(&self, r: &ScanReport, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
        let s = &r.summary;
        writeln!(
            out,
            "palisade {} — {} rules, {} resources, {} collection errors (source: {}, collected {})",
            r.tool.version,
            s.rules,
            s.resources,
            s.collection_errors,
            clean(&r.provenance.source),
            clean(&r.provenance.collected_at)
        )?;
        let statuses: Vec<String> = Status::ALL
            .iter()
            .map(|st| format!("{st} {}", s.count(*st)))
            .collect();
        writeln!(out, "results: {}", statuses.join("  "))?;
        let sev: Vec<String> = Severity::ALL
            .iter()
            .map(|sv| format!("{sv} {}", s.failures(*sv)))
            .collect();
        writeln!(out, "failures by severity: {}", sev.join("  "))?;
        // Several accounts (an organization scan): failures and errors per account.
        let accounts: std::collections::BTreeSet<&str> = r
            .results
            .iter()
            .map(|f| f.account.as_str())
            .filter(|a| *a != "*")
            .collect();
        if accounts.len() > 1 {
            writeln!(out, "by account:")?;
            for a in accounts {
                let n = |st: Status| {
                    r.results
                        .iter()
                        .filter(|f| f.account == a && f.status == st)
                        .count()
                };
                writeln!(
                    out,
                    "  {:<14} FAIL {:<5} ERROR {:<5} WAIVED {:<5} PASS {}",
                    clean(a),
                    n(Status::Fail),
                    n(Status::Error),
                    n(Status::Waived),
                    n(Status::Pass)
                )?;
            }
        }
        if let Some(b) = &r.baseline {
            writeln!(
                out,
                "baseline {} (generated {}): {} new, {} existing, {} fixed",
                clean(&b.source),
                clean(&b.generated_at),
                b.new,
                b.existing,
                b.fixed.len()
            )?;
        }
        let mut fails: Vec<_> = r.with_status(Status::Fail).collect();
        fails.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule_id.cmp(&b.rule_id)));
        if !fails.is_empty() {
            writeln!(out, "\nFAIL")?;
            for f in fails {
                finding(out, f)?;
            }
        }
        let waived: Vec<_> = r.with_status(Status::Waived).collect();
        if !waived.is_empty() {
            writeln!(out, "\nWAIVED (accepted until the waiver expires)")?;
            for f in waived {
                finding(out, f)?;
            }
        }
        let errors: Vec<_> = r.with_status(Status::Error).collect();
        if !errors.is_empty() {
            writeln!(out, "\nERROR (not checked — the scan is incomplete)")?;
            for f in errors {
                writeln!(
                    out,
                    "  {:<8} {}  ({}/{})\n             {}",
                    clean(&f.rule_id),
                    clean(&f.resource_id),
                    clean(&f.account),
                    clean(&f.region),
                    clean(&f.message)
                )?;
            }
        }
        if !r.waivers.is_empty() {
            writeln!(out, "\nWAIVERS")?;
            for w in &r.waivers {
                let flag = match w.state {
                    WaiverState::Active => "active ",
                    WaiverState::Expired => "EXPIRED",
                    WaiverState::Unused => "unused ",
                };
                writeln!(
                    out,
                    "  {flag} {} — {} on {} until {}, {} matched ({}){}\n             reason: {}",
                    clean(&w.id),
                    clean(&w.rule_id),
                    clean(&w.resource),
                    clean(&w.expires),
                    w.matched,
                    clean(&w.source),
                    w.owner
                        .as_deref()
                        .map(|o| format!(", owner {}", clean(o)))
                        .unwrap_or_default(),
                    clean(&w.reason)
                )?;
            }
        }
        if let Some(b) = r.baseline.as_ref().filter(|b| !b.fixed.is_empty()) {
            writeln!(out, "\nFIXED since the baseline")?;
            for f in &b.fixed {
                writeln!(
                    out,
                    "  [{:<8}] {:<8} {}  ({}/{})",
                    f.severity.as_str(),
                    clean(&f.rule_id),
                    clean(&f.resource_id),
                    clean(&f.account),
                    clean(&f.region)
                )?;
            }
        }
        Ok(())
    }
}

/// One FAIL or WAIVED result, with its baseline state and waiver.
fn finding(out: &mut dyn Write, f: &Finding) -> io::Result<()> {
    let new = match f.baseline {
        Some(palisade_model::BaselineState::New) => " NEW",
        _ => "",
    };
    writeln!(
        out,
        "  [{:<8}] {:<8} {}  ({}/{}){new}\n             {}",
        f.severity.as_str(),
        clean(&f.rule_id),
        clean(&f.resource_id),
        clean(&f.account),
        clean(&f.region),
        clean(&f.message)
    )?;
    if let Some(w) = &f.waiver {
        writeln!(
            out,
            "             {} waiver {} (until {}): {}",
            if w.expired { "EXPIRED" } else { "waived by" },
            clean(&w.id),
            clean(&w.expires),
            clean(&w.reason)
        )?;
    }
    Ok(())
}
