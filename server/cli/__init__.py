"""The command line: serve, tools, doctor, login, logout, sandbox."""
