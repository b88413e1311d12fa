"""A function whose synchronous answer is over Lambda's 6 MB limit fails as on Lambda (localcloud/workers.py):
the caller gets Function.ResponseSizeTooLarge, which API Gateway turns into a 500, and an answer at the
limit still arrives whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localcloud.template import FunctionSpec
from localcloud.workers import RESPONSE_LIMIT, FunctionPool

pytestmark = pytest.mark.functional

HANDLER = """
def handler(event, context):
    return "x" * event["size"]
"""


@pytest.fixture
def pool(tmp_path: Path) -> FunctionPool:
    (tmp_path / "app.py").write_text(HANDLER)
    spec = FunctionSpec("Big", tmp_path, "app.handler", timeout=30, memory=128, environment={})
    return FunctionPool(spec, "big", {"PATH": "/usr/bin:/bin"}, "arn:aws:lambda:us-east-1:123456789012:function:big", 1)


def test_an_answer_over_six_megabytes_is_lambdas_size_error_and_one_at_the_limit_arrives(pool: FunctionPool) -> None:
    try:
        fits = RESPONSE_LIMIT - 2  # the JSON string's two quotes count
        at_limit = pool.invoke({"size": fits}, generation=0)
        too_big = pool.invoke({"size": fits + 1}, generation=0)
    finally:
        pool.stop()

    assert at_limit.error is None
    assert len(json.loads(at_limit.result or '""')) == fits
    assert too_big.result is None
    assert too_big.error is not None
    assert too_big.error["errorType"] == "Function.ResponseSizeTooLarge"
    assert f"({RESPONSE_LIMIT + 1} bytes)" in too_big.error["errorMessage"]
