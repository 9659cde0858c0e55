//! The HTML report in a real browser: headless Chromium loads the page rendered from the shared report
//! fixture (with hostile text added to every kind of field) and must run the page's own filter script
//! and nothing else: no injected element, attribute or script, and the hostile text shown as text. It
//! also takes a screenshot for review (`palisade-report.png` in the temp directory).
//!
//! Needs Debian's `chromium` (`apt-get install -y chromium`); without it the test fails, unless
//! `PALISADE_SKIP_CHROMIUM=1` is set. `PALISADE_CHROMIUM` names another binary. Chromium runs with a
//! throwaway profile in a temp directory and with every host name unresolvable and a dead proxy, so it
//! writes nothing into the repository and sends nothing over the network.
use palisade_model::{ScanReport, Status};
use palisade_reports::{render_to_string, Format, RenderOptions};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FIXTURE: &str = include_str!("../../tests/fixtures/report/scan.json");

const HOSTILE: [&str; 5] = [
    "<script>document.title=\"PWNED\"</script>",
    "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
    "</td></tr></table><h1>injected</h1>",
    "<style>body{display:none}</style><svg onload=\"document.title='PWNED'\">",
    "\u{1b}[31mred\u{1b}[0m\u{1b}]0;title\u{7} and \u{1b}[2J clear",
];

/// The fixture with hostile text in messages, resource ids, evidence, rule titles and provenance.
fn hostile_report() -> ScanReport {
    let mut r: ScanReport = match serde_json::from_str(FIXTURE) {
        Ok(r) => r,
        Err(e) => panic!("tests/fixtures/report/scan.json is not a ScanReport: {e}"),
    };
    let mut fails = r.results.iter_mut().filter(|f| f.status == Status::Fail);
    for h in HOSTILE {
        let Some(f) = fails.next() else {
            panic!("the fixture has too few FAIL results")
        };
        f.message = format!("{h} {}", f.message);
        f.resource_id = format!("{}/{h}", f.resource_id);
        f.evidence = serde_json::json!({"tags": {"Name": h}, "long": "x".repeat(5000)});
    }
    if let Some(rule) = r.rules.first_mut() {
        rule.title = format!("{} {}", rule.title, HOSTILE[0]);
    }
    r.provenance.accounts.push(HOSTILE[1].to_string());
    r
}

fn chromium() -> Option<String> {
    let candidates = match std::env::var("PALISADE_CHROMIUM") {
        Ok(c) if !c.is_empty() => vec![c],
        _ => vec!["chromium".to_string(), "chromium-browser".to_string()],
    };
    candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs Chromium headless on `page` with `extra` arguments; returns its stdout. Fails the test after
/// 90 seconds.
fn run_chromium(bin: &str, work: &Path, name: &str, page: &Path, extra: &[String]) -> String {
    let profile = work.join(format!("profile-{name}"));
    let out_path = work.join(format!("{name}.stdout"));
    let err_path = work.join(format!("{name}.stderr"));
    let (Ok(out), Ok(err)) = (File::create(&out_path), File::create(&err_path)) else {
        panic!("cannot create output files in {}", work.display())
    };
    let mut args: Vec<String> = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-sync",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-breakpad",
        "--disable-crash-reporter",
        "--disable-domain-reliability",
        "--no-pings",
        "--metrics-recording-only",
        // No traffic off this machine: no name resolves, and anything else goes to a closed port.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--virtual-time-budget=2000",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().cloned());
    args.push(format!("file://{}", page.display()));
    let mut child = match Command::new(bin)
        .args(&args)
        .current_dir(work)
        .env("HOME", work)
        .env("XDG_CONFIG_HOME", work.join("xdg-config"))
        .env("XDG_CACHE_HOME", work.join("xdg-cache"))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("cannot start {bin}: {e}"),
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > Duration::from_secs(90) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{bin} {args:?} did not finish in 90 s; stderr:\n{}",
                    std::fs::read_to_string(&err_path).unwrap_or_default()
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("waiting for {bin}: {e}"),
        }
    };
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    assert!(
        status.success(),
        "{bin} {args:?} failed ({status}); stderr:\n{}",
        std::fs::read_to_string(&err_path).unwrap_or_default()
    );
    stdout
}

