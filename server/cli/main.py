"""`make-mcp [serve|sandbox|tools]`: flags mirror the MAKE_* environment variables."""

from __future__ import annotations

import gc

# These imports make long-lived objects and next to no garbage, as the server's do (see _starting): no collection
# runs meanwhile, and what they made is frozen (else the next collection would go through all of it at once).
# Collection is then on or off as before.
_collecting = gc.isenabled()
gc.disable()
try:
    import argparse
    import logging
    import sys
    from collections.abc import Iterator, Sequence
    from contextlib import contextmanager
    from typing import Any

    from pydantic import ValidationError

    from make_mcp.server.errors import LoginError
    from make_mcp.server.protocol.lazy_sdk import defer_package_inits
    from make_mcp.server.support.config import TOOL_MODES, Settings, describe_validation_error
    from make_mcp.server.support.event_loop import run
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

log = logging.getLogger("make_mcp")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="make-mcp", description="MCP server for the Make.com API v2.")
    commands = parser.add_subparsers(dest="command")

    settings_flags = argparse.ArgumentParser(add_help=False)
    settings_flags.add_argument("--sandbox", action="store_true", default=None, help="use the built-in sandbox")
    settings_flags.add_argument("--zone", help="Make zone host, e.g. eu2.make.com (MAKE_ZONE)")
    settings_flags.add_argument("--allow-custom-zone", action="store_true", default=None, help="allow a non-Make host")
    settings_flags.add_argument("--team", type=int, help="default teamId (MAKE_TEAM)")
    settings_flags.add_argument("--organization", type=int, help="default organizationId (MAKE_ORGANIZATION)")
    settings_flags.add_argument("--timeout", type=float, help="seconds per request to Make (MAKE_TIMEOUT)")
    settings_flags.add_argument("--max-retries", type=int, help="retries on 429 and safe failures (MAKE_MAX_RETRIES)")
    settings_flags.add_argument(
        "--rate-limit", type=int, help="requests per minute sent to Make at most; 0: no limit (MAKE_RATE_LIMIT)"
    )
    settings_flags.add_argument("--result-max-chars", type=int, help="largest tool result (MAKE_RESULT_MAX_CHARS)")
    settings_flags.add_argument("--toolsets", help="comma-separated toolsets, 'default' or 'all' (MAKE_TOOLSETS)")
    settings_flags.add_argument("--read-only", action="store_true", default=None, help="only tools that change nothing")
    settings_flags.add_argument(
        "--mode",
        dest="tool_mode",
        choices=TOOL_MODES,
        help="core (default): everyday tools and 3 that reach the rest; full: every tool; discovery: the 3 (MAKE_TOOL_MODE)",
    )
    settings_flags.add_argument(
        "--no-confirm", dest="confirm_destructive", action="store_false", default=None, help="no confirmation step"
    )
    settings_flags.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="stderr log level")

    serve = commands.add_parser("serve", parents=[settings_flags], help="serve MCP over stdio (the default) or HTTP")
    serve.add_argument("--transport", choices=["stdio", "http"], help="stdio (default) or streamable HTTP")
    serve.add_argument("--host", help="HTTP bind address (MAKE_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="HTTP port (MAKE_PORT, default 8000)")
    login = commands.add_parser("login", parents=[settings_flags], help="log in to Make with OAuth 2.0 (PKCE)")
    login.add_argument("--scopes", help="space- or comma-separated scopes to ask for (default: the default toolsets')")
    login.add_argument("--headless", action="store_true", help="print the URL and paste the redirect back")
    login.add_argument("--client-id", help="Client ID of your Make OAuth 2.0 client (MAKE_CLIENT_ID)")
    login.add_argument(
        "--redirect-port",
        dest="oauth_redirect_port",
        type=int,
        help="loopback redirect port (MAKE_OAUTH_REDIRECT_PORT)",
    )
    commands.add_parser("logout", parents=[settings_flags], help="forget the stored OAuth 2.0 tokens")
    tools = commands.add_parser("tools", parents=[settings_flags], help="list the tools this configuration offers")
    tools.add_argument("--json", action="store_true", help="print the tools/list payload as JSON")
    commands.add_parser("doctor", parents=[settings_flags], help="check the zone, the token, its scopes and the tools")
    sandbox = commands.add_parser("sandbox", help="serve the sandbox Make API over HTTP on loopback")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8787)
    sandbox.add_argument("--rate-limit", type=int, default=None, help="requests per minute before 429")
    # Bare `make-mcp --sandbox` means `make-mcp serve --sandbox`.
    for action in settings_flags._actions:  # pyright: ignore[reportPrivateUsage]
        if action.option_strings and action.dest != "help":
            parser._add_action(action)  # pyright: ignore[reportPrivateUsage]
    return parser


