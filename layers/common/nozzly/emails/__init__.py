"""Transactional emails: Jinja2 templates (HTML and text) with the store's branding, rendered to OutgoingEmail."""
