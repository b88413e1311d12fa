"""The template's WebSocket API (AWS::ApiGatewayV2::Api, ProtocolType WEBSOCKET) on NOZZLY_WS_PORT, with aiohttp.

As API Gateway does it: $connect runs the REQUEST authorizer (401 at the handshake when it raises
"Unauthorized", 403 on a Deny) and then the $connect route; each text frame is routed by the API's route
selection expression (`$request.body.action`, else $default) and a route with a route response sends the
function's body back; a closed socket runs $disconnect. The `@connections` management API answers at
`/{stage}/@connections/{id}` (POST sends, GET describes, DELETE closes; 410 GoneException for an unknown id),
which is the endpoint the functions are given, so boto3's apigatewaymanagementapi client takes its real path.
Functions run in the functions process, invoked through its Lambda Invoke API with API Gateway's payloads.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from localcloud.bridge import post_invoke

_ARN_REF = re.compile(r"\$\{(\w+)\.Arn\}")
_GONE = {"x-amzn-ErrorType": "GoneException"}


@dataclass(frozen=True)
class SocketApi:
    """The WebSocket API as the template declares it: route key -> function name, and the $connect authorizer."""

    api_id: str
    stage: str
    routes: dict[str, str]
    answering: frozenset[str]  # routes with a route response: their function's body goes back to the client
    authorizer: str | None
    token_query: str | None


def _function(uri: Any, names: dict[str, str]) -> str | None:
    text = uri.get("Fn::Sub") if isinstance(uri, dict) else uri
    match = _ARN_REF.search(text if isinstance(text, str) else "")
    return names.get(match[1]) if match else None


def _ref(value: Any) -> str | None:
    return value.get("Ref") if isinstance(value, dict) else None


def socket_api(cfn: dict[str, Any], names: dict[str, str]) -> SocketApi | None:
    resources: dict[str, Any] = cfn["Resources"]

    def of(kind: str) -> dict[str, dict[str, Any]]:
        return {lid: r.get("Properties", {}) for lid, r in resources.items() if r["Type"] == kind}

    apis = [lid for lid, p in of("AWS::ApiGatewayV2::Api").items() if p.get("ProtocolType") == "WEBSOCKET"]
    if not apis:
        return None
    api = apis[0]
    integrations = {
        lid: _function(p.get("IntegrationUri"), names) for lid, p in of("AWS::ApiGatewayV2::Integration").items()
    }
    answered = {_ref(p.get("RouteId")) for p in of("AWS::ApiGatewayV2::RouteResponse").values()}
    routes, answering, authorizer, token_query = {}, set(), None, None
    for lid, props in of("AWS::ApiGatewayV2::Route").items():
        if _ref(props.get("ApiId")) != api:
            continue
        target = str((props.get("Target") or {}).get("Fn::Sub", props.get("Target", "")))
        integration = target.removeprefix("integrations/${").removesuffix("}")
        function = integrations.get(integration)
        if function:
            routes[props["RouteKey"]] = function
        if lid in answered:
            answering.add(props["RouteKey"])
        if props["RouteKey"] == "$connect" and props.get("AuthorizerId"):
            config = of("AWS::ApiGatewayV2::Authorizer")[str(_ref(props["AuthorizerId"]))]
            authorizer = _function(config.get("AuthorizerUri"), names)
            sources = [s for s in config.get("IdentitySource", []) if s.startswith("route.request.querystring.")]
            token_query = sources[0].removeprefix("route.request.querystring.") if sources else None
    stages = [
        p.get("StageName", "live") for p in of("AWS::ApiGatewayV2::Stage").values() if _ref(p.get("ApiId")) == api
    ]
    return SocketApi(
        names.get(api, api), stages[0] if stages else "live", routes, frozenset(answering), authorizer, token_query
    )


def _iso(epoch_ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_ms / 1000))


@dataclass
class Connection:
    socket: web.WebSocketResponse
    connected_at: int
    source_ip: str
    granted: dict[str, Any]
    last_active: int = field(default_factory=lambda: int(time.time() * 1000))


class SocketServer:
    def __init__(self, api: SocketApi, functions_url: str, port: int) -> None:
        self.api = api
        self.functions_url = functions_url
        self.port = port
        self.connections: dict[str, Connection] = {}

    def _context(self, route: str, event_type: str, connection_id: str, connected_at: int, ip: str) -> dict[str, Any]:
        now = int(time.time() * 1000)
        return {
            "routeKey": route,
            "eventType": event_type,
            "messageDirection": "IN",
            "connectionId": connection_id,
            "connectedAt": connected_at,
            "requestId": uuid.uuid4().hex,
            "extendedRequestId": uuid.uuid4().hex,
            "requestTimeEpoch": now,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now / 1000)),
            "domainName": f"127.0.0.1:{self.port}",
            "stage": self.api.stage,
            "apiId": self.api.api_id,
            "identity": {"sourceIp": ip},
        }

    async def _invoke(self, function: str, event: dict[str, Any]) -> tuple[Any, str | None]:
        payload, error = await asyncio.to_thread(
            post_invoke, self.functions_url, function, json.dumps(event).encode(), "RequestResponse"
        )
        return (json.loads(payload) if payload else None), error

    async def _authorize(self, request: web.Request, context: dict[str, Any]) -> dict[str, Any] | int:
        """The authorizer's context, or the handshake's refusal status."""
        if self.api.authorizer is None:
            return {}
        query = dict(request.query)
        if self.api.token_query and not query.get(self.api.token_query):
            return 401  # an identity source is missing: API Gateway refuses without calling the authorizer
        method_arn = f"arn:aws:execute-api:us-east-1:000000000000:{self.api.api_id}/{self.api.stage}/$connect"
        event = {
            "type": "REQUEST",
            "methodArn": method_arn,
            "headers": dict(request.headers),
            "queryStringParameters": query,
            "stageVariables": {},
            "requestContext": context,
        }
        answer, error = await self._invoke(self.api.authorizer, event)
        if error is not None or not isinstance(answer, dict):
            return 401 if isinstance(answer, dict) and answer.get("errorMessage") == "Unauthorized" else 500
        statements = (answer.get("policyDocument") or {}).get("Statement") or []
        if not statements or any(s.get("Effect") != "Allow" for s in statements):
            return 403
        return {**(answer.get("context") or {}), "principalId": answer.get("principalId")}

    async def handshake(self, request: web.Request) -> web.StreamResponse:
        connection_id = uuid.uuid4().hex[:16] + "="
        connected_at, ip = int(time.time() * 1000), request.remote or "127.0.0.1"
        context = self._context("$connect", "CONNECT", connection_id, connected_at, ip)
        granted = await self._authorize(request, context)
        if isinstance(granted, int):
            return web.json_response({"message": "Unauthorized" if granted == 401 else "Forbidden"}, status=granted)
        if "$connect" in self.api.routes:
            event = {
                "headers": dict(request.headers),
                "queryStringParameters": dict(request.query) or None,
                "requestContext": context | {"authorizer": granted},
                "isBase64Encoded": False,
            }
            answer, error = await self._invoke(self.api.routes["$connect"], event)
            status = answer.get("statusCode", 200) if isinstance(answer, dict) else 200
            if error is not None or status >= 300:
                return web.json_response({"message": "Forbidden"}, status=403 if error is None else 500)
        offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",") if p.strip()]
        socket = web.WebSocketResponse(protocols=offered[:1])  # the browser needs one of its offers echoed
        await socket.prepare(request)
        self.connections[connection_id] = Connection(socket, connected_at, ip, granted)
        try:
            async for frame in socket:
                if frame.type is WSMsgType.TEXT:
                    await self._message(connection_id, frame.data)
        finally:
            known = self.connections.pop(connection_id, None)
            if known is not None and "$disconnect" in self.api.routes:
                context = self._context("$disconnect", "DISCONNECT", connection_id, connected_at, ip)
                event = {"requestContext": context | {"authorizer": granted, "disconnectStatusCode": 1001}}
                await self._invoke(self.api.routes["$disconnect"], event)
        return socket

    async def _message(self, connection_id: str, body: str) -> None:
        connection = self.connections[connection_id]
        connection.last_active = int(time.time() * 1000)
        try:
            action = json.loads(body).get("action")
        except (ValueError, AttributeError):
            action = None
        route = action if isinstance(action, str) and action in self.api.routes else "$default"
        if route not in self.api.routes:
            return
        context = self._context(route, "MESSAGE", connection_id, connection.connected_at, connection.source_ip)
        context |= {"messageId": uuid.uuid4().hex, "authorizer": connection.granted}
        answer, error = await self._invoke(
            self.api.routes[route], {"requestContext": context, "body": body, "isBase64Encoded": False}
        )
        if error is not None:
            await connection.socket.send_str(json.dumps({"message": "Internal server error"}))
        elif route in self.api.answering and isinstance(answer, dict) and answer.get("body") is not None:
            await connection.socket.send_str(str(answer["body"]))

    async def post(self, request: web.Request) -> web.Response:
        connection = self.connections.get(request.match_info["id"])
        if connection is None or connection.socket.closed:
            return web.json_response({"message": "Gone"}, status=410, headers=_GONE)
        await connection.socket.send_str((await request.read()).decode())
        return web.Response(status=200)

    async def describe(self, request: web.Request) -> web.Response:
        connection = self.connections.get(request.match_info["id"])
        if connection is None:
            return web.json_response({"message": "Gone"}, status=410, headers=_GONE)
        return web.json_response(
            {
                "connectedAt": _iso(connection.connected_at),
                "lastActiveAt": _iso(connection.last_active),
                "identity": {"sourceIp": connection.source_ip},
            }
        )

    async def delete(self, request: web.Request) -> web.Response:
        connection = self.connections.get(request.match_info["id"])
        if connection is None:
            return web.json_response({"message": "Gone"}, status=410, headers=_GONE)
        await connection.socket.close()
        return web.Response(status=204)

    def start_in_thread(self) -> str:
        """Listen from a daemon thread with its own event loop; the ws:// URL once it listens."""
        listening = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            runner = web.AppRunner(self.app(), access_log=None)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            listening.set()
            loop.run_forever()

        threading.Thread(target=run, name="websocket-api", daemon=True).start()
        if not listening.wait(10):
            raise RuntimeError(f"the WebSocket API did not start on 127.0.0.1:{self.port}")
        return f"ws://127.0.0.1:{self.port}/{self.api.stage}"

    def app(self) -> web.Application:
        app = web.Application()
        stage = self.api.stage
        app.router.add_post(f"/{stage}/@connections/{{id}}", self.post)
        app.router.add_get(f"/{stage}/@connections/{{id}}", self.describe)
        app.router.add_delete(f"/{stage}/@connections/{{id}}", self.delete)
        app.router.add_get("/{tail:.*}", self.handshake)
        return app


def serve_in_thread(api: SocketApi, functions_url: str, port: int) -> str:
    """Start the server on a daemon thread (its own event loop); returns its ws:// URL once it listens."""
    return SocketServer(api, functions_url, port).start_in_thread()
