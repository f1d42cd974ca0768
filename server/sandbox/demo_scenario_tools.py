"""Demo scenarios that agents can run as tools: active, on-demand, with real interfaces and computed outputs.

In the "Marketing" team (201), after the seed of demo.py (so they take the next IDs, 404 onwards):
- "Score a lead" (404): every common input type (text, email, number, integer, boolean, date, a select with a
  nested field, a nested collection, an array of collections); outputs a score, a tier and the reasons.
- "Generate weekly report" (405): outlasts Make's responsive window (3 minutes on the sandbox's clock); while it
  runs a second run is refused.
- "Archive stale leads" (406): on-demand but inactive.
- "Sync CRM contacts" (407): active on-demand, but its interface fails to load.

`seed_on_demand_scenarios` adds any number of simple callable scenarios, for benchmarks.
"""

from __future__ import annotations

import hashlib
from typing import Any

from make_mcp.server.sandbox.resources_scenarios import add_scenario
from make_mcp.server.sandbox.state import ID_BASES, RunPlan, SandboxState

DEMO_TEAM_ID = ID_BASES["team"]
ON_DEMAND = {"type": "on-demand"}
WEEKLY_REPORT_SECONDS = 180.0


def _flow(name: str, *modules: str) -> dict[str, Any]:
    flow = [
        {"id": number, "module": module, "version": 1, "parameters": {}, "mapper": {}}
        for number, module in enumerate(modules, start=1)
    ]
    return {"name": name, "flow": flow, "metadata": {"version": 1, "scenario": {"roundtrips": 1, "sequential": True}}}


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def score_lead(data: dict[str, Any]) -> dict[str, Any]:
    """The lead scorer's outputs, from whatever inputs came (Make passes inputs on as given)."""
    score, reasons = 10, ["base score 10"]
    employees = _number(data.get("employees"))
    for floor, points in ((500, 30), (50, 20), (10, 10)):
        if employees >= floor:
            score += points
            reasons.append(f"{floor}+ employees: +{points}")
            break
    budget = _number(data.get("budget"))
    for floor, points in ((10_000, 25), (1_000, 10)):
        if budget >= floor:
            score += points
            reasons.append(f"budget of {floor}+: +{points}")
            break
    source_points = {"referral": 15, "event": 10}.get(str(data.get("source")), 0)
    if source_points:
        score += source_points
        reasons.append(f"{data.get('source')} lead: +{source_points}")
    if data.get("subscribed") is True:
        score += 5
        reasons.append("newsletter subscriber: +5")
    interactions = data.get("interactions")
    items = [i for i in interactions if isinstance(i, dict)] if isinstance(interactions, list) else []
    if items:
        points = min(5 * len(items), 20)
        score += points
        reasons.append(f"{len(items)} interactions: +{points}")
    if any(item.get("channel") == "meeting" for item in items):
        score += 10
        reasons.append("met in person: +10")
    score = min(score, 100)
    tier = "hot" if score >= 60 else "warm" if score >= 30 else "cold"
    email = str(data.get("email") or "")
    crm_id = "lead-" + hashlib.sha256(email.encode()).hexdigest()[:8]
    return {"score": score, "tier": tier, "reasons": reasons, "crmId": crm_id}


def weekly_report(data: dict[str, Any]) -> dict[str, Any]:
    recipients = data.get("recipients")
    count = len(recipients) if isinstance(recipients, list) else 0
    week = str(data.get("weekStart") or "latest")
    extension = "html" if data.get("format") == "html" else "pdf"
    return {"reportUrl": f"https://reports.example.com/weekly/{week}.{extension}", "pages": 12, "recipients": count}


