"""Talking to Make: the one HTTP client (auth, retries, answer filtering), rate budgets, credentials and the
token store. Imports nothing of the MCP SDK."""
