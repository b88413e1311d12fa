"""Logging never breaks the code it describes: a key the standard library reserves is kept under another name."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from nozzly.observability import logger

pytestmark = pytest.mark.unit


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    handler = _Records()
    logger._logger.addHandler(handler)
    yield handler.records
    logger._logger.removeHandler(handler)


def test_reserved_names_in_extra_are_logged_not_raised(records: list[logging.LogRecord]) -> None:
    logger.warning("checkout failed", extra={"message": "boom", "name": "Reserve", "store_id": "s1"})
    logger.info("payment started", args="kept", checkout_id="c1")

    failed, started = records[-2], records[-1]
    assert failed.getMessage() == "checkout failed"
    assert vars(failed)["extra_message"] == "boom"
    assert vars(failed)["extra_name"] == "Reserve"
    assert vars(failed)["store_id"] == "s1"
    assert (vars(started)["extra_args"], vars(started)["checkout_id"]) == ("kept", "c1")


def test_an_exception_logged_with_reserved_names_keeps_its_trace(records: list[logging.LogRecord]) -> None:
    try:
        raise KeyError("gone")
    except KeyError:
        logger.exception("voiding a payment failed", extra={"msg": "x"})

    record = records[-1]
    assert record.exc_info is not None
    assert record.exc_info[0] is KeyError
    assert vars(record)["extra_msg"] == "x"
