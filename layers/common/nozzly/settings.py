"""Configuration read from the environment the template gives each function.

Built on first use (load(Kind), get_settings()), not at import: pydantic-settings costs ~100 ms of cold start.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any, TypeVar

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True)

    stores_table: str
    catalog_table: str
    carts_table: str
    orders_table: str
    images_bucket: str
    event_bus_name: str
    identity_table: str
    customers_table: str
    analytics_table: str
    image_url_ttl_seconds: int = 3600
    # The images CDN's base (https://{distribution}/images; locally the gateway's /images): kept images' URLs.
    images_url: str = ""
    # The SSM SecureString name of the key orders' tracking tokens are made with (orders/domain/tracking.py); the
    # functions that make or check tokens name it, no other needs it.
    order_tracking_key_parameter: str = ""


S = TypeVar("S", bound="Settings")


@cache
def _load(kind: type[Settings]) -> Settings:
    return kind(**_platform_urls(kind))  # the other fields come from the environment


def _platform_urls(kind: type[Settings]) -> dict[str, Any]:
    """The fields of `kind` the template's PlatformUrls parameter holds (console_url, square_notification_url, ...)
    and the environment does not: a function the HTTP API routes to cannot name the API or the console's CDN in
    its environment (CloudFormation refuses the circle), so it reads them from the parameter PLATFORM_URLS_PARAMETER
    names."""
    name = os.environ.get("PLATFORM_URLS_PARAMETER", "")
    if not name:
        return {}
    from nozzly.kernel.adapters.secrets import json_parameter

    urls = json_parameter(name)
    return {k: str(v) for k, v in urls.items() if k in kind.model_fields and k.upper() not in os.environ}


def load(kind: type[S]) -> S:
    """A function's settings, read from its environment once per container."""
    found = _load(kind)
    assert isinstance(found, kind)
    return found


def get_settings() -> Settings:
    return load(Settings)


class AccountSettings(Settings):
    """The account functions' configuration: Settings plus their user pool, which other functions lack."""

    user_pool_id: str
    user_pool_client_id: str
    email_from: str


class StaffSettings(AccountSettings):
    """The staff function's configuration: the account settings plus where invitees open the console."""

    console_url: str = ""


class StoreAdminSettings(Settings):
    """The store administration function's configuration: Settings plus the provisioning workflow."""

    store_provisioning_state_machine_arn: str


class ImportSettings(Settings):
    """The catalog import's configuration: Settings plus the operator pool, to find a store's owner."""

    operator_user_pool_id: str


class ShopperAccountSettings(Settings):
    """The shopper account function's configuration: Settings plus the shopper pool (no app client: no auth)."""

    user_pool_id: str


class SearchSettings(Settings):
    """Storefront reads and the search indexer: Settings plus the search index table."""

    search_table: str


class PaymentProviderSettings(Settings):
    """Provider API access for the functions that take, void and refund payments (adapters.payments.providers)."""

    stripe_secret_key_parameter: str  # SSM SecureString names (kernel/adapters/secrets.py)
    stripe_api_base: str
    square_access_token_parameter: str
    square_base_url: str
    square_location_id: str = ""
    platform_fee_basis_points: int = 0  # the platform's default fee on each Stripe payment (per store: overridden)
    square_secrets_prefix: str = ""  # stores' own Square tokens (token vault); empty: the platform's account only


class PayoutSettings(Settings):
    """The payouts settings function: the platform's Stripe key (Connect calls) and its default fee."""

    stripe_secret_key_parameter: str  # SSM SecureString names (kernel/adapters/secrets.py)
    stripe_api_base: str
    platform_fee_basis_points: int = 0


class SquareOAuthSettings(Settings):
    """Stores connecting their own Square account: the platform's Square application and the token vault."""

    square_application_id: str
    square_application_secret_parameter: str
    square_base_url: str
    square_oauth_redirect_url: str
    square_secrets_prefix: str
    square_refresh_within_days: int = 7


class PaymentWebhookSettings(Settings):
    """The payment webhook function: the providers' signing secrets and the table that deduplicates events."""

    idempotency_table: str
    stripe_webhook_secret_parameter: str
    stripe_connect_webhook_secret_parameter: str = ""  # a Connect endpoint's own secret (account.updated), if any
    square_webhook_signature_key_parameter: str
    square_notification_url: str  # exactly the URL Square's webhook subscription names: Square signs it


class CheckoutSettings(Settings):
    """The checkout function: Settings plus the saga it starts."""

    checkout_state_machine_arn: str
    reservation_timeout_seconds: int = 900


class CheckoutRecoverySettings(PaymentProviderSettings):
    """The checkout steps' sweep: the providers (to void) plus the saga's state machine and payment timeout."""

    checkout_state_machine_arn: str
    reservation_timeout_seconds: int = 900


class FulfilmentSettings(PaymentProviderSettings):
    """Operators' order handling: the providers (cancel and return refunds) plus the "fulfil order" workflow."""

    fulfilment_state_machine_arn: str


