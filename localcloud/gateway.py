"""The functions process: the template's HTTP API on loopback, and the Lambda Invoke API the emulator calls.

Run: python -m localcloud.gateway (the emulator must be up). Restarting it loses no data.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from localcloud import apigw, authorizers, console_site, dead_letters, deployment, docs, edge, outbox, schedules
from localcloud.clients import aws_clients
from localcloud.discovery import discover
from localcloud.intrinsics import Resolver
from localcloud.ports import api_port, emulator_url
from localcloud.routes import RouteTable
from localcloud.template import (
    LOCAL_PARAMETERS,
    Route,
    cors_configuration,
    functions,
    http_routes,
    load_sam,
    timeout_scale,
    transformed,
)
from localcloud.workers import (
    ASYNC_SCALE_OUT_S,
    CodeWatcher,
    FunctionPool,
    Outcome,
    RequestTooLarge,
    max_instances,
    pools_for,
    reap_idle,
    refuse_oversized,
)

log = logging.getLogger("localcloud.gateway")
LOCAL_PREFIX = "/_local"
ASYNC_RETRIES = (1.0, 2.0)  # Lambda retries a failed asynchronous invocation twice


@dataclass
class LocalCloud:
    routes: RouteTable
    pools: dict[str, FunctionPool]  # by logical id
    by_name: dict[str, str]  # physical function name -> logical id
    cors: dict[str, Any]
    watcher: CodeWatcher
    schedules: list[schedules.Schedule]
    auth: authorizers.RouteAuthorizers  # the HttpApi's JWT authorizers
    images: edge.ImageOrigin | None = None  # the images CDN's paths (/images/stores/...)
    throttle: edge.StageThrottle = field(default_factory=lambda: edge.StageThrottle.of(None))  # DefaultRouteSettings
    dead_letters: dict[str, str] = field(default_factory=dict)  # logical id -> DeadLetterConfig queue ARN
    sqs: Any = None  # the emulator's SQS, for those queues

    meter: dict[str, list[float]] = field(default_factory=dict)  # logical id -> [requests, billed ms]
    http_requests: int = 0

    def invoke(self, logical_id: str, event: Any, patience: float = 0.0) -> Outcome:
        refuse_oversized(event)  # before the meter: Lambda neither runs nor bills a refused event
        outcome: Outcome | None = None
        began = time.perf_counter()
        try:
            outcome = self.pools[logical_id].invoke(event, self.watcher.current(), patience)
            return outcome
        finally:
            # What Lambda bills (localcloud/costs.py): every request, and its duration including a cold start but
            # not the wait for a free instance.
            counted = self.meter.setdefault(logical_id, [0, 0.0])
            counted[0] += 1
            counted[1] += outcome.billed_ms if outcome else (time.perf_counter() - began) * 1000

    def reading(self) -> dict[str, Any]:
        """Lambda requests, billed milliseconds and memory per function, and HTTP API requests, since the start."""
        functions = {
            name: {"requests": int(r), "ms": ms, "memory_mb": self.pools[name].spec.memory}
            for name, (r, ms) in list(self.meter.items())
        }
        return {"lambda": functions, "http_requests": self.http_requests}

    def invoke_async(self, logical_id: str, event: Any) -> None:
        def attempt() -> None:
            for delay in (0.0, *ASYNC_RETRIES):
                time.sleep(delay)
                try:
                    outcome = self.invoke(logical_id, event, ASYNC_SCALE_OUT_S)
                except RequestTooLarge as refused:
                    log.error("async invocation of %s refused: %s", logical_id, refused)
                    return
                if outcome.error is None:
                    return
                log.warning("async invocation of %s failed: %s", logical_id, outcome.error.get("errorMessage"))
            queue = self.dead_letters.get(logical_id)
            if queue is None or self.sqs is None:
                log.error("async invocation of %s failed after retries; event dropped", logical_id)
                return
            log.error("async invocation of %s failed after retries; event sent to its dead-letter queue", logical_id)
            dead_letters.send(self.sqs, queue, event, str((outcome.error or {}).get("errorMessage", "")))

        threading.Thread(target=attempt, daemon=True).start()

    def dispatch_arn(self, function_arn: str, event: Any) -> None:
        if ":states:" in function_arn:  # a schedule that starts a workflow (ResearchStateMachine's Daily)
            self.start_execution(function_arn, event)
            return
        self.invoke_async(self.by_name[deployment.function_name(function_arn)], event)

    def start_execution(self, state_machine_arn: str, event: Any) -> None:
        sfn = aws_clients(emulator_url())("stepfunctions")
        body = event if isinstance(event, str) else json.dumps(event)
        sfn.start_execution(stateMachineArn=state_machine_arn, input=body)

    def openapi(self) -> dict[str, Any]:
        generation = self.watcher.current()
        http_functions = {r.function for r in self.routes.routes if not docs.is_page(r)}
        # Each function's document comes from its own worker process, so their cold starts can overlap.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            found = pool.map(lambda f: (f, self.pools[f].openapi(generation)), sorted(http_functions))
            documents = dict(found)
        return docs.merge(self.routes.routes, documents)


def build(emulator: str) -> LocalCloud:
    sam = load_sam()
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    clients = aws_clients(emulator)  # one boto3 session: each new one parses botocore's data files again
    resolver = discover(Resolver(cfn, dict(LOCAL_PARAMETERS)), clients)
    pools = pools_for(functions(cfn), resolver, emulator, max_instances=max_instances())
    return LocalCloud(
        routes=RouteTable(http_routes(sam)),
        pools=pools,
        by_name={pool.physical_name: logical_id for logical_id, pool in pools.items()},
        cors=resolver.resolve(cors_configuration(sam)),
        watcher=CodeWatcher(),
        schedules=schedules.load(clients("events")),
        auth=authorizers.load(sam, resolver.resolve, emulator),
        dead_letters=dead_letters.dead_letter_queues(cfn, resolver.resolve),
        sqs=clients("sqs"),
        images=edge.ImageOrigin(clients("s3"), resolver.ref("ImagesBucket")),
        throttle=edge.StageThrottle.of(
            resolver.resolve(sam["Resources"]["HttpApi"]["Properties"].get("DefaultRouteSettings"))
        ),
    )


def origin_allowed(cors: dict[str, Any], origin: str | None) -> bool:
    allowed = cors.get("AllowOrigins", [])
    return bool(origin) and ("*" in allowed or origin in allowed)


def cors_headers(cors: dict[str, Any], origin: str | None) -> list[tuple[str, str]]:
    """What the template's CorsConfiguration adds to every answer to an allowed origin."""
    if not origin_allowed(cors, origin):
        return []
    headers = [("access-control-allow-origin", "*" if "*" in cors["AllowOrigins"] else str(origin))]
    if cors.get("ExposeHeaders"):
        headers.append(("access-control-expose-headers", ",".join(cors["ExposeHeaders"])))
    return headers


