"""The local cloud's function timeouts: the template's own, unless NOZZLY_TIMEOUT_SCALE stretches them (the test
suite's shared two cores), and a nonsense scale stops the cloud with a message instead of running without one."""

from __future__ import annotations

import pytest

from localcloud.template import functions

CFN = {
    "Resources": {
        "Shop": {
            "Type": "AWS::Lambda::Function",
            "Properties": {"Code": {"S3Bucket": "b", "S3Key": "/tmp/shop"}, "Handler": "app.handler", "Timeout": 10},
        }
    }
}


def test_a_function_times_out_when_the_template_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOZZLY_TIMEOUT_SCALE", raising=False)
    assert functions(CFN)["Shop"].timeout == 10


def test_the_scale_stretches_every_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOZZLY_TIMEOUT_SCALE", "2.5")
    assert functions(CFN)["Shop"].timeout == 25


@pytest.mark.parametrize("scale", ["fast", "0.5", "11"])
def test_a_scale_out_of_bounds_stops_the_cloud(monkeypatch: pytest.MonkeyPatch, scale: str) -> None:
    monkeypatch.setenv("NOZZLY_TIMEOUT_SCALE", scale)
    with pytest.raises(SystemExit, match="NOZZLY_TIMEOUT_SCALE"):
        functions(CFN)