class EmailSettings(Settings):
    """Functions that send transactional email: Settings plus the verified sender."""

    email_from: str


class CartReminderSettings(EmailSettings):
    """The reminder job: the sender plus the API's address, the opt-out link's base for stores without a
    storefront."""

    api_url: str


class StockEmailSettings(EmailSettings):
    """Stock emails: the sender plus the operator pool, where a store owner's address lives, and the API's
    address, the back-in-stock opt-out link's base for stores without a storefront."""

    operator_user_pool_id: str
    api_url: str = ""


class DailySummarySettings(EmailSettings):
    """The owner's daily summary: the sender plus the operator pool, where a store owner's address lives."""

    operator_user_pool_id: str


class HealthSettings(Settings):
    """The health function checks every table, also those only some functions use."""

    search_table: str
    idempotency_table: str
    notifications_table: str
    connections_table: str
    webhooks_table: str
    invoices_table: str
    content_table: str
    research_table: str


class NotificationSettings(Settings):
    """The notification functions' configuration: Settings plus the inbox table."""

    notifications_table: str


class NotificationFeedSettings(NotificationSettings):
    """The inbox's bus consumer also pushes each notification live: the WebSocket API's connections."""

    connections_table: str
    websocket_management_endpoint: str


class BillingNoticeSettings(Settings):
    """Billing emails to an account's owner: the sender, the operators' pool (their address), the console."""

    email_from: str = ""
    operator_user_pool_id: str = ""
    console_url: str = ""


class BillingSettings(BillingNoticeSettings):
    """The billing function: the webhooks table (a store's endpoints count), Stripe Billing (the platform's key,
    the billing webhook's signing secret: SSM names) and the table that has each billing event processed once."""

    webhooks_table: str
    idempotency_table: str = ""
    stripe_secret_key_parameter: str = ""
    stripe_api_base: str = "https://api.stripe.com"
    stripe_billing_webhook_secret_parameter: str = ""


class WebhookSettings(Settings):
    """Outbound webhooks: their table and queue, and whether the local cloud allows http to loopback."""

    webhooks_table: str
    webhook_queue_url: str
    webhook_allow_loopback_http: bool = False


class WebhookSenderSettings(WebhookSettings):
    """The sender: the email to an owner whose endpoint is disabled, and the backoff's scale (shorter locally,
    so tests see every retry in seconds)."""

    email_from: str = ""
    operator_user_pool_id: str = ""
    webhook_backoff_scale: float = 1.0


class RealtimeSettings(Settings):
    """The WebSocket functions: the connections table, the @connections endpoint, the token issuers."""

    connections_table: str
    websocket_management_endpoint: str  # the stage's https URL on AWS; the local cloud's @connections server
    operator_issuer: str
    shopper_issuer: str


class InvoiceSettings(Settings):
    """Invoices and credit notes: their table (the PDFs are in the images bucket)."""

    invoices_table: str


class InvoiceExportSettings(InvoiceSettings):
    """Month exports of invoices: InvoiceSettings plus the queue InvoiceExporter runs them from."""

    invoice_export_queue_url: str


class RateLimitSettings(Settings):
    """Every HTTP function: its route group (service name) and the per-IP limits of public routes (JSON)."""

    powertools_service_name: str = ""
    public_rate_limits: str = ""


class ProductImportSettings(Settings):
    """The AI-assisted product import: its workflow, the Bedrock model and endpoint (empty: the region's; the
    local Bedrock peer in the local cloud), the daily token budget per store, and whether the local cloud lets
    supplier downloads reach loopback over http."""

    product_import_state_machine_arn: str = ""  # the request function only
    bedrock_model_id: str = "amazon.nova-lite-v1:0"
    bedrock_endpoint_url: str = ""
    ai_daily_tokens: int = 200_000
    import_allow_loopback_http: bool = False
    ai_retry_wait_seconds: float = 2.0


class BlogSettings(Settings):
    """The blog and the SEO overview: Settings plus the content table (posts, draft claims, SEO reports)."""

    content_table: str


class BlogDrafterSettings(BlogSettings):
    """The weekly AI draft: the product import's Bedrock model, endpoint and daily token budget per store."""

    bedrock_model_id: str = "amazon.nova-lite-v1:0"
    bedrock_endpoint_url: str = ""
    ai_daily_tokens: int = 200_000


class ResearchFunctionSettings(ProductImportSettings):
    """Product research: ProductImportSettings (Bedrock, the AI budget, loopback downloads in the local cloud),
    its table, the Reddit API's base URL (empty: Reddit's; the local Reddit peer in the local cloud), the SSM
    parameter holding Reddit's "client_id:client_secret", and the bulk import workflow (the routes only); the
    steps' daily report email: the sender, the operators' pool (the owner's address) and the console's URL."""

    research_table: str
    reddit_api_url: str = ""
    reddit_credentials_parameter: str = ""
    bulk_import_state_machine_arn: str = ""
    email_from: str = ""
    operator_user_pool_id: str = ""
    console_url: str = ""
