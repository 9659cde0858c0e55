//! The GitHub job summary (`$GITHUB_STEP_SUMMARY`): the verdict, counts per status and severity, what
//! could not be checked, the comparison with the baseline, the waivers (expired ones listed and flagged),
//! then a table of the failures, most severe first, and the waived results.
//!
//! Every value that comes from the scanned account (names, tags, messages, error messages, waiver
//! reasons) is attacker-controlled, and GitHub renders the summary as Markdown with HTML: each cell is
//! stripped of control characters and terminal escapes, put on one line, truncated, and escaped (`|`,
//! Markdown punctuation, `<`, `>`, `&`, autolink triggers), so it can neither break the table nor inject
//! markup or links. GitHub refuses a step summary over 1 MiB: the output never exceeds
//! `RenderOptions::max_bytes` (default 1 MiB) and says how many findings were left out.
use crate::{RenderOptions, Reporter};
use palisade_model::{Finding, ScanReport, Severity, Status, WaiverState};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

pub struct Markdown;

/// GitHub's limit for one step summary.
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;
/// Longest value (in characters) shown in a cell; longer ones end with `…`.
pub const MAX_CELL_CHARS: usize = 300;
/// Bytes kept free for the closing "left out" lines.
const RESERVE: usize = 640;
/// At most this many collection errors and expired waivers are listed (all are counted).
const MAX_LISTED: usize = 50;

/// Removes terminal escape sequences (CSI `ESC [ … final`, OSC/DCS/APC/PM strings terminated by BEL or
/// `ESC \`, two-character escapes), every other control character except those in `keep`, and the
/// Unicode bidirectional overrides (which can make a value display differently from what it is).
pub(crate) fn strip_controls(s: &str, keep: &[char]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if c == '\u{1b}' {
            rest = skip_escape(rest);
        } else if keep.contains(&c) || !(c.is_control() || is_bidi_control(c)) {
            out.push(c);
        }
    }
    out
}

/// `rest` follows an ESC: returns what follows the escape sequence.
fn skip_escape(rest: &str) -> &str {
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, '[')) => {
            // CSI: parameter and intermediate bytes (0x20-0x3F), then one final byte (0x40-0x7E).
            let mut end = 1;
            for (i, c) in chars {
                end = i;
                if !('\u{20}'..='\u{3f}').contains(&c) {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        end = i + 1;
                    }
                    return &rest[end..];
                }
                end = i + 1;
            }
            &rest[end..]
        }
        Some((_, ']' | 'P' | 'X' | '^' | '_')) => {
            // A string terminated by BEL or ST (ESC \). Unterminated: drop only the introducer, so a
            // stray ESC ] cannot hide the rest of a message.
            let body = &rest[1..];
            let bel = body.find('\u{7}').map(|i| (i, i + 1));
            let st = body.find("\u{1b}\\").map(|i| (i, i + 2));
            match (bel, st) {
                (Some(a), Some(b)) => &body[if a.0 < b.0 { a.1 } else { b.1 }..],
                (Some((_, e)), None) | (None, Some((_, e))) => &body[e..],
                (None, None) => body,
            }
        }
        Some((_, c)) if ('\u{20}'..='\u{7e}').contains(&c) => &rest[1..],
        _ => rest,
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Truncates to `max` characters, ending with `…` when something was cut.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

/// One line of attacker-controlled text, safe inside a table cell or a sentence: no control characters,
/// newlines as spaces, at most [`MAX_CELL_CHARS`] characters, Markdown and HTML escaped.
pub fn cell(s: &str) -> String {
    let one_line: String = strip_controls(s, &['\n', '\r', '\t'])
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    escape(&truncate_chars(one_line.trim(), MAX_CELL_CHARS))
}

/// Escapes Markdown and HTML: `&`, `<`, `>` as entities; backslash, backticks, emphasis, links, images,
/// headings, strikethrough, math and table pipes with a backslash; and the autolink triggers (`://`,
/// `www.`, `@`), so a value can be neither markup nor a clickable link.
fn escape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '~' | '|' | '$' | '@' => {
                out.push('\\');
                out.push(c);
            }
            ':' if chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/') => {
                out.push_str("\\:")
            }
            '.' if i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www") =>
            {
                out.push_str("\\.")
            }
            _ => out.push(c),
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The document under construction, with the byte budget.
struct Doc {
    text: String,
    /// Rows stop being added beyond this length (the reserve stays free for the closing lines).
    soft: usize,
}

