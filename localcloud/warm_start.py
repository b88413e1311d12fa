"""What a restored stack need not do again at start: create the template's resources, run its custom resources.

Provisioning is idempotent, but on a restored stack it is some 400 calls to the emulator that change nothing
(17 s of a 44 s warm start on a busy machine), and the console's custom resource publishes 72 unchanged files.
So after provisioning, `make run` writes down in the emulator itself what it provisioned from: a fingerprint of
the transformed template, its parameters, the state machines' definitions and the provisioning code, the ids the
emulator assigned (Cognito pools and clients), and each custom resource's properties and code with the physical
id it answered. Kept inside the emulator, the note is saved and restored with the very state it describes: a
stack restored from a snapshot whose note matches skips what the note covers; any other stack (a changed
template, a new port, edited console files, a snapshot from before this note) is provisioned as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from localcloud.clients import ClientFactory
from localcloud.provision import Provisioner
from localcloud.resource_types import RESPONSES_BUCKET
from localcloud.template import ROOT, functions, local_path

NOTE_KEY = "localcloud/provisioned.json"  # in the local-only bucket custom resources answer into
FORMAT = 1
# Provisioning code: a change to what it creates must not be skipped by a note written before it.
PROVISIONING_CODE = (
    "localcloud/provision.py",
    "localcloud/intrinsics.py",
    "localcloud/discovery.py",
    "localcloud/s3_notifications.py",
    "localcloud/edge.py",
)


@dataclass
class Note:
    fingerprint: str
    ids: dict[str, str]  # logical id -> id the emulator assigned
    created: int  # how many resources provisioning created, for the summary
    custom: dict[str, list[str]] = field(default_factory=dict)  # logical id -> [fingerprint, physical id]
    format: int = FORMAT


def _digest(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def template_fingerprint(cfn: dict[str, Any], parameters: dict[str, Any]) -> str:
    """What provisioning creates depends on: the transform, the parameters, the ASL files, the provisioning code."""
    definitions = sorted(
        str(local_path(r["Properties"]["DefinitionS3Location"]))
        for r in cfn["Resources"].values()
        if r["Type"] == "AWS::StepFunctions::StateMachine" and "DefinitionS3Location" in r.get("Properties", {})
    )
    files = [Path(d) for d in definitions] + [ROOT / code for code in PROVISIONING_CODE]
    parts = [json.dumps(cfn, sort_keys=True).encode(), json.dumps(parameters, sort_keys=True).encode()]
    return _digest(parts + [f.read_bytes() for f in files])


def _tree(folder: Path) -> bytes:
    """A folder's files by path, size and modification time: an edited file changes it (cheap to take)."""
    listing = sorted(
        (str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    )
    return json.dumps(listing).encode()


def custom_fingerprint(props: dict[str, Any], code_dir: Path | None) -> str:
    return _digest([json.dumps(props, sort_keys=True, default=str).encode(), _tree(code_dir) if code_dir else b""])


def read(client: ClientFactory) -> Note | None:
    """The note a restored stack holds, or None (none written, or another format)."""
    s3 = client("s3")
    try:
        data = json.loads(s3.get_object(Bucket=RESPONSES_BUCKET, Key=NOTE_KEY)["Body"].read())
    except (s3.exceptions.NoSuchKey, s3.exceptions.NoSuchBucket, ValueError):
        return None
    return Note(**data) if data.get("format") == FORMAT else None


def write(client: ClientFactory, note: Note) -> None:
    s3 = client("s3")
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
        s3.create_bucket(Bucket=RESPONSES_BUCKET)
    s3.put_object(Bucket=RESPONSES_BUCKET, Key=NOTE_KEY, Body=json.dumps(asdict(note)).encode())


def adopt(provisioner: Provisioner, note: Note) -> None:
    """The provisioner learns the ids the restored stack has, as provisioning it would have taught it."""
    provisioner.resolver.ids.update(note.ids)


def run_custom_resources(provisioner: Provisioner, kept: dict[str, list[str]]) -> tuple[dict[str, list[str]], int]:
    """Run each custom resource whose properties or code changed since `kept` was noted; reuse the others'
    answers. Returns what to note now, and how many ran."""
    code_dirs = {
        provisioner.resolver.names[logical_id]: spec.code_dir for logical_id, spec in functions(provisioner.cfn).items()
    }
    noted: dict[str, list[str]] = {}
    ran = 0
    for logical_id, resource_type, props in provisioner.custom_resources():
        function = str(props["ServiceToken"]).split(":function:", 1)[1].split(":", 1)[0]
        fingerprint = custom_fingerprint(props, code_dirs.get(function))
        before = kept.get(logical_id)
        if before and before[0] == fingerprint:
            provisioner.resolver.assign(logical_id, before[1])
        else:
            provisioner.custom_resource(logical_id, resource_type, props)
            ran += 1
        noted[logical_id] = [fingerprint, provisioner.resolver.assigned(logical_id)]
        provisioner.created.append(logical_id)
    return noted, ran
