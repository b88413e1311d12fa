"""The embedded AWS emulator: moto's server on loopback, in a process of its own.

Its state outlives restarts of the functions process. Run: python -m localcloud.emulator
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

from localcloud import (
    bridge,
    dynamodb_direct,
    dynamodb_instances,
    dynamodb_isolation,
    dynamodb_item_json,
    dynamodb_responses,
    dynamodb_transactions,
    dynamodb_update_expressions,
    dynamodb_update_validation,
    gc_pauses,
    keepalive_wsgi,
    metering,
    moto_dispatch,
    outbox,
    persistence,
    queues,
    s3_notifications,
    s3_post_policy,
    sfn_caches,
    sfn_service_tasks,
    streams,
)
from localcloud.ports import emulator_port, emulator_url, functions_url

MOTO_CONFIG = {
    "lambda": {"use_docker": False},  # no Docker here; invocations go through the bridge instead
    "stepfunctions": {"execute_state_machine": True},  # really run the ASL
    "batch": {"use_docker": False},
}


def share_botocore_data() -> None:
    """One botocore data loader for every session in this process. moto makes a new boto3 session for each of
    several lookups as it loads (EC2's regions, three times over endpoints.json), and the emulator's own clients
    make more: each new loader parses the same JSON again (1-2 s of a warm start). The data never changes while
    the emulator runs, and a loader only reads it."""
    import botocore.session
    from botocore.loaders import create_loader

    loaders: dict[str | None, Any] = {}

    def shared_loader(search_path_string: str | None = None) -> Any:
        if search_path_string not in loaders:
            loaders[search_path_string] = create_loader(search_path_string)
        return loaders[search_path_string]

    botocore.session.create_loader = shared_loader


def quiet_request_handler() -> type:
    """moto's request handler, minus werkzeug's access line: werkzeug formats it (the path decoded, the date
    written) before its logger drops it below WARNING, 5 % of the emulator's CPU under load."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietRequestHandler(MotoRequestHandler):  # type: ignore[misc]
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if logging.getLogger("werkzeug").isEnabledFor(logging.INFO):
                super().log_request(code, size)

    return QuietRequestHandler


def _install_moto_patches() -> None:
    """Our changes to moto's behaviour, each pinned to the moto it was written for (skipped, with a line, else)."""
    if dynamodb_responses.install() is None:
        print(f"moto is not {dynamodb_responses.PINNED_MOTO}: DynamoDB answers use its serialiser", flush=True)
    if sfn_service_tasks.install() is None:
        print(f"moto is not {sfn_service_tasks.PINNED_MOTO}: states:startExecution tasks may fail", flush=True)
    if dynamodb_transactions.install() is None:
        print(f"moto is not {dynamodb_transactions.PINNED_MOTO}: transactions copy whole tables", flush=True)
    if dynamodb_update_expressions.install() is None:
        print(f"moto is not {dynamodb_update_expressions.PINNED_MOTO}: UpdateItem parses every time", flush=True)
    if dynamodb_update_validation.install() is None:
        print(f"moto is not {dynamodb_update_validation.PINNED_MOTO}: UpdateItem validates in full", flush=True)
    if sfn_caches.install() is None:
        print(f"moto is not {sfn_caches.PINNED_MOTO}: every execution parses its definition", flush=True)
    if dynamodb_item_json.install() is None:
        print(f"moto is not {dynamodb_item_json.PINNED_MOTO}: items' JSON copies every level", flush=True)
    if moto_dispatch.install() is None:
        print(f"moto is not {moto_dispatch.PINNED_MOTO}: every request looks its backend up", flush=True)
    if dynamodb_instances.install() is None:
        print(f"moto is not {dynamodb_instances.PINNED_MOTO}: DynamoDB items made stay in memory", flush=True)


def _moto_app() -> Any:
    """moto's server application (a Flask app per service), DynamoDB calls answered without the Flask frame."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    moto_app = DomainDispatcherApplication(create_backend_app)
    dynamodb_first = dynamodb_direct.direct(moto_app)
    if dynamodb_first is None:
        print(f"moto is not {dynamodb_direct.PINNED_MOTO}: DynamoDB calls go through its Flask app", flush=True)
    return dynamodb_first or moto_app


def main() -> None:
    share_botocore_data()  # before moto loads
    port = emulator_port()
    # moto's ASL interpreter calls back into the emulator for every task on this port.
    os.environ["MOTO_PORT"] = str(port)
    from moto.moto_api._internal.models import moto_api_backend
    from werkzeug.serving import make_server

    from localcloud import executions  # loads moto's Step Functions interpreter (and, through it, EC2's data)

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per AWS call is noise here
    moto_api_backend.set_config(MOTO_CONFIG)
    bridge.install(functions_url())
    s3_notifications.install(functions_url())
    s3_post_policy.install()
    executions.install()  # a stop freezes running executions; a restart resumes them
    _install_moto_patches()
    # moto's ThreadedMotoServer, with the local outbox served beside moto's API.
    app = outbox.with_outbox(_moto_app())
    if os.environ.get("NOZZLY_METER") == "1":  # `make bench`'s cost per order; inside the DynamoDB isolation
        app = metering.metered(app)
    app = dynamodb_isolation.isolated(app)
    folder = persistence.state_dir()
    saver = None
    status: dict[str, object] = {
        "persisted": folder is not None,
        "restored": False,
        "folder": str(folder) if folder else None,
    }
    if folder is not None:
        import moto

        if moto.__version__ != persistence.PINNED_MOTO:  # the reducers in moto_pickle were written for the pin
            print(f"moto is not {persistence.PINNED_MOTO}: saving the local cloud's state may fail", flush=True)
        persistence.extras["streams"] = (streams.positions, streams.resume_from)
        status["restored"] = persistence.restore(folder)
        status["running_executions"] = executions.note_restored() if status["restored"] else 0
        print(f"local cloud state: {'restored from' if status['restored'] else 'none yet in'} {folder}", flush=True)
        saver = persistence.Saver(folder, dynamodb_isolation.lock)
        app = saver.wrap(app)
    app = executions.with_resume_route(persistence.with_state_route(app, status))
    collector = gc_pauses.Collector()
    app = collector.counting(app)
    collector.install()  # after the imports and the restored state: none of it is walked again
    server = make_server(
        "127.0.0.1", port, app, threaded=True, request_handler=keepalive_wsgi.keep_alive(quiet_request_handler())
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    streams.start(emulator_url(), functions_url())  # DynamoDB stream event sources of the template
    queues.start(emulator_url(), functions_url())  # SQS event sources of the template
    print(f"emulator listening on http://127.0.0.1:{port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if saver is not None:
        threading.Thread(target=saver.every, args=(1.0, stop), name="save-when-quiet", daemon=True).start()
    threading.Thread(target=collector.every, args=(1.0, stop), name="gc-when-quiet", daemon=True).start()
    stop.wait()
    executions.freeze()  # before anything else: no workflow moves on while the stack goes away
    server.shutdown()
    if saver is not None:
        saver.save("stopping")


if __name__ == "__main__":
    main()