impl Doc {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }
    /// Adds a table row (or list line) if it fits in the budget.
    fn try_push(&mut self, row: &str) -> bool {
        if self.text.len() + row.len() > self.soft {
            return false;
        }
        self.text.push_str(row);
        true
    }
}

fn heading(r: &ScanReport) -> String {
    let s = &r.summary;
    let (fails, errors, waived) = (
        s.count(Status::Fail),
        s.count(Status::Error),
        s.count(Status::Waived),
    );
    let mut h = if fails > 0 {
        let worst = Severity::ALL
            .iter()
            .filter(|sv| s.failures(**sv) > 0)
            .map(|sv| format!("{} {sv}", s.failures(*sv)))
            .take(2)
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "## ❌ palisade: {} ({worst})",
            plural(fails, "failure", "failures")
        )
    } else if errors > 0 {
        "## ⚠️ palisade: no failures, but the scan is incomplete".to_string()
    } else {
        "## ✅ palisade: no failures".to_string()
    };
    if errors > 0 {
        let _ = write!(h, " · {} not checked", plural(errors, "result", "results"));
    }
    if waived > 0 {
        let _ = write!(h, " · {waived} waived");
    }
    let expired = r
        .waivers
        .iter()
        .filter(|w| w.state == WaiverState::Expired)
        .count();
    if expired > 0 {
        let _ = write!(
            h,
            " · ⚠️ {}",
            plural(expired, "expired waiver", "expired waivers")
        );
    }
    h.push_str("\n\n");
    h
}

fn counts(r: &ScanReport) -> String {
    let s = &r.summary;
    let mut t = format!(
        "palisade {} · {} · {} · {} · {} · source {} · collected {}\n\n",
        cell(&r.tool.version),
        plural(s.rules, "rule", "rules"),
        plural(s.resources, "resource", "resources"),
        plural(r.provenance.accounts.len(), "account", "accounts"),
        plural(r.provenance.regions.len(), "region", "regions"),
        cell(&r.provenance.source),
        cell(&r.provenance.collected_at),
    );
    t.push_str("| status | results |\n|---|---:|\n");
    for st in Status::ALL {
        let _ = writeln!(t, "| {st} | {} |", s.count(st));
    }
    t.push_str("\n| severity | FAIL |\n|---|---:|\n");
    for sv in Severity::ALL {
        let _ = writeln!(t, "| {sv} | {} |", s.failures(sv));
    }
    t.push('\n');
    t
}

fn not_checked(r: &ScanReport, doc: &mut Doc) {
    doc.push("### What could not be checked\n\n");
    let errors: Vec<&Finding> = r.with_status(Status::Error).collect();
    if errors.is_empty() && r.collection_errors.is_empty() {
        doc.push("Everything was checked: no collection errors and no ERROR results.\n\n");
        return;
    }
    let _ = writeln!(
        doc.text,
        "**{}** could not be checked (ERROR: neither PASS nor FAIL, the scan is incomplete); {}.\n",
        plural(errors.len(), "result", "results"),
        plural(
            r.collection_errors.len(),
            "collection error",
            "collection errors"
        ),
    );
    if !errors.is_empty() {
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &errors {
            *by_rule.entry(f.rule_id.as_str()).or_insert(0) += 1;
        }
        let list: Vec<String> = by_rule
            .iter()
            .map(|(rule, n)| format!("{} ({n})", cell(rule)))
            .collect();
        let line = format!("Rules with ERROR results: {}\n\n", list.join(", "));
        if !doc.try_push(&line) {
            doc.try_push(&format!(
                "Rules with ERROR results: {} rules (see the full report).\n\n",
                by_rule.len()
            ));
        }
    }
    if r.collection_errors.is_empty() {
        return;
    }
    doc.push("| service | operation | account/region | error | message |\n|---|---|---|---|---|\n");
    let mut shown = 0;
    for e in r.collection_errors.iter().take(MAX_LISTED) {
        let row = format!(
            "| {} | {} | {}/{} | {} ({}) | {} |\n",
            cell(&e.service),
            cell(&e.operation),
            cell(&e.account),
            cell(&e.region),
            cell(&e.error_code),
            e.kind.as_str(),
            cell(&e.message),
        );
        if !doc.try_push(&row) {
            break;
        }
        shown += 1;
    }
    let left = r.collection_errors.len() - shown;
    if left > 0 {
        doc.push(&format!(
            "\n_{} not listed here: see the full report (JSON/HTML/SARIF)._\n",
            plural(left, "more collection error", "more collection errors")
        ));
    }
    doc.push("\n");
}

