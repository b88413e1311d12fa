"""Smoke test of a deployed stack: its API answers readiness, and the storefront answers a store route.

    python3 -m ops.smoke --stack nozzly-staging [--region eu-west-1] [--store mystmereforge]
    python3 -m ops.smoke --api-url http://127.0.0.1:3000 --store mystmereforge     # the local cloud

With --store the store's product listing must answer 200 with a list; without, an unknown store must answer
a JSON 404 (the storefront function ran, reached its table and shaped its error). Standard library plus boto3
(the SAM CLI's venv has it), so it runs before any project install.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any

ATTEMPTS = 5  # a stack fresh out of its update may answer 5xx for a few seconds


def get(url: str) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body or b"null")
        except ValueError:
            return error.code, body.decode(errors="replace")


def api_url(stack: str, region: str | None) -> str:
    import boto3

    described = boto3.client("cloudformation", region_name=region).describe_stacks(StackName=stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    return str(outputs["ApiUrl"]).rstrip("/")


def expect(url: str, want: int, check: str) -> None:
    status, body = 0, None
    for attempt in range(ATTEMPTS):
        status, body = get(url)
        if status < 500:
            break
        time.sleep(2**attempt)
    print(f"GET {url} -> {status}")
    if status != want:
        raise SystemExit(f"smoke test failed: {url} answered {status}, expected {want} ({check}): {body!r:.500}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="a deployed stack: its ApiUrl output is tested")
    where.add_argument("--api-url", help="an API base URL (the local cloud's, a custom domain)")
    parser.add_argument("--region")
    parser.add_argument("--store", help="a store the stack serves (its products must list)")
    args = parser.parse_args(argv)
    base = args.api_url.rstrip("/") if args.api_url else api_url(args.stack, args.region)
    expect(f"{base}/health/ready", 200, "every table and the bus reachable")
    if args.store:
        expect(f"{base}/stores/{args.store}/products", 200, "the storefront lists the store's products")
    else:
        expect(f"{base}/stores/smoke-test-no-such-store/products", 404, "the storefront answers an unknown store")
    print("smoke test passed", file=sys.stderr)


if __name__ == "__main__":
    main()
