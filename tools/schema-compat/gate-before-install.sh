#!/usr/bin/env bash
# Runs the schema gate on a fresh clone before `npm ci`, so a breaking schema change fails CI within
# seconds: only tsx, avsc, jsonc-parser and undici (a registry behind TLS) are installed, at the
# lockfile's versions, into a scratch folder. Arguments go to the gate (e.g. --base <ref>).
set -euo pipefail
cd "$(dirname "$0")/../.."

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
locked() { node -p "require('./package-lock.json').packages['node_modules/$1'].version"; }
npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --silent \
  --prefix "$scratch" "tsx@$(locked tsx)" "avsc@$(locked avsc)" "jsonc-parser@$(locked jsonc-parser)" \
  "undici@$(locked undici)"
NODE_PATH="$scratch/node_modules" "$scratch/node_modules/.bin/tsx" \
  tools/schema-compat/src/gate-cli.ts --registry auto "$@"