fn baseline(r: &ScanReport, doc: &mut Doc) {
    let Some(b) = &r.baseline else {
        return;
    };
    let _ = write!(
        doc.text,
        "### Compared with the baseline\n\nBaseline {} (generated {}): **{} new**, {} existing, {} fixed.\n\n",
        cell(&b.source),
        cell(&b.generated_at),
        b.new,
        b.existing,
        b.fixed.len()
    );
}

fn waivers(r: &ScanReport, doc: &mut Doc) {
    doc.push("### Waivers\n\n");
    if r.waivers.is_empty() {
        doc.push("No waivers are configured.\n\n");
        return;
    }
    let n = |st: WaiverState| r.waivers.iter().filter(|w| w.state == st).count();
    let expired: Vec<_> = r
        .waivers
        .iter()
        .filter(|w| w.state == WaiverState::Expired)
        .collect();
    let _ = write!(
        doc.text,
        "{} active, {} expired, {} unused.\n\n",
        n(WaiverState::Active),
        expired.len(),
        n(WaiverState::Unused)
    );
    if expired.is_empty() {
        return;
    }
    doc.push(
        "⚠️ **Expired waivers** no longer apply: the results they matched are FAIL again.\n\n",
    );
    doc.push("| state | waiver | rule | resource | expired after | owner | reason | defined at |\n|---|---|---|---|---|---|---|---|\n");
    let mut shown = 0;
    for w in expired.iter().take(MAX_LISTED) {
        let row = format!(
            "| **EXPIRED** | {} | {} | {} | {} | {} | {} | {} |\n",
            cell(&w.id),
            cell(&w.rule_id),
            cell(&w.resource),
            cell(&w.expires),
            cell(w.owner.as_deref().unwrap_or("")),
            cell(&w.reason),
            cell(&w.source),
        );
        if !doc.try_push(&row) {
            break;
        }
        shown += 1;
    }
    if expired.len() > shown {
        doc.push(&format!(
            "\n_{} not listed here: see the full report (JSON/HTML/SARIF)._\n",
            plural(
                expired.len() - shown,
                "more expired waiver",
                "more expired waivers"
            )
        ));
    }
    doc.push("\n");
}

fn sorted(r: &ScanReport, st: Status) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = r.with_status(st).collect();
    v.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.resource_id.cmp(&b.resource_id))
            .then_with(|| a.account.cmp(&b.account))
            .then_with(|| a.region.cmp(&b.region))
    });
    v
}

fn waiver_cell(f: &Finding) -> String {
    match &f.waiver {
        None => String::new(),
        Some(w) if w.expired => format!(
            "⚠️ **EXPIRED** waiver {} (expired after {})",
            cell(&w.id),
            cell(&w.expires)
        ),
        Some(w) => {
            let owner = w
                .owner
                .as_deref()
                .map(|o| format!(", owner {}", cell(o)))
                .unwrap_or_default();
            format!(
                "waived by {} until {}{owner}: {}",
                cell(&w.id),
                cell(&w.expires),
                cell(&w.reason)
            )
        }
    }
}

