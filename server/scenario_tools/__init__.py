"""The caller's own scenarios as tools: discovered, typed from their interfaces, named, curated and run.

choice.py (MAKE_SCENARIO_TOOLS), discovery.py (which scenarios qualify, their interfaces), schema.py (interface to
Pydantic model and JSON schemas), naming.py, curation.py (MAKE_SCENARIO_FILE), running.py (the Runner), and
tools.py, which puts them together: `find_scenario_tools(port, ScenarioToolSettings.from_settings(settings),
taken_names=...)` gives the Operations to list first and what was left out, and why.

Nothing is imported here, so that server/config.py can read choice.py without loading the rest.
"""
