"""Use cases: domain rules applied through adapters. Handlers call these and nothing deeper."""

__all__ = [
    "attention",
    "staff",
    "store_provisioning",
    "store_settings",
    "stores",
    "tenancy",
]
