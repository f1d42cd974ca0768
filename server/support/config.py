"""Settings, from MAKE_* environment variables and the matching command-line flags."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from make_mcp.server.support.scenario_choice import parse_choice

# Make's documented zones: a token is only ever sent to one of these unless the user opts in.
KNOWN_ZONES = (
    "eu1.make.com",
    "eu2.make.com",
    "us1.make.com",
    "us2.make.com",
    "eu1.make.celonis.com",
    "us1.make.celonis.com",
)
MAKE_OAUTH_BASE = "https://www.make.com"

# How tools/list shows the selected tools: core (the default) the everyday ones and three that reach the others,
# full every one, discovery only the three (and the caller's scenario tools).
ToolMode = Literal["core", "full", "discovery"]
TOOL_MODES: tuple[ToolMode, ...] = ("core", "full", "discovery")
# HTTP: which header of the proxy in front tells the caller's address; off: the connecting peer's.
ForwardedHeader = Literal["off", "x-forwarded-for", "forwarded"]


class Settings(BaseModel):
    """`Settings(**given)`: each field not given is read from MAKE_<FIELD> (any case); an empty MAKE_* is unset
    (hosts such as Claude Desktop pass "" for a blank setting). Values from the environment are validated as
    those given are, and so are the defaults."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        hide_input_in_errors=True,  # errors never echo a token
        validate_default=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _environment_underneath(cls, given: Any) -> Any:
        return {**from_environment(cls), **given} if isinstance(given, dict) else given

    api_key: SecretStr | None = Field(default=None, description="Make API token (sent as 'Authorization: Token ...').")
    access_token: SecretStr | None = Field(
        default=None, description="OAuth 2.0 access token (sent as 'Authorization: Bearer ...')."
    )
    zone: str = Field(default="eu1.make.com", description="Make zone host, e.g. eu2.make.com.")
    client_id: str | None = Field(default=None, description="Client ID of your Make OAuth 2.0 client (for login).")
    client_secret: SecretStr | None = Field(
        default=None, description="Client secret of a confidential Make OAuth 2.0 client (for login and renewal)."
    )
    oauth_base: str = Field(
        default=MAKE_OAUTH_BASE, description="Where Make's OAuth 2.0 endpoints live (/oauth/v2/authorize, /token)."
    )
    oauth_redirect_port: int = Field(
        default=8400, ge=0, le=65535, description="Loopback port of the login redirect; 0: any free port."
    )
    token_store: Literal["auto", "keyring", "file"] = Field(
        default="auto", description="Where `make-mcp login` keeps tokens: OS keyring, else a 0600 file (auto)."
    )
    allow_custom_zone: bool = Field(default=False, description="Allow a zone outside Make's documented list.")
    team: int | None = Field(default=None, gt=0, description="Default teamId for tools that need one.")
    organization: int | None = Field(default=None, gt=0, description="Default organizationId for tools that need one.")
    sandbox: bool = Field(default=False, description="Serve against the built-in in-memory sandbox.")
    timeout: float = Field(default=30.0, gt=0, le=600, description="Seconds to wait for Make on each request.")
    max_retries: int = Field(default=3, ge=0, le=10, description="Retries on 429, transport errors and safe 5xx.")
    max_retry_wait: float = Field(default=60.0, ge=0, description="Longest Retry-After the client will wait, seconds.")
    call_deadline: float = Field(
        default=55.0, ge=0, le=3600, description="Seconds one tool call may take with its retries; 0: no deadline."
    )
    rate_limit: int | None = Field(
        default=None,
        ge=0,
        description="Requests per minute this server sends at most; unset: the organization's plan limit; 0: no limit.",
    )
    result_max_chars: int = Field(
        default=25_000, ge=1_000, description="Largest tool result in characters before lists are cut."
    )
    toolsets: str = Field(
        default="default", description="Comma-separated toolsets to offer, 'default' or 'all' (MAKE_TOOLSETS)."
    )
    read_only: bool = Field(default=False, description="Offer and allow only tools that change nothing.")
    tool_mode: ToolMode = Field(
        default="core",
        description="'core' lists at most 40 everyday tools and three that reach the rest; 'full' every tool; "
        "'discovery' only the three.",
    )
    confirm_destructive: bool = Field(
        default=True, description="Destructive tools need the user's confirmation (off: --no-confirm)."
    )
    transport: Literal["stdio", "http"] = "stdio"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    http_stateless: bool = Field(
        default=True, description="HTTP: answer each request on its own, with no session kept between requests."
    )
    http_allowed_hosts: str = Field(
        default="", description="HTTP: comma-separated Host values accepted besides loopback, e.g. mcp.example.com."
    )
    http_allowed_origins: str = Field(
        default="", description="HTTP: comma-separated browser Origins accepted besides loopback ones."
    )
    http_require_client_credentials: bool = Field(
        default=False, description="HTTP: every request must bring its own token; the server's is never lent out."
    )
    http_trust_forwarded: ForwardedHeader = Field(
        default="off",
        description="HTTP: take each caller's address from this header of the proxy in front (its last entry): "
        "x-forwarded-for or forwarded; off: the connecting peer's address.",
    )
    http_lookups_per_address: int = Field(
        default=60, ge=1, description="HTTP: scope lookups of new credentials one client address may cause a minute."
    )
    http_lookups_total: int = Field(
        default=600, ge=1, description="HTTP: scope lookups of new credentials all callers together may cause a minute."
    )
    confirm_secret: SecretStr | None = Field(
        default=None,
        description="Key that signs confirmation tokens; set the same one on every process behind one address.",
    )
    public_url: str | None = Field(
        default=None,
        description="HTTP: the address MCP clients reach this server at; with MAKE_CLIENT_ID they sign in with Make.",
    )
    redis_url: SecretStr | None = Field(
        default=None, description="HTTP: Redis holding the state every instance behind one address shares."
    )
    state_key: SecretStr | None = Field(
        default=None, description="Key that encrypts the Make tokens kept in Redis; the same on every instance."
    )
    profiles_file: Path | None = Field(
        default=None, description="HTTP: a TOML file of profiles, each an endpoint /mcp/<name> with its own tools."
    )
    http_shutdown_timeout: int = Field(
        default=30, ge=0, le=600, description="HTTP: seconds the calls in flight may take to finish after SIGTERM."
    )
    listing_wait: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="stdio: seconds the first tools/list waits for Make to tell the token's scopes; past it every "
        "tool is listed, and tools/list_changed follows once Make answers.",
    )
    http_first_listing_wait: float = Field(
        default=0.5,
        ge=0,
        le=60,
        description="HTTP: seconds a new caller's first tools/list waits for their scenario tools; past it the other "
        "tools are listed, and tools/list_changed follows once the scenario tools are found.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    scenario_tools: str = Field(
        default="auto",
        description="Which scenarios become tools: auto, organization, off, or team:<id>,folder:<id>,scenario:<id>.",
    )
    scenario_file: Path | None = Field(
        default=None, description="TOML file listing the scenarios to offer as tools, and how (curation)."
    )
    scenario_tool_name_max: int = Field(
        default=56, ge=16, le=64, description="Longest name a scenario tool gets, in characters."
    )
    scenario_refresh: float = Field(
        default=300.0, ge=0, description="Seconds after which the scenario tools are discovered again; 0: never."
    )

    @field_validator("zone")
    @classmethod
    def _zone_is_a_host(cls, zone: str) -> str:
        zone = zone.strip().rstrip("/")
        if not zone:
            raise ValueError("must not be empty")
        if zone.startswith(("http://", "https://")):
            parts = urlsplit(zone)
            if not parts.hostname or parts.path or parts.query:
                raise ValueError(f"{zone!r} is not a base address like https://host[:port]")
        elif "/" in zone or " " in zone:
            raise ValueError(f"{zone!r} is not a host name like eu2.make.com")
        return zone

    @field_validator("scenario_tools")
    @classmethod
    def _scenario_tools_is_readable(cls, text: str) -> str:
        parse_choice(text)  # raises ValueError naming what it cannot read
        return text.strip()

    @field_validator("oauth_base")
    @classmethod
    def _oauth_base_is_a_base_address(cls, base: str) -> str:
        base = base.strip().rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
            raise ValueError(f"{base!r} is not a base address like https://www.make.com")
        return base

    @field_validator("api_key", "access_token")
    @classmethod
    def _token_can_travel_in_a_header(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and not is_sendable_token(token.get_secret_value()):
            raise ValueError(
                "holds a line break, space, control or non-ASCII character, which no HTTP header can carry "
                "(often a copy-paste slip); set the token alone"
            )
        return token

    @field_validator("confirm_secret")
    @classmethod
    def _confirm_secret_is_long_enough(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and len(secret.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)")
        return secret

    @field_validator("public_url")
    @classmethod
    def _public_url_is_an_origin(cls, url: str | None) -> str | None:
        if url is None:
            return None
        url = url.strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment:
            raise ValueError(f"{url!r} is not an address like https://mcp.example.com (no path)")
        if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("must be https:// (OAuth sends tokens there); http:// only on loopback")
        return url

    @field_validator("redis_url")
    @classmethod
    def _redis_url_is_a_redis_address(cls, url: SecretStr | None) -> SecretStr | None:
        if url is not None and urlsplit(url.get_secret_value()).scheme not in ("redis", "rediss", "unix"):
            raise ValueError("must be an address like redis://host:6379/0 (or rediss:// for TLS)")
        return url

    @field_validator("state_key")
    @classmethod
    def _state_key_is_long_enough(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None and len(key.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)")
        return key

    @model_validator(mode="after")
    def _zone_is_known_or_allowed(self) -> Settings:
        if not self.sandbox and self.zone not in KNOWN_ZONES and not self.allow_custom_zone:
            raise ValueError(
                f"MAKE_ZONE {self.zone!r} is not one of Make's zones ({', '.join(KNOWN_ZONES)}); "
                "set MAKE_ALLOW_CUSTOM_ZONE=1 (or --allow-custom-zone) to send your token there anyway"
            )
        if self.oauth_base != MAKE_OAUTH_BASE and not self.allow_custom_zone:
            raise ValueError(
                f"MAKE_OAUTH_BASE {self.oauth_base!r} is not Make's ({MAKE_OAUTH_BASE}); "
                "set MAKE_ALLOW_CUSTOM_ZONE=1 (or --allow-custom-zone) to log in there anyway"
            )
        if self.api_key is not None and self.access_token is not None:
            raise ValueError("set either MAKE_API_KEY or MAKE_ACCESS_TOKEN, not both")
        if self.redis_url is not None and self.state_key is None:
            raise ValueError("MAKE_REDIS_URL needs MAKE_STATE_KEY, the key that encrypts the Make tokens kept there")
        if self.public_url is not None and not (self.client_id and self.client_secret):
            raise ValueError(
                "MAKE_PUBLIC_URL signs users in with Make: set MAKE_CLIENT_ID and MAKE_CLIENT_SECRET of the Make "
                "OAuth client registered with the redirect URI <MAKE_PUBLIC_URL>/oauth/callback"
            )
        return self

    @property
    def has_credentials(self) -> bool:
        return self.api_key is not None or self.access_token is not None

    @property
    def base_url(self) -> str:
        root = self.zone if self.zone.startswith(("http://", "https://")) else f"https://{self.zone}"
        return f"{root}/api/v2"

    def authorization_header(self) -> str | None:
        if self.api_key is not None:
            return f"Token {self.api_key.get_secret_value()}"
        if self.access_token is not None:
            return f"Bearer {self.access_token.get_secret_value()}"
        return None


def from_environment(settings: type[BaseModel]) -> dict[str, str]:
    """The MAKE_<FIELD> variables set (not empty) for the fields of `settings`, by field name."""
    environment = {name.lower(): value for name, value in os.environ.items() if value}
    return {field: environment[f"make_{field}"] for field in settings.model_fields if f"make_{field}" in environment}


def is_sendable_token(token: str) -> bool:
    """Whether a token can follow 'Token ' or 'Bearer ' in an Authorization header: printable ASCII, no spaces."""
    return token.isascii() and token.isprintable() and " " not in token


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, naming the environment variable; never echoes secret values."""
    lines: list[str] = []
    for problem in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in problem["loc"])
        where = f"MAKE_{field.upper()}" if field else "settings"
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(lines)
