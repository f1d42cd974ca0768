"""Runs the conformance suite's authorization server scenarios against make-mcp with sign-in on, as the person.

`conformance authorization` prints an authorization URL and waits for a browser to bring the answer to its own
callback (http://127.0.0.1:<port>/callback). This script registers that callback as a client of make-mcp
(`/register`), runs the suite, and plays the browser when the URL appears: make-mcp's consent page (answered
"allow"), Make's authorize page (the sandbox approves at once), make-mcp's callback, then the suite's callback.

    python scripts/conformance_sign_in.py --url http://127.0.0.1:8000 --port 3000 --output-dir DIR -- node .../index.js

Exits with the suite's status.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin

import httpx2


def register(base: str, redirect_uri: str) -> dict[str, str]:
    """A confidential client of make-mcp (client_secret_post), as an MCP client would register itself."""
    metadata = {
        "redirect_uris": [redirect_uri],
        "client_name": "MCP conformance suite",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_post",
    }
    answer = httpx2.post(f"{base}/register", json=metadata, timeout=30)
    answer.raise_for_status()
    return answer.json()


def browse(url: str, redirect_uri: str) -> None:
    """Follows the sign-in as a person's browser would, allowing it, and delivers the answer to `redirect_uri`."""
    with httpx2.Client(follow_redirects=False, timeout=30) as http:
        answer = http.get(url)
        for _ in range(10):
            here = str(answer.request.url)
            if answer.status_code == 200 and "<form" in answer.text:  # make-mcp's consent page
                fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", answer.text))
                action = re.search(r"action='([^']+)'", answer.text)
                if action is None:
                    break
                answer = http.post(urljoin(here, action.group(1)), data={**fields, "decision": "allow"})
                continue
            location = answer.headers.get("location")
            if answer.status_code not in (301, 302, 303, 307) or location is None:
                print(f"sign-in: stopped at {here}: {answer.status_code} {answer.text[:300]}", file=sys.stderr)
                return
            location = urljoin(here, location)
            if location.startswith(redirect_uri):
                http.get(location)  # the suite's callback server checks the answer
                return
            answer = http.get(location)
    print("sign-in: too many redirects", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="make-mcp's public URL (its issuer)")
    parser.add_argument("--port", type=int, required=True, help="port of the suite's callback server")
    parser.add_argument("--output-dir", required=True, help="where the suite saves its checks.json per scenario")
    parser.add_argument("conformance", nargs="+", help="the command that runs the suite")
    args = parser.parse_args()
    output = args.output_dir
    redirect_uri = f"http://127.0.0.1:{args.port}/callback"
    client = register(args.url, redirect_uri)
    command = [
        *args.conformance,
        "authorization",
        "--url",
        args.url,
        "--client-id",
        client["client_id"],
        "--client-secret",
        client["client_secret"],
        "--resource",
        f"{args.url}/mcp",
        "--port",
        str(args.port),
        "--output-dir",
        output,
    ]
    suite = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert suite.stdout is not None
    authorize = f"{args.url}/authorize?"
    for line in suite.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.startswith(authorize):
            threading.Thread(target=browse, args=(line.strip(), redirect_uri), daemon=True).start()
    status = suite.wait()
    # The suite's summary counts warnings (SHOULDs not met) as passed: each check is listed here.
    for checks in sorted(Path(output).glob("*/checks.json")):
        for check in json.loads(checks.read_text()):
            print(
                f"  {check['status']:<8} {check['id']}{': ' + check['errorMessage'] if check.get('errorMessage') else ''}"
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
