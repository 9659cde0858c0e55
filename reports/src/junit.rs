//! JUnit XML for CI test dashboards: one `<testsuite>` per rule (name = rule id and title), one
//! `<testcase>` per (rule, resource) result (classname = rule id, name = resource and account/region).
//! FAIL is a `<failure>` (type = severity) with the message, evidence and remediation; ERROR is an
//! `<error>`; WAIVED and NOT_APPLICABLE are `<skipped>` (a waived result names its waiver, reason and
//! expiry); PASS is a plain testcase.
//!
//! Resource data is attacker-controlled: text and attributes are XML-escaped, and the characters XML 1.0
//! does not allow (control characters other than tab, newline and carriage return, terminal escape
//! sequences, U+FFFE/U+FFFF) are removed, so the document is always well-formed.
use crate::markdown::{strip_controls, truncate_chars};
use crate::{RenderOptions, Reporter};
use palisade_model::{Finding, RuleMeta, ScanReport, Status};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

pub struct Junit;

/// Longest `message` attribute (characters); the element's text holds the whole message.
const MAX_MESSAGE_ATTR: usize = 500;

/// Removes what XML 1.0 does not allow (and terminal escapes), keeping tab, newline and carriage return.
fn xml_chars(s: &str) -> String {
    strip_controls(s, &['\t', '\n', '\r'])
        .chars()
        .filter(|c| !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// Escaped element text (`&`, `<`, `>`, and CR, which a parser would turn into LF).
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Escaped attribute value: also quotes, and tab and newline as character references, which attribute
/// value normalization would otherwise turn into spaces.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in xml_chars(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out
}

fn case_name(f: &Finding) -> String {
    format!("{} ({}/{})", f.resource_id, f.account, f.region)
}

fn waiver_text(f: &Finding) -> String {
    match &f.waiver {
        None => String::new(),
        Some(w) => {
            let owner = w
                .owner
                .as_deref()
                .map(|o| format!(", owner {o}"))
                .unwrap_or_default();
            if w.expired {
                format!(
                    "EXPIRED waiver {} (expired after {}{owner}; it no longer applies): {}",
                    w.id, w.expires, w.reason
                )
            } else {
                format!(
                    "waived by {} until {}{owner}: {}",
                    w.id, w.expires, w.reason
                )
            }
        }
    }
}

/// The body of a failure or error: message, evidence, waiver, baseline and remediation.
fn details(f: &Finding, rule: Option<&RuleMeta>) -> String {
    let mut s = f.message.clone();
    if f.waiver.is_some() {
        let _ = write!(s, "\n\n{}", waiver_text(f));
    }
    if let Some(b) = f.baseline {
        let _ = write!(s, "\n\nbaseline: {}", b.as_str());
    }
    if !f.evidence.is_null() {
        let ev = serde_json::to_string_pretty(&f.evidence).unwrap_or_default();
        let _ = write!(s, "\n\nevidence:\n{ev}");
    }
    if let Some(r) = rule {
        if f.status == Status::Fail && !r.remediation.is_empty() {
            let _ = write!(s, "\n\nremediation: {}", r.remediation);
        }
    }
    let _ = write!(
        s,
        "\n\nresource type: {}\nfingerprint: {}",
        f.resource_type, f.fingerprint
    );
    s
}

fn testcase(out: &mut String, f: &Finding, rule: Option<&RuleMeta>) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        attr(&f.rule_id),
        attr(&case_name(f))
    );
    let message =
        |prefix: &str, m: &str| attr(&truncate_chars(&format!("{prefix}{m}"), MAX_MESSAGE_ATTR));
    match f.status {
        Status::Pass => out.push_str("/>\n"),
        Status::Fail => {
            let flag = match &f.waiver {
                Some(w) if w.expired => format!("[waiver {} EXPIRED] ", w.id),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                message(&flag, &f.message),
                f.severity,
                text(&details(f, rule))
            );
        }
        Status::Error => {
            let _ = writeln!(
                out,
                ">\n      <error message=\"{}\" type=\"ERROR\">{}</error>\n    </testcase>",
                message("not checked: ", &f.message),
                text(&details(f, rule))
            );
        }
        Status::Waived => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\">{}</skipped>\n    </testcase>",
                message("WAIVED: ", &waiver_text(f)),
                text(&details(f, rule))
            );
        }
        Status::NotApplicable => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                message("not applicable: ", &f.message)
            );
        }
    }
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, st: Status) {
        self.tests += 1;
        match st {
            Status::Fail => self.failures += 1,
            Status::Error => self.errors += 1,
            Status::Waived | Status::NotApplicable => self.skipped += 1,
            Status::Pass => {}
        }
    }
    fn attrs(&self) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

