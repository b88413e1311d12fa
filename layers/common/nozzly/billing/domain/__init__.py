"""Plans as data, the account's billing state machine and the limit rules: pure Python."""

__all__: list[str] = []
