#!/usr/bin/env bash
# Makes a Pulumi toolchain available for the examples and end-to-end tests, from nothing, offline
# except for the Go module proxy. Idempotent: the second run is instant.
#
# The last line on stdout is the bin directory to put first on PATH; progress goes to stderr.
#   bash scripts/ensure-pulumi.sh              # build or find, print the bin directory
#   bash scripts/ensure-pulumi.sh --print-env  # print `export …` lines instead
#
# What it provides (see README "The Pulumi toolchain"):
#   pulumi                         CLI v3.259.0 (github.com/pulumi/pulumi/pkg/v3), upstream version ldflag
#   pulumi-language-nodejs-host    the Node.js language host of v3.68.0 (github.com/pulumi/pulumi/sdk/v3),
#                                  the newest release whose host the module proxy serves
#   pulumi-language-nodejs         tools/language-host: forwards to the host above, adds RunPlugin
#                                  (how CLI 3.259 boots Node.js policy packs)
#   pulumi-resource-command        tools/command-provider: stand-in for the command provider 1.2.1,
#                                  whose Go module is not on the proxy
#   pulumi-resource-pulumi-nodejs  the dynamic-provider launcher script shipped in sdk/v3 v3.259.0
# A `pulumi` already on PATH (v3.200.0 or newer, with its Node.js language host and the command
# provider) is used as it is.
set -euo pipefail

CLI_VERSION="v3.259.0"
HOST_SDK_VERSION="v3.68.0"
COMMAND_VERSION="1.2.1"
MIN_PULUMI="3.200.0"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_root="${MAILFLOW_GUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mailflow-guard}"
say() { echo "[ensure-pulumi] $*" >&2; }

print_result() {
  local bin="$1" home="$2"
  if [[ "$PRINT_ENV" == "1" ]]; then
    echo "export PATH=\"$bin:\$PATH\""
    echo "export PULUMI_HOME=\"$home\""
    echo "export PULUMI_SKIP_UPDATE_CHECK=true"
    echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
  else
    echo "$bin"
  fi
}

PRINT_ENV=0
[[ "${1:-}" == "--print-env" ]] && PRINT_ENV=1

version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

# 1. A suitable Pulumi already installed (real users have one).
if [[ "${MAILFLOW_GUARD_BUILD_TOOLCHAIN:-0}" != "1" ]] && command -v pulumi >/dev/null 2>&1 \
  && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  have="$(pulumi version 2>/dev/null | sed 's/^v//')"
  if version_ge "${have:-0}" "$MIN_PULUMI" && { command -v pulumi-resource-command >/dev/null 2>&1 \
    || pulumi plugin ls 2>/dev/null | grep -q '^command '; }; then
    say "using pulumi v$have from $(dirname "$(command -v pulumi)")"
    print_result "$(dirname "$(command -v pulumi)")" "${PULUMI_HOME:-$HOME/.pulumi}"
    exit 0
  fi
fi

# 2. Build the pinned toolchain with Go (the official installer puts it in /usr/local/go).
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<EOF
[ensure-pulumi] No suitable Pulumi CLI (v$MIN_PULUMI or newer with pulumi-language-nodejs and the
[ensure-pulumi] command provider) is on PATH, and Go is not installed to build one.
[ensure-pulumi] Either install Pulumi (https://www.pulumi.com/docs/install/) and the command plugin
[ensure-pulumi] (pulumi plugin install resource command $COMMAND_VERSION), or install Go 1.25+ and run again.
EOF
  exit 2
fi

tools_hash="$(cat "$repo"/tools/*/main.go "$repo"/tools/*/go.mod "$repo"/tools/*/go.sum | sha256sum | cut -c1-12)"
key="pulumi-${CLI_VERSION}-host-${HOST_SDK_VERSION}-command-${COMMAND_VERSION}-${tools_hash}"
dir="$cache_root/toolchain/$key"
bin="$dir/bin"
home="$dir/pulumi-home"
stamp="$dir/.complete"
if [[ -f "$stamp" ]]; then
  print_result "$bin" "$home"
  exit 0
fi

mkdir -p "$bin" "$home" "$dir/build"
export GOFLAGS="-mod=mod -buildvcs=false"
start=$(date +%s)

# Builds one package from a throwaway module that requires the pinned upstream module and honours
# its `replace` directives (go install pkg@version refuses modules that have any).
build_upstream() {
  local name="$1" module="$2" version="$3" package="$4" ldflags="$5" out="$6"
  local work="$dir/build/$name"
  mkdir -p "$work"
  say "downloading $module@$version"
  local moddir
  moddir="$(go mod download -json "$module@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  {
    echo "module mailflowguard.local/build/$name"
    echo
    echo "go 1.25"
    echo
    echo "require $module $version"
    # Keep the upstream replacements that point at other modules; a local path (../sdk) becomes the
    # same pinned version of that module, which MVS selects through the require above.
    sed -n 's/^replace \(.*\) => \([^.][^ ]*\) \(v[^ ]*\)$/replace \1 => \2 \3/p' "$moddir/go.mod"
  } >"$work/go.mod"
  printf '//go:build tools\npackage build\nimport _ "%s"\n' "$package" >"$work/tools.go"
  say "building $name ($package), this takes a few minutes the first time"
  if ! (cd "$work" && go mod tidy >"$work/build.log" 2>&1 && go build -trimpath -ldflags "$ldflags" -o "$out" "$package" >>"$work/build.log" 2>&1); then
    tail -n 20 "$work/build.log" >&2
    say "building $name failed (full log: $work/build.log); check that the Go module proxy is reachable and run again"
    exit 1
  fi
}

build_local() {
  local name="$1" src="$2" ldflags="$3" out="$4"
  say "building $name from ${src#"$repo"/}"
  (cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$out" .) || { say "building $name failed"; exit 1; }
}

build_upstream pulumi github.com/pulumi/pulumi/pkg/v3 "$CLI_VERSION" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$CLI_VERSION" "$bin/pulumi"
build_upstream language-host github.com/pulumi/pulumi/sdk/v3 "$HOST_SDK_VERSION" \
  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$HOST_SDK_VERSION" "$bin/pulumi-language-nodejs-host"
build_local pulumi-language-nodejs "$repo/tools/language-host" "" "$bin/pulumi-language-nodejs"
build_local pulumi-resource-command "$repo/tools/command-provider" "-X main.Version=$COMMAND_VERSION" "$dir/pulumi-resource-command"

# The dynamic-provider launcher is a shell script in the Node.js SDK sources.
sdkdir="$(go mod download -json "github.com/pulumi/pulumi/sdk/v3@$CLI_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
install -m 0755 "$sdkdir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"

# Register the provider as an installed plugin so the engine never tries to download it.
say "registering the command provider $COMMAND_VERSION in $home"
PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=true "$bin/pulumi" plugin install resource command "$COMMAND_VERSION" \
  --file "$dir/pulumi-resource-command" --non-interactive >/dev/null

say "pulumi $("$bin/pulumi" version) ready in $bin ($(($(date +%s) - start)) s)"
touch "$stamp"
print_result "$bin" "$home"
