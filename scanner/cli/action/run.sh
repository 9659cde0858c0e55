#!/usr/bin/env bash
# The scan step of the GitHub Action (action.yml): runs `palisade scan` once, writing every report, and
# records the result as step outputs. It never fails on findings: the exit code goes to the output
# `exit-code` and the action's last step (gate.sh) decides whether the job fails.
#
# Inputs arrive only as environment variables (the step's `env:` mapping), never pasted into a script:
#   IN_INVENTORY IN_TERRAFORM_PLAN IN_TERRAFORM_DIR IN_REGIONS IN_ROLE_ARN IN_FAIL_ON IN_CATEGORY
#   IN_CONFIG IN_POLICIES IN_BASELINE IN_FAIL_ON_NEW IN_SARIF_FILE IN_SUMMARY IN_OUTPUT_DIR IN_FORMATS
#   IN_ARGS
# The command line is built as a bash array, one element per argument, each option as `--name=value` so
# that a value starting with `-` stays a value. Nothing is evaluated by a shell: `$(...)`, backticks, `;`,
# quotes and globs in an input reach palisade as literal characters.
#
# Outputs: exit-code, category, report-dir, sarif-file, json-file, markdown-file, html-file, junit-file,
# csv-file, ocsf-file, text-file (each file output only when the file was written), and the counts
# critical, high, medium, low, info (failures by severity), failures, errors, waived, passed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

# The job summary of one step is dropped by GitHub above 1024 KiB.
summary_limit=${PALISADE_SUMMARY_LIMIT:-1048576}

# Records that palisade could not be started (bad input) and leaves the decision to the gate step.
cannot_run() {
  gh_error "$*"
  set_output exit-code 2
  if [ "$(lower "${IN_SUMMARY:-true}")" != false ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    printf '## ❌ palisade could not run\n\n%s\n' "$*" >>"$GITHUB_STEP_SUMMARY"
  fi
  exit 0
}

fail_on_new=0
is_true "${IN_FAIL_ON_NEW:-false}"
case $? in
0) fail_on_new=1 ;;
2) cannot_run "input fail-on-new must be true or false, not '${IN_FAIL_ON_NEW}'" ;;
esac
summary=1
is_true "${IN_SUMMARY:-true}"
case $? in
1) summary=0 ;;
2) cannot_run "input summary must be true or false, not '${IN_SUMMARY}'" ;;
esac

out_dir=${IN_OUTPUT_DIR:-}
[ -n "$out_dir" ] || out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/palisade-report"
out_dir=$(abs_path "$out_dir")
mkdir -p "$out_dir" || cannot_run "cannot create output-dir $out_dir"

argv=(scan --format=text)

# Source: a saved inventory, a Terraform plan, or the live account (the default region when no region
# is given). palisade itself rejects contradictory combinations (exit 2, with the reason).
[ -n "${IN_INVENTORY:-}" ] && argv+=("--inventory=$IN_INVENTORY")
[ -n "${IN_TERRAFORM_PLAN:-}" ] && argv+=("--terraform-plan=$IN_TERRAFORM_PLAN")
[ -n "${IN_TERRAFORM_DIR:-}" ] && argv+=("--terraform-dir=$IN_TERRAFORM_DIR")
split_list $' \t,' "${IN_REGIONS:-}"
for region in ${SPLIT[@]+"${SPLIT[@]}"}; do
  if [ "$(lower "$region")" = all ]; then argv+=(--all-regions); else argv+=("--region=$region"); fi
done
[ -n "${IN_ROLE_ARN:-}" ] && argv+=("--role-arn=$IN_ROLE_ARN")
[ -n "${IN_CONFIG:-}" ] && argv+=("--config=$IN_CONFIG")
split_list ',' "${IN_POLICIES:-}"
for dir in ${SPLIT[@]+"${SPLIT[@]}"}; do argv+=("--policies=$dir"); done
[ -n "${IN_FAIL_ON:-}" ] && argv+=("--fail-on=$(trim "$IN_FAIL_ON")")
[ -n "${IN_BASELINE:-}" ] && argv+=("--baseline=$IN_BASELINE")
[ "$fail_on_new" = 1 ] && argv+=(--fail-on-new)

# Category: GitHub reads automationDetails.id as <category>/<run id>; upload-sarif appends the `/` to
# its category input. palisade gets the same value, so the file and the upload agree.
category=""
if [ -n "${IN_CATEGORY:-}" ]; then
  category="${IN_CATEGORY%/}/"
  argv+=("--category=$category")
fi

# Reports: JSON (the counts come from it) and Markdown (the job summary) always; SARIF unless
# sarif-file is empty; the others as listed in `formats`.
json_file="$out_dir/scan.json"
md_file="$out_dir/summary.md"
argv+=("--output=json=$json_file" "--output=markdown=$md_file")
sarif_file=""
if [ -n "${IN_SARIF_FILE:-}" ]; then
  sarif_file=$(abs_path "$IN_SARIF_FILE")
  mkdir -p "$(dirname "$sarif_file")" || cannot_run "cannot create the directory of sarif-file $sarif_file"
  argv+=("--output=sarif=$sarif_file")
fi
html_file="" junit_file="" csv_file="" ocsf_file="" text_file=""
split_list $' \t,' "${IN_FORMATS:-}"
for format in ${SPLIT[@]+"${SPLIT[@]}"}; do
  case "$(lower "$format")" in
  html) html_file="$out_dir/report.html" && argv+=("--output=html=$html_file") ;;
  junit) junit_file="$out_dir/junit.xml" && argv+=("--output=junit=$junit_file") ;;
  csv) csv_file="$out_dir/results.csv" && argv+=("--output=csv=$csv_file") ;;
  ocsf) ocsf_file="$out_dir/ocsf.json" && argv+=("--output=ocsf=$ocsf_file") ;;
  text) text_file="$out_dir/summary.txt" && argv+=("--output=text=$text_file") ;;
  json | markdown | sarif) ;; # always written (sarif: see sarif-file)
  *) cannot_run "input formats: unknown format '$format' (html, junit, csv, ocsf, text)" ;;
  esac
