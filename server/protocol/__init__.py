"""The MCP side beyond tools: tasks, resources, prompts, completions and icons."""
