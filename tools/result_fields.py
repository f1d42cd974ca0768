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
items are small or all payload (data-structures_list: the spec is what one reads it for), and the other lists
without Make's `cols[]`, whose record says why in `not_trimmed` (tools/registry.py NOT_TRIMMED by name).
"""

from __future__ import annotations

# Asked as `cols: ["*"]`: every field the tool's `cols` accepts.
ALL_FIELDS = "*"
