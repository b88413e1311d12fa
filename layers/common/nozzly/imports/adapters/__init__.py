"""adapters of the imports capability."""

__all__: list[str] = []
