"""Opening a store: id reservation with the owner's membership, the provisioning steps, success and failure."""

from __future__ import annotations

import json

import pytest

from nozzly.stores.services.store_provisioning import SeedingFailed
from tests.functional.harness import Cloud, http_event
from tests.functional.store_helpers import ALICE, OPEN, admin, caught, keys, open_store, provision, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
SEEDED = ["CATEGORY#", "CATEGORY#decor", "CATEGORY#furniture", "CATEGORY#garden", "CATEGORY#kitchen"]
SETTINGS = [
    "SEQUENCE#order",
    "SETTINGS#branding",
    "SETTINGS#general",
    "SETTINGS#shipping",
    "SETTINGS#tax",
    "SETTINGS_LOG#branding#0000000001",
    "SETTINGS_LOG#general#0000000001",
    "SETTINGS_LOG#shipping#0000000001",
    "SETTINGS_LOG#tax#0000000001",
]


def test_opening_a_store_reserves_its_id_with_the_owners_membership_and_starts_provisioning(cloud: Cloud) -> None:
    response = admin(cloud, "POST /admin/stores", ALICE, body=OPEN)

    assert response.status == 202, response.body
    assert response.body == {
        "id": "lantern-loom",
        "status": "PENDING",
        "provisioning_url": "/admin/stores/lantern-loom/provisioning",
    }
    profile = cloud.item("StoresTable", "lantern-loom", "PROFILE")
    assert profile is not None
    assert (profile["status"]["S"], profile["progress"]["N"], profile["owner"]["S"]) == ("pending", "0", ALICE)
    member = cloud.item("StoresTable", "lantern-loom", f"MEMBER#{ALICE}")
    assert member is not None
    assert (member["role"]["S"], member["gsi1pk"]["S"], member["gsi1sk"]["S"]) == (
        "owner",
        f"OPERATOR#{ALICE}",
        "lantern-loom",
    )
    sfn = cloud.client("stepfunctions")
    arn = cloud.environments["StoreAdmin"]["STORE_PROVISIONING_STATE_MACHINE_ARN"]
    [execution] = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert execution["name"].startswith("lantern-loom-")
    started = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
    assert started == {"store_id": "lantern-loom", "owner": ALICE, "correlation_id": started["correlation_id"]}
    assert started["correlation_id"]  # the sign-up request's id, which the provisioning steps log under
    provisioning = admin(cloud, "GET /admin/stores/{store}/provisioning", ALICE, "lantern-loom")
    assert provisioning.body == {"status": "PENDING", "progress": 0, "error": None}


def test_a_taken_name_gets_the_next_free_number(cloud: Cloud) -> None:
    ids = [open_store(cloud) for _ in range(3)]

    assert ids == ["lantern-loom", "lantern-loom-2", "lantern-loom-3"]


@pytest.mark.parametrize(("name", "store_id"), [("東京ストア", "dong-jing-sutoa"), ("Ελληνικά", "ellenika")])
def test_a_name_in_any_script_opens_a_store_with_a_transliterated_id(cloud: Cloud, name: str, store_id: str) -> None:
    response = admin(cloud, "POST /admin/stores", ALICE, body=OPEN | {"name": name})

    assert response.status == 202, response.body
    assert response.body["id"] == store_id
    opened = admin(cloud, "GET /admin/stores/{store}", ALICE, store_id)
    assert opened.status == 200 and opened.body["name"] == name


@pytest.mark.parametrize(
    ("field", "value"), [("currency", "XYZ"), ("country", "de"), ("country", "DEU"), ("name", "!!!"), ("name", "🔥")]
)
def test_invalid_store_fields_are_400_naming_the_field(cloud: Cloud, field: str, value: str) -> None:
    response = admin(cloud, "POST /admin/stores", ALICE, body=OPEN | {field: value})

    assert response.status == 400, response.body
    assert [f["field"] for f in response.body["error"]["fields"]] == [field]
    assert cloud.all_items("StoresTable") == []


def test_the_body_cannot_choose_the_id_or_the_owner(cloud: Cloud) -> None:
    response = admin(cloud, "POST /admin/stores", ALICE, body=OPEN | {"id": "mine", "owner": "someone"})

    assert response.status == 400
    assert {f["field"] for f in response.body["error"]["fields"]} == {"id", "owner"}


