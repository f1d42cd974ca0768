"""The MCP side: handlers, listing, the call pipeline and its consent, the observers of each call, stdio; tasks,
resources, prompts, completions and icons."""
