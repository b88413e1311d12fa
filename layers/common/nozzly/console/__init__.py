"""The operator console's static files: which objects they become and how they are published."""
