//! CSV (RFC 4180, CRLF line ends) for spreadsheets and ticketing imports: a header row, then one row per
//! result with its rule, status, resource, message, baseline state, waiver (an expired waiver says so
//! in `waiver_expired`), fingerprint, framework controls and remediation.
//!
//! Resource data is attacker-controlled and spreadsheets execute formulas: a cell that starts with `=`,
//! `+`, `-`, `@`, tab or carriage return gets a leading `'` (OWASP's CSV injection guidance), control
//! characters other than tab, CR and LF (and terminal escape sequences) are removed, and fields with a
//! comma, quote, CR or LF are quoted with inner quotes doubled.
use crate::markdown::strip_controls;
use crate::{RenderOptions, Reporter};
use palisade_model::{Finding, RuleMeta, ScanReport};
use std::io::{self, Write};

pub struct Csv;

pub const HEADER: [&str; 18] = [
    "rule_id",
    "title",
    "status",
    "severity",
    "resource_id",
    "resource_type",
    "account",
    "region",
    "message",
    "baseline",
    "waiver_id",
    "waiver_reason",
    "waiver_owner",
    "waiver_expires",
    "waiver_expired",
    "fingerprint",
    "frameworks",
    "remediation",
];

/// One field: control characters removed, formula triggers neutralized, quoted when needed.
pub fn field(s: &str) -> String {
    let mut v = strip_controls(s, &['\t', '\r', '\n']);
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.insert(0, '\'');
    }
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// `framework:control` pairs, e.g. `fsbp:EC2.19;cis-aws-v5:5.2`.
fn frameworks(rule: Option<&RuleMeta>) -> String {
    let Some(r) = rule else {
        return String::new();
    };
    r.frameworks
        .iter()
        .flat_map(|(fw, ids)| ids.iter().map(move |id| format!("{fw}:{id}")))
        .collect::<Vec<_>>()
        .join(";")
}

