//! The terminal summary: counts per status and per severity, then every failure and every result that
//! could not be checked. Control characters in resource data are stripped so a hostile tag cannot drive
//! the terminal.
use crate::{RenderOptions, Reporter};
use palisade_model::{ScanReport, Severity, Status};
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
        let mut fails: Vec<_> = r.with_status(Status::Fail).collect();
        fails.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule_id.cmp(&b.rule_id)));
        if !fails.is_empty() {
            writeln!(out, "\nFAIL")?;
            for f in fails {
                writeln!(
                    out,
                    "  [{:<8}] {:<8} {}  ({}/{})\n             {}",
                    f.severity.as_str(),
                    clean(&f.rule_id),
                    clean(&f.resource_id),
                    clean(&f.account),
                    clean(&f.region),
                    clean(&f.message)
                )?;
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
        Ok(())
    }
}
