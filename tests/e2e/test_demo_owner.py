"""The demo store has an owner whose credentials the README names; they administer MystmereForge."""

from __future__ import annotations

import json

import pytest

from localcloud import demo_owner
from localcloud.template import ROOT
from tests.e2e.conftest import LocalCloud, http_request

pytestmark = pytest.mark.e2e


def test_the_readme_credentials_log_in_as_the_demo_stores_owner(local_cloud: LocalCloud) -> None:
    readme = (ROOT / "README.md").read_text()
    assert demo_owner.EMAIL in readme and demo_owner.PASSWORD in readme

    body = json.dumps({"email": demo_owner.EMAIL, "password": demo_owner.PASSWORD}).encode()
    login = http_request(f"{local_cloud.api_url}/auth/login", "POST", {"content-type": "application/json"}, body)
    assert login.status == 200, login.body
    bearer = {"authorization": f"Bearer {login.json()['access_token']}"}

    mine = local_cloud.api("/admin/stores", headers=bearer)
    assert mine.status == 200, mine.body
    # Other e2e tests import copies of the demo document, owner included: look for the demo store.
    assert ("mystmereforge", "owner") in [(s["id"], s["role"]) for s in mine.json()["items"]]
    settings = local_cloud.api("/admin/stores/mystmereforge", headers=bearer)
    assert settings.status == 200, settings.body
    assert settings.json()["name"] == "MystmereForge"
