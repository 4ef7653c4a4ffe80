#!/usr/bin/env bash
# Native AOT check (not part of `dotnet test`: a publish takes minutes).
#  1. The runtime library builds for net8.0 and net10.0 with IsAotCompatible (trim, AOT and single-file analyzers on)
#     and reports no IL2xxx/IL3xxx warning.
#  2. samples/QuickStart publishes with PublishAot=true for this machine's RID; every AOT/trim warning is listed with
#     the assembly it comes from, and the native binary runs the tour against the built-in emulator.
# Everything is built under a temp folder (UseArtifactsOutput), so the repository's bin/obj folders are untouched.
# Usage: eng/check-aot.sh [rid]   (default linux-x64). Exits non-zero when a step fails or the tour's output is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."

rid="${1:-linux-x64}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
isolated=(-p:UseArtifactsOutput=true "-p:ArtifactsPath=$work/artifacts/")

echo "== 1. src/Runtime with IsAotCompatible (net8.0, net10.0)"
# TreatWarningsAsErrors off so that every warning is listed rather than the build stopping at the first.
dotnet build src/Runtime -c Release "${isolated[@]}" -p:IsAotCompatible=true -p:TreatWarningsAsErrors=false \
  >"$work/runtime.log" 2>&1 || { cat "$work/runtime.log"; exit 1; }
if grep -E "warning IL[23][0-9]{3}" "$work/runtime.log" | sort -u | grep .; then
  echo "FAIL: trim/AOT warnings in src/Runtime"; exit 1
fi
echo "   no trim/AOT warnings"

echo "== 2. samples/QuickStart with PublishAot=true ($rid)"
dotnet publish samples/QuickStart -c Release -r "$rid" -p:PublishAot=true "${isolated[@]}" -o "$work/publish" \
  >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
warnings="$(grep -E "warning IL[23][0-9]{3}" "$work/publish.log" | sed -E 's/ \[[^]]*\]$//' | sort -u || true)"
if [ -n "$warnings" ]; then
  echo "   AOT/trim warnings (by where they come from):"
  echo "$warnings" | sed 's/^/     /'
else
  echo "   no AOT/trim warnings"
fi
ls -l "$work/publish/QuickStart"

echo "== 3. the native binary runs the tour against the emulator"
# No AWS settings, so the tour uses the built-in emulator.
env -u AWS_REGION -u AWS_ACCESS_KEY_ID -u AWS_PROFILE -u AWS_BEARER_TOKEN_BEDROCK "$work/publish/QuickStart" | tee "$work/run.log"
for expected in "1. Extract       invoice 2024-117" "2. Classify      Invoice" "3. Summarize     Contoso Ltd." "4. Thank-you     Thank you, Fabrikam Inc."; do
  grep -qF "$expected" "$work/run.log" || { echo "FAIL: the tour's output lacks '$expected'"; exit 1; }
done
echo "OK: the Native AOT QuickStart ran the tour"
