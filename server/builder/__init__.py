"""Building scenarios: app and module manifests, Forman validation, blueprint checks, IML references,
components, audit and diff. Speaks no MCP."""
