"""The sandbox's app catalogue: the apps in apps/*.json, their manifests, RPC options and a ranked search.

The shape served is described field by field in apps/README.md.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

APPS_DIR = Path(__file__).with_name("apps")
# Where each module type is listed in a manifest; every other type (router, iterator ...) is under actions.
SECTIONS = {"search": "searches", "trigger": "triggers", "instant_trigger": "triggers"}
APP_KEYS = ("name", "label", "version", "versions", "description", "theme", "public", "approved")


@dataclass(frozen=True)
class App:
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def versions(self) -> list[int]:
        return self.data["versions"]

    @property
    def modules(self) -> list[dict[str, Any]]:
        return self.data["modules"]

    def module(self, name: str) -> dict[str, Any] | None:
        return next((module for module in self.modules if module["name"] == name), None)

    def rpc(self, name: str) -> dict[str, Any] | None:
        return next((rpc for rpc in self.data["rpcs"] if rpc["name"] == name), None)

    def summary(self) -> dict[str, Any]:
        return {key: self.data[key] for key in APP_KEYS}

    def manifest(self, version: int) -> dict[str, Any]:
        """The answer of GET /imt/apps/{name}/{version}: the app and its modules by section."""
        manifest: dict[str, Any] = {**self.summary(), "version": version, "actions": [], "searches": [], "triggers": []}
        for module in self.modules:
            manifest[SECTIONS.get(module["type"], "actions")].append(module)
        manifest["rpcs"] = [
            {"name": r["name"], "label": r["label"], "account": r["account"]} for r in self.data["rpcs"]
        ]
        return manifest


@functools.cache
def catalogue() -> dict[str, App]:
    apps: dict[str, App] = {}
    for path in sorted(APPS_DIR.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            app = App(json.load(handle))
        apps[app.name] = app
    return apps


def find_app(name: str) -> App | None:
    return catalogue().get(name)


def parse_version(raw: Any) -> int | None:
    """A module or app version as Make writes it: an integer, or its decimal text."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def search(query: str) -> list[tuple[float, App]]:
    """Apps ranked by how well they match the words of the query (all apps, by name, when it is empty)."""
    words = [word for word in re.split(r"[^a-z0-9]+", query.lower()) if word]
    if not words:
        return [(1.0, app) for app in catalogue().values()]
    ranked = [(score, app) for app in catalogue().values() if (score := _score(app, words)) > 0]
    return sorted(ranked, key=lambda pair: (-pair[0], pair[1].name))


def _score(app: App, words: list[str]) -> float:
    name, label = app.name.lower(), app.data["label"].lower()
    description = app.data["description"].lower()
    modules = " ".join(f"{m['name']} {m['label']}".lower() for m in app.modules)
    score = 0.0
    for word in words:
        if word in (name, label):
            score += 10
        elif word in name or word in label:
            score += 5
        elif word in description:
            score += 2
        elif word in modules:
            score += 1
    return round(score / len(words), 2)