def preflight_headers(cors: dict[str, Any], origin: str | None) -> list[tuple[str, str]]:
    if not origin_allowed(cors, origin):
        return []
    return [
        ("access-control-allow-methods", ",".join(cors.get("AllowMethods", []))),
        ("access-control-allow-headers", ",".join(cors.get("AllowHeaders", []))),
        ("access-control-max-age", str(cors.get("MaxAge", 0))),
    ]


MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload limit


class Handler(BaseHTTPRequestHandler):
    cloud: LocalCloud
    protocol_version = "HTTP/1.1"
    server_version = "nozzly-localcloud"
    # Headers and body are two writes: with Nagle on, a keep-alive client's delayed ACK held every body ~40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, response: apigw.HttpResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            if name not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY:
            # API Gateway refuses the request before any function runs. The body is read and dropped in chunks,
            # so the client sees the answer rather than a reset connection.
            while length > 0:
                length -= len(self.rfile.read(min(length, 1 << 16))) or length
            self._send(apigw.json_response(413, {"message": "Request Entity Too Large"}))
            return
        body = self._body()
        try:
            response = self._route(url.path, url.query, body)
        except Exception:
            log.exception("local cloud failure")
            response = apigw.json_response(500, {"message": "Internal Server Error"})
        self._send(response)

    def _route(self, path: str, query: str, body: bytes) -> apigw.HttpResponse:
        if path.startswith(LOCAL_PREFIX + "/"):
            return self._local(path[len(LOCAL_PREFIX) :], body)
        if self.command == "GET" and path == "/openapi.json":
            return apigw.json_response(200, self.cloud.openapi())
        if self.command == "GET" and (path == "/docs" or path.startswith("/docs/")):
            return self._docs(path)
        page = console_site.answer(self.command, path, self.headers.get("if-none-match"))
        if page is None and self.cloud.images is not None:
            page = self.cloud.images.answer(self.command, path, self.headers.get("if-none-match"))
        if page is not None:
            return page
        origin = self.headers.get("origin")
        request_id = apigw.new_request_id()
        response = self._api(path, query, body, request_id)
        # API Gateway names the request in every answer, its own 404s and preflights included.
        response.headers += [("apigw-requestid", request_id), *cors_headers(self.cloud.cors, origin)]
        return response

    def _api(self, path: str, query: str, body: bytes, request_id: str) -> apigw.HttpResponse:
        if self.command == "OPTIONS" and self.headers.get("access-control-request-method") and self.cloud.cors:
            return apigw.HttpResponse(204, preflight_headers(self.cloud.cors, self.headers.get("origin")))
        self.cloud.http_requests += 1  # what API Gateway bills: every request, routed or not
        match = self.cloud.routes.match(self.command, path)
        if match is None:
            return apigw.json_response(404, {"message": "Not Found"})
        throttled = self.cloud.throttle.admit(f"{match.route.method} {match.route.path}")
        if throttled is not None:
            return throttled
        grant = self.cloud.auth.check(match.route, list(self.headers.items()))
        if isinstance(grant, authorizers.Rejection):
            return grant.response()  # the function is not invoked
        event = apigw.build_event(
            match,
            method=self.command,
            raw_path=path,
            raw_query=query,
            headers=list(self.headers.items()),
            body=body,
            source_ip=self.client_address[0],
            host=self.headers.get("host", "127.0.0.1"),
            request_id=request_id,
            authorizer=grant.context() if grant else None,
        )
        return self._integrate(match.route, event)

    def _integrate(self, route: Route, event: dict[str, Any]) -> apigw.HttpResponse:
        """The function's answer, or HTTP API's 503 once the route's integration timeout has passed."""
        scaled = route.timeout_ms / 1000 * timeout_scale()
        try:
            outcome = apigw.call_within(scaled, lambda: self.cloud.invoke(route.function, event))
        except RequestTooLarge:
            # A body under the gateway's 10 MB whose event is over Lambda's 6 MB: HTTP API's answer to Lambda's
            # RequestEntityTooLargeException (as AWS's Lambda Test Tool models it for HTTP API payload 2.0).
            return apigw.json_response(413, {"message": "Request Entity Too Large"})
        if outcome is None:
            log.warning(
                "%s gave no answer within the route's %d ms integration timeout", route.function, route.timeout_ms
            )
            return apigw.json_response(apigw.TIMED_OUT_STATUS, apigw.TIMED_OUT)
        if outcome.error is not None:
            trace = outcome.error.get("stackTrace") or [outcome.error.get("errorMessage", "")]
            log.error("%s failed: %s", route.function, "".join(trace))
            return apigw.json_response(500, {"message": "Internal Server Error"})
        return apigw.read_result(json.loads(outcome.result or "null"))

    def _docs(self, path: str) -> apigw.HttpResponse:
        if path in ("/docs", "/docs/"):
            return apigw.HttpResponse(200, [("content-type", "text/html; charset=utf-8")], docs.SWAGGER_HTML.encode())
        asset = docs.swagger_asset(path[len("/docs/") :])
        if asset is None:
            return apigw.json_response(404, {"message": "Not Found"})
        return apigw.HttpResponse(200, [("content-type", asset[1])], asset[0])

    def _local(self, path: str, body: bytes) -> apigw.HttpResponse:  # noqa: PLR0911 - one return per endpoint
        """Local-only control endpoints: the Lambda Invoke API for the emulator, and schedules."""
        parts = [p for p in path.split("/") if p]
        if self.command == "GET" and parts == ["ping"]:
            return apigw.json_response(200, {"status": "ok"})
        if self.command == "GET" and parts == ["outbox"]:
            query = urlsplit(self.path).query
            with urllib.request.urlopen(f"{emulator_url()}{outbox.PATH}?{query}", timeout=10) as found:
                return apigw.HttpResponse(200, [("content-type", "application/json")], found.read())
        if self.command == "POST" and len(parts) == 5 and parts[:3] == ["lambda", "2015-03-31", "functions"]:
            return self._lambda_invoke(parts[3], body)
        if self.command == "GET" and parts == ["meter"]:
            return apigw.json_response(200, self.cloud.reading())
        if self.command == "GET" and parts == ["schedules"]:
            return apigw.HttpResponse(
                200, [("content-type", "application/json")], schedules.describe(self.cloud.schedules).encode()
            )
        if self.command == "POST" and len(parts) == 2 and parts[0] == "schedules":
            schedule = schedules.find(self.cloud.schedules, parts[1])
            if schedule is None:
                return apigw.json_response(404, {"message": f"no schedule named {parts[1]}"})
            return apigw.json_response(
                202, {"fired": schedule.name, "targets": schedules.fire(schedule, self.cloud.dispatch_arn)}
            )
        return apigw.json_response(404, {"message": "Not Found"})

    def _lambda_invoke(self, name: str, body: bytes) -> apigw.HttpResponse:
        logical_id = self.cloud.by_name.get(deployment.function_name(name))
        if logical_id is None:
            return apigw.json_response(404, {"Type": "User", "Message": f"Function not found: {name}"})
        event = json.loads(body or b"{}")
        if self.headers.get("x-amz-invocation-type") == "Event":
            self.cloud.invoke_async(logical_id, event)
            return apigw.HttpResponse(202)
        try:
            outcome = self.cloud.invoke(logical_id, event)
        except RequestTooLarge as refused:
            kind = [("x-amzn-errortype", "RequestEntityTooLargeException")]
            return apigw.json_response(413, {"Type": "User", "message": str(refused)}, kind)
        if outcome.error is not None:
            return apigw.json_response(200, outcome.error, [("x-amz-function-error", "Unhandled")])
        return apigw.HttpResponse(200, [("content-type", "application/json")], (outcome.result or "null").encode())

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _handle
    # API Gateway takes any method: one no route has is {"message":"Not Found"}, never http.server's 501 page.
    do_TRACE = do_CONNECT = do_QUERY = _handle


class GatewayServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops connections when 20 clients connect at once


def serve(port: int, emulator: str, ready: threading.Event | None = None, stop: threading.Event | None = None) -> None:
    cloud = build(emulator)
    stop = stop or threading.Event()
    schedules.start_timers(cloud.schedules, cloud.dispatch_arn, stop)
    threading.Thread(target=reap_idle, args=(cloud.pools, stop), name="reap-idle", daemon=True).start()
    handler = type("BoundHandler", (Handler,), {"cloud": cloud})
    server = GatewayServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"functions listening on http://127.0.0.1:{port}", flush=True)
    if ready:
        ready.set()
    stop.wait()
    server.shutdown()
    for pool in cloud.pools.values():
        pool.stop()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    serve(api_port(), emulator_url(), stop=stop)


if __name__ == "__main__":
    main()
