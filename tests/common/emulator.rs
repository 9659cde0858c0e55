//! The local AWS emulator for end-to-end tests: started once per test binary on a free loopback port
//! (tests/emulator/start.sh), seeded with the reference architecture (tests/emulator/seed.py), and
//! stopped by a watchdog when the test process exits.
#![allow(dead_code)]

use super::{read_json, root};
use std::process::Command;
use std::sync::OnceLock;

pub struct Emulator {
    pub port: u16,
    pub url: String,
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
    Ok(Emulator {
        port,
        url,
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
