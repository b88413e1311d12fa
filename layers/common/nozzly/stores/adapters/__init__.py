"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "attention",
    "invitations",
    "provisioning",
    "settings_sections",
    "store_members",
    "store_settings",
    "stores",
]
