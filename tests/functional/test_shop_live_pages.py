"""The shop's pages and the live channel: a signed-in shopper's pages carry a pass to their own room (the access
token stays in its HttpOnly cookie), an order page its order's tracking token; logging out ends the pass."""

from __future__ import annotations

import pytest

from nozzly.orders.domain.tracking import tracking_token
from nozzly.realtime.services.live_passes import LivePasses
from tests.functional.auth_helpers import token_claims
from tests.functional.harness import STORE, Cloud
from tests.functional.order_helpers import place_order
from tests.functional.test_shop_account_pages import BASE, cart_of, signed_in

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
KEY = "a-test-order-tracking-key-of-40-chars!!!"


@pytest.fixture
def keyed(seeded: Cloud) -> Cloud:
    name = seeded.environments["ShopAccountPages"]["ORDER_TRACKING_KEY_PARAMETER"]
    seeded.client("ssm").put_parameter(Name=name, Value=KEY, Type="SecureString", Overwrite=True)
    return seeded


def test_a_signed_in_shoppers_pages_follow_their_own_room_by_a_pass_and_log_out_ends_it(keyed: Cloud) -> None:
    browser = signed_in(keyed)
    account = browser.get(BASE)
    sub = str(token_claims(browser.cookies["nz_access"])["sub"])
    held = browser.cookies["nz_live"]
    assert held.startswith(f"{sub}.")
    live_pass = held.removeprefix(f"{sub}.")
    assert LivePasses(lambda: KEY).admits(STORE, sub, live_pass)
    assert f'data-room="shopper:{STORE}:{sub}" data-token="{live_pass}"' in account.html
    assert browser.cookies["nz_access"] not in account.html  # the access token never reaches the page

    home = browser.get(f"/shop/{STORE}")  # a browsing page (another function) reads the pass from its cookie
    assert f'data-room="shopper:{STORE}:{sub}"' in home.html and "/shop-assets/live." in home.html

    out = browser.post(f"{BASE}/logout", {"csrf": account.csrf()})
    assert out.status == 303 and "nz_live" not in browser.cookies
    assert 'id="live-cart"' not in browser.get(f"/shop/{STORE}").html


def test_the_shoppers_order_page_follows_the_order_by_its_tracking_token(keyed: Cloud) -> None:
    browser = signed_in(keyed)
    order = place_order(cart_of(browser))

    detail = browser.get(f"{BASE}/orders/{order}")

    token = tracking_token(KEY.encode(), STORE, order)
    assert f'data-room="order:{STORE}:{order}"' in detail.html and f'data-token="{token}"' in detail.html
    assert "data-live-status" in detail.html and "Received" in detail.html