LEAD_INPUTS: list[dict[str, Any]] = [
    {"name": "name", "type": "text", "label": "Full name", "help": "The lead's first and last name.", "required": True},
    {"name": "email", "type": "email", "label": "Email", "required": True},
    {"name": "company", "type": "text", "label": "Company"},
    {
        "name": "employees",
        "type": "uinteger",
        "label": "Company size",
        "help": "Number of employees.",
        "validate": {"min": 1, "max": 1_000_000},
    },
    {"name": "budget", "type": "number", "label": "Budget (EUR)", "validate": {"min": 0}},
    {"name": "subscribed", "type": "boolean", "label": "Newsletter subscriber", "default": False},
    {"name": "firstContact", "type": "date", "label": "First contact"},
    {
        "name": "source",
        "type": "select",
        "label": "Lead source",
        "default": "web",
        "options": [
            {"label": "Website form", "value": "web"},
            {
                "label": "Referral",
                "value": "referral",
                "nested": [{"name": "referrer", "type": "text", "label": "Referred by"}],
            },
            {"label": "Trade fair or event", "value": "event"},
        ],
    },
    {
        "name": "address",
        "type": "collection",
        "label": "Address",
        "spec": [
            {"name": "street", "type": "text", "label": "Street"},
            {"name": "city", "type": "text", "label": "City", "required": True},
            {
                "name": "country",
                "type": "select",
                "label": "Country",
                "options": [
                    {"label": label, "value": code}
                    for code, label in (("CZ", "Czechia"), ("DE", "Germany"), ("FR", "France"), ("US", "United States"))
                ],
            },
        ],
    },
    {
        "name": "interactions",
        "type": "array",
        "label": "Past interactions",
        "validate": {"max": 20},
        "spec": [
            {
                "name": "channel",
                "type": "select",
                "label": "Channel",
                "required": True,
                "options": [
                    {"label": "Email", "value": "email"},
                    {"label": "Call", "value": "call"},
                    {"label": "Meeting", "value": "meeting"},
                ],
            },
            {"name": "date", "type": "date", "label": "When"},
            {"name": "note", "type": "text", "label": "Note", "multiline": True},
        ],
    },
]
LEAD_OUTPUTS: list[dict[str, Any]] = [
    {"name": "score", "type": "integer", "label": "Score (0-100)"},
    {"name": "tier", "type": "text", "label": "Tier: hot, warm or cold"},
    {"name": "reasons", "type": "array", "label": "Why", "spec": {"type": "text"}},
    {"name": "crmId", "type": "text", "label": "CRM record"},
]
REPORT_INPUTS: list[dict[str, Any]] = [
    {"name": "weekStart", "type": "date", "label": "Week starting", "required": True},
    {
        "name": "format",
        "type": "select",
        "label": "Format",
        "default": "pdf",
        "options": [{"label": "PDF", "value": "pdf"}, {"label": "Web page", "value": "html"}],
    },
    {"name": "recipients", "type": "array", "label": "Send to", "spec": {"type": "email"}},
]
REPORT_OUTPUTS: list[dict[str, Any]] = [
    {"name": "reportUrl", "type": "url", "label": "Report"},
    {"name": "pages", "type": "integer"},
    {"name": "recipients", "type": "integer", "label": "Sent to this many"},
]


def add_callable_scenario(
    state: SandboxState,
    *,
    name: str,
    description: str = "",
    inputs: list[dict[str, Any]],
    outputs: list[dict[str, Any]] | None,
    plan: RunPlan,
    team_id: int = DEMO_TEAM_ID,
    is_active: bool = True,
    when: str | None = None,
) -> dict[str, Any]:
    scenario = add_scenario(
        state,
        team_id=team_id,
        blueprint=_flow(name, "scenario-service:StartSubscenario", "scenario-service:ReturnData"),
        scheduling=dict(ON_DEMAND),
        when=when,
        is_active=is_active,
        interface_input=inputs,
    )
    scenario["description"] = description
    state.interfaces[scenario["id"]]["output"] = outputs
    state.run_plans[scenario["id"]] = plan
    return scenario


def seed_scenario_tools_demo(state: SandboxState, *, when: str | None = None) -> None:
    add_callable_scenario(
        state,
        name="Score a lead",
        description="Scores a sales lead from 0 to 100 and files it in the CRM as hot, warm or cold.",
        inputs=LEAD_INPUTS,
        outputs=LEAD_OUTPUTS,
        plan=RunPlan(outputs=score_lead, seconds=2.0),
        when=when,
    )
    add_callable_scenario(
        state,
        name="Generate weekly report",
        description="Builds the weekly pipeline report and e-mails it; takes about three minutes.",
        inputs=REPORT_INPUTS,
        outputs=REPORT_OUTPUTS,
        plan=RunPlan(outputs=weekly_report, seconds=WEEKLY_REPORT_SECONDS),
        when=when,
    )
    add_callable_scenario(
        state,
        name="Archive stale leads",
        description="Moves leads without contact for a while to the archive.",
        inputs=[{"name": "olderThanDays", "type": "uinteger", "label": "Days without contact", "required": True}],
        outputs=[{"name": "archived", "type": "integer"}],
        plan=RunPlan(outputs=lambda data: {"archived": 3}),
        is_active=False,
        when=when,
    )
    add_callable_scenario(
        state,
        name="Sync CRM contacts",
        inputs=[{"name": "since", "type": "date", "label": "Changed since"}],
        outputs=None,
        plan=RunPlan(interface_error="The scenario interface could not be loaded."),
        when=when,
    )


def seed_on_demand_scenarios(state: SandboxState, count: int, *, team_id: int = DEMO_TEAM_ID) -> list[int]:
    """Adds `count` active on-demand scenarios with a small interface each; returns their IDs (for benchmarks)."""
    ids: list[int] = []
    for number in range(1, count + 1):
        scenario = add_callable_scenario(
            state,
            name=f"Benchmark task {number}",
            description=f"Echoes its inputs (benchmark scenario {number}).",
            inputs=[
                {"name": "message", "type": "text", "label": "Message", "required": True},
                {"name": "amount", "type": "number", "label": "Amount"},
            ],
            outputs=[{"name": "echo", "type": "text"}, {"name": "amount", "type": "number"}],
            plan=RunPlan(outputs=lambda data: {"echo": str(data.get("message")), "amount": data.get("amount")}),
            team_id=team_id,
        )
        ids.append(scenario["id"])
    return ids
