"""The Dockerfile and docker-compose.yml: what they name exists in the project and fits together."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from make_mcp.server.http.remote import HEALTH_PATH
from make_mcp.server.support.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VARIABLES = {f"MAKE_{name.upper()}" for name in Settings.model_fields}


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"(\d+)(s|m)", text).groups()  # pyright: ignore[reportOptionalMemberAccess]
    return float(number) * (60 if unit == "m" else 1)


def test_the_image_copies_what_exists_installs_the_remote_extra_and_starts_the_console_script() -> None:
    copied = re.findall(r"^COPY (.+) \S+$", DOCKERFILE, re.M)
    sources = [source for line in copied for source in line.split()]
    assert sources and all((ROOT / source).exists() for source in sources)
    assert {"server", "tools", "pyproject.toml", "README.md"} <= set(sources)
    assert "remote" in PROJECT["optional-dependencies"] and "'.[remote]'" in DOCKERFILE
    entrypoint = re.search(r'^ENTRYPOINT \["([^"]+)", "serve"\]$', DOCKERFILE, re.M)
    assert entrypoint is not None and entrypoint.group(1) in PROJECT["scripts"]
    assert re.search(r"^USER (?!root)\S+$", DOCKERFILE, re.M)  # not root


def test_the_image_s_settings_are_real_ones_and_its_health_check_asks_the_health_path() -> None:
    named = set(re.findall(r"\b(MAKE_[A-Z_]+)=", DOCKERFILE))
    assert named and named <= VARIABLES
    assert "MAKE_PORT=8000" in DOCKERFILE and "EXPOSE 8000" in DOCKERFILE
    assert f"127.0.0.1:8000{HEALTH_PATH}" in DOCKERFILE


def test_compose_runs_make_mcp_on_redis_with_real_settings_and_a_grace_period_longer_than_the_shutdown() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"make-mcp", "redis"}
    server = services["make-mcp"]
    environment = server["environment"]
    assert set(environment) <= VARIABLES
    assert environment["MAKE_REDIS_URL"] == "redis://redis:6379/0"
    for required in ("MAKE_PUBLIC_URL", "MAKE_CLIENT_ID", "MAKE_CLIENT_SECRET", "MAKE_STATE_KEY"):
        assert str(environment[required]).startswith(f"${{{required}:?"), required  # compose stops if unset
    assert server["depends_on"]["redis"]["condition"] == "service_healthy"
    assert _seconds(server["stop_grace_period"]) > float(environment["MAKE_HTTP_SHUTDOWN_TIMEOUT"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
