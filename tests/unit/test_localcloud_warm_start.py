"""What a warm `make run` skips (localcloud/warm_start.py) and how its start speaks (localcloud/run.Progress): a
custom resource runs again only when its properties or its code changed, provisioning is skipped only for the
same template, parameters and definitions, and a waiting phase never stays silent past its quiet time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from localcloud import warm_start
from localcloud.provision import Provisioner
from localcloud.run import Progress

TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:nozzly-Publisher"


def _cfn(code: Path, version: str = "1") -> dict[str, Any]:
    return {
        "Resources": {
            "Publisher": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Code": {"S3Key": str(code)}, "Handler": "app.handler"},
            },
            "Site": {"Type": "Custom::Site", "Properties": {"ServiceToken": TOKEN, "Version": version}},
        }
    }


def _provisioner(cfn: dict[str, Any], runs: list[str]) -> Provisioner:
    provisioner = Provisioner(cfn, client=lambda service: None)

    def custom_resource(logical_id: str, resource_type: str, props: dict[str, Any]) -> None:
        runs.append(logical_id)
        provisioner.resolver.assign(logical_id, f"site-{len(runs)}")

    provisioner.custom_resource = custom_resource  # type: ignore[method-assign]  # the handler's answer, locally
    return provisioner


def test_a_custom_resource_runs_again_only_when_its_properties_or_code_changed(tmp_path: Path) -> None:
    code = tmp_path / "publisher"
    (code / "site").mkdir(parents=True)
    (code / "site" / "index.html").write_text("<h1>v1</h1>")
    runs: list[str] = []
    noted, ran = warm_start.run_custom_resources(_provisioner(_cfn(code), runs), {})
    assert (ran, runs) == (1, ["Site"])

    again = _provisioner(_cfn(code), runs)
    assert warm_start.run_custom_resources(again, noted) == (noted, 0)
    assert again.resolver.assigned("Site") == "site-1"  # the answer of the run it skipped

    (code / "site" / "index.html").write_text("<h1>version two</h1>")  # a developer edits the console
    assert warm_start.run_custom_resources(_provisioner(_cfn(code), runs), noted)[1] == 1
    assert warm_start.run_custom_resources(_provisioner(_cfn(code, version="2"), runs), noted)[1] == 1
    assert runs == ["Site", "Site", "Site"]


def test_the_template_fingerprint_follows_the_template_parameters_and_definitions(tmp_path: Path) -> None:
    definition = tmp_path / "flow.asl.json"
    definition.write_text('{"StartAt": "A"}')
    cfn = {
        "Resources": {
            "Flow": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionS3Location": {"Key": str(definition)}},
            }
        }
    }
    first = warm_start.template_fingerprint(cfn, {"ApiPort": "3000"})
    assert warm_start.template_fingerprint(cfn, {"ApiPort": "3000"}) == first
    assert warm_start.template_fingerprint(cfn, {"ApiPort": "3100"}) != first  # a port moved
    definition.write_text('{"StartAt": "B"}')
    assert warm_start.template_fingerprint(cfn, {"ApiPort": "3000"}) != first  # a workflow edited


def test_a_waiting_phase_says_it_still_waits_within_its_quiet_time(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [100.0]
    monkeypatch.setattr("localcloud.run.time.monotonic", lambda: now[0])
    progress = Progress()
    progress.phase("waiting for the AWS emulator")
    for _ in range(80):  # 8 s of waiting, polled every 0.1 s
        now[0] += 0.1
        progress.tick()
    lines = capsys.readouterr().out.splitlines()
    times = [float(re.findall(r"\[\s*([\d.]+) s\]", line)[0]) for line in lines]
    assert lines[1].endswith("... still waiting for the AWS emulator")
    assert max(b - a for a, b in zip(times, [*times[1:], 8.0], strict=True)) < 3.0


def test_the_kept_parse_of_the_template_is_what_pyyaml_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from samtranslator.yaml_helper import yaml_parse

    from localcloud.template import TEMPLATE, load_sam

    monkeypatch.setattr("localcloud.template.TRANSFORM_CACHE", tmp_path / "kept")
    copy = tmp_path / "template.yaml"
    copy.write_text(TEMPLATE.read_text())
    first = load_sam(copy)  # parsed by PyYAML and kept
    assert len(list((tmp_path / "kept").glob("sam-*.json"))) == 1
    assert load_sam(copy) == first == yaml_parse(copy.read_text())
    copy.write_text(copy.read_text().replace("Timeout: 10", "Timeout: 11", 1))
    assert load_sam(copy) == yaml_parse(copy.read_text()) != first  # an edited template is parsed again


def test_the_readiness_probe_sees_a_listening_port_and_lets_a_free_one_go() -> None:
    import socket

    from localcloud.ports import listening

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
        assert listening(f"http://127.0.0.1:{port}/ping") is False  # bound, not listening yet
        server.listen()
        assert listening(f"http://127.0.0.1:{port}/ping") is True
    with socket.socket() as again:  # nothing the probe made holds the port
        again.bind(("127.0.0.1", port))
