"""Data access, one module per aggregate. The key design is in README.md next to this file."""
