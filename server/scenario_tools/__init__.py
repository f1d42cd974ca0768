"""The caller's own scenarios as tools: discovered, typed from their interfaces, named, curated and run.

choice.py (MAKE_SCENARIO_TOOLS), discovery.py (which scenarios qualify, their interfaces), schema.py (interface to
Pydantic model and JSON schemas), naming.py, curation.py (MAKE_SCENARIO_FILE), running.py (the Runner), tools.py
(puts them together) and store.py (each caller's tools, kept and refreshed).

How the server uses them:
- once: `store = ScenarioToolStore(ScenarioToolSettings.from_settings(settings), taken_names=<catalogue names>)`;
- per caller (`key = caller_key(authorization)`; over stdio `caller_key(None)`): `await store.get(key, port)` with a
  RequestPort of the caller's credential, started in the background so `initialize` never waits for it;
  `store.current(key)` gives what is known without waiting;
- tools/list: `tools.operations` first, then the catalogue's (in every mode);
- tools/call: a scenario tool is an Operation with `run`: validate with `validate_input`, then `op.run(arguments,
  port)`; the port's `sleep` must count against the call's `time_left`;
- after a call that changes scenarios, and every MAKE_SCENARIO_REFRESH seconds: `await store.refresh(key, port)`;
  True means send notifications/tools/list_changed;
- doctor and `make-mcp tools`: `tools.report()` says which scenarios were left out and why.

Nothing is imported here, so that server/support/config.py can read choice.py without loading the rest.
"""
