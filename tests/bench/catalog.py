"""A 5,000-product bench store for the list and search benchmarks, written the way the catalog is written.

The store and its categories go through the CatalogImport function's store step (Lambda Invoke, as the import
workflow calls it); the products through CatalogRepository.put_product (the codec every writer uses), so the
catalog table's stream feeds SearchIndexer exactly as on AWS. The bench then waits until the index answers
for the last product.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

LAYER = str(Path(__file__).resolve().parents[2] / "layers" / "common")  # the code a function runs with
BENCH_STORE = "bench-armoury"
PRODUCTS = int(os.environ.get("NOZZLY_BENCH_PRODUCTS", "5000"))  # smaller for a quick check of the bench itself
CATEGORIES = {"weapons": None, "blades": "weapons", "daggers": "blades", "polearms": "weapons", "armour": None}
_ADJECTIVES = [
    "ancient",
    "bright",
    "cold",
    "dark",
    "ember",
    "frost",
    "gilded",
    "grim",
    "hollow",
    "iron",
    "noble",
    "old",
    "royal",
    "rune",
    "silent",
    "storm",
]
_MATERIALS = ["bronze", "copper", "damascus", "ebony", "ivory", "oak", "obsidian", "silver", "steel", "walnut"]
_NOUNS = {
    "blades": ["longsword", "sabre", "falchion", "katana", "claymore", "rapier", "scimitar"],
    "daggers": ["dagger", "kris", "stiletto", "seax", "dirk"],
    "polearms": ["halberd", "glaive", "spear", "pike"],
    "armour": ["gauntlets", "helm", "gambeson", "cuirass", "shield"],
}
_TAGS = ["bestseller", "limited", "handmade", "display", "larp", "gift", "heavy", "light"]
_BRANDS = ["ironhall", "mystmere", "north-forge", "old-anvil", "rune-works"]


def bench_product(n: int, rng: random.Random) -> Any:
    from nozzly.catalog.domain.catalog import Product, Variant
    from nozzly.kernel.domain.money import Money

    category = rng.choice(list(_NOUNS))
    path = {"blades": ("weapons", "blades"), "daggers": ("weapons", "blades", "daggers")}.get(
        category, ("weapons", category) if category == "polearms" else (category,)
    )
    title = f"{rng.choice(_ADJECTIVES).title()} {rng.choice(_MATERIALS).title()} {rng.choice(_NOUNS[category]).title()}"
    return Product(
        store_id=BENCH_STORE,
        slug=f"item-{n:05d}",
        title=f"{title} {n}",
        description=f"A {title.lower()} for the bench: {' '.join(rng.sample(_TAGS + _MATERIALS, 6))}.",
        price=Money(rng.randrange(500, 90000, 100), "EUR"),
        category=category,
        category_path=path,
        brand=rng.choice(_BRANDS),
        tags=tuple(rng.sample(_TAGS, 2)),
        created_at=1_780_000_000 + n,
        variants=(Variant("default", f"BN-{n:05d}", "Default", rng.choice([0, 2, 10, 40])),),
    )


def seed(emulator_url: str, names: dict[str, str], progress: Callable[[str], None]) -> float:
    """Write the store and its products; returns the seconds until search finds the last product."""
    from localcloud.clients import aws_clients

    if LAYER not in sys.path:
        sys.path.insert(0, LAYER)
    client = aws_clients(emulator_url)
    step = {
        "step": "store",
        "store": {"id": BENCH_STORE, "name": "Bench Armoury", "currency": "EUR", "country": "DE"},
        "categories": [
            {"slug": slug, "name": slug.title(), "position": i, **({"parent": parent} if parent else {})}
            for i, (slug, parent) in enumerate(CATEGORIES.items())
        ],
    }
    answer = client("lambda").invoke(FunctionName=names["CatalogImport"], Payload=json.dumps(step).encode())
    if answer.get("FunctionError"):
        raise RuntimeError(f"bench store step failed: {answer['Payload'].read()[:300]!r}")
    from nozzly.catalog.adapters.catalog import CatalogRepository

    # This emulator's client, not the layer's shared one: that is cached per process (an earlier section's seed
    # left it pointing at that section's emulator, since stopped), and AWS_ENDPOINT_URL is not set here, as it once
    # was: the in-process moto of section 7 then sent its calls to the stopped emulator.
    catalog = CatalogRepository(names["CatalogTable"], client("dynamodb"))
    rng = random.Random(7)
    products = [bench_product(n, rng) for n in range(PRODUCTS)]
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(catalog.put_product, products))
    progress(f"load: {PRODUCTS} products written in {time.perf_counter() - began:.0f} s; waiting for the search index")
    return began


def wait_for_index(api_port: int, began: float, progress: Callable[[str], None], timeout: float = 3600) -> float:
    """Seconds from the first product write until search finds the last product (the stream's lag included)."""
    last = f"BN-{PRODUCTS - 1:05d}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        url = f"http://127.0.0.1:{api_port}/stores/{BENCH_STORE}/search?q={last}&limit=1"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                items = json.loads(response.read())["items"]
        except (OSError, ValueError):  # the emulator is busy with the indexer's writes: ask again
            items = []
        if items and items[0]["slug"] == f"item-{PRODUCTS - 1:05d}":
            return time.perf_counter() - began
        time.sleep(2)
    raise TimeoutError(f"the search index did not reach {last} within {timeout:.0f} s")
