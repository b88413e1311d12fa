"""Pure page decisions: no framework, no AWS."""