/// Adds the findings table as far as the budget allows; returns the number of findings and the offsets
/// of the rows that were added.
fn findings(r: &ScanReport, doc: &mut Doc) -> (usize, Vec<usize>) {
    let rows: Vec<&Finding> = sorted(r, Status::Fail)
        .into_iter()
        .chain(sorted(r, Status::Waived))
        .collect();
    doc.push("### Findings\n\n");
    if rows.is_empty() {
        doc.push("No failures.\n");
        return (0, Vec::new());
    }
    let with_baseline = r.baseline.is_some() || rows.iter().any(|f| f.baseline.is_some());
    let with_waiver = rows.iter().any(|f| f.waiver.is_some());
    let mut head = "| severity | status | rule | resource | account/region | message |".to_string();
    let mut rule = "|---|---|---|---|---|---|".to_string();
    if with_baseline {
        head.push_str(" baseline |");
        rule.push_str("---|");
    }
    if with_waiver {
        head.push_str(" waiver |");
        rule.push_str("---|");
    }
    doc.push(&format!("{head}\n{rule}\n"));
    let mut starts = Vec::new();
    for f in &rows {
        let mut row = format!(
            "| {} | {} | {} | {} | {}/{} | {} |",
            f.severity,
            f.status,
            cell(&f.rule_id),
            cell(&f.resource_id),
            cell(&f.account),
            cell(&f.region),
            cell(&f.message),
        );
        if with_baseline {
            let mark = match f.baseline {
                Some(palisade_model::BaselineState::New) => "🆕 **new**",
                Some(palisade_model::BaselineState::Existing) => "existing",
                None => "",
            };
            let _ = write!(row, " {mark} |");
        }
        if with_waiver {
            let _ = write!(row, " {} |", waiver_cell(f));
        }
        row.push('\n');
        let start = doc.text.len();
        if !doc.try_push(&row) {
            break;
        }
        starts.push(start);
    }
    (rows.len(), starts)
}

/// Cuts `text` at a line end at or below `max` bytes.
fn cut_lines(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = text[..cut].rfind('\n').map_or(0, |i| i + 1);
    text.truncate(cut);
}

impl Reporter for Markdown {
    fn render(&self, r: &ScanReport, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
        let max = opts.max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
        let mut doc = Doc {
            text: String::new(),
            soft: max.saturating_sub(RESERVE),
        };
        doc.push(&heading(r));
        doc.push(&counts(r));
        not_checked(r, &mut doc);
        baseline(r, &mut doc);
        waivers(r, &mut doc);
        let (total, mut rows) = findings(r, &mut doc);
        let mut text = doc.text;
        // The closing line must fit: drop the last rows until it does (the sections above the table can
        // end past the soft limit with a hostile, very long value).
        loop {
            let left = total - rows.len();
            let footer = if left > 0 {
                format!("\n_{left} of {total} findings were left out to keep this summary under {max} bytes: see the full report (JSON/HTML/SARIF)._\n")
            } else {
                String::new()
            };
            if text.len() + footer.len() <= max {
                text.push_str(&footer);
                break;
            }
            if let Some(start) = rows.pop() {
                text.truncate(start);
                continue;
            }
            // A limit smaller than the fixed parts: keep what fits, at line ends, never above it.
            if footer.len() <= max {
                cut_lines(&mut text, max - footer.len());
                text.push_str(&footer);
            } else {
                cut_lines(&mut text, max);
            }
            break;
        }
        out.write_all(text.as_bytes())
    }
}

/// Test data shared by the reporters' tests: the report fixture, variants with waivers and a baseline,
/// and hostile values at the start of cells; and the snapshot comparison.
#[cfg(test)]
pub(crate) mod test_support {
    use palisade_model::{
        summarize, BaselineInfo, BaselineState, FixedFinding, ScanReport, Severity, Status,
        WaiverRecord, WaiverRef, WaiverState,
    };
    use std::path::PathBuf;

    /// Values that try to break each format, put at the start of cells.
    pub const HOSTILE: [&str; 12] = [
        "=HYPERLINK(\"http://evil.example/\",\"click\")",
        "+cmd|' /C calc'!A0",
        "-1+1",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "</td></tr></table><h1>injected</h1>",
        "| col | injected |\n# heading [link](javascript:alert(1)) **bold** `code` ~~del~~ ![i](x) www.evil.example",
        "\u{1b}[31mred\u{1b}[0m\u{1b}]0;title\u{7} and \u{1b}[2J clear \u{202e}evil",
        "ends with backslash \\",
    ];

    pub const EXPIRED_ID: &str = "test-expired-waiver";
    pub const ACTIVE_ID: &str = "test-active-waiver";
    pub const UNUSED_ID: &str = "test-unused-waiver";

