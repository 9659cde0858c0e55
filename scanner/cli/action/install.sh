#!/usr/bin/env bash
# Installs the palisade binary for the GitHub Action (action.yml) and puts it on the job's PATH.
#
#   install.sh [auto|download|build]
#
#   auto      (default) download the release binary; when there is none for this runner, build it
#   download  only try the release binary; when there is none, set the output installed=false and exit 0
#             (action.yml then restores the cargo cache and runs `install.sh build`)
#   build     build from the action's source: cargo build --release --locked -p palisade
#
# Environment:
#   PALISADE_BIN               use this binary (tests, self-hosted runners with palisade preinstalled)
#   PALISADE_VERSION           release tag (v1.2.3 or 1.2.3) or `latest` (default)
#   PALISADE_ACTION_REPOSITORY owner/name of the action's repository (from ${{ github.action_repository }},
#                              which composite actions do not always get; then GITHUB_ACTION_REPOSITORY,
#                              then the path of the action's checkout, then palisade-scanner/palisade)
#   PALISADE_RELEASE_BASE_URL  where releases are (default https://github.com/<repository>/releases): the
#                              asset is <base>/download/<tag>/palisade-<tag>-<target>.tar.gz with a
#                              .sha256 next to it; `latest` is the tag <base>/latest redirects to (or, for a
#                              file:// base, the text of the file <base>/latest)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_ACTION_PATH, GITHUB_PATH, GITHUB_ENV, GITHUB_OUTPUT: the runner's
#
# Outputs (GITHUB_OUTPUT): installed (true/false), palisade (path of the binary), version (`palisade
# --version`), source (PALISADE_BIN, release or build), cache-key (hash of Cargo.lock and rustc, when a
# build is needed).
#
# A release binary whose checksum does not match, or that has no checksum, FAILS the step: it is never
# replaced by a build from source, which would hide a tampered or broken release.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

mode=${1:-auto}
case "$mode" in
auto | download | build) ;;
*)
  gh_error "install.sh: unknown mode '$mode' (auto, download or build)"
  exit 2
  ;;
esac

die() {
  gh_error "$*"
  exit 1
}
log() { printf 'palisade install: %s\n' "$*"; }

tmp_root=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
bin_dir="$tmp_root/palisade-bin"
exe=""
case "${RUNNER_OS:-}" in
Windows) exe=".exe" ;;
esac
action_path=${GITHUB_ACTION_PATH:-$(cd "$here/../../.." && pwd)}

# Puts BINARY (a file) on the PATH of the following steps as `palisade`, and records the outputs.
install_binary() {
  local src source=$2 dest version
  src=$(abs_path "$1")
  [ -f "$src" ] || die "palisade binary not found at $src"
  mkdir -p "$bin_dir"
  dest="$bin_dir/palisade$exe"
  rm -f "$dest"
  if [ -n "$exe" ]; then
    cp "$src" "$dest"
  else
    ln -s "$src" "$dest" 2>/dev/null || cp "$src" "$dest"
  fi
  chmod +x "$dest" 2>/dev/null || true
  if ! version=$("$dest" --version 2>&1); then
    die "the installed palisade ($src) does not run: $version"
  fi
  version=$(printf '%s' "$version" | head -n 1)
  if [ -n "${GITHUB_PATH:-}" ]; then printf '%s\n' "$bin_dir" >>"$GITHUB_PATH"; fi
  if [ -n "${GITHUB_ENV:-}" ]; then printf 'PALISADE=%s\n' "$dest" >>"$GITHUB_ENV"; fi
  set_output installed true
  set_output palisade "$dest"
  set_output version "$version"
  set_output source "$source"
  log "installed $version ($source) as $dest"
}

# The Rust target triple of the release asset for this runner, or nothing when there is none.
target_triple() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) printf 'x86_64-unknown-linux-gnu' ;;
  Linux/ARM64) printf 'aarch64-unknown-linux-gnu' ;;
  macOS/X64) printf 'x86_64-apple-darwin' ;;
  macOS/ARM64) printf 'aarch64-apple-darwin' ;;
  Windows/X64) printf 'x86_64-pc-windows-msvc' ;;
  *) ;;
  esac
}

action_repository() {
  local repo=${PALISADE_ACTION_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}} p ref_dir owner_dir
  if [ -z "$repo" ] && [ -n "${GITHUB_ACTION_PATH:-}" ]; then
    # The runner checks actions out to <work>/_actions/<owner>/<name>/<ref>.
    p=${GITHUB_ACTION_PATH%/}
    ref_dir=${p%/*}
    owner_dir=${ref_dir%/*}
    case "${owner_dir%/*}" in
    */_actions) repo="${owner_dir##*/}/${ref_dir##*/}" ;;
    esac
  fi
  printf '%s' "${repo:-palisade-scanner/palisade}"
}

curl_get() { # URL FILE
  curl -fsSL --proto '=https,file' --proto-redir '=https' --retry 3 --retry-delay 2 \
    --connect-timeout 20 --max-time 600 -o "$2" "$1"
}