impl Reporter for Junit {
    fn render(&self, r: &ScanReport, _: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
        let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &r.results {
            by_rule.entry(f.rule_id.as_str()).or_default().push(f);
        }
        let mut total = Counts::default();
        let mut suites = String::new();
        for (id, mut results) in by_rule {
            results.sort_by(|a, b| {
                (&a.resource_id, &a.account, &a.region, a.status).cmp(&(
                    &b.resource_id,
                    &b.account,
                    &b.region,
                    b.status,
                ))
            });
            let rule = r.rule(id);
            let mut counts = Counts::default();
            let mut cases = String::new();
            for f in &results {
                counts.add(f.status);
                total.add(f.status);
                testcase(&mut cases, f, rule);
            }
            let name = match rule {
                Some(m) => format!("{id} {}", m.title),
                None => id.to_string(),
            };
            let _ = writeln!(
                suites,
                "  <testsuite name=\"{}\" {}>",
                attr(&name),
                counts.attrs()
            );
            if let Some(m) = rule {
                let _ = writeln!(
                    suites,
                    "    <properties>\n      <property name=\"severity\" value=\"{}\"/>\n      <property name=\"policy\" value=\"{}\"/>\n    </properties>",
                    m.severity,
                    attr(&m.file)
                );
            }
            suites.push_str(&cases);
            suites.push_str("  </testsuite>\n");
        }
        let doc = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"palisade\" {}>\n{suites}</testsuites>\n",
            total.attrs()
        );
        out.write_all(doc.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::*;
    use crate::{render_to_string, Format};

    fn render(r: &ScanReport) -> String {
        render_to_string(Format::Junit, r, &RenderOptions::default())
    }

    fn legal_xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
    }

    /// Checks a reference after `&`: a predefined entity or a character reference to a legal char.
    fn check_reference(s: &str) -> Result<usize, String> {
        let Some(end) = s.find(';') else {
            return Err(format!("unterminated reference: {}", truncate_chars(s, 20)));
        };
        let name = &s[1..end];
        let ok = match name {
            "amp" | "lt" | "gt" | "quot" | "apos" => true,
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32)
                .is_some_and(legal_xml_char),
            n if n.starts_with('#') => n[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .is_some_and(legal_xml_char),
            _ => false,
        };
        if ok {
            Ok(end + 1)
        } else {
            Err(format!("bad reference &{name};"))
        }
    }

    fn is_name(s: &str) -> bool {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
    }

