"""Vendors the facts of Make's official tool set (npm @makehq/sdk, `MakeTools`) into tools/spec/official-tools.json.

    .venv/bin/python scripts/official_tools.py [--directory DIR]

Installs the package into a directory outside the repository (bench.py's install, by default in the system's
temporary directory), runs scripts/official_tools_facts.mjs there, which calls every tool with each of its
packaged examples against a recording HTTP server on 127.0.0.1, and keeps only facts: each tool's name,
toolset, scope, annotations, its arguments (name, required-ness, JSON schema without descriptions or titles),
and for each example its arguments and the requests it made (method, path below /api/v2, query pairs in
order, body), and the same for one probe call per tool with every argument set. Needs node and npm; reaches only the npm registry and loopback.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from bench import OFFICIAL_PACKAGES, install_official  # noqa: E402

FACTS_SCRIPT = ROOT / "scripts" / "official_tools_facts.mjs"
OUTPUT = ROOT / "tools" / "spec" / "official-tools.json"
PACKAGE = next(spec for spec in OFFICIAL_PACKAGES if spec.startswith("@makehq/sdk@"))
API_PREFIX = "/api/v2"
RUN_TIMEOUT = 300.0

# JSON Schema keywords kept as facts; prose (description, title) is dropped; any other keyword stops the script
# so that a new package version cannot lose a fact silently.
SCHEMA_FACTS = frozenset(
    {
        "type",
        "enum",
        "const",
        "default",
        "items",
        "properties",
        "required",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "patternProperties",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
    }
)
SCHEMA_PROSE = frozenset({"description", "title"})
ANNOTATIONS = {"readOnlyHint": "readOnly", "destructiveHint": "destructive", "idempotentHint": "idempotent"}


def schema_facts(schema: Mapping[str, Any], where: str) -> dict[str, Any]:
    unknown = set(schema) - SCHEMA_FACTS - SCHEMA_PROSE
    if unknown:
        raise SystemExit(f"official_tools: {where} has schema keywords not handled here: {sorted(unknown)}")
    facts: dict[str, Any] = {}
    for key, value in schema.items():
        if key in SCHEMA_PROSE:
            continue
        if key in ("items", "additionalProperties") and isinstance(value, dict):
            facts[key] = schema_facts(value, f"{where}.{key}")
        elif key in ("properties", "patternProperties"):
            facts[key] = {name: schema_facts(sub, f"{where}.{name}") for name, sub in value.items()}
        elif key in ("oneOf", "anyOf"):
            facts[key] = [schema_facts(sub, f"{where}.{key}[{index}]") for index, sub in enumerate(value)]
        else:
            facts[key] = value
    return facts


def argument_facts(tool: Mapping[str, Any]) -> list[dict[str, Any]]:
    schema = tool["inputSchema"]
    if schema.get("type") != "object" or set(schema) - {"type", "properties", "required"}:
        raise SystemExit(f"official_tools: {tool['name']}'s input schema is not a plain object schema")
    required = set(schema.get("required", []))
    return [
        {"name": name, "required": name in required, "schema": schema_facts(sub, f"{tool['name']}.{name}")}
        for name, sub in schema.get("properties", {}).items()
    ]


def request_facts(request: Mapping[str, Any], tool: str) -> dict[str, Any]:
    path: str = request["path"]
    if not path.startswith(API_PREFIX + "/"):
        raise SystemExit(f"official_tools: {tool} requested {path}, outside {API_PREFIX}")
    facts: dict[str, Any] = {
        "method": request["method"],
        "path": path[len(API_PREFIX) :],
        "query": [list(pair) for pair in request["query"]],
    }
    body = request["body"]
    if body is not None:
        facts["contentType"] = request["contentType"]
        if "json" in body:
            facts["body"] = body["json"]
        elif "base64" in body:
            facts["bodyBase64"] = body["base64"]
        else:
            facts["bodyText"] = body["text"]
    return facts


def tool_facts(tool: Mapping[str, Any]) -> dict[str, Any]:
    annotations = tool.get("annotations") or {}
    return {
        "name": tool["name"],
        "category": tool["category"],
        "scope": tool["scope"],
        **{ours: annotations[theirs] for theirs, ours in ANNOTATIONS.items() if theirs in annotations},
        "arguments": argument_facts(tool),
        "examples": [run_facts(run, tool["name"]) for run in tool["examples"]],
        # Not packaged: every argument set to a distinctive value, to show where each one travels.
        "probe": run_facts(tool["probe"], tool["name"]),
    }


def run_facts(run: Mapping[str, Any], tool: str) -> dict[str, Any]:
    return {
        "arguments": run["arguments"],
        # False when the tool stopped before or between requests (e.g. it refused the example's data).
        "completed": run["error"] is None,
        "requests": [request_facts(request, tool) for request in run["requests"]],
    }


def facts_document(dump: Mapping[str, Any]) -> dict[str, Any]:
    tools = [tool_facts(tool) for tool in dump["tools"]]
    names = [tool["name"] for tool in tools]
    if len(set(names)) != len(names):
        raise SystemExit("official_tools: the package lists a tool name twice")
    return {
        "package": PACKAGE,
        "generatedBy": "scripts/official_tools.py",
        "tools": tools,
    }


def run_examples(directory: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("official_tools: node is needed")
    # Node resolves the script's imports next to the script, so it runs from the install directory.
    shutil.copyfile(FACTS_SCRIPT, directory / FACTS_SCRIPT.name)
    completed = subprocess.run(
        [node, FACTS_SCRIPT.name],
        cwd=directory,
        check=False,
        timeout=RUN_TIMEOUT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(completed.stderr)
    if completed.returncode != 0:
        raise SystemExit(f"official_tools: {FACTS_SCRIPT.name} exited with {completed.returncode}")
    return json.loads(completed.stdout)


def report(dump: Mapping[str, Any]) -> str:
    examples = [run for tool in dump["tools"] for run in tool["examples"]]
    stopped = [
        f"  {tool['name']}{' (probe)' if run is tool['probe'] else ''}: {run['error']}"
        f" after {len(run['requests'])} request(s)"
        for tool in dump["tools"]
        for run in [*tool["examples"], tool["probe"]]
        if run["error"] is not None
    ]
    lines = [f"official_tools: {len(dump['tools'])} tools, {len(examples)} examples", *stopped]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--directory", type=Path, default=Path(tempfile.gettempdir()) / "make-mcp-bench-official")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    install_official(args.directory)
    dump = run_examples(args.directory)
    sys.stderr.write(report(dump))
    args.output.write_text(json.dumps(facts_document(dump), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stderr.write(f"official_tools: wrote {args.output}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