#[test]
fn html_report_in_headless_chromium_runs_only_its_own_script() {
    let Some(bin) = chromium() else {
        if std::env::var("PALISADE_SKIP_CHROMIUM").as_deref() == Ok("1") {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("SKIPPED: chromium is not installed and PALISADE_SKIP_CHROMIUM=1");
            }
            return;
        }
        panic!(
            "chromium is not installed: install it (apt-get install -y chromium), point \
             PALISADE_CHROMIUM at a Chromium binary, or set PALISADE_SKIP_CHROMIUM=1 to skip this test"
        );
    };
    let work: PathBuf =
        std::env::temp_dir().join(format!("palisade-html-chromium-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    if let Err(e) = std::fs::create_dir_all(&work) {
        panic!("cannot create {}: {e}", work.display());
    }
    let page = work.join("report.html");
    let html = render_to_string(Format::Html, &hostile_report(), &RenderOptions::default());
    if let Err(e) = std::fs::write(&page, &html) {
        panic!("cannot write {}: {e}", page.display());
    }

    // 1. The DOM after the scripts ran.
    let dom = run_chromium(&bin, &work, "dom", &page, &["--dump-dom".to_string()]);
    assert!(
        dom.len() > html.len() / 2,
        "chromium dumped a short DOM ({} bytes)",
        dom.len()
    );
    let body_tag = dom
        .find("<body")
        .and_then(|i| dom[i..].find('>').map(|j| &dom[i..i + j + 1]))
        .unwrap_or_default();
    assert!(
        body_tag.contains("data-ready=\"1\""),
        "the page's filter script did not run: {body_tag}"
    );
    assert!(
        !dom.contains("data-pwned=\""),
        "an injected handler ran: data-pwned attribute in the DOM"
    );
    let title = dom
        .find("<title>")
        .and_then(|i| {
            dom[i + 7..]
                .find("</title>")
                .map(|j| &dom[i + 7..i + 7 + j])
        })
        .unwrap_or_default();
    assert!(
        title.starts_with("palisade security report") && !title.contains("PWNED"),
        "the title was changed by an injected script: {title:?}"
    );
    // (In text nodes Chromium serializes quotes as they are, so `onerror="` shows up as text: look for
    // the elements themselves.)
    for element in ["<img", "<h1>injected", "<svg onload", "<style>body"] {
        assert!(
            !dom.contains(element),
            "injected markup {element:?} is an element in the DOM"
        );
    }
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert_eq!(
        dom.matches("<style").count(),
        1,
        "only the page's own style"
    );
    // The hostile text is there, as text.
    for text in [
        "&lt;script&gt;document.title=\"PWNED\"&lt;/script&gt;",
        "\"&gt;&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"&gt;",
        "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;injected&lt;/h1&gt;",
        "&lt;style&gt;body{display:none}&lt;/style&gt;",
        "\u{241b}[31mred",
    ] {
        assert!(
            dom.contains(text),
            "hostile text {text:?} not shown as text"
        );
    }
    // The filter bar was revealed and counted the rows.
    assert!(
        dom.contains("<div id=\"filters\" class=\"filters\">"),
        "the filter bar is still hidden"
    );
    assert!(dom.contains(" shown</span>"), "the filter count is not set");

    // 2. A screenshot, for a look at the layout.
    let png = std::env::temp_dir().join("palisade-report.png");
    let _ = std::fs::remove_file(&png);
    run_chromium(
        &bin,
        &work,
        "screenshot",
        &page,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".to_string(),
            "--hide-scrollbars".to_string(),
        ],
    );
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 20_000,
        "screenshot {} is missing or trivial ({size} bytes)",
        png.display()
    );
    let _ = std::fs::remove_dir_all(&work);
}
