"""Pure domain logic: no AWS, no web framework, no environment. Tested without any cloud."""
