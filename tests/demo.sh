#!/usr/bin/env bash
# The README's main command: scan the reference architecture and write the reports.
# Until live collection lands, the scanned account is the recorded reference architecture
# (tests/fixtures/reference-architecture.json); the exit code is palisade's (1 = findings).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${PALISADE_REPORT_DIR:-palisade-report}
mkdir -p "$out"
cargo test -q --no-run -p palisade >/dev/null 2>&1 || exit 2  # the same build as the tests
bin=target/debug/palisade
inv=tests/fixtures/reference-architecture.json
$bin scan --inventory "$inv" --format json --output "$out/scan.json" --fail-on none || exit 2
$bin scan --inventory "$inv" --format sarif --output "$out/scan.sarif" --category palisade/reference/ --fail-on none || exit 2
$bin scan --inventory "$inv" --format text --output "$out/summary.txt"
code=$?
cat "$out/summary.txt" | head -n 3
echo
echo "reports written to $out/: summary.txt, scan.json, scan.sarif (exit code $code: 1 means findings at or above --fail-on)"
[ "$code" -eq 1 ] && exit 0 || exit "$code"
