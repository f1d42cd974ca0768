"""The error tree. Each class decides the message its reader sees.

MakeMcpException                  every failure this server raises on purpose, worded for whoever reads it
├── ConfigurationError            a setting names something that does not exist (start-up stops)
├── LoginError                    `make-mcp login` could not finish
├── Unauthorized                  HTTP: the request has no credential this server may use (answered 401)
└── MakeMcpError                  anything this server reports as a failed tool call
    ├── InvalidArguments          arguments failed validation; no request was sent
    ├── MissingScope              the token lacks a scope the tool needs; no request was sent
    ├── ToolNotAvailable          unknown tool, or hidden by toolsets / read-only mode
    ├── UnusableCredential        the credential cannot travel in an HTTP header; no request was sent
    └── MakeError                 Make answered, or could not be reached
        ├── MakeApiError          Make answered with an error status (body: message, detail, code, suberrors)
        │   ├── AuthenticationFailed  401: token missing, wrong or expired
        │   ├── PermissionDenied      403
        │   ├── NotFound              404
        │   ├── ConfirmationRequired  406 / IM004: repeat with confirmed=true
        │   └── RateLimited           429: carries the wait Make asked for
        ├── MakeUnreachable       timeouts and transport failures after the retries ran out
        │   └── UnreadableAnswer  an answer that cannot be used (too large, wrongly compressed, not JSON)
        └── LoginRequired         the stored OAuth 2.0 login can no longer be renewed
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


class MakeMcpException(Exception):
    """Base of every failure this server raises on purpose; its text never holds a secret."""


class ConfigurationError(MakeMcpException):
    """A setting names something that does not exist (e.g. an unknown toolset)."""


class LoginError(MakeMcpException):
    """`make-mcp login` could not finish; the message says why and what to do (never a secret)."""


class Unauthorized(MakeMcpException):
    """The request has no credential this server may use; `reason` is a short machine-readable word."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class MakeMcpError(MakeMcpException):
    """Base of every error that becomes an `isError` tool result."""

    # What a tool of several requests had done before this error (RequestPort.send's `failure`), said first.
    done_before: str | None = None

    def message(self) -> str:
        return str(self)

    def with_what_was_done(self) -> str:
        return self.message() if self.done_before is None else f"{self.done_before}\n{self.message()}"


class InvalidArguments(MakeMcpError):
    def __init__(self, tool: str, problems: Sequence[str]) -> None:
        self.tool = tool
        self.problems = list(problems)
        super().__init__(f"Invalid arguments for {tool}; nothing was sent to Make:\n" + "\n".join(self.problems))


class MissingScope(MakeMcpError):
    """The token lacks scopes the tool needs. What to do next depends on whose token it is: the server's own is
    read once, at start-up, so the server must be restarted with a new one; a caller's own (sent with each HTTP
    request) is looked at afresh, so the next request with a new token has its scopes."""

    def __init__(
        self, tool: str, missing: Sequence[str], *, granted: Iterable[str] = (), per_request: bool = False
    ) -> None:
        self.tool = tool
        self.missing = list(missing)
        self.per_request = per_request
        scopes = ", ".join(self.missing)
        plural = len(self.missing) > 1
        them = "them" if plural else "it"
        # --scopes asks for exactly what it names, so the command keeps the scopes the token already has.
        login_scopes = " ".join(sorted({*granted, *self.missing}))
        if per_request:
            then = (
                "Then send the new token in the Authorization header: the next request that carries it is served "
                "with its scopes, no restart needed."
            )
        else:
            then = (
                "Then restart this server with the new token (MAKE_API_KEY, or the new login): "
                "it reads its token's scopes only when it starts."
            )
        super().__init__(
            f"{tool} needs the scope{'s' if plural else ''} {scopes}, which this token does not have; "
            "nothing was sent to Make. "
            f"To grant {them}, create a new Make API token that includes {scopes} (Make: Profile > API access), "
            f'or for an OAuth 2.0 login run `make-mcp login --scopes "{login_scopes}"`. {then}'
        )


class ToolNotAvailable(MakeMcpError):
    pass


class UnusableCredential(MakeMcpError):
    """The Authorization header holds what no HTTP header may carry; it is never named."""

    def __init__(self) -> None:
        super().__init__(
            "The Make credential holds a line break, space, control or non-ASCII character, which no HTTP header "
            "can carry (often a copy-paste slip); nothing was sent to Make. Set the token again without it."
        )


@dataclass
class MakeError(MakeMcpError):
    operation: str

    def __post_init__(self) -> None:
        super().__init__(self.message())


