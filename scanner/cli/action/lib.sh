# shellcheck shell=bash
# Helpers shared by the GitHub Action's scripts (install.sh, run.sh, gate.sh). Sourced, never run.
# Written for bash 3.2 as well (the /bin/bash of macOS): no ${var,,}, no mapfile, no namerefs, and
# "${array[@]}" only through ${array[@]+"${array[@]}"} (an empty array is "unbound" before bash 4.4).

# Escapes a value for the data part of a workflow command (`::error::DATA`), so that a value taken from
# an input or a report can neither end the command nor start another one on a new line.
gh_escape() {
  local s=$1 pct='%' cr=$'\r' nl=$'\n'
  s=${s//$pct/%25}
  s=${s//$cr/%0D}
  s=${s//$nl/%0A}
  printf '%s' "$s"
}

gh_error() { printf '::error title=palisade::%s\n' "$(gh_escape "$*")"; }
gh_warning() { printf '::warning title=palisade::%s\n' "$(gh_escape "$*")"; }
gh_notice() { printf '::notice title=palisade::%s\n' "$(gh_escape "$*")"; }

# A random token (hex), for heredoc delimiters and ::stop-commands::.
random_token() {
  local t
  t=$(od -An -N12 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n')
  [ -n "$t" ] || t="$$${RANDOM}${RANDOM}${RANDOM}"
  printf '%s' "$t"
}

# set_output NAME VALUE: appends a step output to $GITHUB_OUTPUT in the multi-line form
# (NAME<<DELIMITER), so a value holding a newline cannot add or override another output.
set_output() {
  local name=$1 value=${2-} delim
  if [ -z "${GITHUB_OUTPUT:-}" ]; then
    printf 'output %s=%s\n' "$name" "$value" >&2
    return 0
  fi
  delim="palisade_$(random_token)"
  while case "$value" in *"$delim"*) true ;; *) false ;; esac; do
    delim="palisade_$(random_token)"
  done
  printf '%s<<%s\n%s\n%s\n' "$name" "$delim" "$value" "$delim" >>"$GITHUB_OUTPUT"
}

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

# is_true VALUE: 0 for true/yes/on/1, 1 for false/no/off/0/empty, 2 for anything else (the caller
# reports it, naming the input).
is_true() {
  case "$(lower "$1")" in
  true | yes | on | 1) return 0 ;;
  false | no | off | 0 | '') return 1 ;;
  *) return 2 ;;
  esac
}

trim() {
  local s=$1
  s="${s#"${s%%[![:space:]]*}"}"
  s="${s%"${s##*[![:space:]]}"}"
  printf '%s' "$s"
}

# split_list SEPARATORS TEXT: splits TEXT on any of the SEPARATORS characters (newline always) into the
# global array SPLIT, trimming each item and dropping empty ones. No globbing, no quote removal, no
# expansion of any kind: `*`, `$(...)`, backticks and `;` stay literal characters of an item.
split_list() {
  local seps="$1"$'\n' item
  local raw=()
  SPLIT=()
  IFS="$seps" read -r -d '' -a raw <<<"$2" || true
  for item in ${raw[@]+"${raw[@]}"}; do
    item=$(trim "$item")
    [ -n "$item" ] && SPLIT+=("$item")
  done
  return 0
}

# Absolute form of a path (relative paths are relative to the current directory, the workspace).
abs_path() {
  case "$1" in
  /* | [A-Za-z]:[\\/]*) printf '%s' "$1" ;;
  *) printf '%s/%s' "$PWD" "$1" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{print $1}'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{print $1}'
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | awk '{print $NF}'
  else
    return 1
  fi
}
