#!/usr/bin/env bash
# Coverage-guided fuzzing of palisade's readers: the four targets of tests/fuzz/targets.rs (inventory, plan,
# metadata, config) under libFuzzer, through cargo-fuzz, on the stable toolchain (`-s none`: no sanitizer,
# which needs nightly; Rust code is memory-safe, and what the run hunts is panics, aborts, hangs and memory
# blow-ups).
#
#   bash tests/fuzz/run.sh [--seconds N] [TARGET...]      # default: 120 s for each of the four targets
#
# Installs cargo-fuzz on first use (`cargo install cargo-fuzz --locked`, from crates.io). The repo's corpus
# (tests/fuzz/corpus/<target>/) seeds each run and is not written to: new inputs go to
# target/fuzz-corpus/<target>/, crashes and hangs to tests/fuzz/artifacts/<target>/. Prints per target the
# executions, executions per second, inputs added, peak RSS and crashes; exits 1 when any target crashed.
# A crash input becomes a regression test by copying it into tests/fuzz/corpus/<target>/ once fixed:
# `cargo test -p palisade --test fuzz` runs every corpus file.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=120
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    inventory|plan|metadata|config) targets+=("$1"); shift ;;
    *) echo "run.sh: unknown argument $1 (targets: inventory plan metadata config)" >&2; exit 2 ;;
  esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --seconds wants a positive number" >&2; exit 2; }
[ ${#targets[@]} -gt 0 ] || targets=(inventory plan metadata config)
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "run.sh: installing cargo-fuzz (cargo install cargo-fuzz --locked)" >&2
  cargo install cargo-fuzz --locked >&2
fi
for t in "${targets[@]}"; do cargo fuzz build --fuzz-dir tests/fuzz -s none "$t" >&2; done
logs=target/fuzz-logs
mkdir -p "$logs"
crashed=0
printf '%-10s %12s %10s %8s %8s %8s %s\n' target executions exec/s added rss_mb crashes seconds
for t in "${targets[@]}"; do
  mkdir -p "target/fuzz-corpus/$t" "tests/fuzz/artifacts/$t"
  before=$(find "tests/fuzz/artifacts/$t" -type f | wc -l)
  set +e
  cargo fuzz run --fuzz-dir tests/fuzz -s none "$t" "target/fuzz-corpus/$t" "tests/fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="tests/fuzz/artifacts/$t/" >"$logs/$t.log" 2>&1
  rc=$?
  set -e
  after=$(find "tests/fuzz/artifacts/$t" -type f | wc -l)
  stat() { awk -v k="stat::$1:" '$1 == k { print $2 }' "$logs/$t.log" | tail -1; }
  crashes=$((after - before))
  if [ $rc -ne 0 ] && [ $crashes -eq 0 ]; then crashes="rc=$rc"; fi
  printf '%-10s %12s %10s %8s %8s %8s %s\n' "$t" "$(stat number_of_executed_units)" \
    "$(stat average_exec_per_sec)" "$(stat new_units_added)" "$(stat peak_rss_mb)" "$crashes" "$seconds"
  if [ "$crashes" != 0 ]; then
    crashed=1
    echo "  $t: see $logs/$t.log and tests/fuzz/artifacts/$t/" >&2
  fi
done
exit $crashed
