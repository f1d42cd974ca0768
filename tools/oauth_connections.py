"""OAuth 2.0 connections, checked before anything is sent: hand-written declarations in the generated format.

- `connections_create-http-oauth2` creates the HTTP app's OAuth 2.0 connection (POST /connections with
  accountType `oauth2`): flow type, authorize and token URIs, scopes and their separator, client
  credentials, extra authorize / token / refresh parameters, custom headers, and where the token goes.
  The body's field names are those Make's connection takes (flowType, authorizeUri, tokenUri, scope,
  scopeSeparator, clientId, clientSecret, tokenPlacement, tokenName, additionalAuthorizeParams ...).
- `sdk-connections_get-oauth2` / `sdk-connections_set-oauth2` read and replace the communication (the
  `api` section) of a custom app's OAuth 2.0 connection. Before upload, the custom-apps rules for OAuth
  2.0 connections are checked: the steps are preauthorize, authorize, token, info, refresh and
  invalidate; the aws and pagination directives and response.limit, response.iterate and
  response.output are not available there, while response.data and response.expires are; and without
  an authorize step the token step must have `condition: true`, or it never runs.

Both wrap documented operations (they reuse their paths, scopes and output schemas), so their names
differ from the generic tools of the same paths (`connections_create`, `sdk-connections_set-section`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, LiteralString
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator, with_config
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from make_mcp.tools import connections, sdk_apps
from make_mcp.tools.catalogue import BodyField, MakeInput, Operation, PathParam, QueryParam

# --- The HTTP app's OAuth 2.0 connection -----------------------------------------------------------------

# Make fills these in itself; overriding them through the extra parameters would break the flow.
RESERVED_PARAMETERS = {
    "additionalAuthorizeParams": frozenset({"client_id", "redirect_uri", "response_type", "state", "scope"}),
    "additionalTokenParams": frozenset({"grant_type", "code", "client_id", "client_secret", "redirect_uri"}),
    "additionalRefreshParams": frozenset({"grant_type", "refresh_token", "client_id", "client_secret"}),
}
HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
SEPARATOR_WORDS = {"space": " ", "comma": ","}


def _untitled(schema: dict[str, Any]) -> None:
    schema.pop("title", None)  # as the advertised schemas of models are


@with_config(ConfigDict(extra="forbid", json_schema_extra=_untitled))
class Pair(TypedDict):
    name: str
    value: str


def _problem(kind: LiteralString, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, "{reason}", {"reason": message})


def _https_address(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or any(ch.isspace() for ch in value):
        raise _problem("oauth_uri", "must be the provider's https:// address (OAuth 2.0 endpoints require TLS)")
    if parts.fragment:
        raise _problem("oauth_uri", "must not have a #fragment")
    return value


def _checked_pairs(pairs: list[Pair], reserved: frozenset[str], what: str) -> list[Pair]:
    seen: set[str] = set()
    for pair in pairs:
        name = pair["name"].strip()
        if not name:
            raise _problem("oauth_parameter", f"every {what} needs a name")
        if name.lower() in reserved:
            raise _problem(
                "oauth_parameter", f"{name!r} is set by Make itself in this request; leave it out of the {what}s"
            )
        if name in seen:
            raise _problem("oauth_parameter", f"{name!r} is given twice")
        if any(ch in pair["value"] for ch in "\r\n\x00"):
            raise _problem("oauth_parameter", f"the value of {name!r} must be a single line")
        seen.add(name)
    return pairs


class ConnectionsCreateHttpOauth2Input(MakeInput):
    teamId: Annotated[int, QueryParam()] = Field(description="From teams_list.")
    accountName: Annotated[str, BodyField()] = Field(
        min_length=1, max_length=128, description="Name of the new connection."
    )
    accountType: Annotated[Literal["oauth2"], BodyField()] = Field(
        default="oauth2", description="The HTTP app's OAuth 2.0 connection type."
    )
    flowType: Annotated[Literal["authorizationCode", "implicit"], BodyField()] = Field(
        default="authorizationCode",
        description="authorizationCode (needs authorizeUri and tokenUri) or implicit (authorizeUri only).",
    )
    authorizeUri: Annotated[str, BodyField()] = Field(description="The provider's authorization endpoint (https).")
    tokenUri: Annotated[str | None, BodyField()] = Field(
        default=None,
        validate_default=True,
        description="The provider's token endpoint (https); required by authorizationCode, not used by implicit.",
    )
    scopeSeparator: Annotated[Literal[" ", ","], BodyField()] = Field(
        default=" ", description="How scopes are joined in the authorize request: ' ' (standard; or 'space') or ','."
    )
    scope: Annotated[list[str], BodyField()] = Field(
        default_factory=list[str],
        description="Scopes to ask the provider for; a list, or one string separated by spaces or commas.",
    )
    clientId: Annotated[str, BodyField()] = Field(min_length=1, description="Client ID from the provider's app.")
    clientSecret: Annotated[str | None, BodyField()] = Field(
        default=None, min_length=1, description="Client secret from the provider's app."
    )
    additionalAuthorizeParams: Annotated[list[Pair] | None, BodyField()] = Field(
        default=None, description="Extra query parameters of the authorize request."
    )
    additionalTokenParams: Annotated[list[Pair] | None, BodyField()] = Field(
        default=None, description="Extra parameters of the access token request (authorizationCode only)."
    )
    additionalRefreshParams: Annotated[list[Pair] | None, BodyField()] = Field(
        default=None, description="Extra parameters of the refresh token request (authorizationCode only)."
    )
    tokenPlacement: Annotated[Literal["header", "qs", "both"], BodyField()] = Field(
        default="header", description="Where requests carry the access token: header, qs (query string) or both."
    )
    customHeaders: Annotated[list[Pair] | None, BodyField()] = Field(
        default=None, description="Extra headers sent with the token requests."
    )
    tokenName: Annotated[str, BodyField()] = Field(
        default="Bearer", description="Name of the token in the Authorization header (default Bearer)."
    )

    @field_validator("authorizeUri")
    @classmethod
    def _authorize_uri(cls, value: str) -> str:
        return _https_address(value)

    @field_validator("tokenUri")
    @classmethod
    def _token_uri_fits_the_flow(cls, value: str | None, info: ValidationInfo) -> str | None:
        flow = info.data.get("flowType")
        if flow == "authorizationCode" and value is None:
            raise _problem("oauth_flow", "is required by the authorizationCode flow (the code is exchanged there)")
        if flow == "implicit" and value is not None:
            raise _problem("oauth_flow", "is not used by the implicit flow, which has no token request; leave it out")
        return value if value is None else _https_address(value)

    @field_validator("scopeSeparator", mode="before")
    @classmethod
    def _separator_words(cls, value: Any) -> Any:
        return SEPARATOR_WORDS.get(value, value) if isinstance(value, str) else value

    @field_validator("scope", mode="before")
    @classmethod
    def _scope_text(cls, value: Any) -> Any:
        return value.replace(",", " ").split() if isinstance(value, str) else value

    @field_validator("scope")
    @classmethod
    def _scope_items(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for scope in value:
            if not scope or any(ch.isspace() for ch in scope):
                raise _problem("oauth_scope", f"{scope!r} is not a scope: scopes are single words")
            if info.data.get("scopeSeparator") == "," and "," in scope:
                raise _problem("oauth_scope", f"{scope!r} holds the separator ','; use scopeSeparator ' '")
        if len(set(value)) != len(value):
            raise _problem("oauth_scope", "names a scope twice")
        return value

    @field_validator("additionalAuthorizeParams")
    @classmethod
    def _authorize_parameters(cls, value: list[Pair] | None) -> list[Pair] | None:
        return (
            None
            if value is None
            else _checked_pairs(value, RESERVED_PARAMETERS["additionalAuthorizeParams"], "parameter")
        )

    @field_validator("additionalTokenParams", "additionalRefreshParams")
    @classmethod
    def _token_parameters(cls, value: list[Pair] | None, info: ValidationInfo) -> list[Pair] | None:
        if value is None:
            return None
        if info.data.get("flowType") == "implicit":
            raise _problem("oauth_flow", "the implicit flow has no token or refresh request; leave it out")
        assert info.field_name is not None
        return _checked_pairs(value, RESERVED_PARAMETERS[info.field_name], "parameter")

    @field_validator("customHeaders")
    @classmethod
    def _headers(cls, value: list[Pair] | None, info: ValidationInfo) -> list[Pair] | None:
        if value is None:
            return None
        for pair in value:
            if not HEADER_NAME.match(pair["name"]):
                raise _problem("oauth_header", f"{pair['name']!r} is not a valid HTTP header name")
        carries_token = info.data.get("tokenPlacement") in ("header", "both")
        reserved = frozenset({"authorization"}) if carries_token else frozenset[str]()
        return _checked_pairs(value, reserved, "header")

    @field_validator("tokenName")
    @classmethod
    def _token_name(cls, value: str) -> str:
        if not value or any(ch.isspace() or ord(ch) < 32 for ch in value):
            raise _problem("oauth_token_name", "must be one word, e.g. Bearer")
        return value


# --- A custom app's OAuth 2.0 connection: its communication ----------------------------------------------

STEPS = ("preauthorize", "authorize", "token", "info", "refresh", "invalidate")
NOT_AVAILABLE = {
    "aws": "requests of a connection cannot be signed with the aws directive",
    "pagination": "a connection's requests fetch no pages",
}
NOT_AVAILABLE_IN_RESPONSE = {
    "limit": "a connection's requests return no list to limit",
    "iterate": "a connection's requests return no list to iterate",
    "output": "use response.data to keep values on the connection",
}
TRUE_CONDITIONS = (True, "true", "{{true}}")

Step = dict[str, Any] | list[dict[str, Any]]


def _requests_of(value: Step) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        return [("", value)]
    return [(f"[{index}]", request) for index, request in enumerate(value)]


def _check_step(step: str, value: Step) -> Step:
    if isinstance(value, list) and not value:
        raise _problem("oauth_step", "holds no request; leave the step out instead")
    for where, request in _requests_of(value):
        for directive, why in NOT_AVAILABLE.items():
            if directive in request:
                raise _problem(
                    "oauth_directive",
                    f"the {directive} directive is not available in an OAuth 2.0 connection "
                    f"(found in {step}{where}): {why}; remove it",
                )
        response = request.get("response")
        if response is None:
            continue
        if not isinstance(response, dict):
            raise _problem("oauth_directive", f"{step}{where}.response must be an object of directives")
        for directive, why in NOT_AVAILABLE_IN_RESPONSE.items():
            if directive in response:
                raise _problem(
                    "oauth_directive",
                    f"response.{directive} is not available in an OAuth 2.0 connection "
                    f"(found in {step}{where}): {why}; remove it",
                )
    return value


def _step_field(what: str) -> Any:
    return Field(default=None, description=f"{what} A request specification, or a list of them.")


class SdkConnectionsGetOauth2Input(MakeInput):
    connectionName: Annotated[str, PathParam("SDK_connectionName")] = Field(
        description="Name of the custom app's connection (sdk-connections_list)."
    )


class SdkConnectionsSetOauth2Input(MakeInput):
    connectionName: Annotated[str, PathParam("SDK_connectionName")] = Field(
        description="Name of the custom app's OAuth 2.0 connection (sdk-connections_list)."
    )
    preauthorize: Annotated[Step | None, BodyField()] = _step_field("Request made before authorize.")
    authorize: Annotated[Step | None, BodyField()] = _step_field("Sends the user to the provider's consent page.")
    token: Annotated[Step | None, BodyField()] = _step_field(
        "Exchanges the code or credentials for tokens; without authorize it needs condition: true."
    )
    info: Annotated[Step | None, BodyField()] = _step_field("Checks the connection and reads account metadata.")
    refresh: Annotated[Step | None, BodyField()] = _step_field("Renews the access token.")
    invalidate: Annotated[Step | None, BodyField()] = _step_field("Revokes the access token.")

    @field_validator(*STEPS)
    @classmethod
    def _available_directives(cls, value: Step | None, info: ValidationInfo) -> Step | None:
        assert info.field_name is not None
        return None if value is None else _check_step(info.field_name, value)

    @model_validator(mode="after")
    def _flow_can_run(self) -> SdkConnectionsSetOauth2Input:
        if all(getattr(self, step) is None for step in STEPS):
            raise _problem("oauth_step", f"the communication is empty: give at least one of {', '.join(STEPS)}")
        if self.authorize is None and self.token is not None:
            for where, request in _requests_of(self.token):
                if request.get("condition") not in TRUE_CONDITIONS:
                    raise _problem(
                        "oauth_condition",
                        f"token{where}.condition must be true when there is no authorize step, "
                        "or Make never runs the token request",
                    )
        return self


# --- The operations --------------------------------------------------------------------------------------


def _documented(operations: tuple[Operation, ...], method: str, path: str) -> Operation:
    return next(op for op in operations if (op.method, op.path) == (method, path))


_CREATE_CONNECTION = _documented(connections.OPERATIONS, "POST", "/connections")
_SECTION = "/sdk/apps/connections/{SDK_connectionName}/{SDK_connectionSection}"
_GET_SECTION = _documented(sdk_apps.OPERATIONS, "GET", _SECTION)
_SET_SECTION = _documented(sdk_apps.OPERATIONS, "PUT", _SECTION)
_API_SECTION = "/sdk/apps/connections/{SDK_connectionName}/api"

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        name="connections_create-http-oauth2",
        title="Create HTTP OAuth 2.0 connection",
        description=(
            "Create an OAuth 2.0 connection for the HTTP app (accountType oauth2) in a team, checked first: "
            "authorizationCode needs tokenUri, implicit takes no token settings; endpoints are https; Make's own "
            "parameters cannot be overridden. The provider's app must allow the redirect URI "
            "https://www.integromat.com/oauth/cb/oauth2, and the user still authorizes the connection in Make."
        ),
        toolset="connections",
        method="POST",
        path="/connections",
        scopes=_CREATE_CONNECTION.scopes,
        input_model=ConnectionsCreateHttpOauth2Input,
        read_only=False,
        destructive=False,
        idempotent=False,
        response_key=_CREATE_CONNECTION.response_key,
        open_world=True,
        output_schema=_CREATE_CONNECTION.output_schema,
    ),
    Operation(
        name="sdk-connections_get-oauth2",
        title="Get SDK app OAuth 2.0 communication",
        description=(
            "Get the communication (api section) of a custom app's OAuth 2.0 connection: its preauthorize, "
            "authorize, token, info, refresh and invalidate steps."
        ),
        toolset="sdk-apps",
        method="GET",
        path=_API_SECTION,
        scopes=_GET_SECTION.scopes,
        input_model=SdkConnectionsGetOauth2Input,
        read_only=True,
        destructive=False,
        idempotent=True,
        response_key=None,
        open_world=True,
        output_schema=_GET_SECTION.output_schema,
    ),
    Operation(
        name="sdk-connections_set-oauth2",
        title="Set SDK app OAuth 2.0 communication",
        description=(
            "Replace the communication (api section) of a custom app's OAuth 2.0 connection, checked first: "
            "no aws or pagination directive and no response.limit, response.iterate or response.output "
            "(response.data and response.expires are fine); without authorize, token needs condition: true."
        ),
        toolset="sdk-apps",
        method="PUT",
        path=_API_SECTION,
        scopes=_SET_SECTION.scopes,
        input_model=SdkConnectionsSetOauth2Input,
        read_only=False,
        destructive=False,
        idempotent=True,
        response_key=_SET_SECTION.response_key,
        open_world=True,
        output_schema=_SET_SECTION.output_schema,
    ),
)
