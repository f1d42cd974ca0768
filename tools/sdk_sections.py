"""Hand-written SDK tools: writing any section of a custom app's module from its JSONC text.

`sdk-modules_set-section` is the official tool set's name for the section writes the reference documents one
by one (PUT .../modules/{SDK_moduleName}/api, .../epoch ...; .../expect is a value of the documented
PUT .../modules/{SDK_moduleName}/{SDK_moduleConsumable}). It sends the one request of the chosen section,
with the text as the whole body, as the per-section tools do.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field

from make_mcp.tools.catalogue import MakeInput, Operation, PathParam, RequestPort, Step, WholeBody

ModuleSection = Literal["api", "epoch", "parameters", "expect", "interface", "samples", "scope"]
MODULE = "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}"
JSONC = "application/jsonc"

SECTION_STEPS: dict[str, Step] = {
    section: Step("PUT", f"{MODULE}/{section}", ("sdk-apps:write",)) for section in get_args(ModuleSection)
}


class SdkModulesSetSectionInput(MakeInput):
    appName: Annotated[str, PathParam("SDK_appName")] = Field(description="From sdk-apps_list.")
    appVersion: Annotated[int, PathParam("SDK_appVersion")]
    moduleName: Annotated[str, PathParam("SDK_moduleName")] = Field(description="From sdk-modules_list.")
    section: Annotated[ModuleSection, PathParam()]
    body: Annotated[str, WholeBody(JSONC)] = Field(
        description="The section's whole new content: JSON text, comments allowed (JSONC)."
    )


async def set_section(arguments: SdkModulesSetSectionInput, port: RequestPort) -> Any:
    ids = {
        "SDK_appName": arguments.appName,
        "SDK_appVersion": arguments.appVersion,
        "SDK_moduleName": arguments.moduleName,
    }
    return await port.send(
        SECTION_STEPS[arguments.section], ids, content=arguments.body.encode("utf-8"), content_type=JSONC
    )


async def _set_section(arguments: Any, port: RequestPort) -> Any:
    return await set_section(arguments, port)


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        name="sdk-modules_set-section",
        title="Set a section of an SDK app module",
        description="Replace one section of a custom app's module (api, epoch, parameters, expect, interface, "
        "samples or scope) with the given JSONC text, as it is.",
        toolset="sdk-apps",
        method="PUT",
        path=f"{MODULE}/{{section}}",
        scopes=("sdk-apps:write",),
        input_model=SdkModulesSetSectionInput,
        read_only=False,
        destructive=False,
        idempotent=True,
        response_key=None,
        open_world=True,
        steps=tuple(SECTION_STEPS.values()),
        run=_set_section,
    ),
)