done

# Extra arguments: split on whitespace only. No shell evaluation, no quotes, no globbing: an argument
# cannot contain a space (use --name=value).
split_list $' \t' "${IN_ARGS:-}"
argv+=(${SPLIT[@]+"${SPLIT[@]}"})

# Stale reports of an earlier run in the same directory must not be read as this run's.
rm -f "$json_file" "$md_file" ${sarif_file:+"$sarif_file"}

palisade=${PALISADE:-palisade}
printf 'palisade'
printf ' %q' "${argv[@]}"
printf '\n'
# Workflow commands are off while palisade runs: a resource name in the output cannot issue one.
stop=$(random_token)
printf '::stop-commands::%s\n' "$stop"
"$palisade" "${argv[@]}" 2>&1
code=$?
printf '::%s::\n' "$stop"

set_output exit-code "$code"
set_output category "$category"
set_output report-dir "$out_dir"
# A file output is the file's path when palisade wrote it, else empty.
file_output() {
  if [ -n "$2" ] && [ -f "$2" ]; then set_output "$1" "$2"; else set_output "$1" ""; fi
}
file_output sarif-file "$sarif_file"
file_output json-file "$json_file"
file_output markdown-file "$md_file"
file_output html-file "$html_file"
file_output junit-file "$junit_file"
file_output csv-file "$csv_file"
file_output ocsf-file "$ocsf_file"
file_output text-file "$text_file"

# Counts from the JSON report: jq, or python3 when jq is not installed (PALISADE_JQ overrides the jq
# command; an empty or missing command means python3).
counts=""
if [ -f "$json_file" ]; then
  jq_cmd=${PALISADE_JQ-jq}
  py_counts='import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    s = json.load(f).get("summary", {})
sev, st = s.get("failures_by_severity", {}), s.get("by_status", {})
vals = [sev.get(k) for k in ("critical", "high", "medium", "low", "info")]
vals += [st.get(k) for k in ("FAIL", "ERROR", "WAIVED", "PASS")]
print(" ".join(str(v if v is not None else 0) for v in vals))'
  filter='[.summary.failures_by_severity.critical, .summary.failures_by_severity.high,
    .summary.failures_by_severity.medium, .summary.failures_by_severity.low,
    .summary.failures_by_severity.info, .summary.by_status.FAIL, .summary.by_status.ERROR,
    .summary.by_status.WAIVED, .summary.by_status.PASS] | map(. // 0 | tostring) | join(" ")'
  if [ -n "$jq_cmd" ] && command -v "$jq_cmd" >/dev/null 2>&1; then
    counts=$("$jq_cmd" -r "$filter" "$json_file")
  else
    py=""
    for c in python3 python; do
      if command -v "$c" >/dev/null 2>&1; then py=$c && break; fi
    done
    if [ -n "$py" ]; then
      counts=$("$py" -c "$py_counts" "$json_file")
    else
      gh_warning "neither jq nor python3 is installed: the count outputs are empty"
    fi
  fi
fi
if [ -n "$counts" ]; then
  # shellcheck disable=SC2086 # nine integers separated by spaces
  set -- $counts
  set_output critical "$1"
  set_output high "$2"
  set_output medium "$3"
  set_output low "$4"
  set_output info "$5"
  set_output failures "$6"
  set_output errors "$7"
  set_output waived "$8"
  set_output passed "$9"
fi

# Job summary: palisade's Markdown, cut at a line boundary so the step's summary stays under the limit.
if [ "$summary" = 1 ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if [ -f "$md_file" ]; then
    used=0
    [ -f "$GITHUB_STEP_SUMMARY" ] && used=$(wc -c <"$GITHUB_STEP_SUMMARY" | tr -d ' ')
    note=$'\n\n> **Summary truncated**: GitHub keeps at most 1 MiB of job summary. Every result is in the\n> SARIF upload and in the reports of this step (outputs json-file and html-file; keep them with\n> actions/upload-artifact).\n'
    budget=$((summary_limit - ${used:-0} - ${#note} - 64))
    size=$(wc -c <"$md_file" | tr -d ' ')
    if [ "$size" -le "$budget" ]; then
      cat "$md_file" >>"$GITHUB_STEP_SUMMARY"
    elif [ "$budget" -gt 0 ]; then
      part="$out_dir/summary.truncated.md"
      head -c "$budget" "$md_file" >"$part"
      # Drop the last, incomplete line (it may end inside a multi-byte character or a table row).
      if [ -n "$(tail -c 1 "$part")" ]; then sed '$d' "$part" >"$part.tmp" && mv "$part.tmp" "$part"; fi
      cat "$part" >>"$GITHUB_STEP_SUMMARY"
      printf '%s' "$note" >>"$GITHUB_STEP_SUMMARY"
      rm -f "$part"
    fi
  elif [ "$code" -ne 0 ]; then
    printf '## ❌ palisade could not run (exit %s)\n\nThe reason is in the log of the scan step.\n' \
      "$code" >>"$GITHUB_STEP_SUMMARY"
  fi
fi

case "$code" in
0 | 1 | 3) ;;
*) gh_error "palisade could not run (exit $code): the reason is in the log above" ;;
esac
exit 0
