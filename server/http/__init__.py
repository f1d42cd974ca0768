"""Streamable HTTP: callers and their credentials, sign-in with Make, shared sessions, profiles, health."""