    /// The shared fixture: a scan of tests/fixtures/report/inventory.json.
    pub fn fixture() -> ScanReport {
        match serde_json::from_str(include_str!("../../tests/fixtures/report/scan.json")) {
            Ok(r) => r,
            Err(e) => panic!("tests/fixtures/report/scan.json is not a ScanReport: {e}"),
        }
    }

    fn resummarize(r: &mut ScanReport) {
        r.summary = summarize(
            &r.results,
            r.summary.resources,
            r.summary.rules,
            r.summary.collection_errors,
        );
    }

    /// The fixture with known waivers and a baseline, whatever the fixture holds: the first critical
    /// (else first) FAIL keeps an expired waiver and stays FAIL, the next FAIL is WAIVED by an active
    /// waiver, a third waiver is unused; FAIL and WAIVED results are new or existing, and one baseline
    /// failure is fixed.
    pub fn with_waivers_and_baseline() -> ScanReport {
        let mut r = fixture();
        for f in &mut r.results {
            f.waiver = None;
            f.baseline = None;
            if f.status == Status::Waived {
                f.status = Status::Fail;
            }
        }
        let fails: Vec<usize> = (0..r.results.len())
            .filter(|&i| r.results[i].status == Status::Fail)
            .collect();
        let expired = fails
            .iter()
            .copied()
            .find(|&i| r.results[i].severity == Severity::Critical)
            .or(fails.first().copied());
        let Some(expired) = expired else {
            panic!("the fixture has no FAIL result");
        };
        let Some(waived) = fails.iter().copied().find(|&i| i != expired) else {
            panic!("the fixture has a single FAIL result");
        };
        let reason =
            "Accepted | <script>alert('reason')</script> =cmd **until** [fix](javascript:x)";
        r.results[expired].waiver = Some(WaiverRef {
            id: EXPIRED_ID.into(),
            reason: reason.into(),
            owner: Some("=HYPERLINK(\"http://evil.example\")".into()),
            expires: "2026-01-31".into(),
            expired: true,
        });
        r.results[waived].status = Status::Waived;
        r.results[waived].waiver = Some(WaiverRef {
            id: ACTIVE_ID.into(),
            reason: reason.into(),
            owner: Some("team@example.com".into()),
            expires: "2099-12-31".into(),
            expired: false,
        });
        let record = |id: &str, i: usize, state, matched| WaiverRecord {
            id: id.into(),
            rule_id: r.results[i].rule_id.clone(),
            resource: r.results[i].resource_id.clone(),
            account: None,
            region: None,
            reason: reason.into(),
            owner: None,
            expires: if state == WaiverState::Expired {
                "2026-01-31".into()
            } else {
                "2099-12-31".into()
            },
            state,
            matched,
            source: "palisade.toml:1".into(),
        };
        r.waivers = vec![
            record(ACTIVE_ID, waived, WaiverState::Active, 1),
            record(EXPIRED_ID, expired, WaiverState::Expired, 1),
            record(UNUSED_ID, expired, WaiverState::Unused, 0),
        ];
        let (mut new, mut existing) = (0, 0);
        for (n, f) in r
            .results
            .iter_mut()
            .filter(|f| matches!(f.status, Status::Fail | Status::Waived))
            .enumerate()
        {
            if n % 3 == 0 {
                f.baseline = Some(BaselineState::New);
                new += 1;
            } else {
                f.baseline = Some(BaselineState::Existing);
                existing += 1;
            }
        }
        r.baseline = Some(BaselineInfo {
            source: "baseline.json".into(),
            generated_at: "2026-12-01T00:00:00Z".into(),
            new,
            existing,
            fixed: vec![FixedFinding {
                rule_id: "S3-01".into(),
                severity: Severity::High,
                resource_id: "arn:aws:s3:::fixed-bucket".into(),
                account: "123456789012".into(),
                region: "us-east-1".into(),
                fingerprint: "0123456789abcdef".into(),
                message: "fixed".into(),
                status_now: Some(Status::Pass),
            }],
        });
        resummarize(&mut r);
        r
    }

