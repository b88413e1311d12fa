"""Use cases: domain rules applied through the adapters. Handlers call these and nothing deeper."""