    /// A minimal well-formedness check: the XML declaration, then one root element; tags balanced;
    /// attributes quoted, unique and free of `<`; text without raw `<`; every `&` a valid reference;
    /// only characters legal in XML 1.0. Returns the number of elements.
    fn well_formed(doc: &str) -> Result<usize, String> {
        if let Some(c) = doc.chars().find(|c| !legal_xml_char(*c)) {
            return Err(format!("illegal character U+{:04X}", c as u32));
        }
        let mut rest = match doc.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") {
            Some(r) => r,
            None => return Err("no XML declaration".into()),
        };
        let mut stack: Vec<&str> = Vec::new();
        let mut elements = 0;
        let mut roots = 0;
        while !rest.is_empty() {
            if let Some(tag) = rest.strip_prefix('<') {
                let Some(end) = tag.find('>') else {
                    return Err("unterminated tag".into());
                };
                let inner = &tag[..end];
                rest = &tag[end + 1..];
                if let Some(name) = inner.strip_prefix('/') {
                    match stack.pop() {
                        Some(open) if open == name => {}
                        other => return Err(format!("</{name}> closes {other:?}")),
                    }
                    continue;
                }
                let (body, self_closing) = match inner.strip_suffix('/') {
                    Some(b) => (b, true),
                    None => (inner, false),
                };
                let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
                let name = &body[..name_end];
                if !is_name(name) {
                    return Err(format!("bad element name {name:?}"));
                }
                // Attributes: name="value" separated by whitespace.
                let mut attrs = body[name_end..].trim_start();
                let mut seen = Vec::new();
                while !attrs.is_empty() {
                    let Some(eq) = attrs.find("=\"") else {
                        return Err(format!("bad attribute syntax in <{name}>: {attrs}"));
                    };
                    let an = &attrs[..eq];
                    if !is_name(an) || seen.contains(&an) {
                        return Err(format!("bad or repeated attribute {an:?} in <{name}>"));
                    }
                    seen.push(an);
                    let value_start = &attrs[eq + 2..];
                    let Some(q) = value_start.find('"') else {
                        return Err("unterminated attribute value".into());
                    };
                    let value = &value_start[..q];
                    if value.contains('<') {
                        return Err(format!("raw < in attribute {an}"));
                    }
                    check_text(value)?;
                    let after = &value_start[q + 1..];
                    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
                        return Err(format!("no space after attribute {an}"));
                    }
                    attrs = after.trim_start();
                }
                if stack.is_empty() {
                    roots += 1;
                }
                elements += 1;
                if !self_closing {
                    stack.push(name);
                }
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let t = &rest[..end];
                if stack.is_empty() && !t.trim().is_empty() {
                    return Err(format!("text outside the root: {}", truncate_chars(t, 40)));
                }
                check_text(t)?;
                rest = &rest[end..];
            }
        }
        if let Some(open) = stack.pop() {
            return Err(format!("<{open}> is not closed"));
        }
        if roots != 1 {
            return Err(format!("{roots} root elements"));
        }
        Ok(elements)
    }

    fn check_text(t: &str) -> Result<(), String> {
        if t.contains("]]>") {
            return Err("]]> in text".into());
        }
        let mut i = 0;
        while let Some(p) = t[i..].find('&') {
            i += p;
            i += check_reference(&t[i..])?;
        }
        Ok(())
    }

    #[test]
    fn checker_rejects_malformed_xml() {
        let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
        assert!(well_formed(&format!("{decl}<a><b/></a>")).is_ok());
        for bad in [
            "<a><b></a></b>",
            "<a>x < y</a>",
            "<a>AT&T</a>",
            "<a x=\"<\"/>",
            "<a x=\"1\" x=\"2\"/>",
            "<a>\u{1b}[31m</a>",
            "<a>&#27;</a>",
            "<a/><b/>",
            "<a>",
        ] {
            assert!(
                well_formed(&format!("{decl}{bad}")).is_err(),
                "accepted {bad:?}"
            );
        }
    }

    #[test]
    fn junit_matches_the_snapshot() {
        check_snapshot("report.junit.xml", &render(&fixture()));
    }

    #[test]
    fn junit_is_deterministic() {
        let r = with_waivers_and_baseline();
        assert_eq!(render(&r), render(&r));
    }

    #[test]
    fn junit_is_well_formed_with_hostile_data() {
        for r in [fixture(), with_waivers_and_baseline(), hostile()] {
            let xml = render(&r);
            match well_formed(&xml) {
                Ok(n) => assert!(n > r.results.len(), "{n} elements"),
                Err(e) => panic!("not well-formed: {e}"),
            }
            assert!(!xml.contains('\u{1b}'), "ESC in the XML");
            assert!(!xml.contains('\u{7}'), "BEL in the XML");
            assert!(!xml.contains("<script"), "raw <script in the XML");
            assert!(!xml.contains("<img"), "raw <img in the XML");
        }
        let xml = render(&hostile());
        assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(xml.contains("red and  clear"));
        assert!(
            xml.contains("&#13;=1+1"),
            "a CR in data is kept as a reference"
        );
    }

    #[test]
    fn junit_counts_match_the_results() {
        let r = with_waivers_and_baseline();
        let xml = render(&r);
        let s = &r.summary;
        let root = format!(
            "<testsuites name=\"palisade\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            r.results.len(),
            s.count(Status::Fail),
            s.count(Status::Error),
            s.count(Status::Waived) + s.count(Status::NotApplicable)
        );
        assert!(xml.contains(&root), "{root}");
        assert_eq!(xml.matches("<testcase ").count(), r.results.len());
        assert_eq!(xml.matches("<failure ").count(), s.count(Status::Fail));
        assert_eq!(xml.matches("<error ").count(), s.count(Status::Error));
        assert_eq!(
            xml.matches("<skipped ").count(),
            s.count(Status::Waived) + s.count(Status::NotApplicable)
        );
        let rules: std::collections::BTreeSet<&str> =
            r.results.iter().map(|f| f.rule_id.as_str()).collect();
        assert_eq!(xml.matches("<testsuite ").count(), rules.len());
        assert!(xml.contains("<testsuite name=\"ALB-01 ALB HTTP listeners redirect to HTTPS\""));
        let xml = render(&fixture());
        assert!(xml.contains("<failure message=\"HTTP listener legacy-alb-http-80"));
        assert!(xml.contains("type=\"high\""));
    }

    #[test]
    fn junit_skips_waived_and_flags_expired_waivers() {
        let xml = render(&with_waivers_and_baseline());
        let waived = xml.lines().find(|l| {
            l.contains("<skipped message=\"WAIVED: waived by test-active-waiver until 2099-12-31")
        });
        assert!(waived.is_some(), "{xml}");
        assert!(xml.contains("owner team@example.com: Accepted | &lt;script&gt;"));
        let expired = xml
            .lines()
            .find(|l| l.contains("<failure message=\"[waiver test-expired-waiver EXPIRED]"));
        assert!(expired.is_some(), "{xml}");
        assert!(xml.contains("EXPIRED waiver test-expired-waiver (expired after 2026-01-31"));
        assert!(xml.contains("baseline: new") && xml.contains("baseline: existing"));
        assert!(xml.contains("<error message=\"not checked: "));
    }
}
