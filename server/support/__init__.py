"""What every layer shares: settings, shared state (in process or Redis), metrics instruments, JSONC."""
