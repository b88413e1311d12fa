"""The local cloud's function timeouts: the template's own, unless NOZZLY_TIMEOUT_SCALE stretches them (the test
suite's shared two cores), and a nonsense scale stops the cloud with a message instead of running without one.
The same for the number of instances a function may run at once (NOZZLY_MAX_INSTANCES)."""

from __future__ import annotations

import os

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


@pytest.mark.parametrize(("cores", "instances"), [(1, 2), (2, 2), (3, 3), (4, 4), (16, 4)])
def test_each_function_runs_an_instance_per_core_from_two_to_four_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, cores: int, instances: int
) -> None:
    from localcloud import workers

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    monkeypatch.delenv("NOZZLY_MAX_INSTANCES", raising=False)
    assert workers.max_instances() == instances
    monkeypatch.setenv("NOZZLY_MAX_INSTANCES", "8")
    assert workers.max_instances() == 8


@pytest.mark.parametrize("limit", ["many", "0", "33", "2.5"])
def test_an_instance_limit_out_of_bounds_stops_the_cloud(monkeypatch: pytest.MonkeyPatch, limit: str) -> None:
    from localcloud.workers import max_instances

    monkeypatch.setenv("NOZZLY_MAX_INSTANCES", limit)
    with pytest.raises(SystemExit, match="NOZZLY_MAX_INSTANCES"):
        max_instances()
