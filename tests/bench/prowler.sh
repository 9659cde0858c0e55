#!/usr/bin/env bash
# Side-by-side benchmark: `palisade scan` and Prowler against the same local AWS emulator (moto), the same
# services, region and account, at several scales of the reference architecture.
#
#   bash tests/bench/prowler.sh [--scales 1,20,100] [--runs 3] [--out DIR] [--no-census] [--timeout SECONDS]
#
# --scales (default 1,20), --runs per tool and scale (default 3), --out (default target/bench/prowler),
# --no-census skips the census runs through the recording proxy (calls per service, fewest calls), --timeout bounds each tool run (default 3600 s).
# 1. Installs what it needs (the only step that uses the network, and only the package mirrors): the
#    palisade debug binary (`cargo test -q --no-run -p palisade`; PALISADE_BIN overrides), the emulator's
#    venv (tests/emulator/install.sh) and Prowler $PROWLER_VERSION from PyPI into its own venv
#    (PROWLER_VENV, default target/bench/prowler-venv; first install takes ~3 minutes).
# 2. Runs tests/bench/bench.py inside a private network namespace (`unshare --net`) whose only interface is
#    loopback: the emulator, the recording proxy and both tools can reach 127.0.0.1 and nothing else (a
#    Prowler check that tried the internet would fail at once). Without unshare (not root, or no user
#    namespaces) it runs in the host namespace with every tool's HTTP(S) proxy set to a dead loopback port.
# Per scale: a fresh emulator, seeded with N copies; --runs timed runs of each tool, interleaved; wall time,
# user+sys CPU, peak RSS, API calls (the emulator's request log), the emulator's CPU; at the first scale the
# calls per service (through tests/emulator/record.py's proxy) and the agreement table of the shared checks;
# at every scale palisade's calls against the fewest the APIs allow (tests/bench/mincalls.py).
# Prints the table with palisade/Prowler ratios; writes runs.csv, summary.csv, summary.md, chart.svg,
# agreement.md, calls-by-service.md and scale-N/calls-minimum.md to --out (default target/bench/prowler).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

PROWLER_VERSION=5.46.0
scales=1,20
runs=3
out=target/bench/prowler
extra=()
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --scales) scales=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-census) extra+=(--no-census); shift ;;
    --timeout) extra+=(--timeout "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "prowler.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $scales =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "prowler.sh: --scales wants e.g. 1,20,100" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "prowler.sh: --runs wants a positive number" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

# ---- 1. install ----------------------------------------------------------------------------------------
if [ -z "${PALISADE_BIN:-}" ]; then
  echo "prowler.sh: building palisade (debug, cargo test -q --no-run -p palisade)" >&2
  cargo test -q --no-run -p palisade >/dev/null 2>"$out/build.log" || { cat "$out/build.log" >&2; exit 2; }
fi
bin=$(realpath "${PALISADE_BIN:-${CARGO_TARGET_DIR:-target}/debug/palisade}")
venv=${PALISADE_VENV:-$repo/.venv}
PALISADE_VENV=$venv bash tests/emulator/install.sh

pvenv=${PROWLER_VENV:-$repo/target/bench/prowler-venv}
prowler_ok() {  # the venv has Prowler at the pinned version (never `prowler --version`: it asks GitHub)
  [ -x "$pvenv/bin/prowler" ] && "$pvenv/bin/python" - "$PROWLER_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("prowler") == sys.argv[1] else 1)
PY
}
if ! prowler_ok; then
  echo "prowler.sh: installing prowler==$PROWLER_VERSION into $pvenv (a few minutes)" >&2
  [ -x "$pvenv/bin/python" ] || python3 -m venv "$pvenv"
  "$pvenv/bin/python" -m pip install --quiet --disable-pip-version-check "prowler==$PROWLER_VERSION" >&2
  prowler_ok || { echo "prowler.sh: prowler $PROWLER_VERSION did not install into $pvenv" >&2; exit 2; }
fi

# ---- 2. the benchmark, loopback only ----------------------------------------------------------------------
# bench.py ends its emulators and proxies itself; this trap is the second guard, for a bench.py that was
# killed: it ends the processes bench.py started, which it lists in $out/pids, one per line.
bench_pid=
cleanup() {
  if [ -n "$bench_pid" ]; then kill "$bench_pid" 2>/dev/null || true; fi
  if [ -f "$out/pids" ]; then
    while read -r p; do kill "$p" 2>/dev/null || true; done <"$out/pids"
    rm -f "$out/pids"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -f "$out/pids"
export PYTHONDONTWRITEBYTECODE=1
args=(python3 tests/bench/bench.py --scales "$scales" --runs "$runs" --out "$out" --palisade "$bin"
      --prowler "$pvenv/bin/prowler" --venv "$venv" --pids "$out/pids" "${extra[@]}")
if unshare --net true 2>/dev/null; then
  echo "prowler.sh: running in a private network namespace (loopback only)" >&2
  unshare --net -- bash -c 'ip link set lo up 2>/dev/null || ifconfig lo up; exec "$@"' _ "${args[@]}" &
else
  echo "prowler.sh: unshare --net is not available: running in the host network namespace," \
       "tools' HTTP(S) proxy set to a dead loopback port" >&2
  "${args[@]}" &
fi
bench_pid=$!
wait "$bench_pid"