@dataclass
class MakeApiError(MakeError):
    status: int
    code: str | None = None
    make_message: str | None = None
    detail: str | None = None
    suberrors: list[str] = field(default_factory=list[str])
    retry_after: float | None = None
    # Set for a request that is not safe to repeat (POST, PATCH): a 5xx does not prove Make did nothing.
    may_have_acted: bool = False
    # For logs, never the model: Make's whole answer (any echoed credential masked) and its request id.
    raw_body: str = field(default="", repr=False)
    request_id: str | None = None

    def hint(self) -> str:
        if self.status >= 500 and self.may_have_acted:
            return (
                "Make had a server-side problem, and the request may have been carried out all the same: "
                "check before repeating it."
            )
        if self.status >= 500 and self.retry_after is not None:
            return f"Make had a server-side problem and asks to wait {self.retry_after:.0f} s before trying again."
        if self.status >= 500:
            return "Make had a server-side problem; try again later."
        if self.status == 400:
            return "Check the arguments against the tool's input schema and Make's message."
        return ""

    def message(self) -> str:
        parts = [f"Make answered {self.status}" + (f" {self.code}" if self.code else "") + f" to {self.operation}"]
        said = " - ".join(p for p in (self.make_message, self.detail) if p)
        if said:
            parts.append(said)
        parts.extend(f"- {sub}" for sub in self.suberrors)
        hint = self.hint()
        if hint:
            parts.append(hint)
        return "\n".join(parts)

    @classmethod
    def from_response(
        cls,
        operation: str,
        status: int,
        body: Any,
        retry_after: float | None = None,
        *,
        may_have_acted: bool = False,
        raw_body: str = "",
        request_id: str | None = None,
    ) -> MakeApiError:
        """Builds the right subclass from Make's error body, whatever shape it has."""
        code = make_message = detail = None
        suberrors: list[str] = []
        if isinstance(body, dict):
            code = _text(body.get("code"))
            make_message = _text(body.get("message"))
            detail = _text(body.get("detail"))
            raw_subs = body.get("suberrors")
            if isinstance(raw_subs, list):
                for sub in raw_subs:
                    text = _text(sub.get("message")) if isinstance(sub, dict) else _text(sub)
                    if text:
                        suberrors.append(text)
        elif isinstance(body, str) and body.strip():
            make_message = _first_line_of_text(body)
        error_class = _class_for(status, code)
        return error_class(
            operation=operation,
            status=status,
            code=code,
            make_message=make_message,
            detail=detail,
            suberrors=suberrors,
            retry_after=retry_after,
            may_have_acted=may_have_acted,
            raw_body=raw_body,
            request_id=request_id,
        )


class AuthenticationFailed(MakeApiError):
    def hint(self) -> str:
        return "The token was refused: check MAKE_API_KEY and that MAKE_ZONE is the zone of your organization."


class PermissionDenied(MakeApiError):
    def hint(self) -> str:
        return "The token or its user may not do this: check the token's scopes and the user's role in the team."


class NotFound(MakeApiError):
    def hint(self) -> str:
        return "Check the IDs; list the parent resource to find valid ones."


class ConfirmationRequired(MakeApiError):
    def hint(self) -> str:
        return "Make asks for confirmation: call again with confirmed=true if the user agrees."


class RateLimited(MakeApiError):
    def hint(self) -> str:
        wait = f"{self.retry_after:.0f} s" if self.retry_after is not None else "a minute"
        return f"The organization's API rate limit is exhausted; wait {wait} before calling again."


@dataclass
class MakeUnreachable(MakeError):
    reason: str = ""

    def message(self) -> str:
        return f"Could not reach Make for {self.operation}: {self.reason}. Check the network and MAKE_ZONE, then retry."


@dataclass
class UnreadableAnswer(MakeUnreachable):
    """Something answered, but not with anything usable: to the caller as good as no answer from Make."""

    # `reason` completes "Make's answer to <operation> ..."
    may_have_acted: bool = False

    def message(self) -> str:
        done = (
            " It was not sent again: it may have been carried out, check before repeating it."
            if self.may_have_acted
            else ""
        )
        return f"Make's answer to {self.operation} {self.reason}.{done}"


@dataclass
class LoginRequired(MakeError):
    """The stored OAuth 2.0 login can no longer be used: the user has to run `make-mcp login` again."""

    reason: str = ""

    def message(self) -> str:
        return f"The Make OAuth 2.0 login can no longer be used: {self.reason}. Run `make-mcp login` again, then retry."


def _class_for(status: int, code: str | None) -> type[MakeApiError]:
    if code == "IM004" or status == 406:
        return ConfirmationRequired
    return {401: AuthenticationFailed, 403: PermissionDenied, 404: NotFound, 429: RateLimited}.get(status, MakeApiError)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _first_line_of_text(body: str) -> str:
    if "<html" in body.lower() or "<!doctype" in body.lower():
        return "an HTML page instead of a JSON error (a proxy or an outage page)"
    return body.strip().splitlines()[0][:300]