fn row(f: &Finding, rule: Option<&RuleMeta>) -> String {
    let w = f.waiver.as_ref();
    let cells: [String; 18] = [
        f.rule_id.clone(),
        rule.map(|r| r.title.clone()).unwrap_or_default(),
        f.status.as_str().to_string(),
        f.severity.as_str().to_string(),
        f.resource_id.clone(),
        f.resource_type.clone(),
        f.account.clone(),
        f.region.clone(),
        f.message.clone(),
        f.baseline
            .map(|b| b.as_str().to_string())
            .unwrap_or_default(),
        w.map(|w| w.id.clone()).unwrap_or_default(),
        w.map(|w| w.reason.clone()).unwrap_or_default(),
        w.and_then(|w| w.owner.clone()).unwrap_or_default(),
        w.map(|w| w.expires.clone()).unwrap_or_default(),
        w.map(|w| w.expired.to_string()).unwrap_or_default(),
        f.fingerprint.clone(),
        frameworks(rule),
        rule.map(|r| r.remediation.clone()).unwrap_or_default(),
    ];
    let mut line = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

impl Reporter for Csv {
    fn render(&self, r: &ScanReport, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
        let mut doc = HEADER.join(",");
        doc.push_str("\r\n");
        for f in &r.results {
            doc.push_str(&row(f, r.rule(&f.rule_id)));
        }
        out.write_all(doc.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::*;
    use crate::{render_to_string, Format};
    use palisade_model::Status;

    fn render(r: &ScanReport) -> String {
        render_to_string(Format::Csv, r, &RenderOptions::default())
    }

    /// An RFC 4180 parser (CRLF records, quoted fields with doubled quotes), strict about what it
    /// accepts: a quote inside an unquoted field or text after a closing quote is an error.
    fn parse(doc: &str) -> Result<Vec<Vec<String>>, String> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut cur = String::new();
        let mut chars = doc.chars().peekable();
        let mut quoted = false;
        let mut after_quote = false;
        while let Some(c) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        cur.push('"');
                    } else {
                        quoted = false;
                        after_quote = true;
                    }
                } else {
                    cur.push(c);
                }
                continue;
            }
            match c {
                '"' if cur.is_empty() && !after_quote => quoted = true,
                '"' => return Err(format!("stray quote after {cur:?}")),
                ',' => {
                    record.push(std::mem::take(&mut cur));
                    after_quote = false;
                }
                '\r' if chars.peek() == Some(&'\n') => {
                    chars.next();
                    record.push(std::mem::take(&mut cur));
                    records.push(std::mem::take(&mut record));
                    after_quote = false;
                }
                '\r' | '\n' => return Err("bare CR or LF outside quotes".into()),
                _ if after_quote => return Err(format!("text after a closing quote: {c:?}")),
                _ => cur.push(c),
            }
        }
        if quoted {
            return Err("unterminated quoted field".into());
        }
        if !cur.is_empty() || !record.is_empty() {
            return Err("the last record has no CRLF".into());
        }
        Ok(records)
    }

    fn parsed(r: &ScanReport) -> Vec<Vec<String>> {
        match parse(&render(r)) {
            Ok(rows) => rows,
            Err(e) => panic!("invalid CSV: {e}"),
        }
    }

    #[test]
    fn csv_matches_the_snapshot() {
        check_snapshot("report.csv", &render(&fixture()));
    }

    #[test]
    fn csv_is_deterministic() {
        let r = with_waivers_and_baseline();
        assert_eq!(render(&r), render(&r));
    }

    #[test]
    fn csv_has_a_header_and_one_row_of_18_fields_per_result() {
        for r in [fixture(), with_waivers_and_baseline(), hostile()] {
            let rows = parsed(&r);
            assert_eq!(rows.len(), r.results.len() + 1);
            assert_eq!(rows[0], HEADER.map(String::from).to_vec());
            for (row, f) in rows[1..].iter().zip(&r.results) {
                assert_eq!(row.len(), 18, "{row:?}");
                assert_eq!(row[2], f.status.as_str());
                assert_eq!(row[15], f.fingerprint);
            }
        }
        let rows = parsed(&fixture());
        let Some(alb) = rows.iter().find(|r| r[0] == "ALB-01") else {
            panic!("no ALB-01 row");
        };
        assert_eq!(alb[1], "ALB HTTP listeners redirect to HTTPS");
        assert_eq!(
            alb[16],
            "aws-config:alb-http-to-https-redirection-check;fsbp:ELB.1;nist-800-53-r5:AC-4;\
             nist-800-53-r5:AC-17(2);nist-800-53-r5:IA-5(1);nist-800-53-r5:SC-7(4);nist-800-53-r5:SC-8;\
             nist-800-53-r5:SC-8(1);nist-800-53-r5:SC-8(2);nist-800-53-r5:SC-12(3);nist-800-53-r5:SC-13;\
             nist-800-53-r5:SC-23;nist-800-53-r5:SC-23(3);nist-800-53-r5:SI-7(6);prowler:elbv2_ssl_listeners"
        );
        assert!(alb[17].starts_with("Replace the HTTP listener's default action"));
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for r in [fixture(), hostile()] {
            for row in parsed(&r) {
                for cell in row {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "formula-like cell {cell:?}"
                    );
                    assert!(!cell.contains('\u{1b}'), "ESC in {cell:?}");
                    assert!(!cell
                        .chars()
                        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')));
                }
            }
        }
        let rows = parsed(&hostile());
        let cells: Vec<&String> = rows.iter().flatten().collect();
        for want in [
            "'=HYPERLINK(\"http://evil.example/\",\"click\")",
            "'+cmd|' /C calc'!A0",
            "'-1+1",
            "'@SUM(1+1)*cmd|' /C calc'!A0",
            "'\t=1+1",
            "'\r=1+1",
        ] {
            assert!(
                cells.iter().any(|c| *c == want),
                "no neutralized cell {want:?}"
            );
        }
        // Quotes, commas and newlines survive the round trip as data.
        assert!(cells
            .iter()
            .any(|c| c.starts_with("| col | injected |\n# heading")));
        assert!(cells.iter().any(|c| c.as_str() == "red and  clear evil"));
        // A formula in the fixture's own data that is not at the start of a cell stays as it is.
        let fixture_cells = parsed(&fixture());
        assert!(fixture_cells
            .iter()
            .flatten()
            .any(|c| c.starts_with("Security group =HYPERLINK(")));
    }

    #[test]
    fn csv_shows_waivers_and_the_baseline() {
        let rows = parsed(&with_waivers_and_baseline());
        let Some(expired) = rows.iter().find(|r| r[10] == EXPIRED_ID) else {
            panic!("no row with the expired waiver");
        };
        assert_eq!(expired[2], "FAIL");
        assert_eq!(expired[13], "2026-01-31");
        assert_eq!(expired[14], "true", "the expired waiver is not flagged");
        assert_eq!(expired[12], "'=HYPERLINK(\"http://evil.example\")");
        let Some(waived) = rows.iter().find(|r| r[10] == ACTIVE_ID) else {
            panic!("no row with the active waiver");
        };
        assert_eq!(waived[2], "WAIVED");
        assert_eq!(waived[14], "false");
        assert!(waived[11].starts_with("Accepted | <script>"));
        assert_eq!(waived[12], "team@example.com");
        for row in &rows[1..] {
            let failing = row[2] == "FAIL" || row[2] == "WAIVED";
            assert_eq!(
                failing,
                row[9] == "new" || row[9] == "existing",
                "baseline column of {row:?}"
            );
            if row[10].is_empty() {
                assert!(row[11..15].iter().all(String::is_empty));
            }
        }
        assert!(rows.iter().any(|r| r[9] == "new"));
        let pass = rows
            .iter()
            .filter(|r| r[2] == Status::Pass.as_str())
            .count();
        assert!(pass > 0, "PASS results are rows too");
    }
}
