"""Endpoints per team over HTTP: profiles from a TOML file (MAKE_PROFILES_FILE), each served at /mcp/<name>.

    [profiles.marketing]
    toolsets = "scenarios,data-stores"
    read_only = true

    [profiles.ops]
    toolsets = "all"
    tool_mode = "discovery"

    [profiles.sales]
    toolsets = "scenarios"
    scenario_tools = "folder:12"

A profile changes only what its endpoint offers: its toolsets, the read-only flag, the tool mode and which
scenarios become tools (`scenario_tools`, `scenario_file`: as MAKE_SCENARIO_TOOLS and MAKE_SCENARIO_FILE).
Everything else (the zone, credentials, sign-in, limits) is the server's. /mcp itself keeps the server's own
settings.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from starlette.types import ASGIApp, Receive, Scope, Send

from make_mcp.server.errors import ConfigurationError
from make_mcp.server.support.config import Settings, ToolMode
from make_mcp.server.support.scenario_choice import parse_choice

PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class ProfilesError(ConfigurationError):
    """The profiles file cannot be used; the message names the file and the problem."""


class ProfileSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    toolsets: str | None = None
    read_only: bool | None = None
    tool_mode: ToolMode | None = None
    scenario_tools: str | None = None
    scenario_file: Path | None = None

    @field_validator("scenario_tools")
    @classmethod
    def _scenario_tools_is_readable(cls, text: str | None) -> str | None:
        if text is not None:
            parse_choice(text)  # raises ValueError naming what it cannot read, as the setting does
        return None if text is None else text.strip()


@dataclass(frozen=True)
class Profile:
    name: str
    changes: ProfileSettings

    @property
    def path(self) -> str:
        return f"/mcp/{self.name}"

    def apply(self, settings: Settings) -> Settings:
        return settings.model_copy(update=self.changes.model_dump(exclude_none=True))


def load_profiles(path: Path) -> list[Profile]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfilesError(f"MAKE_PROFILES_FILE {path}: cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise ProfilesError(f"MAKE_PROFILES_FILE {path}: not valid TOML ({error})") from None
    unknown = sorted(set(document) - {"profiles"})
    tables = document.get("profiles", {})
    if unknown or not isinstance(tables, dict) or not tables:
        raise ProfilesError(f"MAKE_PROFILES_FILE {path}: expected [profiles.<name>] tables and nothing else")
    profiles: list[Profile] = []
    for name, table in tables.items():  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(name, str) or not PROFILE_NAME.match(name):
            raise ProfilesError(f"MAKE_PROFILES_FILE {path}: profile name {name!r} must be 1-40 of a-z, 0-9 and -")
        try:
            changes = ProfileSettings.model_validate(table)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in problem['loc']) or 'table'}: {problem['msg']}"
                for problem in error.errors(include_url=False, include_input=False)
            )
            raise ProfilesError(f"MAKE_PROFILES_FILE {path}: profile {name!r}: {problems}") from None
        profiles.append(Profile(name, changes))
    return profiles


ENDPOINT_KEY = "make_mcp.endpoint"  # the path a request came to, before ServedAt hands it on


class ServedAt:
    """Hands an endpoint mounted at a profile's path to an app that answers at `path` (the MCP app's /mcp)."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            endpoint = scope["path"]
            scope = {**scope, "path": self.path, "raw_path": self.path.encode(), ENDPOINT_KEY: endpoint}
        await self.app(scope, receive, send)