def load_settings(flags: dict[str, Any], command: str = "serve") -> Settings:
    """Settings from the environment, overridden by the flags given; exits with one line on error."""
    keys = set(Settings.model_fields)
    overrides = {key: value for key, value in flags.items() if key in keys and value is not None}
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        sys.stderr.write(f"make-mcp: invalid configuration: {describe_validation_error(error)}\n")
        raise SystemExit(2) from None
    if command in ("login", "logout"):
        return settings  # they manage the real account's login: never the sandbox
    # Over HTTP each request may bring its own token, so no server credential is no reason to fall back.
    if not settings.has_credentials and not settings.sandbox and settings.transport == "stdio":
        from make_mcp.server.make_api.auth import has_stored_login

        if has_stored_login(settings):
            return settings
        sys.stderr.write(
            "make-mcp: no MAKE_API_KEY, MAKE_ACCESS_TOKEN or `make-mcp login` found: serving the built-in sandbox.\n"
        )
        settings = settings.model_copy(update={"sandbox": True})
    if settings.sandbox:
        from make_mcp.server.sandbox.demo import DEMO_ORGANIZATION_ID, DEMO_TEAM_ID

        # The demo account's IDs stand in for MAKE_TEAM / MAKE_ORGANIZATION, so a first call needs no lookups.
        defaults = {
            "team": settings.team or DEMO_TEAM_ID,
            "organization": settings.organization or DEMO_ORGANIZATION_ID,
        }
        settings = settings.model_copy(update=defaults)
    return settings


def main(argv: Sequence[str] | None = None) -> None:
    defer_package_inits()  # before anything imports the MCP SDK
    from make_mcp.server.errors import ConfigurationError

    args = _parser().parse_args(argv)
    flags = vars(args)
    command = flags.pop("command") or "serve"
    if command == "sandbox":
        _configure_logging("INFO")
        from make_mcp.server.cli.sandbox import serve_sandbox

        serve_sandbox(args.host, args.port, args.rate_limit)
        return
    settings = load_settings(flags, command)
    _configure_logging(settings.log_level)
    try:
        if command == "doctor":
            from make_mcp.server.cli.doctor import doctor

            if not run(doctor, settings):
                raise SystemExit(1)
        elif command == "login":
            from make_mcp.server.cli.login import login

            run(login, settings, flags.get("scopes"), bool(flags.get("headless")))
        elif command == "logout":
            from make_mcp.server.cli.login import logout

            logout(settings)
        elif command == "tools":
            from make_mcp.server.cli.tools import print_tools

            run(print_tools, settings, bool(flags.get("json")))
        elif settings.transport == "http":
            with _starting():
                from make_mcp.server.http.serve import serve_http
            run(serve_http, settings)
        else:
            with _starting():
                from make_mcp.server.runtime import serve_stdio
            run(serve_stdio, settings)
    except ConfigurationError as error:
        sys.stderr.write(f"make-mcp: invalid configuration: {error}\n")
        raise SystemExit(2) from None
    except LoginError as error:
        sys.stderr.write(f"make-mcp: login failed: {error}\n")
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        pass


@contextmanager
def _starting() -> Iterator[None]:
    """Importing the server makes many objects that live as long as the process (modules, classes, models) and
    almost no garbage: no collection runs meanwhile (they would find nothing, at about a tenth of the start-up's
    time), and what it made is then frozen, so later collections skip it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _configure_logging(level: str) -> None:
    logging.basicConfig(stream=sys.stderr, level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


if __name__ == "__main__":
    main()
