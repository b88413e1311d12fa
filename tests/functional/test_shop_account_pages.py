"""The account pages through the ShopAccountPages function: sign up, confirm, log in (the guest cart joins),
the order history, cancelling, addresses, and the refusals a shopper may meet (wrong password, CSRF, another
store's cookie)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from tests.functional.auth_helpers import AuthApi, clear_of_window_end, last_code, open_store, token_claims
from tests.functional.fulfilment_helpers import OWNER, add_team, executions, operator_call, run_workflow
from tests.functional.harness import STORE, Cloud
from tests.functional.order_helpers import place_order
from tests.functional.page_helpers import Browser, Page
from tests.functional.review_helpers import queue
from tests.functional.test_cart_recovery import reminded
from tests.functional.test_carts import EMBER, CartApi, guest_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

BASE = f"/shop/{STORE}/account"
PASSWORD = "walnut-42"


class Recorded:
    """The raw Set-Cookie headers of every page answer (the Browser keeps only the values)."""

    def __init__(self, cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
        self.set_cookies: list[str] = []
        invoke = cloud.invoke

        def recording(function: str, event: dict[str, Any]) -> Any:
            answer = invoke(function, event)
            if isinstance(answer, dict):
                self.set_cookies = list(answer.get("cookies", []))
            return answer

        monkeypatch.setattr(cloud, "invoke", recording)

    def header(self, name: str) -> str:
        found = [c for c in self.set_cookies if c.startswith(f"{name}=")]
        assert found, f"no Set-Cookie for {name}: {self.set_cookies}"
        return found[0]


def sign_up(browser: Browser, email: str, name: str = "Sam Shopper") -> Page:
    form = browser.get(f"{BASE}/signup")
    return browser.post(f"{BASE}/signup", {"csrf": form.csrf(), "name": name, "email": email, "password": PASSWORD})


def verify(browser: Browser, email: str) -> Page:
    form = browser.get(f"{BASE}/verify", query=f"email={quote(email)}")
    return browser.post(f"{BASE}/verify", {"csrf": form.csrf(), "email": email, "code": last_code(email)})


def log_in(browser: Browser, email: str, password: str = PASSWORD, **extra: str) -> Page:
    form = browser.get(f"{BASE}/login")
    return browser.post(f"{BASE}/login", {"csrf": form.csrf(), "email": email, "password": password} | extra)


def signed_in(cloud: Cloud, email: str = "sam@example.com") -> Browser:
    browser = Browser(cloud)
    assert sign_up(browser, email).status == 303
    assert verify(browser, email).status == 303
    assert log_in(browser, email).status == 303
    return browser


def cart_of(browser: Browser) -> CartApi:
    """The signed-in shopper's cart through the JSON API (with their page cookie's access token)."""
    return CartApi(
        browser.cloud, "/stores/{store}/me/cart", {"store": STORE}, token_claims(browser.cookies["nz_access"])
    )


def test_sign_up_confirm_and_log_in_leave_the_tokens_in_http_only_cookies(
    seeded: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = Recorded(seeded, monkeypatch)
    browser = Browser(seeded)
    form = browser.get(f"{BASE}/signup")
    assert "at least 8 characters" in form.html  # the password rules are shown

    signed_up = sign_up(browser, "sam@example.com")
    assert signed_up.status == 303
    check = browser.get(f"{BASE}/verify", query="email=sam%40example.com&sent=signup")
    assert "Check your email" in check.html and "sam@example.com" in check.html
    confirmed = verify(browser, "sam@example.com")
    assert (confirmed.status, confirmed.headers["location"]) == (
        303,
        f"{BASE}/login?email=sam%40example.com&done=verified",
    )
    logged_in = log_in(browser, "sam@example.com")

    assert (logged_in.status, logged_in.headers["location"]) == (303, BASE)
    for name in ("nz_access", "nz_refresh"):
        header = recorded.header(name).lower()
        assert "httponly" in header and "samesite=lax" in header and f"path=/shop/{STORE}" in header
    account = browser.get(BASE)
    assert account.status == 200
    assert "Hello, Sam Shopper" in account.html and "sam@example.com" in account.html


def test_a_wrong_password_shows_the_form_again_with_the_problem(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    stranger = Browser(seeded)

    page = log_in(stranger, "sam@example.com", "not-the-password-1")

    assert page.status == 401
    assert "do not match an account" in page.html
    assert 'value="sam@example.com"' in page.html and "nz_access" not in stranger.cookies
    assert "nz_access" in browser.cookies


def test_an_unconfirmed_email_is_told_to_confirm_with_a_link_to_do_so(seeded: Cloud) -> None:
    browser = Browser(seeded)
    sign_up(browser, "ada@example.com")

    page = log_in(browser, "ada@example.com")

    assert page.status == 403
    assert "confirm your email" in page.html and f'href="{BASE}/verify?email=ada%40example.com"' in page.html


def test_a_weak_password_is_refused_with_the_rules(seeded: Cloud) -> None:
    browser = Browser(seeded)
    form = browser.get(f"{BASE}/signup")

    page = browser.post(f"{BASE}/signup", {"csrf": form.csrf(), "email": "weak@example.com", "password": "short"})

    assert page.status == 400
    assert "The password needs at least 8 characters" in page.html and 'value="weak@example.com"' in page.html


def test_the_account_page_without_cookies_sends_to_the_login_and_back(seeded: Cloud) -> None:
    page = Browser(seeded).get(f"{BASE}/orders")

    assert page.status == 303
    assert page.headers["location"] == f"{BASE}/login?next=%2Fshop%2F{STORE}%2Faccount%2Forders"


def test_a_form_sent_after_the_session_ended_asks_to_log_in_and_changes_nothing(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    order = place_order(cart_of(browser))
    token = browser.get(f"{BASE}/orders/{order}").csrf()
    browser.cookies.pop("nz_access"), browser.cookies.pop("nz_refresh")

    page = browser.post(f"{BASE}/orders/{order}/cancel", {"csrf": token})

    assert page.status == 303 and page.headers["location"] == f"{BASE}/login?next=%2Fshop%2F{STORE}%2Faccount"
    assert log_in(browser, "sam@example.com").status == 303
    assert "Cancel this order" in browser.get(f"{BASE}/orders/{order}").html


def test_a_login_goes_on_to_a_page_of_this_store_only(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    browser.cookies.pop("nz_access"), browser.cookies.pop("nz_refresh")

    onward = log_in(browser, "sam@example.com", next=f"/shop/{STORE}/account/addresses")
    browser.cookies.pop("nz_access"), browser.cookies.pop("nz_refresh")
    elsewhere = log_in(browser, "sam@example.com", next="//evil.example/steal")

    assert onward.headers["location"] == f"/shop/{STORE}/account/addresses"
    assert elsewhere.headers["location"] == BASE


def test_the_history_shows_the_shoppers_order_and_its_detail(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    order = place_order(cart_of(browser))

    account = browser.get(BASE)
    detail = browser.get(f"{BASE}/orders/{order}")

    assert f'href="{BASE}/orders/{order}"' in account.html and "Received" in account.html
    assert detail.status == 200
    assert "Ember Longsword" in detail.html and "Hauptstrasse 1" in detail.html
    assert "Cancel this order" in detail.html
    assert signed_in(seeded, "ada@example.com").get(f"{BASE}/orders/{order}").status == 404  # not Ada's order


def test_cancelling_an_unshipped_order_and_csrf_refusal_changes_nothing(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    order = place_order(cart_of(browser))
    url = f"{BASE}/orders/{order}"
    token = browser.get(url).csrf()

    forged = browser.post(f"{url}/cancel", {"csrf": "forged"})
    still = browser.get(url)
    cancelled = browser.post(f"{url}/cancel", {"csrf": token})
    after = browser.get(url, query="done=cancelled")
    again = browser.post(f"{url}/cancel", {"csrf": token})

    assert forged.status == 403 and "Cancel this order" in still.html
    assert cancelled.status == 303
    assert "Cancelled" in after.html and "Your order is cancelled" in after.html
    assert "Cancel this order" not in after.html
    assert again.status == 409 and "alert error" in again.html


def test_another_stores_shopper_is_not_signed_in_here(seeded: Cloud) -> None:
    open_store(seeded, "other-shop", "Other Shop")
    tokens = AuthApi(seeded, "other-shop").registered("eve@example.com", PASSWORD)
    browser = Browser(seeded, cookies={"nz_access": tokens["access_token"]})

    page = browser.get(BASE)

    assert page.status == 303 and page.headers["location"].startswith(f"{BASE}/login")
    assert "nz_access" not in browser.cookies  # the foreign cookie is cleared


def test_the_guest_cart_joins_the_account_on_login(seeded: Cloud) -> None:
    signed_in(seeded)
    guest = guest_cart(seeded)
    assert guest.add(quantity=2).status == 200
    browser = Browser(seeded, cookies={"nz_guest": guest.params["session"]})

    logged_in = log_in(browser, "sam@example.com")

    assert logged_in.status == 303
    assert browser.cookies.get("nz_cart") == "2" and "nz_guest" not in browser.cookies
    items = cart_of(browser).get()["items"]
    assert [(i["product"], i["quantity"]) for i in items] == [("ember-longsword", 2)]


def test_log_out_clears_the_cookies(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    token = browser.get(BASE).csrf()

    out = browser.post(f"{BASE}/logout", {"csrf": token})

    assert out.status == 303 and "nz_access" not in browser.cookies and "nz_refresh" not in browser.cookies
    assert browser.get(BASE).status == 303


def test_addresses_are_added_edited_and_deleted(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    token = browser.get(f"{BASE}/addresses/new").csrf()
    address = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115"}

    bad = browser.post(f"{BASE}/addresses/new", {"csrf": token, **address, "country": "Germany"})
    added = browser.post(f"{BASE}/addresses/new", {"csrf": token, **address, "country": "de"})
    listed = browser.get(f"{BASE}/addresses")
    address_id = re.findall(rf'href="{BASE}/addresses/([A-Za-z0-9_-]+)"', listed.html.replace("/addresses/new", ""))[0]
    edited = browser.post(
        f"{BASE}/addresses/{address_id}", {"csrf": token, **address, "city": "Hamburg", "country": "DE"}
    )
    after_edit = browser.get(f"{BASE}/addresses")
    deleted = browser.post(f"{BASE}/addresses/{address_id}/delete", {"csrf": token})

    assert bad.status == 400 and "two-letter code, like DE" in bad.html and 'value="Hauptstrasse 1"' in bad.html
    assert added.status == 303 and "10115 Berlin" in listed.html and "Default for shipping" in listed.html
    assert edited.status == 303 and "10115 Hamburg" in after_edit.html and "10115 Berlin" not in after_edit.html
    assert deleted.status == 303 and "No addresses yet" in browser.get(f"{BASE}/addresses").html


def test_a_reminder_opt_out_link_changes_nothing_until_its_button_is_pressed(seeded: Cloud) -> None:
    browser = Browser(seeded)
    page = browser.get(f"{BASE}/reminders/opt-out", query="token=unknown-token")

    refused = browser.post(f"{BASE}/reminders/opt-out", {"csrf": page.csrf(), "token": "unknown-token"})

    assert page.status == 200 and "Stop cart reminders" in page.html and 'value="unknown-token"' in page.html
    assert refused.status == 404 and "not known here" in refused.html


def test_a_delivered_order_shows_tracking_and_takes_a_review_for_moderation(seeded: Cloud) -> None:
    add_team(seeded)
    browser = signed_in(seeded)
    order = place_order(cart_of(browser))
    assert operator_call(seeded, "POST /status", order, body={"status": "processing"}).status == 200
    shipped = {"status": "shipped", "carrier": "ups", "tracking_number": "1Z9"}
    assert operator_call(seeded, "POST /status", order, body=shipped).status == 202
    [execution] = executions(seeded)
    run_workflow(seeded, execution["input"])
    assert operator_call(seeded, "POST /status", order, body={"status": "delivered"}).status == 200
    url = f"{BASE}/orders/{order}"
    detail = browser.get(url)
    review = {"csrf": detail.csrf(), "product": "ember-longsword", "title": "Sharp"}

    no_stars = browser.post(f"{url}/review", review | {"text": "Holds an edge."})
    sent = browser.post(f"{url}/review", review | {"rating": "5", "text": "Holds an edge."})
    thanked = browser.get(url, query="done=reviewed")

    assert "Delivered" in detail.html and "Cancel this order" not in detail.html
    assert 'href="https://www.ups.com/track?tracknum=1Z9"' in detail.html
    assert "Review this product" in detail.html
    assert no_stars.status == 400 and "1 to 5 stars" in no_stars.html and "Holds an edge." in no_stars.html
    assert sent.status == 303 and "appear on the shop after moderation" in thanked.html
    pending = queue(seeded, OWNER)
    assert [(r["product"], r["rating"], r["status"]) for r in pending.body["items"]] == [(EMBER, 5, "pending")]


def test_a_reminders_cart_link_restores_the_cart_into_a_new_guest_session(seeded: Cloud) -> None:
    _, token = reminded(seeded, (EMBER, 2, "standard"))
    browser = Browser(seeded)
    page = browser.get(f"{BASE}/cart/recover", query=f"token={token}")
    before = len(seeded.all_items("IdentityTable"))

    restored = browser.post(f"{BASE}/cart/recover", {"csrf": page.csrf(), "token": token})

    assert page.status == 200 and "Restore my cart" in page.html
    assert restored.status == 303 and restored.headers["location"] == f"/shop/{STORE}/cart"
    assert len(seeded.all_items("IdentityTable")) > before and browser.cookies["nz_cart"] == "2"
    restored_cart = guest_cart(seeded, browser.cookies["nz_guest"]).get()
    assert [(i["product"], i["quantity"]) for i in restored_cart["items"]] == [(EMBER, 2)]


def test_a_forgotten_password_is_reset_with_the_emailed_code(seeded: Cloud) -> None:
    signed_in(seeded)
    browser = Browser(seeded)
    form = browser.get(f"{BASE}/forgot")

    asked = browser.post(f"{BASE}/forgot", {"csrf": form.csrf(), "email": "sam@example.com"})
    reset_form = browser.get(f"{BASE}/reset", query="email=sam%40example.com&sent=reset")
    weak = {"csrf": form.csrf(), "email": "sam@example.com", "code": last_code("sam@example.com")}
    refused = browser.post(f"{BASE}/reset", weak | {"new_password": "short"})
    reset = browser.post(f"{BASE}/reset", weak | {"new_password": "cedar-77-bark"})

    assert asked.status == 303 and "we sent it a 6-digit code" in reset_form.html
    assert refused.status == 400 and "The password needs at least 8 characters" in refused.html
    assert reset.status == 303 and reset.headers["location"].endswith("done=reset")
    assert log_in(browser, "sam@example.com").status == 401
    assert log_in(browser, "sam@example.com", "cedar-77-bark").status == 303


def test_too_many_requests_are_refused_in_plain_words(seeded: Cloud) -> None:
    browser = Browser(seeded)
    token = browser.get(f"{BASE}/forgot").csrf()
    clear_of_window_end(3600)

    answers = [browser.post(f"{BASE}/forgot", {"csrf": token, "email": "ada@example.com"}) for _ in range(6)]

    assert [a.status for a in answers] == [303] * 5 + [429]
    assert "Too many attempts. Please wait" in answers[-1].html and 'value="ada@example.com"' in answers[-1].html


def test_a_signed_in_shopper_gets_the_reminded_lines_in_their_own_cart(seeded: Cloud) -> None:
    _, token = reminded(seeded, (EMBER, 1, "standard"))
    browser = signed_in(seeded)
    page = browser.get(f"{BASE}/cart/recover", query=f"token={token}")

    restored = browser.post(f"{BASE}/cart/recover", {"csrf": page.csrf(), "token": token})

    assert restored.status == 303 and "nz_guest" not in browser.cookies and browser.cookies["nz_cart"] == "1"
    assert [(i["product"], i["quantity"]) for i in cart_of(browser).get()["items"]] == [(EMBER, 1)]


def test_the_profile_keeps_a_new_name_and_phone_and_refuses_a_bad_phone(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    token = browser.get(BASE).csrf()

    bad = browser.post(f"{BASE}/profile", {"csrf": token, "name": "Sam S.", "phone": "call me"})
    saved = browser.post(f"{BASE}/profile", {"csrf": token, "name": "Samantha", "phone": "+49 30 123456"})
    after = browser.get(BASE, query="done=profile")

    assert bad.status == 400 and "international format" in bad.html and "Hello, Sam Shopper" in bad.html
    assert saved.status == 303
    assert "Hello, Samantha" in after.html and 'value="+4930123456"' in after.html and "details are saved" in after.html
