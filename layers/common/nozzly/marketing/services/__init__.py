"""See nozzly/marketing/__init__.py."""