def test_without_an_access_token_nothing_is_opened(cloud: Cloud) -> None:
    assert admin(cloud, "POST /admin/stores", None, body=OPEN).status == 401
    assert cloud.all_items("StoresTable") == []


def test_provisioning_seeds_everything_in_one_transaction_and_marks_the_store_ready(cloud: Cloud) -> None:
    store = open_store(cloud)
    calls: list[str] = []

    assert step(cloud, "seeding", store) == {"store_id": store, "status": "SEEDING"}
    progress = admin(cloud, "GET /admin/stores/{store}/provisioning", ALICE, store).body
    assert progress == {"status": "SEEDING", "progress": 50, "error": None}
    from nozzly.kernel.adapters import aws

    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    assert step(cloud, "seed", store) == {"store_id": store, "status": "READY"}

    assert calls.count("TransactWriteItems") == 1 and "PutItem" not in calls and "UpdateItem" not in calls
    assert keys(cloud, "CatalogTable", store) == SEEDED
    assert sorted(keys(cloud, "StoresTable", store)) == sorted([f"MEMBER#{ALICE}", "PROFILE", *SETTINGS])
    sequence = cloud.item("StoresTable", store, "SEQUENCE#order")
    branding = cloud.item("StoresTable", store, "SETTINGS#branding")
    assert sequence and branding
    assert sequence["next"]["N"] == "1001"
    assert branding["version"]["N"] == "1" and branding["data"]["M"]["sender_name"]["S"] == "Lantern & Loom"
    assert "reply_to" not in branding["data"]["M"]
    progress = admin(cloud, "GET /admin/stores/{store}/provisioning", ALICE, store).body
    assert progress == {"status": "READY", "progress": 100, "error": None}
    event = http_event("storefront_list_categories.json", path_parameters={"store": store})
    listed = cloud.http("StorefrontCatalog", event)
    assert [c["slug"] for c in listed.body["items"]] == ["furniture", "kitchen", "decor", "garden"]


def test_a_retried_seed_step_that_already_succeeded_succeeds_again(cloud: Cloud) -> None:
    store = open_store(cloud)
    provision(cloud, store)
    before = cloud.all_items("CatalogTable") + cloud.all_items("StoresTable")

    assert step(cloud, "seed", store) == {"store_id": store, "status": "READY"}
    assert cloud.all_items("CatalogTable") + cloud.all_items("StoresTable") == before


def test_a_failed_seed_leaves_nothing_and_the_owner_reads_why(cloud: Cloud) -> None:
    store = open_store(cloud)
    # Injected failure: this store id already has a catalog root, so the seed transaction is cancelled.
    cloud.client("dynamodb").put_item(
        TableName=cloud.catalog_table,
        Item={"pk": {"S": store}, "sk": {"S": "CATEGORY#"}, "type": {"S": "catalog_root"}},
    )
    step(cloud, "seeding", store)

    with pytest.raises(SeedingFailed) as failure:
        step(cloud, "seed", store)
    assert step(cloud, "fail", store, caught(failure.value)) == {"store_id": store, "status": "FAILED"}

    progress = admin(cloud, "GET /admin/stores/{store}/provisioning", ALICE, store).body
    assert progress["status"] == "FAILED" and progress["progress"] == 50
    assert "the catalog already existed" in progress["error"] and "Nothing was created" in progress["error"]
    assert keys(cloud, "CatalogTable", store) == ["CATEGORY#"]  # only the injected item
    assert sorted(keys(cloud, "StoresTable", store)) == [f"MEMBER#{ALICE}", "PROFILE"]


def test_an_unexpected_failure_is_explained_without_internals(cloud: Cloud) -> None:
    store = open_store(cloud)

    step(cloud, "fail", store, caught(RuntimeError("botocore said something internal")))

    error = admin(cloud, "GET /admin/stores/{store}/provisioning", ALICE, store).body["error"]
    assert error == "An unexpected error stopped the store's setup (RuntimeError). Nothing was created."


def test_a_failure_never_overwrites_a_ready_store(cloud: Cloud) -> None:
    store = open_store(cloud)
    provision(cloud, store)

    step(cloud, "fail", store, caught(RuntimeError("late")))

    assert admin(cloud, "GET /admin/stores/{store}/provisioning", ALICE, store).body["status"] == "READY"
