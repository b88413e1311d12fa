"""Use cases: issuing documents from the bus, reading them for operators and shoppers."""

__all__ = ["exports", "issuing", "reading"]
