#!/usr/bin/env bash
# The compatibility check (scripts/compat/check.py) against this checkout's make-mcp (.venv/bin/make-mcp):
# the agent frameworks in their own environment, .venv-compat (they pin the MCP SDK below 2), and MCP Inspector
# in scripts/compat/node_modules. A framework that cannot be installed is named and its check skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
compat=scripts/compat

[ -x .venv-compat/bin/python ] || python3 -m venv .venv-compat
if ! .venv-compat/bin/pip install --quiet -c "$compat/constraints.txt" -r "$compat/requirements.txt"; then
  echo "compat: installing every framework at once failed; installing them one by one"
  grep -v '^#' "$compat/requirements.txt" | while read -r requirement; do
    [ -n "$requirement" ] || continue
    .venv-compat/bin/pip install --quiet -c "$compat/constraints.txt" "$requirement" \
      || echo "compat: cannot install $requirement (pip's error above): its check is skipped"
  done
fi

inspector=()
if ! command -v npm >/dev/null; then
  echo "compat: npm is not installed: the MCP Inspector check is skipped"
elif npm ci --prefix "$compat" --no-audit --no-fund --loglevel=error; then
  inspector=(--inspector "$compat/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js")
else
  echo "compat: cannot install MCP Inspector (npm's error above): its check is skipped"
fi

.venv-compat/bin/python "$compat/check.py" --make-mcp .venv/bin/make-mcp "${inspector[@]}"
