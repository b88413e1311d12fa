"""Cold-start init of each function of the template, against a floor, one fresh interpreter per sample."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from localcloud.intrinsics import ASSIGNED_IDS, Resolver
from localcloud.template import LOCAL_PARAMETERS, ROOT, functions, http_routes, load_sam, transformed
from tests.bench.report import heading, med, ms, table
from tests.bench.sandbox import Target, aws_stub, lambda_env, sample

EVENTS = ROOT / "events"
TARGETS = {"http": 1.5, "other": 1.15}  # init time / floor
# The first invocation's event per function; AWS calls reach only the loopback stub (sandbox.aws_stub).
FIRST_EVENTS = {
    "Health": "health_live.json",
    "StorefrontCatalog": "storefront_list_products.json",
    "ShopPages": "shop_product_page.json",
    "ShopAccountPages": "shop_account_login_page.json",
    "Carts": "carts_add_item.json",
    "ShopperOrders": "shopper_list_orders.json",
    "ManualOrders": "manual_orders_create.json",
    "OrderFulfilment": "order_fulfilment_status.json",
    "CatalogImport": "catalog_import_store_step.json",
    "CatalogStats": "catalog_stats_imported.json",
}
FLOOR = (
    'import boto3; boto3.client("dynamodb", region_name="us-east-1"); '
    'from aws_lambda_powertools import Logger; Logger(service="floor")'
)


def targets(endpoint: str) -> tuple[list[Target], list[str]]:
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    resolver = Resolver(cfn, dict(LOCAL_PARAMETERS))
    for logical_id, resource in cfn["Resources"].items():
        if resource["Type"] in ASSIGNED_IDS:  # no emulator here: any id will do for a cold start
            resolver.assign(logical_id, f"local-{logical_id}")
    http = {route.function for route in http_routes(load_sam())}
    found: list[Target] = []
    notes: list[str] = []
    for logical_id, spec in functions(cfn).items():
        event_name = FIRST_EVENTS.get(logical_id)
        event = EVENTS / event_name if event_name else None
        if event is None or not event.is_file():
            notes.append(f"{logical_id}: no event ({event_name or 'none mapped'}); init + first invocation skipped")
            event = None
        kind = "http" if logical_id in http else "other"
        found.append(Target(logical_id, kind, lambda_env(spec, resolver, endpoint), spec, event))
    floor_env = {k: v for k, v in found[0].env.items() if k != "POWERTOOLS_SERVICE_NAME"}
    return [Target("floor", "floor", floor_env), *found], notes


def measure(repeat: int, progress: Callable[[str], None]) -> tuple[list[Target], list[str], str]:
    with aws_stub() as endpoint:
        found, notes = targets(endpoint)
        for target in found:  # untimed: bytecode caches and page cache warm for every target alike
            sample(target, "init")
            target.init.clear()
        for round_no in range(repeat):
            progress(f"cold start: round {round_no + 1}/{repeat}")
            order = found[round_no % len(found) :] + found[: round_no % len(found)]  # rotate to spread drift
            for target in order:
                sample(target, "init")
            for target in order:
                if target.event is not None:
                    sample(target, "invoke")
    return found, notes, endpoint


def _col(samples: list[dict[str, Any]], key: str) -> float:
    return med([s[key] for s in samples if key in s])


HEADER = [
    "  Child: sys.path = [code_dir, layers/common] + the venv; times `import app; app.handler` (perf_counter).",
    "  Environment: the template's Variables resolved as the local cloud does (localcloud.workers.function_env),",
    "  fake credentials, us-east-1, plus what Lambda sets (LAMBDA_TASK_ROOT, _HANDLER, _X_AMZN_TRACE_ID, ...).",
    "  POWERTOOLS_TRACE_DISABLED is NOT set, as on Lambda: the Tracer is built lazily, so init does not pay",
    "  X-Ray and the first invocation does. Segments go to UDP 127.0.0.1:2000 (nobody listens).",
    "  AWS_ENDPOINT_URL = {endpoint}: a loopback stub in the bench answering every call at once with an",
    "  empty DynamoDB page (no retry backoff inflates the first invocation; nothing leaves the machine).",
    "  Floor: a child timing `{floor}`.",
    "  One untimed warm-up child per target first; then samples interleaved, order rotated each round.",
    "  Verdict: median init / median floor; HTTP functions (routed by HttpApi) <= 1.5x, others <= 1.15x.",
]
FIRST_NOTE = [
    "  lazy imports = the modules the first invocation imports (timed by a meta-path hook, outermost imports only)",
    "  and the milliseconds their loading took: part of first ms.",
    "  outcome = the handler's answer on the stub's empty data (a 404 means: no such store/category there);",
    "  the path still pays the lazy imports (boto3, pydantic-settings), client creation, one round trip",
    "  and the X-Ray Tracer. (A 500 would mean the path read an SSM secret, which the stub cannot answer.)",
]


def _init_row(t: Target, floor: float) -> tuple[list[str], list[str]]:
    init = _col(t.init, "import_ms")
    ratio = init / floor
    limit = TARGETS.get(t.kind)
    verdict = "FAILED" if not t.init else "" if limit is None else "PASS" if ratio <= limit else "OVER"
    values = [s["import_ms"] for s in t.init] or [math.nan]
    first = t.init[0] if t.init else {"modules": "-", "heavy": ["-"]}
    target = f"<= {limit}x" if limit else "-"
    row = [t.name, t.kind, ms(init), f"{ms(min(values))}-{ms(max(values))}", ms(_col(t.init, "process_ms"))]
    row += [f"{ratio:.2f}x", target, verdict, str(first["modules"]), ",".join(first["heavy"]) or "-"]
    return row, [t.name, t.kind, ms(init), f"{ratio:.2f}x", target, verdict]


def _invoke_row(t: Target, floor: float) -> tuple[list[str], list[str]]:
    if not t.invoke:
        return [t.name, t.event.name if t.event else "-", *"-------", "skipped"], ["-", "-", "-"]
    total = med([s["import_ms"] + s["invoke_ms"] for s in t.invoke])
    outcome = "; ".join(sorted({s["outcome"] for s in t.invoke}))
    lazy = ms(_col(t.invoke, "lazy_import_ms"))
    row = [t.name, t.event.name if t.event else "-", ms(_col(t.invoke, "import_ms")), ms(_col(t.invoke, "invoke_ms"))]
    row += [lazy, str(int(_col(t.invoke, "lazy_modules")))]
    row += [ms(total), f"{total / floor:.2f}x", ms(_col(t.invoke, "process_ms")), outcome]
    return row, [lazy, ms(total), f"{total / floor:.2f}x"]


def render(found: list[Target], notes: list[str], endpoint: str, repeat: int) -> tuple[list[str], list[str]]:
    """The report section and the lines of the summary block."""
    floor = _col(found[0].init, "import_ms")
    out = [heading(f"1. Cold start: init per function (fresh interpreter per sample, median of {repeat})")]
    out += [line.format(endpoint=endpoint, floor=FLOOR) for line in HEADER] + [""]
    init_rows = [_init_row(t, floor) for t in found]
    invoke_rows = [_invoke_row(t, floor) for t in found[1:]]
    head = ["function", "kind", "init ms", "min-max", "process ms", "x floor", "target", "verdict", "modules"]
    out += table([*head, "heavy modules loaded by init"], [row for row, _ in init_rows])
    out += ["", "  Init + first invocation, same environment (the lazily loaded parts are paid here):", *FIRST_NOTE, ""]
    head = ["function", "event", "init ms", "first ms", "lazy imports ms", "lazy modules", "init+first", "x floor"]
    head += ["process ms", "outcome"]
    out += table(head, [row for row, _ in invoke_rows])
    failures = [f"  {t.name}: {f}" for t in found for f in t.failures]
    if notes or failures:
        out += ["", "  Notes:", *(f"  {n}" for n in notes), *failures]
    rows = [init_rows[0][1] + ["", "", ""]] + [a[1] + b[1] for a, b in zip(init_rows[1:], invoke_rows, strict=True)]
    summary = [f"Cold start, median of {repeat}; floor (boto3 client + Powertools Logger) = {ms(floor)} ms:"]
    columns = ["function", "kind", "init ms", "x floor", "target", "verdict", "lazy imports ms", "init+first ms"]
    summary += table([*columns, "x floor"], rows)
    return out, summary
