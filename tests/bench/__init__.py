"""The bench tests (a package, so test modules of the same name in two folders stay apart)."""
