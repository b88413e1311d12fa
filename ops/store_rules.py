"""Which items of which table belong to a store: the export rule of every DynamoDB table in template.yaml.

Every table of the template must have a rule here (tests/unit/test_store_archive.py fails by name otherwise), so a
new table is never silently left out of `make export`. The keys follow layers/common/nozzly/README.md and the
adapters' docstrings: most tables put the store first in `pk`; some prefix it (`GUEST#{store}#...`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Partition:
    """The items whose `pk` is exactly this (one Query)."""

    pattern: str  # "{store}" is the store id

    def value(self, store: str) -> str:
        return self.pattern.format(store=store)


@dataclass(frozen=True, slots=True)
class Prefix:
    """The items whose `pk` begins with this (a Scan filtered on `begins_with`: these tables key by store + owner)."""

    pattern: str

    def value(self, store: str) -> str:
        return self.pattern.format(store=store)


Selector = Partition | Prefix


@dataclass(frozen=True, slots=True)
class Exported:
    selectors: tuple[Selector, ...]


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: str  # why no item of this table is a store's data


Rule = Exported | Skipped

# Imported in this order: guards and claims (email claims in orders, invoice guards, analytics contributions) land
# before the orders whose stream records would otherwise claim them again; webhook endpoints come last.
RULES: dict[str, Rule] = {
    "StoresTable": Exported((Partition("{store}"),)),
    "CatalogTable": Exported((Partition("{store}"),)),
    "CustomersTable": Exported((Prefix("{store}#"),)),  # address books {store}#{sub}, reviews {store}#REVIEWS#...
    "InvoicesTable": Exported((Partition("{store}"),)),
    "ContentTable": Exported((Partition("{store}"),)),  # blog posts, AI draft claims, the SEO report
    "ResearchTable": Exported((Partition("{store}"),)),  # research results and runs per day, the watchlist
    "AnalyticsTable": Exported((Partition("{store}"),)),
    "CartsTable": Exported((Partition("{store}"),)),
    "NotificationsTable": Exported((Prefix("{store}#"),)),  # {store}#{audience}#{sub}
    "IdentityTable": Exported((Prefix("GUEST#{store}#"), Prefix("shopper:{store}#"))),  # sessions, shoppers' codes
    "OrdersTable": Exported((Partition("{store}"),)),
    "WebhooksTable": Exported((Partition("STORE#{store}"), Prefix("ENDPOINT#{store}#"))),
    "IdempotencyTable": Skipped("payment providers' event ids, for 4 days: the platform's, keyed by no store"),
    "SearchIndexTable": Skipped("derived: SearchIndexer rebuilds a store's posting lists from the imported products"),
    "ConnectionsTable": Skipped("open WebSockets (2 hours at most): API Gateway's connections, not store data"),
}


@dataclass(frozen=True, slots=True)
class TableShape:
    logical_id: str
    key_attributes: tuple[str, ...]  # the table's and its indexes' key attributes: where a store id is a key part


def tables(sam: dict[str, Any]) -> dict[str, TableShape]:
    """Every DynamoDB table of the (SAM) template, by logical id."""
    found: dict[str, TableShape] = {}
    for logical_id, resource in sam["Resources"].items():
        if resource.get("Type") != "AWS::DynamoDB::Table":
            continue
        names = tuple(a["AttributeName"] for a in resource["Properties"].get("AttributeDefinitions", []))
        found[logical_id] = TableShape(logical_id, names)
    return found


def missing_rules(sam: dict[str, Any]) -> list[str]:
    """Tables of the template without an export rule (exported or skipped with a reason)."""
    return sorted(set(tables(sam)) - set(RULES))


def exported(sam: dict[str, Any]) -> list[tuple[TableShape, Exported]]:
    """The exported tables in import order; raises when the template has a table without a rule."""
    shapes = tables(sam)
    if missing := missing_rules(sam):
        raise SystemExit(f"no export rule for {', '.join(missing)}: add one to ops/store_rules.py")
    return [(shapes[lid], rule) for lid, rule in RULES.items() if isinstance(rule, Exported) and lid in shapes]
