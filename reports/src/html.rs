//! A self-contained HTML report for auditors: one file that opens offline, with an executive summary
//! (counts and inline SVG charts), a control matrix per framework, every FAIL, ERROR and WAIVED result
//! with its evidence and remediation, results per rule (passing resources in collapsed lists), the
//! waivers in force, what could not be checked, the baseline comparison and the provenance.
//!
//! Everything in a [`ScanReport`] is attacker-controlled text (resource names, tags, messages, evidence,
//! error messages, waiver reasons), so every value goes through [`escape`] (which also makes control and
//! bidi characters visible) and only ever lands in element text or quoted attribute values: never inside
//! `<script>`, `<style>`, an event handler or a URL (links point at numbered anchors). A strict
//! Content-Security-Policy allows no network access and only the one inline script whose SHA-256 is
//! [`SCRIPT_SHA256_B64`]; the script only filters rows, and the page reads completely without it.
//! The output is deterministic: the same report gives the same bytes.
use crate::{RenderOptions, Reporter};
use palisade_model::{
    CollectionError, Finding, RuleMeta, ScanReport, Severity, Status, WaiverRecord, WaiverState,
};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

pub struct Html;

/// Longer single values (a resource name, a message, an evidence string) are cut for display, with a
/// note; the JSON report keeps them whole.
pub const MAX_VALUE_CHARS: usize = 2000;
/// Longer pretty-printed evidence is cut for display, with a note.
pub const MAX_EVIDENCE_CHARS: usize = 20_000;
/// Passing (and not applicable) resources listed per rule; the rest are counted.
pub const MAX_LISTED_PER_RULE: usize = 500;

/// The page's only script: the filters of the findings table (text, status, severity, service,
/// account). It
/// holds no report data (it reads `data-*` attributes) and sets `data-ready="1"` on `<body>` when it ran.
pub const SCRIPT: &str = r#"
(function () {
  "use strict";
  var d = document;
  var rows = Array.prototype.slice.call(d.querySelectorAll("tbody.finding"));
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var bar = d.getElementById("filters");
  var q = d.getElementById("f-text");
  var st = d.getElementById("f-status");
  var sv = d.getElementById("f-severity");
  var se = d.getElementById("f-service");
  var ac = d.getElementById("f-account");
  var reset = d.getElementById("f-reset");
  var count = d.getElementById("f-count");
  function apply() {
    var t = q.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = (!st.value || r.getAttribute("data-status") === st.value) &&
        (!sv.value || r.getAttribute("data-severity") === sv.value) &&
        (!se.value || r.getAttribute("data-service") === se.value) &&
        (!ac.value || r.getAttribute("data-account") === ac.value) &&
        (!t || texts[i].indexOf(t) !== -1);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " shown";
  }
  if (bar && q && st && sv && se && ac && reset && count) {
    [q, st, sv, se, ac].forEach(function (e) {
      e.addEventListener("input", apply);
      e.addEventListener("change", apply);
    });
    reset.addEventListener("click", function () {
      q.value = ""; st.value = ""; sv.value = ""; se.value = ""; ac.value = "";
      apply();
    });
    bar.hidden = false;
    apply();
  }
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(d.querySelectorAll("details"), function (e) { e.open = true; });
  });
  d.body.setAttribute("data-ready", "1");
})();
"#;

/// Base64 of the SHA-256 of [`SCRIPT`], for the CSP `script-src`. A unit test recomputes it, so the
/// policy cannot drift from the script.
pub const SCRIPT_SHA256_B64: &str = "l/dlmapUuuDvnj7ZaWZEhJM+iIRjFZgKUUNrrO7u/ZU=";

/// The page's Content-Security-Policy: nothing may load, only inline styles, `data:` images and the one
/// script with this hash may run.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
         script-src 'sha256-{SCRIPT_SHA256_B64}'; base-uri 'none'; form-action 'none'"
    )
}

