"""The shop pages: FastAPI routers rendering Jinja2 templates, for the storefront page functions."""
