"""An import may name an existing operator as the store's owner; the owner then administers the store."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from tests.functional.harness import Cloud, store_step
from tests.functional.store_helpers import admin

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
OWNER_EMAIL = "owner@import.test"


def _operator(cloud: Cloud, email: str) -> str:
    """An operator account as OperatorAuth leaves it after sign-up and confirmation: its sub."""
    pool = cloud.environments["CatalogImport"]["OPERATOR_USER_POOL_ID"]
    cognito = cloud.client("cognito-idp")
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )
    attributes = cognito.admin_get_user(UserPoolId=pool, Username=email)["UserAttributes"]
    return str(next(a["Value"] for a in attributes if a["Name"] == "sub"))


def test_the_named_owner_becomes_the_stores_owner(cloud: Cloud) -> None:
    sub = _operator(cloud, OWNER_EMAIL)
    event = store_step()
    event["store"]["owner_email"] = " Owner@Import.test "  # normalised like every email
    cloud.invoke("CatalogImport", event)
    cloud.invoke("CatalogImport", event)  # importing again keeps one owner membership

    mine = admin(cloud, "GET /admin/stores", sub)
    assert mine.status == 200, mine.body
    assert [(s["id"], s["role"]) for s in mine.body["items"]] == [(event["store"]["id"], "owner")]


def test_an_owner_without_an_account_fails_the_import_and_writes_nothing(cloud: Cloud) -> None:
    event = store_step()
    event["store"]["owner_email"] = "nobody@import.test"
    with pytest.raises(InvalidInput, match="no operator account"):
        cloud.invoke("CatalogImport", event)
    assert cloud.all_items("StoresTable") == []
    assert cloud.all_items("CatalogTable") == []
