"""Result fields of the list tools: what an agent does with each list.

A list tool's record says which fields it returns unless the call gives `cols` (other fields) or `cols: ["*"]`
(every field), set from its overlay (tools/overlays/). Two kinds, one argument:
- `default_cols`: the tool has Make's `cols[]`; the fields are asked of Make, and `["*"]` asks Make for every
  column (`cols[]=*`). Each is one of the values `cols` accepts and a field the items carry.
- `trimmed_fields`: Make's operation has no `cols[]`; Make answers every field, the shape stage keeps these of
  each item, and `cols` (never sent to Make) accepts the fields the reference documents for the items.
tools/registry.py has both as views by name (DEFAULT_FIELDS, TRIMMED_FIELDS). tests/tools/test_result_fields.py
checks them against the reference, tests/tools/test_list_fields_end_to_end.py against Make's recorded answers and
the sandbox's.

Left whole: lists whose documented `cols` values do not match their items (teams_list-user-roles), lists whose
items are small or all payload (data-structures_list: the spec is what one reads it for), and the NOT_TRIMMED
ones, each with its reason.
"""

from __future__ import annotations

# Asked as `cols: ["*"]`: every field the tool's `cols` accepts.
ALL_FIELDS = "*"

# The other list tools without Make's `cols[]`, returned whole (less the empty values the shape stage drops).
NOT_TRIMMED: dict[str, str] = {
    "ai-agent-contexts_list": "the reference does not document its items",
    "connected-system_list": "the reference does not document it (Make's SDK calls it), nor its items",
    "connected-system_list-apps": "the reference does not document it (Make's SDK calls it), nor its items",
    "sdk-endpoints_list": "the reference does not document it (Make's SDK calls it), nor its items",
    "ai-agents_list": "the reference does not document its items",
    "cashier_list-products": "the reference does not document its items",
    "llm-providers_list-models": "the reference does not document its items",
    "sdk-rpcs_list": "the reference does not document its items",
    "sso-certificates_list": "the reference does not document its items",
    "organization-variables_list": "its answer is one object, not a list of items",
    "scenario-build-variables_list": "its answer is one object, not a list of items",
    "data-store-records_list": "its items are the user's records (a key and the data)",
    "llm-providers_list": "each of the three fields of its items is what one reads it for",
    "notifications_list": "each of the five fields of its items is what one reads it for",
    "scenarios_list-consumptions": "each of the four fields of its items is what one reads it for",
    "app-modules_list": "the builder answers its three fields per module (name, label, kind), not Make's manifest",
}
