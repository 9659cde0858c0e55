#!/usr/bin/env bash
# The last step of the GitHub Action (action.yml): turns palisade's exit code (the scan step's output
# exit-code) into the job's result, with a message that says why.
#
#   0 -> success
#   1 -> fails (exit 1): findings at or above fail-on
#   3 -> fails (exit 3): scan incomplete (ERROR results), unless allow-incomplete is true (then a warning)
#   2, anything else, or no exit code at all (the scan step did not finish) -> fails (exit 2): palisade
#        could not run
#
# Environment (the step's `env:` mapping): SCAN_EXIT_CODE, IN_FAIL_ON, IN_FAIL_ON_NEW,
# IN_ALLOW_INCOMPLETE, and the counts SCAN_CRITICAL SCAN_HIGH SCAN_MEDIUM SCAN_LOW SCAN_INFO
# SCAN_FAILURES SCAN_ERRORS SCAN_WAIVED.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

code=$(trim "${SCAN_EXIT_CODE:-}")
fail_on=$(trim "${IN_FAIL_ON:-}")
[ -n "$fail_on" ] || fail_on="palisade's default"
counts="critical ${SCAN_CRITICAL:-?}, high ${SCAN_HIGH:-?}, medium ${SCAN_MEDIUM:-?}, low ${SCAN_LOW:-?}, info ${SCAN_INFO:-?}"
new=""
[ "$(lower "${IN_FAIL_ON_NEW:-false}")" = true ] && new="new "

case "$code" in
0)
  printf 'palisade: no %sfailure at or above fail-on (%s) and every check ran (%s failures, %s waived).\n' \
    "$new" "$fail_on" "${SCAN_FAILURES:-?}" "${SCAN_WAIVED:-?}"
  exit 0
  ;;
1)
  gh_error "palisade: ${new}findings at or above fail-on ($fail_on): ${SCAN_FAILURES:-?} failures ($counts). See the job summary and the code scanning alerts."
  exit 1
  ;;
3)
  is_true "${IN_ALLOW_INCOMPLETE:-false}"
  case $? in
  0)
    gh_warning "palisade: scan incomplete: ${SCAN_ERRORS:-?} checks could not run (ERROR results); accepted because allow-incomplete is true. Nothing failed at or above fail-on ($fail_on)."
    exit 0
    ;;
  1)
    gh_error "palisade: scan incomplete: ${SCAN_ERRORS:-?} checks could not run (ERROR results: data that could not be collected, e.g. AccessDenied, or a rule that could not be evaluated). Nothing failed at or above fail-on ($fail_on). Fix the permissions, or set allow-incomplete: true to accept an incomplete scan."
    exit 3
    ;;
  *)
    gh_error "palisade: scan incomplete, and input allow-incomplete must be true or false, not '${IN_ALLOW_INCOMPLETE:-}'"
    exit 3
    ;;
  esac
  ;;
'')
  gh_error "palisade could not run: the scan did not finish (see the install and scan steps above)."
  exit 2
  ;;
*)
  gh_error "palisade could not run (exit $code): a bad input, inventory, plan, policy, config or flag; the scan step's log names it."
  exit 2
  ;;
esac
