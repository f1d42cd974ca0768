"""One call: the selection of tools, arguments, requests, result shaping, confirmation, the tools of discovery
and the requests the server makes for itself. Speaks no MCP."""
