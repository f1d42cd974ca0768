"""The MCP requests besides tools and tasks: resources, resource templates, prompts and completions, each acting
for the caller of the request (their runner and credential); and the subscriptions to resources."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.shared.exceptions import MCPError

from make_mcp.server.engine.call import Caller
from make_mcp.server.protocol import prompts, resources
from make_mcp.server.protocol.announcer import Announcer, TooManySubscriptions
from make_mcp.server.protocol.completions import Completer

if TYPE_CHECKING:
    from mcp.server.lowlevel import Server

    from make_mcp.server.protocol.runner import ToolRunner

INVALID_PARAMS = -32602
RESOURCE_NOT_FOUND = -32002

ActingFor = Callable[[ServerRequestContext[Any]], Awaitable[tuple["ToolRunner", Caller]]]
AnnouncerFor = Callable[[ServerRequestContext[Any]], Awaitable[Announcer]]


def add_surface(server: Server[Any], acting_for: ActingFor, completer: Completer | None = None) -> None:
    completer = completer or Completer()

    async def list_resources(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams
    ) -> types.ListResourcesResult:
        runner, caller = await acting_for(ctx)
        return types.ListResourcesResult(resources=await resources.listed_resources(runner, caller))

    async def list_templates(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=[t.definition() for t in resources.TEMPLATES])

    async def read_resource(
        ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        runner, caller = await acting_for(ctx)
        try:
            return await resources.read(runner, caller, str(params.uri))
        except resources.ResourceUnavailable as error:
            raise MCPError(code=RESOURCE_NOT_FOUND, message=str(error)) from None

    async def list_prompts(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams
    ) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=[recipe.definition() for recipe in prompts.PROMPTS])

    async def get_prompt(ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams) -> types.GetPromptResult:
        try:
            return prompts.render(params.name, params.arguments)
        except prompts.PromptUnavailable as error:
            raise MCPError(code=INVALID_PARAMS, message=str(error)) from None

    async def complete(ctx: ServerRequestContext[Any], params: types.CompleteRequestParams) -> types.CompleteResult:
        runner, caller = await acting_for(ctx)
        context = params.context.arguments if params.context is not None and params.context.arguments else {}
        completion = await completer.complete(runner, caller, params.argument.name, params.argument.value, context)
        return types.CompleteResult(completion=completion)

    handlers: list[tuple[str, Any, Any]] = [
        ("resources/list", types.PaginatedRequestParams, list_resources),
        ("resources/templates/list", types.PaginatedRequestParams, list_templates),
        ("resources/read", types.ReadResourceRequestParams, read_resource),
        ("prompts/list", types.PaginatedRequestParams, list_prompts),
        ("prompts/get", types.GetPromptRequestParams, get_prompt),
        ("completion/complete", types.CompleteRequestParams, complete),
    ]
    for method, params_type, handler in handlers:
        server.add_request_handler(method, params_type, handler)


def add_subscriptions(server: Server[Any], announcer_for: AnnouncerFor) -> None:
    """resources/subscribe and resources/unsubscribe (2025-11-25 era): the request's connection hears
    notifications/resources/updated when the resource changes through its caller's own calls and tasks."""

    async def subscribe(ctx: ServerRequestContext[Any], params: types.SubscribeRequestParams) -> types.EmptyResult:
        uri = str(params.uri)
        if not resources.served(uri):
            message = f"No resource at {uri}; resources/templates/list gives the addresses served."
            raise MCPError(code=RESOURCE_NOT_FOUND, message=message)
        try:
            (await announcer_for(ctx)).subscribe(ctx, uri)
        except TooManySubscriptions as error:
            raise MCPError(code=INVALID_PARAMS, message=str(error)) from None
        return types.EmptyResult()

    async def unsubscribe(ctx: ServerRequestContext[Any], params: types.UnsubscribeRequestParams) -> types.EmptyResult:
        (await announcer_for(ctx)).unsubscribe(ctx, str(params.uri))
        return types.EmptyResult()

    server.add_request_handler("resources/subscribe", types.SubscribeRequestParams, subscribe)
    server.add_request_handler("resources/unsubscribe", types.UnsubscribeRequestParams, unsubscribe)
