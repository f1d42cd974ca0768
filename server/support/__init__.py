"""What every layer shares: settings, shared state (in process or Redis), a bounded cache, metrics instruments, JSONC."""
