"""Building scenarios: app and module manifests, blueprint checks, IML references, components, audit, diff.

Nothing here imports `mcp`; modules import downward only (errors, support).
"""
