"""The one Powertools Logger, Metrics and Tracer of a function, and the decorator wiring them in.

The Tracer (X-Ray SDK, ~110 ms) is built on the first invocation rather than at import so that
cold-start init stays small; every invocation after the first is traced the same way.

Sentry is optional: when the stack has a `SentryDsn`, each function is told the name of the SSM parameter holding
it (`SENTRY_DSN_PARAMETER`, never the DSN itself) and reports its unhandled errors through sentry-sdk's AWS Lambda
integration, started once per container when the handler is wrapped (at import, before the Lambda runtime hands it
the first event, so that the integration can wrap the runtime's dispatch).
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from functools import cache, wraps
from typing import Any, Protocol

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

from nozzly.kernel.adapters import correlation, secrets

# Names a LogRecord has already: the standard library refuses them in `extra` with a KeyError, and a log call
# must never break the code it describes (the checkout saga's compensation once failed that way).
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _safe_extra(extra: Mapping[str, object] | None) -> Mapping[str, object] | None:
    if not extra or _RECORD_FIELDS.isdisjoint(extra):
        return extra
    return {f"extra_{k}" if k in _RECORD_FIELDS else k: v for k, v in extra.items()}


def _tolerate_any_extra(std: logging.Logger) -> None:
    make_record = std.makeRecord

    def safe_make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        if "extra" in kwargs:
            kwargs["extra"] = _safe_extra(kwargs["extra"])
        elif len(args) > 8:  # makeRecord's 9th positional parameter is `extra`
            args = (*args[:8], _safe_extra(args[8]), *args[9:])
        return make_record(*args, **kwargs)

    std.makeRecord = safe_make_record  # type: ignore[method-assign]


logger = Logger()
_tolerate_any_extra(logger._logger)
metrics = Metrics()
# Most invocations record no business metric; an empty flush is normal, not worth a warning each time.
warnings.filterwarnings("ignore", message="No application metrics to publish")

Handler = Callable[[dict[str, Any], Any], Any]


@cache
def tracer() -> Tracer:
    return Tracer()


SENTRY_DSN_PARAMETER = "SENTRY_DSN_PARAMETER"  # the environment variable naming the DSN's SSM parameter


@cache
def error_reporting() -> bool:
    """Start Sentry once per container if the stack names a DSN; whether it reports. Without one, nothing of
    sentry-sdk is imported. Nothing personal leaves the function: no request bodies, cookies, query strings, user
    ids or IP addresses, no stack frames' local variables (they hold emails, addresses and tokens)."""
    name = os.environ.get(SENTRY_DSN_PARAMETER, "")
    try:
        dsn = secrets.secret(name) if name else ""
    except Exception:  # reporting errors must never be one: the function runs on without it
        logger.warning("error reporting is off: the Sentry DSN parameter could not be read", exc_info=True)
        return False
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.aws_lambda import AwsLambdaIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[AwsLambdaIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT") or None,
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},  # recovery and invitation links carry their tokens there
            "stack_frame_variables": False,
        },
        traces_sample_rate=None,  # performance tracing is X-Ray's (Tracer); Sentry gets errors only
    )
    return True


def lambda_entry(handler: Handler) -> Handler:
    """Wrap a Lambda handler with structured logging context, metrics flushing, tracing and error reporting."""
    error_reporting()

    @wraps(handler)
    def correlated(event: dict[str, Any], context: Any) -> Any:
        event, correlation_id = correlation.split(event)
        with correlation.bound(correlation_id):
            if correlation_id is not None:
                logger.set_correlation_id(correlation_id)  # every log line of the invocation carries it
            return handler(event, context)

    logged = logger.inject_lambda_context(clear_state=True)(correlated)
    # ColdStart (dimension function_name) is one of the dashboard's figures.
    measured = metrics.log_metrics(logged, capture_cold_start_metric=True)
    traced: Handler | None = None

    @wraps(handler)
    def entry(event: dict[str, Any], context: Any) -> Any:
        nonlocal traced
        if traced is None:
            traced = tracer().capture_lambda_handler(measured)
        return traced(event, context)

    return entry


class _Figure(Protocol):  # analytics.domain.business_metrics.Figure's shape (the kernel knows no capability)
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...
    @property
    def dimensions(self) -> Mapping[str, str]: ...


def record_figures(figures: Iterable[_Figure]) -> None:
    """Business figures as CloudWatch metrics: a figure without dimensions joins the invocation's metrics; one
    with dimensions is written on its own, so its dimensions (outcome, currency) are not added to the others.
    A figure is never worth failing the work it counts: a metric that cannot be written is logged instead."""
    for figure in figures:
        try:
            if not figure.dimensions:
                metrics.add_metric(name=figure.name, unit=MetricUnit.Count, value=figure.value)
                continue
            with single_metric(
                name=figure.name, unit=MetricUnit.Count, value=figure.value, namespace=metrics.namespace
            ) as metric:
                for key, value in figure.dimensions.items():
                    metric.add_dimension(name=key, value=value)
        except Exception:  # Powertools' schema and value errors, whatever their class
            logger.warning("business metric not recorded", extra={"metric": figure.name}, exc_info=True)
