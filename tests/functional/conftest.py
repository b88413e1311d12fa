"""Functional tests: every template resource in moto's in-process mock, handlers fed from events/."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from localcloud.moto_pickle import restore_backends, snapshot_backends
from localcloud.provision import Provisioner
from localcloud.template import LOCAL_PARAMETERS, REGION, functions, transformed
from tests.functional.harness import Cloud, seed_store

# The local stack's parameters (DeletionProtection false: the readiness tests delete tables).
PARAMETERS = dict(LOCAL_PARAMETERS)
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": REGION,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "Nozzly",
}


def _clear_caches() -> None:
    """Forget cached boto3 clients, settings and every service nozzly.wiring built: a new 'container' per test."""
    from nozzly import settings, wiring
    from nozzly.kernel.adapters import aws

    aws.client.cache_clear()
    for getter in vars(settings).values():  # every get_*settings(), including ones added later
        if callable(getter) and hasattr(getter, "cache_clear"):
            getter.cache_clear()
    wiring.reset()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials only: nothing may reach a real account or a local endpoint."""
    for key in list(os.environ):
        if key.startswith("AWS_ENDPOINT_URL") or key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            monkeypatch.delenv(key)
    for key, value in FAKE_AWS.items():
        monkeypatch.setenv(key, value)


# The template provisioned once per test process (about 9 s of CPU), then each test's fresh moto gets a copy of
# what it made (about 0.2 s): the same resources and ids, none of another test's data.
_PROVISIONED: dict[str, Any] = {}


@pytest.fixture
def cloud(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cloud]:
    """The whole template provisioned in moto; each function gets its template environment when invoked."""
    import moto

    from localcloud.dynamodb_isolation import isolate_in_process

    cfn = transformed(parameters=LOCAL_PARAMETERS)
    specs = functions(cfn)

    def apply_environment(variables: dict[str, str]) -> None:
        for key, value in variables.items():
            monkeypatch.setenv(key, value)
        # Powertools Metrics reads its namespace and service when nozzly.observability is first imported,
        # once per process here but once per function container in Lambda, where the environment comes first.
        from nozzly.observability import metrics

        monkeypatch.setattr(metrics, "namespace", variables["POWERTOOLS_METRICS_NAMESPACE"])
        monkeypatch.setattr(metrics, "service", variables["POWERTOOLS_SERVICE_NAME"])

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION)  # type: ignore[call-overload]

    _clear_caches()
    undo_isolation = isolate_in_process()  # DynamoDB's conditional writes hold under threads, as on AWS
    with moto.mock_aws(config={"lambda": {"use_docker": False}}):
        if _PROVISIONED:
            restore_backends(_PROVISIONED["backends"])
        else:
            provisioner = Provisioner(cfn, client, PARAMETERS)
            provisioner.run()
            resolver = provisioner.resolver  # knows the ids the emulator assigned (user pools, clients)
            _PROVISIONED["names"] = dict(resolver.names)
            _PROVISIONED["environments"] = {
                logical_id: {k: str(v) for k, v in resolver.resolve(spec.environment).items()}
                for logical_id, spec in specs.items()
            }
            _PROVISIONED["backends"] = snapshot_backends()
        names, environments = dict(_PROVISIONED["names"]), copy.deepcopy(_PROVISIONED["environments"])
        try:
            yield Cloud(names, specs, environments, apply_environment, client)
        finally:
            undo_isolation()
    _clear_caches()


@pytest.fixture
def seeded(cloud: Cloud) -> Cloud:
    """The mystmereforge store and its catalog, imported through the CatalogImport handler."""
    seed_store(cloud)
    return cloud


@pytest.fixture
def dynamodb_calls(seeded: Cloud) -> list[str]:
    """Names of the DynamoDB operations the handlers make after seeding, through their cached client."""
    from nozzly.kernel.adapters import aws

    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    # The cached client is what the handlers use; it needs the fake region from the environment.
    seeded.apply_environment(seeded.environments["StorefrontCatalog"])
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", count)
    return calls
