#!/usr/bin/env bash
# Set-up on a fresh Debian/Ubuntu machine with Node 20: the build tools AWS's runtime client
# (aws-lambda-ric, a native module built from source at install) needs, then the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in autoconf automake libtool cmake make g++ python3; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  echo "setup: installing ${need[*]} (for aws-lambda-ric)"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 20) { console.error(`setup: Node ${process.version} is too old; faasport needs Node 20 or newer`); process.exit(1); }'
npm ci --no-fund --no-audit
