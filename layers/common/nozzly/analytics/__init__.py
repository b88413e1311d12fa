"""How the shop is doing: daily sales aggregates kept by the orders stream, storefront visits, the dashboard,
reports, recent activity and the daily summary email."""

__all__ = ["adapters", "contracts", "domain", "emails", "services"]
