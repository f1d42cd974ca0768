"""Any values against any Forman specs: the check answers findings, never an exception."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from make_mcp.server.builder import iml
from make_mcp.server.builder.forman import validate_fields, validate_module

TYPES = [
    "text", "number", "integer", "uinteger", "boolean", "checkbox", "date", "email", "json", "port", "select",
    "radio", "list", "collection", "array", "filter", "hidden", "account:google", "hook:gateway-webhook",
    "datastore", "udt", "file", "folder", "banner", "hologram", None,
]  # fmt: skip
NAMES = st.sampled_from(["a", "b", "c", "__IMTCONN__"])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
SCALARS = SCALARS | st.sampled_from(["{{1.a}}", "{{1.a", "false", "x {{2.b}}", "", "rpc://x"])
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=4), max_leaves=20
)


def _field(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    option = st.fixed_dictionaries(
        {"label": st.text(max_size=5), "value": SCALARS},
        optional={"nested": st.lists(children, max_size=2) | st.just("rpc://n")},
    )
    rules = st.dictionaries(
        st.sampled_from(["min", "max", "minItems", "maxItems", "pattern", "enum"]),
        SCALARS | st.lists(SCALARS, max_size=3),
        max_size=3,
    )
    return st.fixed_dictionaries(
        {"name": NAMES, "type": st.sampled_from(TYPES)},
        optional={
            "required": st.booleans(),
            "mappable": st.booleans(),
            "multiple": st.booleans(),
            "options": st.lists(option, max_size=3) | st.just("rpc://o") | st.fixed_dictionaries({"store": st.lists(option, max_size=2)}),
            "spec": st.lists(children, max_size=3) | children | st.just("rpc://s"),
            "nested": st.lists(children, max_size=2) | st.fixed_dictionaries({"domain": st.sampled_from(["expect", "parameters", "x"]), "store": st.lists(children, max_size=2)}),
            "validate": rules,
            "logic": st.sampled_from(["and", "or", "default"]),
        },
    )  # fmt: skip


FIELDS = st.recursive(st.fixed_dictionaries({"name": NAMES, "type": st.sampled_from(TYPES)}), _field, max_leaves=12)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(FIELDS, max_size=4), values=st.dictionaries(NAMES, VALUES, max_size=4), strict=st.booleans())
def test_any_values_against_any_specs_give_well_formed_findings(
    specs: list[dict[str, Any]], values: dict[str, Any], strict: bool
):
    for findings in (
        validate_fields(specs, values, where="mapper", module_id=3, strict=strict),
        validate_module(specs, specs, values, values, module_id=3, strict=strict),
    ):
        for finding in findings:
            assert finding.severity in ("error", "warning") and finding.moduleId == 3
            assert finding.path.startswith(("mapper", "parameters")) and finding.message and finding.fix


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet='{}"`1.a; (x)[]\\', max_size=60))
def test_any_text_is_read_without_an_exception_and_references_come_from_well_formed_parts(text: str):
    scanned = iml.scan(text)
    assert (scanned.problem is None) == (iml.malformed(text) is None)
    for found in iml.references(text):
        assert found.module_id == 1 and found.text.startswith("1.")