    /// The fixture with [`HOSTILE`] values at the start of the resource, message, account, region and
    /// type of FAIL, WAIVED, ERROR and PASS results (each value in each field of some FAIL result), and
    /// in collection errors and waivers.
    pub fn hostile() -> ScanReport {
        let mut r = with_waivers_and_baseline();
        let n = HOSTILE.len();
        let h = |i: usize| HOSTILE[i % n].to_string();
        for st in [Status::Fail, Status::Waived, Status::Error, Status::Pass] {
            for (i, f) in r
                .results
                .iter_mut()
                .filter(|f| f.status == st)
                .take(n)
                .enumerate()
            {
                f.resource_id = h(i);
                f.message = h(i + 1);
                f.account = h(i + 2);
                f.region = h(i + 3);
                f.resource_type = h(i + 4);
            }
        }
        for (i, e) in r.collection_errors.iter_mut().enumerate() {
            e.message = h(i);
            e.operation = h(i + 1);
            e.service = h(i + 2);
        }
        for (i, w) in r.waivers.iter_mut().enumerate() {
            w.reason = h(i);
            w.resource = h(i + 5);
            w.owner = Some(h(i + 6));
        }
        r
    }

    /// Compares `actual` with tests/fixtures/report/snapshots/`name`, or writes it there when
    /// `UPDATE_SNAPSHOTS` is set.
    pub fn check_snapshot(name: &str, actual: &str) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/report/snapshots")
            .join(name);
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            if let Some(dir) = path.parent() {
                if let Err(e) = std::fs::create_dir_all(dir) {
                    panic!("cannot create {}: {e}", dir.display());
                }
            }
            if let Err(e) = std::fs::write(&path, actual) {
                panic!("cannot write {}: {e}", path.display());
            }
        }
        let want = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => panic!(
                "{} is missing ({e}): create it with UPDATE_SNAPSHOTS=1 and review it",
                path.display()
            ),
        };
        assert!(
            want == actual,
            "output differs from {}; run with UPDATE_SNAPSHOTS=1 and review the diff",
            path.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::{render_to_string, Format};

    fn render(r: &ScanReport, max: Option<usize>) -> String {
        let opts = RenderOptions {
            max_bytes: max,
            ..RenderOptions::default()
        };
        let mut buf = Vec::new();
        if let Err(e) = Markdown.render(r, &opts, &mut buf) {
            panic!("markdown render failed: {e}");
        }
        match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => panic!("markdown is not UTF-8: {e}"),
        }
    }

    /// Counts the `|` that are not escaped with a backslash.
    fn unescaped_pipes(line: &str) -> usize {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => n += 1,
                _ => escaped = false,
            }
        }
        n
    }

    /// Every table has the same number of unescaped pipes on each of its lines as in its header.
    fn assert_tables_intact(md: &str) {
        let mut expected: Option<usize> = None;
        for line in md.lines() {
            if line.starts_with('|') {
                let n = unescaped_pipes(line);
                match expected {
                    None => expected = Some(n),
                    Some(e) => assert_eq!(
                        n, e,
                        "a table row has {n} cells separators, not {e}: {line}"
                    ),
                }
                assert!(
                    line.ends_with('|'),
                    "a table row does not end with |: {line}"
                );
            } else {
                expected = None;
            }
        }
    }

    fn assert_no_markup_from_data(md: &str) {
        let lower = md.to_lowercase();
        for bad in [
            "<script", "<img", "</td", "<h1", "<b>", "](", "http://", "www.evil",
        ] {
            assert!(!lower.contains(bad), "raw {bad:?} in the markdown");
        }
        assert!(!md.contains('\u{1b}'), "ESC in the markdown");
        assert!(!md.contains('\u{202e}'), "bidi override in the markdown");
        assert!(!md.contains('\r'), "CR in the markdown");
        for line in md.lines() {
            if line.starts_with('#') {
                assert!(
                    line.starts_with("## ") || line.starts_with("### "),
                    "a heading that palisade did not write: {line}"
                );
            }
        }
    }

    #[test]
    fn markdown_matches_the_snapshot() {
        check_snapshot(
            "summary.md",
            &render_to_string(Format::Markdown, &fixture(), &RenderOptions::default()),
        );
    }

    #[test]
    fn markdown_is_deterministic() {
        let r = with_waivers_and_baseline();
        assert_eq!(render(&r, None), render(&r, None));
    }

    #[test]
    fn markdown_hostile_values_cannot_break_tables_or_inject_markup() {
        for r in [fixture(), hostile()] {
            let md = render(&r, None);
            assert_tables_intact(&md);
            assert_no_markup_from_data(&md);
        }
        let md = render(&hostile(), None);
        assert!(
            md.contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
            "escaped script missing"
        );
        assert!(
            md.contains("\\| col \\| injected \\|"),
            "escaped pipes missing"
        );
        assert!(
            md.contains("red and  clear"),
            "ANSI sequences are not stripped cleanly"
        );
        assert!(md.contains("www\\.evil"), "www autolink not defused");
    }

    #[test]
    fn markdown_truncates_long_values() {
        let mut r = fixture();
        let Some(f) = r.results.iter_mut().find(|f| f.status == Status::Fail) else {
            panic!("no FAIL in the fixture");
        };
        f.message = "y".repeat(5000);
        let md = render(&r, None);
        assert!(md.contains(&format!("{}…", "y".repeat(MAX_CELL_CHARS))));
        assert!(!md.contains(&"y".repeat(MAX_CELL_CHARS + 1)));
        assert!(
            !md.contains(&"x".repeat(MAX_CELL_CHARS + 1)),
            "the fixture's 5000-char name is not truncated"
        );
    }

    #[test]
    fn markdown_stays_under_max_bytes_and_says_what_was_left_out() {
        let r = with_waivers_and_baseline();
        let full = render(&r, None);
        assert!(
            !full.contains("left out"),
            "nothing is left out under the default limit"
        );
        for max in [100, 1000, 2500, 4000, 6000, 9000, 20000] {
            let md = render(&r, Some(max));
            assert!(
                md.len() <= max,
                "{} bytes over the limit of {max}",
                md.len()
            );
        }
        let md = render(&r, Some(9000));
        assert!(md.contains("### Findings"), "{md}");
        assert!(md.contains("findings were left out"), "{md}");
        assert!(md.contains("see the full report (JSON/HTML/SARIF)"), "{md}");
        assert_tables_intact(&md);
        // The number left out is right: shown rows + left out = FAIL + WAIVED.
        let shown = md
            .split("### Findings")
            .nth(1)
            .map(|t| {
                t.lines()
                    .filter(|l| l.starts_with("| ") && !l.starts_with("| severity"))
                    .count()
            })
            .unwrap_or(0);
        let total = r.summary.count(Status::Fail) + r.summary.count(Status::Waived);
        assert!(
            md.contains(&format!(
                "_{} of {total} findings were left out",
                total - shown
            )),
            "{md}"
        );
    }

    #[test]
    fn markdown_ends_with_the_left_out_line_even_when_sections_are_huge() {
        let mut r = with_waivers_and_baseline();
        let Some(e) = r.collection_errors.first().cloned() else {
            panic!("the fixture has no collection error");
        };
        r.collection_errors = (0..80)
            .map(|i| {
                let mut e = e.clone();
                e.message = format!("{i} {}", "&<|".repeat(400));
                e
            })
            .collect();
        if let Some(b) = &mut r.baseline {
            b.source = "&".repeat(5000);
        }
        for max in [3000, 8000, 20000, 60000] {
            let md = render(&r, Some(max));
            assert!(
                md.len() <= max,
                "{} bytes over the limit of {max}",
                md.len()
            );
            assert!(
                md.trim_end()
                    .ends_with("see the full report (JSON/HTML/SARIF)._"),
                "{max}: {}",
                &md[md.len().saturating_sub(300)..]
            );
            assert_tables_intact(&md);
        }
    }

    #[test]
    fn markdown_flags_expired_waivers_and_shows_waived_results_and_the_baseline() {
        let r = with_waivers_and_baseline();
        let md = render(&r, None);
        assert!(md.contains("1 active, 1 expired, 1 unused."), "{md}");
        let expired_row = md
            .lines()
            .find(|l| l.starts_with("| **EXPIRED** |") && l.contains(EXPIRED_ID));
        assert!(
            expired_row.is_some(),
            "the expired waiver is not listed: {md}"
        );
        let flagged = md.lines().find(|l| {
            l.contains("| FAIL |") && l.contains(&format!("**EXPIRED** waiver {EXPIRED_ID}"))
        });
        assert!(
            flagged.is_some(),
            "the FAIL with an expired waiver is not flagged: {md}"
        );
        let waived = md.lines().find(|l| {
            l.contains("| WAIVED |")
                && l.contains(&format!("waived by {ACTIVE_ID} until 2099-12-31"))
        });
        assert!(
            waived.is_some(),
            "the WAIVED result does not show its waiver: {md}"
        );
        // WAIVED rows come after every FAIL row.
        let lines: Vec<&str> = md
            .split("### Findings")
            .nth(1)
            .map(|t| t.lines().collect())
            .unwrap_or_default();
        let last_fail = lines.iter().rposition(|l| l.contains("| FAIL |"));
        let first_waived = lines.iter().position(|l| l.contains("| WAIVED |"));
        assert!(last_fail < first_waived);
        let Some(b) = &r.baseline else {
            panic!("no baseline")
        };
        assert!(
            md.contains(&format!(
                "**{} new**, {} existing, 1 fixed.",
                b.new, b.existing
            )),
            "{md}"
        );
        assert!(
            md.contains("🆕 **new**") && md.contains("| existing |"),
            "{md}"
        );
        assert!(
            !md.contains(UNUSED_ID),
            "unused waivers are counted, not listed"
        );
    }

    #[test]
    fn markdown_sorts_failures_by_severity_then_rule() {
        let md = render(&fixture(), None);
        let sev: Vec<usize> = md
            .lines()
            .filter(|l| l.contains("| FAIL |"))
            .filter_map(|l| {
                let s = l.trim_start_matches("| ").split(' ').next().unwrap_or("");
                Severity::ALL.iter().position(|sv| sv.as_str() == s)
            })
            .collect();
        assert_eq!(sev.len(), fixture().summary.count(Status::Fail));
        assert!(
            sev.windows(2).all(|w| w[0] <= w[1]),
            "not most severe first"
        );
    }

    #[test]
    fn markdown_shows_what_could_not_be_checked() {
        let r = fixture();
        let md = render(&r, None);
        let errors = r.summary.count(Status::Error);
        assert!(errors > 0, "the fixture has ERROR results");
        assert!(
            md.contains(&format!("**{errors} results** could not be checked")),
            "{md}"
        );
        assert!(
            md.contains("| secretsmanager | secretsmanager:ListSecrets |"),
            "{md}"
        );
        assert!(md.contains("not checked"), "{md}");
    }

    #[test]
    fn markdown_verdict_follows_the_counts() {
        let mut r = fixture();
        r.results.retain(|f| f.status == Status::Pass);
        r.collection_errors.clear();
        r.waivers.clear();
        r.baseline = None;
        r.summary = palisade_model::summarize(&r.results, 1, 1, 0);
        let md = render(&r, None);
        assert!(md.starts_with("## ✅ palisade: no failures\n"), "{md}");
        assert!(md.contains("No failures."));
        assert!(md.contains("Everything was checked"));
        let md = render(&fixture(), None);
        assert!(md.starts_with("## ❌ palisade: "), "{md}");
    }

    #[test]
    fn strip_controls_removes_terminal_sequences() {
        assert_eq!(strip_controls("\u{1b}[1;31mred\u{1b}[0m", &[]), "red");
        assert_eq!(strip_controls("a\u{1b}]0;title\u{7}b", &[]), "ab");
        assert_eq!(
            strip_controls("a\u{1b}]8;;http://x\u{1b}\\link", &[]),
            "alink"
        );
        assert_eq!(
            strip_controls("keep \u{1b}] the rest", &[]),
            "keep  the rest"
        );
        assert_eq!(
            strip_controls("a\u{0}b\u{7f}c\u{9b}d\te\nf", &['\n']),
            "abcde\nf"
        );
        assert_eq!(strip_controls("trailing \u{1b}", &[]), "trailing ");
        assert_eq!(strip_controls("x\u{202e}y", &[]), "xy");
    }
}