resolve_latest() { # BASE -> tag
  local base=$1 url body
  case "$base" in
  file://*)
    body=$(curl -fsSL --proto '=file' "$base/latest") || return 1
    printf '%s' "$(trim "$(printf '%s' "$body" | head -n 1)")"
    ;;
  *)
    url=$(curl -fsSLI --proto '=https' --proto-redir '=https' --retry 3 --connect-timeout 20 \
      --max-time 60 -o /dev/null -w '%{url_effective}' "$base/latest") || return 1
    case "$url" in
    */tag/*) printf '%s' "${url##*/tag/}" ;;
    *) return 1 ;;
    esac
    ;;
  esac
}

# Downloads and verifies the release binary. Returns 0 when installed, 1 when there is no usable release
# for this runner (the caller builds instead); exits 1 when the checksum is missing or wrong.
try_download() {
  local target version tag base asset dir expected actual found
  target=$(target_triple)
  if [ -z "$target" ]; then
    log "no release binary for RUNNER_OS=${RUNNER_OS:-?} RUNNER_ARCH=${RUNNER_ARCH:-?}"
    return 1
  fi
  if ! command -v curl >/dev/null 2>&1; then
    log "curl is not installed: cannot download a release"
    return 1
  fi
  base=${PALISADE_RELEASE_BASE_URL:-https://github.com/$(action_repository)/releases}
  base=${base%/}
  version=$(trim "${PALISADE_VERSION:-latest}")
  if [ -z "$version" ] || [ "$(lower "$version")" = latest ]; then
    if ! tag=$(resolve_latest "$base") || [ -z "$tag" ]; then
      log "could not find the latest release at $base"
      return 1
    fi
  else
    case "$version" in
    v*) tag=$version ;;
    *) tag="v$version" ;;
    esac
  fi
  case "$tag" in
  *[!A-Za-z0-9._+-]* | '' | .*) die "invalid version '$tag': expected a release tag such as v1.2.3, or latest" ;;
  esac
  asset="palisade-$tag-$target.tar.gz"
  dir="$tmp_root/palisade-download-$(random_token)"
  mkdir -p "$dir"
  log "downloading $base/download/$tag/$asset"
  if ! curl_get "$base/download/$tag/$asset" "$dir/$asset"; then
    log "no release asset $asset (tag $tag) at $base"
    rm -rf "$dir"
    return 1
  fi
  # From here on the release exists: any problem with it is an error, never a reason to build.
  if ! curl_get "$base/download/$tag/$asset.sha256" "$dir/$asset.sha256"; then
    die "release $tag has $asset but no $asset.sha256: refusing to install an unverified binary"
  fi
  expected=$(awk 'NR == 1 {print $1}' "$dir/$asset.sha256" | tr '[:upper:]' '[:lower:]')
  case "$expected" in
  *[!0-9a-f]* | '') die "$asset.sha256 does not hold a SHA-256 checksum" ;;
  esac
  [ ${#expected} -eq 64 ] || die "$asset.sha256 does not hold a SHA-256 checksum"
  actual=$(sha256_of "$dir/$asset") || die "no sha256sum, shasum or openssl to verify $asset"
  if [ "$actual" != "$expected" ]; then
    die "checksum mismatch for $asset: expected $expected, got $actual. Refusing to install it (and not building from source instead)."
  fi
  log "checksum verified: $actual"
  mkdir -p "$dir/x"
  tar -xzf "$dir/$asset" -C "$dir/x" || die "cannot extract $asset"
  found=$(find "$dir/x" -type f -name "palisade$exe" | head -n 1)
  [ -n "$found" ] || die "$asset holds no palisade$exe"
  install_binary "$found" release
}

cache_key() {
  local lock="$action_path/Cargo.lock" rustc=""
  command -v rustc >/dev/null 2>&1 && rustc=$(rustc -V 2>/dev/null || true)
  if [ -f "$lock" ]; then
    printf '%s\n%s\n' "$(sha256_of "$lock" || echo nolock)" "$rustc" >"$tmp_root/palisade-cache-key"
    sha256_of "$tmp_root/palisade-cache-key" || echo nohash
  else
    echo nolock
  fi
}

build() {
  local target_dir
  command -v cargo >/dev/null 2>&1 ||
    die "no release binary for this runner (RUNNER_OS=${RUNNER_OS:-?}, RUNNER_ARCH=${RUNNER_ARCH:-?}, version ${PALISADE_VERSION:-latest}) and cargo is not installed: install a Rust toolchain first (e.g. rustup or dtolnay/rust-toolchain) or pick a released version"
  [ -f "$action_path/Cargo.toml" ] || die "cannot build: no Cargo.toml in $action_path"
  target_dir=${PALISADE_BUILD_TARGET_DIR:-$action_path/target}
  log "building from source in $action_path (cargo build --release --locked -p palisade)"
  (cd "$action_path" && cargo build --release --locked -p palisade --target-dir "$target_dir") ||
    die "cargo build --release --locked -p palisade failed"
  install_binary "$target_dir/release/palisade$exe" build
}

if [ -n "${PALISADE_BIN:-}" ]; then
  [ -f "$PALISADE_BIN" ] || die "PALISADE_BIN=$PALISADE_BIN is not a file"
  install_binary "$PALISADE_BIN" PALISADE_BIN
  exit 0
fi

case "$mode" in
download)
  if ! try_download; then
    set_output installed false
    set_output cache-key "$(cache_key)"
    log "no release binary: the next step builds palisade from source"
  fi
  ;;
build) build ;;
auto) try_download || build ;;
esac
