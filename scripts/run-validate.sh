#!/usr/bin/env bash
# `validate` for another repository's CI, run from a checkout of this one: the GitHub Action
# (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml) call it with validate's arguments.
# It installs this checkout's dependencies once (again when package-lock.json changes) and runs
# the tool from its sources, so nothing needs to be published or built first.
set -euo pipefail
tool=$(cd "$(dirname "$0")/.." && pwd)
installed="$tool/node_modules/.installed-package-lock.json"
if ! cmp -s "$tool/package-lock.json" "$installed"; then
  (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$tool/package-lock.json" "$installed"
fi
export CDK8S_CHECK_UPGRADE=false
exec node "$tool/bin/cli.mjs" validate "$@"
