"""The shared kernel every capability stands on: money, errors, slugs, AWS clients, codecs, cursors, events."""

__all__ = ["adapters", "contracts", "domain"]