const STYLE: &str = r#"
:root{--fail:#c62828;--error:#e65100;--waived:#6a1b9a;--pass:#2e7d32;--na:#757575;--crit:#7f0000;--high:#d32f2f;--med:#ef6c00;--low:#b8860b;--info:#1565c0;--line:#d0d4d9;--muted:#5f6368;--bg2:#f5f6f8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#fff}
main,header,nav,footer{max-width:1240px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:20px 0 6px}
h3.inline{display:inline;margin:0}
p,li,td,th,dd,dt,pre,code,summary,.waiver{overflow-wrap:anywhere;word-break:normal}
.sub,.muted{color:var(--muted)}
.muted{font-size:12px}
nav ul{list-style:none;padding:0;margin:10px 0;display:flex;flex-wrap:wrap;gap:6px 14px}
nav a{color:#0b57d0}
a{color:#0b57d0}
.verdict{padding:10px 14px;border-radius:6px;margin:10px 0;font-weight:600}
.v-fail{background:#fdecea;border:1px solid #f5c2c0}
.v-error{background:#fff3e0;border:1px solid #ffd8a8}
.v-ok{background:#e8f5e9;border:1px solid #b7dfb9}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.tile{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:130px;background:var(--bg2)}
.tile b{display:block;font-size:22px}
.charts{display:flex;flex-wrap:wrap;gap:24px}
.chart-box{flex:1 1 460px;min-width:0}
svg.chart{max-width:100%;height:auto}
svg.chart text{font:13px system-ui,sans-serif;fill:#1f2328}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}
th,td{border:1px solid var(--line);padding:5px 7px;text-align:left;vertical-align:top}
th{background:var(--bg2);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.z{color:#9aa0a6}
table.counts{width:auto;min-width:280px}
table.fixed{table-layout:fixed}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;background:var(--bg2);border:1px solid var(--line);border-radius:4px;padding:8px;margin:6px 0;max-height:480px;overflow:auto}
details{margin:4px 0}
summary{cursor:pointer;color:#0b57d0}
.st,.sev,.flag,.bl{display:inline-block;padding:1px 6px;border-radius:3px;font-size:12px;font-weight:700;white-space:nowrap}
.st{color:#fff}
.st-fail{background:var(--fail)}.st-error{background:var(--error)}.st-waived{background:var(--waived)}.st-pass{background:var(--pass)}.st-na{background:var(--na)}
.sev{border:1px solid currentColor;background:#fff}
.sev-critical{color:var(--crit)}.sev-high{color:var(--high)}.sev-medium{color:var(--med)}.sev-low{color:var(--low)}.sev-info{color:var(--info)}
.flag{background:#fff;border:2px solid var(--fail);color:var(--fail)}
.flag-warn{border-color:var(--error);color:var(--error)}
.bl{background:#e3f2fd;color:#0d47a1}
.bl-new{background:#fdecea;color:var(--fail)}
.waiver{margin-top:6px;padding:6px 8px;border-left:4px solid var(--waived);background:#f6f0fa}
.waiver.expired{border-left-color:var(--fail);background:#fdecea}
.trunc{color:var(--fail);font-style:italic}
tbody.finding{border-top:2px solid #9aa0a6}
tr.detail td{background:#fcfcfd;border-top:none}
.filters{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;background:#fff;padding:8px 0;border-bottom:1px solid var(--line)}
.filters input[type=search]{width:280px;max-width:100%}
.filters label{font-weight:600}
tr.row-fail td:first-child{box-shadow:inset 4px 0 var(--fail)}
tr.row-error td:first-child{box-shadow:inset 4px 0 var(--error)}
tr.row-waived td:first-child{box-shadow:inset 4px 0 var(--waived)}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
dl.prov dt{font-weight:600}
dl.prov dd{margin:0}
ul.plain{margin:4px 0;padding-left:20px}
footer{margin:40px auto 30px;color:var(--muted);font-size:12px}
@media print{.filters{display:none}nav{display:none}h2{break-after:avoid}tbody.finding{break-inside:avoid}pre{max-height:none}}
"#;

/// Escapes text for an HTML text node or a quoted attribute value: `& < > " '` become entities, and
/// characters that could hide or disguise content become visible: control characters (ANSI escapes
/// included) are replaced by their Unicode "control picture" (ESC shows as `␛`), C1 controls by `�`, and
/// bidirectional overrides by `[U+202E]`. Newlines and tabs are kept.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'))
            }
            '\u{7f}' => out.push('\u{2421}'),
            c if c.is_control() => out.push('\u{FFFD}'),
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                let _ = write!(out, "[U+{:04X}]", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// [`escape`]d text, cut at [`MAX_VALUE_CHARS`] characters with a visible note.
pub fn text(s: &str) -> String {
    let n = s.chars().count();
    if n <= MAX_VALUE_CHARS {
        return escape(s);
    }
    let head: String = s.chars().take(MAX_VALUE_CHARS).collect();
    format!(
        "{}<span class=\"trunc\">… [{} more characters not shown: {} in total; the JSON report has the \
         full value]</span>",
        escape(&head),
        n - MAX_VALUE_CHARS,
        n
    )
}

macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {
        // Writing to a String cannot fail.
        let _ = write!($dst, $($arg)*);
    };
}

fn status_index(s: Status) -> usize {
    match s {
        Status::Fail => 0,
        Status::Error => 1,
        Status::Waived => 2,
        Status::Pass => 3,
        Status::NotApplicable => 4,
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Fail => "fail",
        Status::Error => "error",
        Status::Waived => "waived",
        Status::Pass => "pass",
        Status::NotApplicable => "na",
    }
}

fn status_color(s: Status) -> &'static str {
    match s {
        Status::Fail => "#c62828",
        Status::Error => "#e65100",
        Status::Waived => "#6a1b9a",
        Status::Pass => "#2e7d32",
        Status::NotApplicable => "#757575",
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "#7f0000",
        Severity::High => "#d32f2f",
        Severity::Medium => "#ef6c00",
        Severity::Low => "#b8860b",
        Severity::Info => "#1565c0",
    }
}

fn badge(s: Status) -> String {
    format!(
        "<span class=\"st st-{}\">{}</span>",
        status_class(s),
        s.as_str()
    )
}

fn sev_badge(s: Severity) -> String {
    format!("<span class=\"sev sev-{0}\">{0}</span>", s.as_str())
}

/// Counts by status, indexed by [`status_index`].
type Counts = [usize; 5];

fn cell(n: usize) -> String {
    if n == 0 {
        "<td class=\"n z\">0</td>".to_string()
    } else {
        format!("<td class=\"n\">{n}</td>")
    }
}

/// Compares strings with their digit runs as numbers (`ELB.2` before `ELB.10`), then bytewise.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let lx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ly = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..lx], &y[..ly]);
                let tx = dx
                    .iter()
                    .position(|&c| c != b'0')
                    .map_or(&dx[lx..], |i| &dx[i..]);
                let ty = dy
                    .iter()
                    .position(|&c| c != b'0')
                    .map_or(&dy[ly..], |i| &dy[i..]);
                let o = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[lx..];
                y = &y[ly..];
            }
            (Some(p), Some(q)) => {
                if p != q {
                    return p.cmp(q);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

/// The service a result belongs to, for the service filter: the second part of the rule's Rego package
/// (`aws.rds.multi_az` → `rds`), else the rule id's prefix (`CUSTOM-1` → `custom`), else the resource
/// type's (`aws_s3_bucket` → `s3`).
fn service(f: &Finding, rule: Option<&RuleMeta>) -> String {
    if let Some(r) = rule {
        let mut parts = r.package.split('.');
        if let (Some("aws"), Some(s)) = (parts.next(), parts.next()) {
            if !s.is_empty() {
                return s.to_string();
            }
        }
    }
    if let Some((p, _)) = f.rule_id.split_once('-') {
        if !p.is_empty() {
            return p.to_ascii_lowercase();
        }
    }
    let t = f
        .resource_type
        .strip_prefix("aws_")
        .unwrap_or(&f.resource_type);
    t.split('_').next().unwrap_or(t).to_string()
}

/// Evidence with every string over [`MAX_VALUE_CHARS`] characters cut, for display.
fn cut_strings(v: &Value) -> Value {
    match v {
        Value::String(s) if s.chars().count() > MAX_VALUE_CHARS => {
            let n = s.chars().count();
            let mut t: String = s.chars().take(MAX_VALUE_CHARS).collect();
            let _ = write!(
                t,
                "… [{} more characters not shown: {n} in total]",
                n - MAX_VALUE_CHARS
            );
            Value::String(t)
        }
        Value::Array(a) => Value::Array(a.iter().map(cut_strings).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let k = if k.chars().count() > MAX_VALUE_CHARS {
                        let mut t: String = k.chars().take(MAX_VALUE_CHARS).collect();
                        t.push('…');
                        t
                    } else {
                        k.clone()
                    };
                    (k, cut_strings(v))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Pretty JSON of the evidence, escaped, in a `<pre>`.
fn evidence_block(v: &Value) -> String {
    let pretty = serde_json::to_string_pretty(&cut_strings(v)).unwrap_or_default();
    let n = pretty.chars().count();
    if n <= MAX_EVIDENCE_CHARS {
        return format!("<pre>{}</pre>", escape(&pretty));
    }
    let head: String = pretty.chars().take(MAX_EVIDENCE_CHARS).collect();
    format!(
        "<pre>{}</pre><p class=\"trunc\">Evidence cut at {MAX_EVIDENCE_CHARS} of {n} characters; the \
         JSON report has all of it.</p>",
        escape(&head)
    )
}

/// A horizontal bar chart in inline SVG. Labels are fixed strings (statuses, severities), never report
/// data.
fn bar_chart(title: &str, rows: &[(&str, usize, &str)]) -> String {
    const LABEL_W: usize = 130;
    const BAR_MAX: usize = 290;
    const ROW_H: usize = 26;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let h = rows.len() * ROW_H + 8;
    let mut s = String::new();
    w!(
        s,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 {h}\" width=\"480\" \
         height=\"{h}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>\n",
        t = escape(title)
    );
    for (i, (label, n, color)) in rows.iter().enumerate() {
        let y = 4 + i * ROW_H;
        let width = if *n == 0 {
            0
        } else {
            (n * BAR_MAX / max).max(2)
        };
        w!(
            s,
            "<text x=\"0\" y=\"{ty}\">{l}</text><rect x=\"{LABEL_W}\" y=\"{ry}\" width=\"{width}\" \
             height=\"18\" rx=\"2\" fill=\"{color}\"><title>{l}: {n}</title></rect><text x=\"{nx}\" \
             y=\"{ty}\">{n}</text>\n",
            ty = y + 17,
            ry = y + 3,
            nx = LABEL_W + width + 6,
            l = escape(label),
        );
    }
    s.push_str("</svg>");
    s
}

fn join_text(items: &[String]) -> String {
    items.iter().map(|s| text(s)).collect::<Vec<_>>().join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Opens a fixed-layout table (long values wrap inside their column instead of squeezing the others):
/// each column is (header, width in %, 0 = the rest; numeric). Ends with an open `<tbody>` unless
/// `tbody` is false.
fn table_start(h: &mut String, cols: &[(&str, u32, bool)], tbody: bool) {
    h.push_str("<table class=\"fixed\"><colgroup>");
    for (_, width, _) in cols {
        if *width > 0 {
            w!(h, "<col style=\"width:{width}%\">");
        } else {
            h.push_str("<col>");
        }
    }
    h.push_str("</colgroup><thead><tr>");
    for (name, _, numeric) in cols {
        w!(
            h,
            "<th{}>{name}</th>",
            if *numeric { " class=\"n\"" } else { "" }
        );
    }
    h.push_str("</tr></thead>");
    if tbody {
        h.push_str("<tbody>");
    }
    h.push('\n');
}

/// Precomputed lookups over a report.
struct Index<'a> {
    rule_pos: BTreeMap<&'a str, usize>,
    per_rule: BTreeMap<&'a str, Counts>,
}

impl<'a> Index<'a> {
    fn new(r: &'a ScanReport) -> Self {
        let rule_pos = r
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| (rule.id.as_str(), i))
            .collect::<BTreeMap<_, _>>();
        let mut per_rule: BTreeMap<&str, Counts> = BTreeMap::new();
        for f in &r.results {
            per_rule.entry(f.rule_id.as_str()).or_default()[status_index(f.status)] += 1;
        }
        Index { rule_pos, per_rule }
    }
    fn rule<'r>(&self, r: &'r ScanReport, id: &str) -> Option<(usize, &'r RuleMeta)> {
        let i = *self.rule_pos.get(id)?;
        r.rules.get(i).map(|rule| (i, rule))
    }
    fn counts(&self, id: &str) -> Counts {
        self.per_rule.get(id).copied().unwrap_or_default()
    }
}

/// A link to a rule's row in the rules table (the anchor is its position, never its id).
fn rule_link(ix: &Index, r: &ScanReport, id: &str) -> String {
    match ix.rule(r, id) {
        Some((i, _)) => format!("<a href=\"#rule-{i}\"><code>{}</code></a>", text(id)),
        None => format!("<code>{}</code>", text(id)),
    }
}

fn head(h: &mut String, r: &ScanReport) {
    w!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"palisade {}\">\n\
         <title>palisade security report — {}</title>\n<style>{STYLE}</style>\n</head>\n",
        content_security_policy(),
        text(&r.tool.version),
        text(&r.generated_at),
    );
}

fn header(h: &mut String, r: &ScanReport) {
    let s = &r.summary;
    let accounts = &r.provenance.accounts;
    let acc = match accounts.len() {
        0 => "no account listed".to_string(),
        1..=4 => format!(
            "{} {}",
            if accounts.len() == 1 {
                "account"
            } else {
                "accounts"
            },
            join_text(accounts)
        ),
        n => format!("{n} accounts"),
    };
    let regions = &r.provenance.regions;
    let reg = match regions.len() {
        0 => "no region listed".to_string(),
        1..=6 => format!(
            "{} {}",
            if regions.len() == 1 {
                "region"
            } else {
                "regions"
            },
            join_text(regions)
        ),
        n => format!("{n} regions"),
    };
    w!(
        h,
        "<header>\n<h1>palisade security report</h1>\n<p class=\"sub\">{acc} · {reg} · collected {} · \
         generated {} · palisade {}</p>\n",
        text(&r.provenance.collected_at),
        text(&r.generated_at),
        text(&r.tool.version)
    );
    let fails = s.count(Status::Fail);
    let errors = s.count(Status::Error);
    if fails > 0 {
        let sev: Vec<String> = Severity::ALL
            .iter()
            .filter(|v| s.failures(**v) > 0)
            .map(|v| format!("{} {}", s.failures(*v), v.as_str()))
            .collect();
        w!(
            h,
            "<p class=\"verdict v-fail\">{} ({}).</p>\n",
            plural(fails, "failing result", "failing results"),
            sev.join(", ")
        );
    }
    if errors > 0 {
        w!(
            h,
            "<p class=\"verdict v-error\">Incomplete scan: {} could not be checked (data that could not \
             be collected, or a rule that could not be evaluated). See <a href=\"#not-checked\">What could \
             not be checked</a>.</p>\n",
            plural(errors, "result", "results")
        );
    }
    if fails == 0 && errors == 0 {
        h.push_str("<p class=\"verdict v-ok\">No failing result, and every check ran.</p>\n");
    }
    h.push_str("</header>\n");
}

fn nav(h: &mut String, r: &ScanReport) {
    h.push_str(
        "<nav aria-label=\"Contents\"><ul>\
         <li><a href=\"#summary\">Executive summary</a></li>\
         <li><a href=\"#controls\">Control matrix</a></li>\
         <li><a href=\"#findings\">Findings</a></li>\
         <li><a href=\"#rules\">Results per rule</a></li>\
         <li><a href=\"#waivers\">Waivers</a></li>\
         <li><a href=\"#not-checked\">What could not be checked</a></li>",
    );
    if r.baseline.is_some() {
        h.push_str("<li><a href=\"#baseline\">Baseline</a></li>");
    }
    h.push_str("<li><a href=\"#provenance\">Provenance</a></li></ul></nav>\n");
}

fn summary(h: &mut String, r: &ScanReport) {
    let s = &r.summary;
    let total: usize = Status::ALL.iter().map(|st| s.count(*st)).sum();
    h.push_str("<section id=\"summary\">\n<h2>Executive summary</h2>\n<div class=\"tiles\">");
    for (label, n) in [
        ("rules evaluated", s.rules),
        ("resources", s.resources),
        ("results", total),
        ("failing results", s.count(Status::Fail)),
        ("not checked", s.count(Status::Error)),
        ("collection errors", s.collection_errors),
        ("waivers configured", r.waivers.len()),
    ] {
        w!(h, "<div class=\"tile\"><b>{n}</b>{label}</div>");
    }
    h.push_str(
        "</div>\n<div class=\"charts\">\n<div class=\"chart-box\">\n<h3>Results by status</h3>\n",
    );
    let rows: Vec<(&str, usize, &str)> = Status::ALL
        .iter()
        .map(|st| (st.as_str(), s.count(*st), status_color(*st)))
        .collect();
    h.push_str(&bar_chart("Results by status", &rows));
    h.push_str(
        "\n<table class=\"counts\"><thead><tr><th>Status</th><th class=\"n\">Results</th></tr></thead><tbody>",
    );
    for st in Status::ALL {
        w!(h, "<tr><td>{}</td>{}</tr>", badge(st), cell(s.count(st)));
    }
    w!(
        h,
        "<tr><th>total</th><td class=\"n\"><b>{total}</b></td></tr></tbody></table>\n</div>\n\
         <div class=\"chart-box\">\n<h3>Failing results by severity</h3>\n"
    );
    let rows: Vec<(&str, usize, &str)> = Severity::ALL
        .iter()
        .map(|v| (v.as_str(), s.failures(*v), severity_color(*v)))
        .collect();
    h.push_str(&bar_chart("Failing results by severity", &rows));
    h.push_str(
        "\n<table class=\"counts\"><thead><tr><th>Severity</th><th class=\"n\">FAIL</th></tr></thead><tbody>",
    );
    for v in Severity::ALL {
        w!(
            h,
            "<tr><td>{}</td>{}</tr>",
            sev_badge(v),
            cell(s.failures(v))
        );
    }
    h.push_str("</tbody></table>\n</div>\n</div>\n</section>\n");
}

/// The overall status of a control: FAIL if a result fails, else ERROR if one could not be checked,
/// else WAIVED if one is waived, else PASS if one passes, else NOT_APPLICABLE.
fn control_status(c: &Counts) -> Status {
    Status::ALL
        .iter()
        .copied()
        .find(|st| c[status_index(*st)] > 0)
        .unwrap_or(Status::NotApplicable)
}

fn controls(h: &mut String, r: &ScanReport, ix: &Index) {
    h.push_str(
        "<section id=\"controls\">\n<h2>Control matrix</h2>\n<p>For each framework the rules declare, each \
         control with the rules mapped to it and their results. A control is <b>FAIL</b> if any result \
         fails, <b>ERROR</b> if any could not be checked (and none fails), <b>WAIVED</b> if any is waived \
         (and the rest pass), <b>PASS</b> if results pass, and <b>NOT_APPLICABLE</b> without results.</p>\n",
    );
    // framework → control → rule positions
    let mut fws: BTreeMap<&str, BTreeMap<&str, BTreeSet<usize>>> = BTreeMap::new();
    for (i, rule) in r.rules.iter().enumerate() {
        for (fw, ids) in &rule.frameworks {
            for id in ids {
                fws.entry(fw.as_str())
                    .or_default()
                    .entry(id.as_str())
                    .or_default()
                    .insert(i);
            }
        }
    }
    if fws.is_empty() {
        h.push_str("<p>No rule maps to a framework control.</p>\n</section>\n");
        return;
    }
    type Control<'c> = (&'c str, Counts, &'c BTreeSet<usize>);
    let frameworks: Vec<(&str, Vec<Control>, Counts)> = fws
        .iter()
        .map(|(fw, ctrls)| {
            let mut list: Vec<Control> = ctrls
                .iter()
                .map(|(id, rules)| {
                    let mut c = Counts::default();
                    for rule in rules.iter().filter_map(|&i| r.rules.get(i)) {
                        for (sum, n) in c.iter_mut().zip(ix.counts(&rule.id)) {
                            *sum += n;
                        }
                    }
                    (*id, c, rules)
                })
                .collect();
            list.sort_by(|a, b| natural_cmp(a.0, b.0));
            let mut by_status = Counts::default();
            for (_, c, _) in &list {
                by_status[status_index(control_status(c))] += 1;
            }
            (*fw, list, by_status)
        })
        .collect();
    h.push_str(
        "<table class=\"counts\"><thead><tr><th>Framework</th><th class=\"n\">Controls</th>\
         <th class=\"n\">FAIL</th><th class=\"n\">ERROR</th><th class=\"n\">WAIVED</th>\
         <th class=\"n\">PASS</th><th class=\"n\">N/A</th></tr></thead><tbody>\n",
    );
    for (i, (fw, list, by_status)) in frameworks.iter().enumerate() {
        w!(
            h,
            "<tr><td><a href=\"#fw-{i}\">{}</a></td>{}{}{}{}{}{}</tr>\n",
            text(fw),
            cell(list.len()),
            cell(by_status[0]),
            cell(by_status[1]),
            cell(by_status[2]),
            cell(by_status[3]),
            cell(by_status[4])
        );
    }
    h.push_str("</tbody></table>\n<p class=\"muted\">Controls by overall status. Open a framework for its controls.</p>\n");
    for (i, (fw, list, by_status)) in frameworks.iter().enumerate() {
        let tally: Vec<String> = Status::ALL
            .iter()
            .filter(|st| by_status[status_index(**st)] > 0)
            .map(|st| format!("{} {}", by_status[status_index(*st)], st.as_str()))
            .collect();
        w!(
            h,
            "<details id=\"fw-{i}\"><summary><h3 class=\"inline\">{}</h3> — {} ({})</summary>\n",
            text(fw),
            plural(list.len(), "control", "controls"),
            tally.join(", ")
        );
        table_start(
            h,
            &[
                ("Control", 30, false),
                ("Status", 14, false),
                ("Rules", 0, false),
                ("FAIL", 8, true),
                ("ERROR", 8, true),
                ("WAIVED", 8, true),
                ("PASS", 8, true),
            ],
            true,
        );
        for (id, c, rules) in list {
            let links: Vec<String> = rules
                .iter()
                .filter_map(|&i| r.rules.get(i))
                .map(|rule| rule_link(ix, r, &rule.id))
                .collect();
            w!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td>{}{}{}{}</tr>\n",
                text(id),
                badge(control_status(c)),
                links.join(" "),
                cell(c[0]),
                cell(c[1]),
                cell(c[2]),
                cell(c[3])
            );
        }
        h.push_str("</tbody></table>\n</details>\n");
    }
    h.push_str("</section>\n");
}

fn waiver_ref_block(f: &Finding) -> String {
    let Some(wv) = &f.waiver else {
        return String::new();
    };
    let owner = wv
        .owner
        .as_deref()
        .map(|o| format!(", owner {}", text(o)))
        .unwrap_or_default();
    if wv.expired {
        format!(
            "<div class=\"waiver expired\"><span class=\"flag\">EXPIRED WAIVER</span> <code>{}</code> \
             expired on {}{owner}: it no longer applies, so this result fails. Reason given: {}</div>",
            text(&wv.id),
            text(&wv.expires),
            text(&wv.reason)
        )
    } else {
        format!(
            "<div class=\"waiver\"><b>Waived</b> by <code>{}</code> until {}{owner}. Reason: {}</div>",
            text(&wv.id),
            text(&wv.expires),
            text(&wv.reason)
        )
    }
}

fn findings(h: &mut String, r: &ScanReport, ix: &Index) {
    let mut list: Vec<&Finding> = r
        .results
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Error | Status::Waived))
        .collect();
    list.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.severity.cmp(&a.severity))
            .then_with(|| natural_cmp(&a.rule_id, &b.rule_id))
            .then_with(|| a.account.cmp(&b.account))
            .then_with(|| a.region.cmp(&b.region))
            .then_with(|| a.resource_id.cmp(&b.resource_id))
    });
    let services: BTreeSet<String> = list
        .iter()
        .map(|f| service(f, ix.rule(r, &f.rule_id).map(|x| x.1)))
        .collect();
    let c = |st| list.iter().filter(|f| f.status == st).count();
    w!(
        h,
        "<section id=\"findings\">\n<h2>Findings</h2>\n<p>Every failing, not checked and waived result \
         ({} FAIL, {} ERROR, {} WAIVED), by status, severity and rule. Open a row's details for its \
         evidence and remediation. Passing results are counted in <a href=\"#rules\">Results per rule</a>.</p>\n",
        c(Status::Fail),
        c(Status::Error),
        c(Status::Waived)
    );
    h.push_str(
        "<div id=\"filters\" class=\"filters\" hidden>\
         <label for=\"f-text\">Search</label><input type=\"search\" id=\"f-text\" placeholder=\"rule, resource, message…\">\
         <label for=\"f-status\">Status</label><select id=\"f-status\"><option value=\"\">all</option>\
         <option>FAIL</option><option>ERROR</option><option>WAIVED</option></select>\
         <label for=\"f-severity\">Severity</label><select id=\"f-severity\"><option value=\"\">all</option>",
    );
    for v in Severity::ALL {
        w!(h, "<option>{}</option>", v.as_str());
    }
    h.push_str(
        "</select><label for=\"f-service\">Service</label><select id=\"f-service\"><option value=\"\">all</option>",
    );
    for s in &services {
        w!(h, "<option value=\"{0}\">{0}</option>", text(s));
    }
    h.push_str(
        "</select><label for=\"f-account\">Account</label><select id=\"f-account\"><option value=\"\">all</option>",
    );
    let accounts: BTreeSet<&str> = list.iter().map(|f| f.account.as_str()).collect();
    for a in &accounts {
        w!(h, "<option value=\"{0}\">{0}</option>", text(a));
    }
    h.push_str(
        "</select><button type=\"button\" id=\"f-reset\">Reset</button><span id=\"f-count\" \
         aria-live=\"polite\"></span></div>\n",
    );
    // An organization scan: the results of each account side by side.
    let all_accounts: BTreeSet<&str> = r
        .results
        .iter()
        .map(|f| f.account.as_str())
        .filter(|a| *a != "*")
        .collect();
    if all_accounts.len() > 1 {
        h.push_str("<h3>By account</h3>\n");
        table_start(
            h,
            &[
                ("Account", 0, false),
                ("FAIL", 8, true),
                ("ERROR", 8, true),
                ("WAIVED", 8, true),
                ("PASS", 8, true),
            ],
            true,
        );
        for a in &all_accounts {
            let n = |st: Status| {
                r.results
                    .iter()
                    .filter(|f| f.account == *a && f.status == st)
                    .count()
            };
            w!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                text(a),
                n(Status::Fail),
                n(Status::Error),
                n(Status::Waived),
                n(Status::Pass)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if list.is_empty() {
        h.push_str("<p>No failing, not checked or waived result.</p>\n</section>\n");
        return;
    }
    table_start(
        h,
        &[
            ("Status", 9, false),
            ("Severity", 8, false),
            ("Rule", 16, false),
            ("Resource", 24, false),
            ("Account / region", 12, false),
            ("Message", 0, false),
        ],
        false,
    );
    for f in list {
        let rule = ix.rule(r, &f.rule_id).map(|x| x.1);
        let title = rule
            .map(|x| format!("<div>{}</div>", text(&x.title)))
            .unwrap_or_default();
        let baseline = match f.baseline {
            Some(b) => format!(" <span class=\"bl bl-{0}\">{0}</span>", b.as_str()),
            None => String::new(),
        };
        w!(
            h,
            "<tbody class=\"finding\" data-status=\"{st}\" data-severity=\"{sev}\" data-service=\"{svc}\" data-account=\"{accattr}\">\n\
             <tr class=\"row-{cls}\"><td>{badge}{baseline}</td><td>{sevb}</td><td>{link}{title}</td>\
             <td><code>{res}</code><div class=\"muted\">{rtype}</div></td><td>{acc}<br>{reg}</td>\
             <td>{msg}{waiver}</td></tr>\n",
            st = f.status.as_str(),
            sev = f.severity.as_str(),
            svc = text(&service(f, rule)),
            accattr = text(&f.account),
            cls = status_class(f.status),
            badge = badge(f.status),
            sevb = sev_badge(f.severity),
            link = rule_link(ix, r, &f.rule_id),
            res = text(&f.resource_id),
            rtype = text(&f.resource_type),
            acc = text(&f.account),
            reg = text(&f.region),
            msg = text(&f.message),
            waiver = waiver_ref_block(f),
        );
        h.push_str("<tr class=\"detail\"><td colspan=\"6\"><details><summary>Evidence and remediation</summary>");
        if f.evidence.is_null() {
            h.push_str("<p class=\"muted\">No evidence recorded.</p>");
        } else {
            h.push_str("<b>Evidence</b>");
            h.push_str(&evidence_block(&f.evidence));
        }
        match rule {
            Some(x) => {
                w!(h, "<b>Remediation</b><p>{}</p>", text(&x.remediation));
            }
            None => {
                h.push_str("<p class=\"muted\">The rule is not in this report's rule list.</p>")
            }
        }
        w!(
            h,
            "<p class=\"muted\">Fingerprint <code>{}</code></p></details></td></tr>\n</tbody>\n",
            text(&f.fingerprint)
        );
    }
    h.push_str("</table>\n</section>\n");
}

fn rules_section(h: &mut String, r: &ScanReport, ix: &Index) {
    h.push_str(
        "<section id=\"rules\">\n<h2>Results per rule</h2>\n<p>Every rule evaluated, with its results by \
         status; open a rule for what it checks, how to fix it and the resources that passed.</p>\n",
    );
    table_start(
        h,
        &[
            ("Rule", 9, false),
            ("Title", 0, false),
            ("Severity", 9, false),
            ("FAIL", 7, true),
            ("ERROR", 7, true),
            ("WAIVED", 7, true),
            ("PASS", 7, true),
            ("N/A", 7, true),
        ],
        true,
    );
    // Passing and not applicable results per rule, in report order.
    let mut passing: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &r.results {
        if matches!(f.status, Status::Pass | Status::NotApplicable) {
            passing.entry(f.rule_id.as_str()).or_default().push(f);
        }
    }
    for (i, rule) in r.rules.iter().enumerate() {
        w!(
            h,
            "<tr id=\"rule-{i}\"><td><code>{}</code></td><td>{}<details><summary>About this rule",
            text(&rule.id),
            text(&rule.title),
        );
        let ok = passing
            .get(rule.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if !ok.is_empty() {
            w!(
                h,
                " and its {}",
                plural(ok.len(), "passing resource", "passing resources")
            );
        }
        w!(
            h,
            "</summary><p>{}</p><b>Remediation</b><p>{}</p>",
            text(&rule.description),
            text(&rule.remediation)
        );
        let fws: Vec<String> = rule
            .frameworks
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(fw, ids)| format!("<b>{}</b>: {}", text(fw), join_text(ids)))
            .collect();
        if !fws.is_empty() {
            w!(h, "<p>Controls: {}</p>", fws.join("; "));
        }
        w!(
            h,
            "<p class=\"muted\">Resource types {} · policy <code>{}</code> line {} · {} · origin {}</p>",
            join_text(&rule.resource_types),
            text(&rule.file),
            rule.line,
            text(&rule.package),
            text(&rule.origin)
        );
        if !ok.is_empty() {
            h.push_str("<ul class=\"plain\">");
            for f in ok.iter().take(MAX_LISTED_PER_RULE) {
                w!(
                    h,
                    "<li>{} <code>{}</code> <span class=\"muted\">{} / {}</span></li>",
                    badge(f.status),
                    text(&f.resource_id),
                    text(&f.account),
                    text(&f.region)
                );
            }
            h.push_str("</ul>");
            if ok.len() > MAX_LISTED_PER_RULE {
                w!(
                    h,
                    "<p class=\"muted\">{} more not listed; the JSON report lists every result.</p>",
                    ok.len() - MAX_LISTED_PER_RULE
                );
            }
        }
        let c = ix.counts(&rule.id);
        w!(
            h,
            "</details></td><td>{}</td>{}{}{}{}{}</tr>\n",
            sev_badge(rule.severity),
            cell(c[0]),
            cell(c[1]),
            cell(c[2]),
            cell(c[3]),
            cell(c[4])
        );
    }
    h.push_str("</tbody></table>\n");
    // Results of rules missing from the rule list (should not happen) are still counted.
    let orphans: Vec<(&&str, &Counts)> = ix
        .per_rule
        .iter()
        .filter(|(id, _)| ix.rule(r, id).is_none())
        .collect();
    if !orphans.is_empty() {
        h.push_str(
            "<p>Results of rules that are not in the rule list:</p><table class=\"counts\"><thead><tr>\
             <th>Rule</th><th class=\"n\">FAIL</th><th class=\"n\">ERROR</th><th class=\"n\">WAIVED</th>\
             <th class=\"n\">PASS</th><th class=\"n\">N/A</th></tr></thead><tbody>",
        );
        for (id, c) in orphans {
            w!(
                h,
                "<tr><td><code>{}</code></td>{}{}{}{}{}</tr>",
                text(id),
                cell(c[0]),
                cell(c[1]),
                cell(c[2]),
                cell(c[3]),
                cell(c[4])
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

fn waiver_state(w: &WaiverRecord) -> String {
    match w.state {
        WaiverState::Active => "<span class=\"st st-waived\">active</span>".to_string(),
        WaiverState::Expired => "<span class=\"flag\">EXPIRED</span>".to_string(),
        WaiverState::Unused => "<span class=\"flag flag-warn\">UNUSED</span>".to_string(),
    }
}

fn waivers(h: &mut String, r: &ScanReport, ix: &Index) {
    h.push_str("<section id=\"waivers\">\n<h2>Waivers</h2>\n");
    if r.waivers.is_empty() {
        h.push_str("<p>No waiver is configured.</p>\n</section>\n");
        return;
    }
    let n = |s| r.waivers.iter().filter(|w| w.state == s).count();
    w!(
        h,
        "<p>{} configured: {} active, {} expired (no longer applied: the results they matched fail), {} \
         unused (they matched no failing result: stale, or the finding was fixed).</p>\n",
        plural(r.waivers.len(), "waiver", "waivers"),
        n(WaiverState::Active),
        n(WaiverState::Expired),
        n(WaiverState::Unused)
    );
    table_start(
        h,
        &[
            ("Waiver", 10, false),
            ("State", 8, false),
            ("Rule", 7, false),
            ("Resource pattern", 16, false),
            ("Account / region", 11, false),
            ("Reason", 0, false),
            ("Owner / expires", 13, false),
            ("Matched", 6, true),
            ("Source", 9, false),
        ],
        true,
    );
    for wv in &r.waivers {
        w!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td>\
             <td>{}<br>{}</td><td>{}</td><td>{}<br>until {}</td>{}<td><code>{}</code></td></tr>\n",
            text(&wv.id),
            waiver_state(wv),
            rule_link(ix, r, &wv.rule_id),
            text(&wv.resource),
            wv.account
                .as_deref()
                .map(text)
                .unwrap_or_else(|| "any account".into()),
            wv.region
                .as_deref()
                .map(text)
                .unwrap_or_else(|| "any region".into()),
            text(&wv.reason),
            wv.owner
                .as_deref()
                .map(text)
                .unwrap_or_else(|| "no owner".into()),
            text(&wv.expires),
            cell(wv.matched),
            text(&wv.source)
        );
    }
    h.push_str("</tbody></table>\n</section>\n");
}

fn collection_error_row(e: &CollectionError) -> String {
    let types = join_text(&e.resource_types);
    let res = e
        .resource_id
        .as_deref()
        .map(|id| {
            format!(
                "<div class=\"muted\">resource <code>{}</code></div>",
                text(id)
            )
        })
        .unwrap_or_default();
    format!(
        "<tr><td>{}</td><td>{}<br>{}</td><td><code>{}</code>{res}</td><td><code>{}</code></td><td>{}</td>\
         <td>{}</td><td>{types}</td></tr>\n",
        text(&e.service),
        text(&e.account),
        text(&e.region),
        text(&e.operation),
        text(&e.error_code),
        text(e.kind.as_str()),
        text(&e.message)
    )
}

fn not_checked(h: &mut String, r: &ScanReport, ix: &Index) {
    h.push_str("<section id=\"not-checked\">\n<h2>What could not be checked</h2>\n");
    let errors: Vec<&Finding> = r.with_status(Status::Error).collect();
    if errors.is_empty() && r.collection_errors.is_empty() {
        h.push_str(
            "<p>Every check ran: no ERROR result and no collection error.</p>\n</section>\n",
        );
        return;
    }
    w!(
        h,
        "<p>These checks did not run, so their resources are neither passing nor failing: the scan is \
         incomplete. {} and {}.</p>\n",
        plural(errors.len(), "ERROR result", "ERROR results"),
        plural(
            r.collection_errors.len(),
            "collection error",
            "collection errors"
        )
    );
    if !r.collection_errors.is_empty() {
        h.push_str("<h3>Collection errors</h3>\n");
        table_start(
            h,
            &[
                ("Service", 10, false),
                ("Account / region", 11, false),
                ("Operation", 17, false),
                ("Error code", 14, false),
                ("Kind", 10, false),
                ("Message", 0, false),
                ("Resource types", 13, false),
            ],
            true,
        );
        for e in &r.collection_errors {
            h.push_str(&collection_error_row(e));
        }
        h.push_str("</tbody></table>\n");
    }
    if !errors.is_empty() {
        h.push_str("<h3>ERROR results</h3>\n");
        table_start(
            h,
            &[
                ("Rule", 8, false),
                ("Resource", 28, false),
                ("Account / region", 12, false),
                ("Message", 0, false),
            ],
            true,
        );
        for f in errors {
            w!(
                h,
                "<tr><td>{}</td><td><code>{}</code><div class=\"muted\">{}</div></td><td>{}<br>{}</td>\
                 <td>{}</td></tr>\n",
                rule_link(ix, r, &f.rule_id),
                text(&f.resource_id),
                text(&f.resource_type),
                text(&f.account),
                text(&f.region),
                text(&f.message)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

fn baseline(h: &mut String, r: &ScanReport, ix: &Index) {
    let Some(b) = &r.baseline else {
        return;
    };
    w!(
        h,
        "<section id=\"baseline\">\n<h2>Baseline</h2>\n<p>Compared with the scan <code>{}</code> \
         generated {}.</p>\n<div class=\"tiles\"><div class=\"tile\"><b>{}</b>new failures</div>\
         <div class=\"tile\"><b>{}</b>existing failures</div><div class=\"tile\"><b>{}</b>fixed</div></div>\n",
        text(&b.source),
        text(&b.generated_at),
        b.new,
        b.existing,
        b.fixed.len()
    );
    if b.fixed.is_empty() {
        h.push_str("<p>No failure of the baseline has been fixed.</p>\n</section>\n");
        return;
    }
    h.push_str("<h3>Fixed since the baseline</h3>\n");
    table_start(
        h,
        &[
            ("Rule", 8, false),
            ("Severity", 9, false),
            ("Resource", 30, false),
            ("Account / region", 12, false),
            ("Baseline message", 0, false),
            ("Now", 12, false),
        ],
        true,
    );
    for f in &b.fixed {
        let now = match f.status_now {
            Some(s) => badge(s),
            None => "<span class=\"muted\">resource no longer in the scan</span>".to_string(),
        };
        w!(
            h,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}<br>{}</td><td>{}</td><td>{now}</td></tr>\n",
            rule_link(ix, r, &f.rule_id),
            sev_badge(f.severity),
            text(&f.resource_id),
            text(&f.account),
            text(&f.region),
            text(&f.message)
        );
    }
    h.push_str("</tbody></table>\n</section>\n");
}

fn provenance(h: &mut String, r: &ScanReport) {
    let p = &r.provenance;
    let list = |v: &[String]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            join_text(v)
        }
    };
    w!(
        h,
        "<section id=\"provenance\">\n<h2>Provenance</h2>\n<dl class=\"prov\">\
         <dt>Accounts</dt><dd>{}</dd><dt>Regions</dt><dd>{}</dd><dt>Source</dt><dd>{}</dd>\
         <dt>Collected at</dt><dd>{}</dd><dt>Collector version</dt><dd>{}</dd><dt>Report generated at</dt><dd>{}</dd>\
         <dt>Tool</dt><dd>{} {}</dd><dt>Policy set hash</dt><dd><code>{}</code></dd>\
         <dt>Report schema version</dt><dd>{}</dd><dt>Rules / resources</dt><dd>{} / {}</dd></dl>\n</section>\n",
        list(&p.accounts),
        list(&p.regions),
        text(&p.source),
        text(&p.collected_at),
        text(&p.tool_version),
        text(&r.generated_at),
        text(&r.tool.name),
        text(&r.tool.version),
        text(&r.policy_set_hash),
        text(&r.schema_version),
        r.summary.rules,
        r.summary.resources
    );
}

/// Renders the whole page.
pub fn render_string(r: &ScanReport) -> String {
    let ix = Index::new(r);
    let mut h = String::with_capacity(64 * 1024 + r.results.len() * 512);
    head(&mut h, r);
    h.push_str("<body>\n");
    header(&mut h, r);
    nav(&mut h, r);
    h.push_str("<main>\n");
    summary(&mut h, r);
    controls(&mut h, r, &ix);
    findings(&mut h, r, &ix);
    rules_section(&mut h, r, &ix);
    waivers(&mut h, r, &ix);
    not_checked(&mut h, r, &ix);
    baseline(&mut h, r, &ix);
    provenance(&mut h, r);
    w!(
        h,
        "</main>\n<footer>Generated by palisade {} from a scan report; it decides nothing itself. \
         Everything in it is also in the JSON report.</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        text(&r.tool.version)
    );
    h
}

impl Reporter for Html {
    fn render(&self, r: &ScanReport, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(render_string(r).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_model::{BaselineInfo, BaselineState, FixedFinding, WaiverRef};
    use std::path::PathBuf;

    const FIXTURE: &str = include_str!("../../tests/fixtures/report/scan.json");

    /// The hostile strings of tests/fixtures/report/make_fixture.py.
    const HOSTILE: [&str; 5] = [
        "<script>document.title=\"PWNED\"</script>",
        "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
        "</td></tr></table><h1>injected</h1>",
        "=HYPERLINK(\"http://evil.example/\",\"click\")",
        "\u{1b}[31mred\u{1b}[0m\u{1b}]0;title\u{7} and \u{1b}[2J clear",
    ];

    fn fixture() -> ScanReport {
        match serde_json::from_str(FIXTURE) {
            Ok(r) => r,
            Err(e) => panic!("tests/fixtures/report/scan.json is not a ScanReport: {e}"),
        }
    }

    /// The fixture with hostile text in every kind of field a report shows (whatever the fixture's scan
    /// happened to put there): messages, resource ids, evidence, rule metadata, control ids, collection
    /// errors, provenance.
    fn hostile() -> ScanReport {
        let mut r = fixture();
        let long = "x".repeat(5000);
        let mut fails = r.results.iter_mut().filter(|f| f.status == Status::Fail);
        for h in HOSTILE {
            let Some(f) = fails.next() else {
                panic!("the fixture has too few FAIL results")
            };
            f.message = format!("{h} {}", f.message);
            f.resource_id = format!("{}/{h}", f.resource_id);
            f.evidence = serde_json::json!({"tags": {"Name": h, "<b>team</b>": h}, "long": long});
        }
        let Some(f) = fails.next() else {
            panic!("the fixture has too few FAIL results")
        };
        f.resource_id = long.clone();
        if let Some(rule) = r.rules.first_mut() {
            rule.title = format!("{} {}", rule.title, HOSTILE[0]);
            rule.remediation = HOSTILE[2].to_string();
            rule.frameworks
                .insert(HOSTILE[1].to_string(), vec![HOSTILE[2].to_string()]);
        }
        if let Some(e) = r.collection_errors.first_mut() {
            e.message = format!("{} {}", e.message, HOSTILE[1]);
        }
        r.provenance.accounts.push(HOSTILE[0].to_string());
        r
    }

    /// The fixture with waivers in each state, an expired waiver on a FAIL result, a WAIVED result and
    /// a baseline.
    fn with_waivers_and_baseline() -> ScanReport {
        let mut r = fixture();
        let mut fails = r.results.iter_mut().filter(|f| f.status == Status::Fail);
        let (Some(a), Some(b), Some(c)) = (fails.next(), fails.next(), fails.next()) else {
            panic!("the fixture has too few FAIL results")
        };
        a.waiver = Some(WaiverRef {
            id: "W-EXPIRED".into(),
            reason: "<i>legacy</i> migration".into(),
            owner: Some("alice@example.com".into()),
            expires: "2026-01-31".into(),
            expired: true,
        });
        a.baseline = Some(BaselineState::Existing);
        b.status = Status::Waived;
        b.waiver = Some(WaiverRef {
            id: "W-ACTIVE".into(),
            reason: "accepted risk".into(),
            owner: None,
            expires: "2027-12-31".into(),
            expired: false,
        });
        b.baseline = Some(BaselineState::Existing);
        c.baseline = Some(BaselineState::New);
        let record = |id: &str, state, matched| WaiverRecord {
            id: id.into(),
            rule_id: "SG-01".into(),
            resource: "arn:aws:ec2:*:*:security-group/*".into(),
            account: Some("123456789012".into()),
            region: None,
            reason: format!("reason of {id} {}", HOSTILE[0]),
            owner: Some("secops".into()),
            expires: "2026-06-30".into(),
            state,
            matched,
            source: "palisade.toml:12".into(),
        };
        r.waivers = vec![
            record("W-ACTIVE", WaiverState::Active, 1),
            record("W-EXPIRED", WaiverState::Expired, 1),
            record("W-UNUSED", WaiverState::Unused, 0),
        ];
        r.baseline = Some(BaselineInfo {
            source: "baseline.json".into(),
            generated_at: "2026-10-01T00:00:00Z".into(),
            new: 1,
            existing: 2,
            fixed: vec![
                FixedFinding {
                    rule_id: "RDS-01".into(),
                    severity: Severity::High,
                    resource_id: "arn:aws:rds:us-east-1:123456789012:db:old-db".into(),
                    account: "123456789012".into(),
                    region: "us-east-1".into(),
                    fingerprint: "f1".into(),
                    message: "RDS instance old-db runs in a single Availability Zone".into(),
                    status_now: Some(Status::Pass),
                },
                FixedFinding {
                    rule_id: "S3-01".into(),
                    severity: Severity::Critical,
                    resource_id: "arn:aws:s3:::gone-bucket".into(),
                    account: "123456789012".into(),
                    region: "global".into(),
                    fingerprint: "f2".into(),
                    message: HOSTILE[2].into(),
                    status_now: None,
                },
            ],
        });
        r.summary = palisade_model::summarize(
            &r.results,
            r.summary.resources,
            r.summary.rules,
            r.summary.collection_errors,
        );
        r
    }

    /// Every tag of the page (`<...>` spans), as text.
    fn tags(html: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            let after = &rest[i..];
            let end = after.find('>').map_or(after.len(), |j| j + 1);
            out.push(&after[..end]);
            rest = &after[end..];
        }
        out
    }

    fn tag_name(tag: &str) -> String {
        tag.trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase()
    }

    // --- SHA-256 and base64, written here so the CSP hash is checked independently of any crate.

    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    fn sha256(data: &[u8]) -> [u8; 32] {
        let mut h: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];
        let mut msg = data.to_vec();
        let bits = (data.len() as u64).wrapping_mul(8);
        msg.push(0x80);
        while msg.len() % 64 != 56 {
            msg.push(0);
        }
        msg.extend_from_slice(&bits.to_be_bytes());
        for chunk in msg.chunks(64) {
            let mut w = [0u32; 64];
            for (i, word) in chunk.chunks(4).enumerate() {
                w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
            }
            for i in 16..64 {
                let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
                let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16]
                    .wrapping_add(s0)
                    .wrapping_add(w[i - 7])
                    .wrapping_add(s1);
            }
            let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
            for (k, wi) in K.iter().zip(w.iter()) {
                let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
                let ch = (e & f) ^ (!e & g);
                let t1 = hh
                    .wrapping_add(s1)
                    .wrapping_add(ch)
                    .wrapping_add(*k)
                    .wrapping_add(*wi);
                let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
                let maj = (a & b) ^ (a & c) ^ (b & c);
                let t2 = s0.wrapping_add(maj);
                hh = g;
                g = f;
                f = e;
                e = d.wrapping_add(t1);
                d = c;
                c = b;
                b = a;
                a = t1.wrapping_add(t2);
            }
            for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
                *x = x.wrapping_add(y);
            }
        }
        let mut out = [0u8; 32];
        for (o, x) in out.chunks_mut(4).zip(h) {
            o.copy_from_slice(&x.to_be_bytes());
        }
        out
    }

    fn base64(data: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in data.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(c.get(1).copied().unwrap_or(0)) << 8)
                | u32::from(c.get(2).copied().unwrap_or(0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_and_base64_match_known_vectors() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            base64(&sha256(b"")),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        // Two blocks of padding.
        assert_eq!(
            hex(&sha256(&[b'a'; 64])),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }

    #[test]
    fn csp_script_hash_matches_the_script() {
        let want = base64(&sha256(SCRIPT.as_bytes()));
        assert_eq!(
            SCRIPT_SHA256_B64, want,
            "SCRIPT changed: set SCRIPT_SHA256_B64 to {want}"
        );
        let html = render_string(&fixture());
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
        assert!(html.contains(&format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src \
             'unsafe-inline'; img-src data:; script-src 'sha256-{want}'; base-uri 'none'; form-action \
             'none'\">"
        )));
    }

    #[test]
    fn escape_covers_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("\u{1b}[31mred\u{7}"), "\u{241b}[31mred\u{2407}");
        assert_eq!(escape("a\nb\tc\rd\u{0}"), "a\nb\tc\u{240d}d\u{2400}");
        assert_eq!(escape("\u{7f}\u{9b}"), "\u{2421}\u{FFFD}");
        assert_eq!(escape("abc\u{202E}fdp.exe"), "abc[U+202E]fdp.exe");
        assert_eq!(escape("ünïcödé — ok"), "ünïcödé — ok");
        let long = "y".repeat(MAX_VALUE_CHARS + 10);
        let t = text(&long);
        assert!(t.starts_with(&"y".repeat(MAX_VALUE_CHARS)));
        assert!(!t.contains(&"y".repeat(MAX_VALUE_CHARS + 1)));
        assert!(t.contains("10 more characters not shown"));
        assert_eq!(text("short <b>"), "short &lt;b&gt;");
    }

    #[test]
    fn long_evidence_is_cut_with_a_note() {
        let big: Vec<String> = (0..30)
            .map(|i| format!("{i}{}", "e".repeat(1500)))
            .collect();
        let block = evidence_block(&serde_json::json!({ "items": big }));
        assert!(block.contains(&format!("Evidence cut at {MAX_EVIDENCE_CHARS} of ")));
        assert!(block.starts_with("<pre>{\n  &quot;items&quot;: ["));
        let one = evidence_block(&serde_json::json!({ "k": "z".repeat(MAX_VALUE_CHARS + 5) }));
        assert!(one.contains("5 more characters not shown"));
        assert!(!one.contains(&"z".repeat(MAX_VALUE_CHARS + 1)));
    }

    #[test]
    fn natural_order_and_control_status() {
        let mut v = vec!["ELB.10", "ELB.2", "ELB.1", "1.10", "1.9", "a", "ELB.02"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            ["1.9", "1.10", "ELB.1", "ELB.02", "ELB.2", "ELB.10", "a"]
        );
        assert_eq!(control_status(&[1, 1, 0, 3, 0]), Status::Fail);
        assert_eq!(control_status(&[0, 1, 1, 3, 0]), Status::Error);
        assert_eq!(control_status(&[0, 0, 1, 3, 0]), Status::Waived);
        assert_eq!(control_status(&[0, 0, 0, 3, 1]), Status::Pass);
        assert_eq!(control_status(&[0, 0, 0, 0, 0]), Status::NotApplicable);
    }

    #[test]
    fn hostile_report_data_is_escaped_and_injects_nothing() {
        let html = render_string(&hostile());
        for raw in [
            "<script>document.title",
            "<img src=x",
            "</td></tr></table><h1>",
            "onerror=\"",
            "<b>team</b>",
            "\u{1b}",
            "\u{7}",
        ] {
            assert!(!html.contains(raw), "unescaped {raw:?} in the page");
        }
        for escaped in [
            "&lt;script&gt;document.title=&quot;PWNED&quot;&lt;/script&gt;",
            "&quot;&gt;&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&quot;&gt;",
            "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;injected&lt;/h1&gt;",
            "=HYPERLINK(&quot;http://evil.example/&quot;,&quot;click&quot;)",
            "\u{241b}[31mred\u{241b}[0m",
            "&lt;script&gt;x&lt;/script&gt; is not authorized",
            "&lt;b&gt;team&lt;/b&gt;",
        ] {
            assert!(html.contains(escaped), "missing escaped text {escaped:?}");
        }
        // The 5000-character values are cut for display, with a note.
        assert!(!html.contains(&"x".repeat(MAX_VALUE_CHARS + 1)));
        assert!(html.contains("3000 more characters not shown: 5000 in total"));
        // Only the page's own elements: one script, no event handlers, no external URL.
        assert_eq!(html.matches("<script").count(), 1);
        let allowed = [
            "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
            "h3", "p", "a", "nav", "ul", "li", "main", "section", "div", "b", "svg", "text",
            "rect", "table", "thead", "tbody", "tr", "th", "td", "span", "label", "input",
            "select", "option", "button", "colgroup", "col", "code", "details", "summary", "pre",
            "br", "dl", "dt", "dd", "footer", "script",
        ];
        for tag in tags(&html) {
            let name = tag_name(tag);
            assert!(
                allowed.contains(&name.as_str()),
                "unexpected element {tag:?}"
            );
            let lower = tag.to_ascii_lowercase();
            for needle in [" on", "javascript:", "src=", "url("] {
                if let Some(i) = lower.find(needle) {
                    // ` on` may only start a word in a quoted value, never an attribute name.
                    let rest = &lower[i + needle.len()..];
                    let is_handler = needle == " on"
                        && rest.chars().take_while(|c| c.is_ascii_alphabetic()).count() > 0
                        && rest
                            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                            .starts_with('=');
                    assert!(needle == " on" && !is_handler, "{needle:?} in tag {tag:?}");
                }
            }
            if let Some(i) = lower.find("href=\"") {
                assert!(
                    lower[i + 6..].starts_with('#'),
                    "link out of the page: {tag:?}"
                );
            }
        }
    }

    #[test]
    fn report_sections_show_every_part_of_the_scan() {
        let r = fixture();
        let html = render_string(&r);
        for part in [
            "id=\"summary\"",
            "id=\"controls\"",
            "id=\"findings\"",
            "id=\"rules\"",
            "id=\"waivers\"",
            "id=\"not-checked\"",
            "id=\"provenance\"",
            "Results by status",
            "Failing results by severity",
            "secretsmanager:ListSecrets",
            "AccessDeniedException",
            "access_denied",
            "Incomplete scan",
        ] {
            assert!(html.contains(part), "missing {part:?}");
        }
        assert_eq!(
            html.contains("<section id=\"baseline\">"),
            r.baseline.is_some(),
            "the baseline section is shown exactly when the report has a baseline"
        );
        // Every configured waiver is in the waiver table.
        for wv in &r.waivers {
            assert!(html.contains(&format!("<tr><td><code>{}</code></td>", escape(&wv.id))));
        }
        // Every FAIL, ERROR and WAIVED result is a row; the frameworks are in the control matrix.
        let listed = r
            .results
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Error | Status::Waived))
            .count();
        assert_eq!(html.matches("<tbody class=\"finding\"").count(), listed);
        for rule in &r.rules {
            for (fw, ids) in &rule.frameworks {
                assert!(html.contains(&format!("<h3 class=\"inline\">{}</h3>", escape(fw))));
                for id in ids {
                    assert!(html.contains(&format!("<tr><td><code>{}</code></td>", escape(id))));
                }
            }
        }
        // Provenance.
        for v in [
            &r.policy_set_hash,
            &r.provenance.collected_at,
            &r.generated_at,
            &r.schema_version,
        ] {
            assert!(html.contains(&escape(v)), "provenance misses {v}");
        }
        assert_eq!(html, render_string(&r), "rendering is not deterministic");
    }

    #[test]
    fn waivers_and_baseline_are_shown_with_expired_and_unused_flagged() {
        let html = render_string(&with_waivers_and_baseline());
        for part in [
            // The expired waiver on a FAIL result.
            "<span class=\"flag\">EXPIRED WAIVER</span> <code>W-EXPIRED</code> expired on 2026-01-31",
            "&lt;i&gt;legacy&lt;/i&gt; migration",
            // The active waiver on the WAIVED result.
            "<b>Waived</b> by <code>W-ACTIVE</code> until 2027-12-31",
            // The waiver table: each state, matched counts and sources.
            "<td><code>W-ACTIVE</code></td><td><span class=\"st st-waived\">active</span>",
            "<td><code>W-EXPIRED</code></td><td><span class=\"flag\">EXPIRED</span>",
            "<td><code>W-UNUSED</code></td><td><span class=\"flag flag-warn\">UNUSED</span>",
            "<td>secops<br>until 2026-06-30</td>",
            "palisade.toml:12",
            "reason of W-UNUSED &lt;script&gt;document.title",
            "3 waivers configured: 1 active, 1 expired",
            // Baseline.
            "id=\"baseline\"",
            "<b>1</b>new failures",
            "<b>2</b>existing failures",
            "<b>2</b>fixed",
            "arn:aws:s3:::gone-bucket",
            "resource no longer in the scan",
            "<span class=\"bl bl-new\">new</span>",
            "<span class=\"bl bl-existing\">existing</span>",
            "data-status=\"WAIVED\"",
        ] {
            assert!(html.contains(part), "missing {part:?}");
        }
        assert_eq!(html.matches("<script").count(), 1);
    }

    #[test]
    fn empty_report_renders() {
        let mut r = fixture();
        r.results.clear();
        r.collection_errors.clear();
        r.rules.clear();
        r.summary = palisade_model::summarize(&[], 0, 0, 0);
        let html = render_string(&r);
        assert!(html.contains("No failing result, and every check ran."));
        assert!(html.contains("Every check ran"));
        assert!(html.ends_with("</html>\n"));
    }

    /// The page for the shared fixture is a reviewed snapshot. Regenerate with
    /// `UPDATE_SNAPSHOTS=1 cargo test -p palisade-reports` and review `git diff tests/fixtures/`.
    #[test]
    fn fixture_matches_the_snapshot() {
        let html = render_string(&fixture());
        let snap = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/report/snapshots/report.html");
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            if let Some(dir) = snap.parent() {
                if let Err(e) = std::fs::create_dir_all(dir) {
                    panic!("cannot create {}: {e}", dir.display());
                }
            }
            if let Err(e) = std::fs::write(&snap, &html) {
                panic!("cannot write {}: {e}", snap.display());
            }
        }
        let want = match std::fs::read_to_string(&snap) {
            Ok(s) => s,
            Err(e) => panic!(
                "{} is missing ({e}): create it with UPDATE_SNAPSHOTS=1 and review it",
                snap.display()
            ),
        };
        assert!(
            want == html,
            "the HTML report differs from {}; run with UPDATE_SNAPSHOTS=1 and review the diff",
            snap.display()
        );
    }
}
