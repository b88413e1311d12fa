"""Use cases: domain rules applied through adapters. Handlers call these and nothing deeper."""

__all__ = [
    "staff",
    "store_provisioning",
    "store_settings",
    "stores",
    "tenancy",
]
