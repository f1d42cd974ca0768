"""Settings, from MAKE_* environment variables and the matching command-line flags."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Make's documented zones: a token is only ever sent to one of these unless the user opts in.
KNOWN_ZONES = (
    "eu1.make.com",
    "eu2.make.com",
    "us1.make.com",
    "us2.make.com",
    "eu1.make.celonis.com",
    "us1.make.celonis.com",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MAKE_", extra="forbid", populate_by_name=True)

    api_key: SecretStr | None = Field(default=None, description="Make API token (sent as 'Authorization: Token ...').")
    access_token: SecretStr | None = Field(
        default=None, description="OAuth 2.0 access token (sent as 'Authorization: Bearer ...')."
    )
    zone: str = Field(default="eu1.make.com", description="Make zone host, e.g. eu2.make.com.")
    allow_custom_zone: bool = Field(default=False, description="Allow a zone outside Make's documented list.")
    team: int | None = Field(default=None, gt=0, description="Default teamId for tools that need one.")
    organization: int | None = Field(default=None, gt=0, description="Default organizationId for tools that need one.")
    sandbox: bool = Field(default=False, description="Serve against the built-in in-memory sandbox.")
    timeout: float = Field(default=30.0, gt=0, le=600, description="Seconds to wait for Make on each request.")
    max_retries: int = Field(default=3, ge=0, le=10, description="Retries on 429, transport errors and safe 5xx.")
    max_retry_wait: float = Field(default=60.0, ge=0, description="Longest Retry-After the client will wait, seconds.")
    result_max_chars: int = Field(
        default=25_000, ge=1_000, description="Largest tool result in characters before lists are cut."
    )
    toolsets: str = Field(
        default="default", description="Comma-separated toolsets to offer, 'default' or 'all' (MAKE_TOOLSETS)."
    )
    read_only: bool = Field(default=False, description="Offer and allow only tools that change nothing.")
    tool_mode: Literal["full", "discovery"] = Field(
        default="full", description="'full' lists every tool; 'discovery' lists three tools that reach them all."
    )
    confirm_destructive: bool = Field(
        default=True, description="Destructive tools need the user's confirmation (off: --no-confirm)."
    )
    transport: Literal["stdio", "http"] = "stdio"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"

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

    @model_validator(mode="after")
    def _zone_is_known_or_allowed(self) -> Settings:
        if not self.sandbox and self.zone not in KNOWN_ZONES and not self.allow_custom_zone:
            raise ValueError(
                f"MAKE_ZONE {self.zone!r} is not one of Make's zones ({', '.join(KNOWN_ZONES)}); "
                "set MAKE_ALLOW_CUSTOM_ZONE=1 (or --allow-custom-zone) to send your token there anyway"
            )
        if self.api_key is not None and self.access_token is not None:
            raise ValueError("set either MAKE_API_KEY or MAKE_ACCESS_TOKEN, not both")
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


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, naming the environment variable; never echoes secret values."""
    lines: list[str] = []
    for problem in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in problem["loc"])
        where = f"MAKE_{field.upper()}" if field else "settings"
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(lines)
