//! The local AWS emulator for end-to-end tests: started once per test binary on a free loopback port
//! (tests/emulator/start.sh), seeded with the reference architecture (tests/emulator/seed.py), fronted by
//! the test-only translating proxy tests/emulator/cloudwatch_proxy.py (moto does not speak the CloudWatch
//! SDK's RPC-v2 CBOR protocol, and sends Synthetics dates in a form AWS never sends), and stopped by a
//! watchdog when the test process exits. `url`/`port` are the proxy's (every request passes through it);
//! `moto_url` is the bare emulator.
#![allow(dead_code)]

use super::{read_json, root};
use std::process::Command;
use std::sync::OnceLock;

pub struct Emulator {
    pub port: u16,
    pub url: String,
    /// The emulator without the translating proxy (CloudWatch alarms and canaries cannot be read there).
    pub moto_url: String,
    /// The emulator's process.
    pub pid: u32,
    /// The seeder's manifest: logical names → ARNs, and the expected results.
    pub manifest: serde_json::Value,
}

static EMULATOR: OnceLock<Result<Emulator, String>> = OnceLock::new();

fn start() -> Result<Emulator, String> {
    let out = Command::new("bash")
        .arg(root().join("tests/emulator/start.sh"))
        .output()
        .map_err(|e| format!("cannot run start.sh: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "start.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let mut parts = line.split_whitespace();
    let port: u16 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or(format!("bad start.sh output `{line}`"))?;
    let pid: u32 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or(format!("bad start.sh output `{line}`"))?;
    // Stop the emulator when this test process ends, however it ends.
    let me = std::process::id();
    let _ = Command::new("sh")
        .arg("-c")
        .arg(format!("(while kill -0 {me} 2>/dev/null; do sleep 1; done; kill {pid} 2>/dev/null) >/dev/null 2>&1 &"))
        .status();
    let url = format!("http://127.0.0.1:{port}");
    let manifest_path = std::env::temp_dir().join(format!("palisade-manifest-{me}.json"));
    let venv = std::env::var("PALISADE_VENV")
        .unwrap_or_else(|_| root().join(".venv").display().to_string());
    let seed = Command::new(format!("{venv}/bin/python"))
        .arg(root().join("tests/emulator/seed.py"))
        .args(["--endpoint", &url, "--manifest"])
        .arg(&manifest_path)
        .output()
        .map_err(|e| format!("cannot run seed.py: {e}"))?;
    if !seed.status.success() {
        return Err(format!(
            "seed.py failed: {}",
            String::from_utf8_lossy(&seed.stderr)
        ));
    }
    // The translating proxy in front of the whole emulator (its log: palisade-proxy-<pid>.log).
    let proxy_log = std::env::temp_dir().join(format!("palisade-proxy-{me}.log"));
    let mut child = Command::new(format!("{venv}/bin/python"))
        .arg(root().join("tests/emulator/cloudwatch_proxy.py"))
        .args(["--upstream", &url])
        .stdout(std::process::Stdio::piped())
        .stderr(
            std::fs::File::create(&proxy_log)
                .map(std::process::Stdio::from)
                .unwrap_or_else(|_| std::process::Stdio::null()),
        )
        .spawn()
        .map_err(|e| format!("cannot run cloudwatch_proxy.py: {e}"))?;
    // Stopped with this test process, however the start below goes.
    let _ = Command::new("sh")
        .arg("-c")
        .arg(format!("(while kill -0 {me} 2>/dev/null; do sleep 1; done; kill {} 2>/dev/null) >/dev/null 2>&1 &", child.id()))
        .status();
    let mut first = String::new();
    if let Some(out) = child.stdout.take() {
        use std::io::BufRead;
        let _ = std::io::BufReader::new(out).read_line(&mut first);
    }
    let proxy_port: u16 = first.trim().parse().map_err(|_| {
        let _ = child.kill();
        format!(
            "bad cloudwatch_proxy.py output `{}`: {}",
            first.trim(),
            std::fs::read_to_string(&proxy_log).unwrap_or_default()
        )
    })?;
    Ok(Emulator {
        port: proxy_port,
        url: format!("http://127.0.0.1:{proxy_port}"),
        moto_url: url,
        pid,
        manifest: read_json(&manifest_path),
    })
}

/// The seeded emulator shared by the tests of this binary.
pub fn seeded() -> &'static Emulator {
    match EMULATOR.get_or_init(start) {
        Ok(e) => e,
        Err(e) => panic!("emulator: {e}"),
    }
}

/// Environment for palisade against the emulator: dummy credentials, no real AWS config.
pub const ENV: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_REGION", "us-east-1"),
    ("AWS_CONFIG_FILE", "/dev/null"),
    ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];
