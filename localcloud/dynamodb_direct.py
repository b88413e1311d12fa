"""DynamoDB requests go straight to moto's DynamoDB handler, without the Flask app around it.

moto 5.2.5 serves each service through a Flask app: a host lookup picks the app, Flask opens a request context,
matches the URL, runs the view (moto's `convert_to_flask_response`, which calls `DynamoHandler.dispatch`) and
flask-cors adds `Access-Control-Allow-Origin: *`. For a GetItem that frame costs about as much as DynamoDB's own
work. Every DynamoDB call is a POST to `/` named by its `X-Amz-Target`, so this calls the same dispatch with the
same request class, and answers with the same Response class and the header flask-cors adds. A request with an
`Origin` (a browser's, where flask-cors says more) takes moto's own way, as does everything else.

tests/functional/test_localcloud_dynamodb_direct.py checks that every answer is byte for byte moto's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

PINNED_MOTO = "5.2.5"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_DYNAMODB = "DynamoDB_20120810."


def direct(app: WsgiApp) -> WsgiApp | None:
    """`app` (moto's DomainDispatcherApplication) with DynamoDB calls answered directly; None on another moto."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    from botocore.exceptions import ClientError
    from flask import Response
    from moto.dynamodb.responses import DynamoHandler
    from moto.moto_api import recorder
    from moto.moto_server.werkzeug_app import BackendRequest

    def dynamodb_direct(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if (
            environ["REQUEST_METHOD"] != "POST"
            or not environ.get("HTTP_X_AMZ_TARGET", "").startswith(_DYNAMODB)
            or "HTTP_ORIGIN" in environ
        ):
            return app(environ, start_response)
        # What moto's convert_to_flask_response does with the request Flask would have built.
        request = BackendRequest(environ)
        recorder._record_request(request)
        try:
            result = DynamoHandler.dispatch(request, request.raw_url, dict(request.headers))
        except ClientError as exc:
            result = 400, {}, exc.response["Error"]["Message"]
        status, headers, content = result if len(result) == 3 else (200, {}, result)
        response = Response(response=content, status=status, headers=headers)
        response.headers["Access-Control-Allow-Origin"] = "*"  # flask-cors, on every answer of moto's apps
        answer: Iterable[bytes] = response(environ, start_response)
        return answer

    return dynamodb_direct
