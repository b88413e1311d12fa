"""The gateway that takes, voids and refunds one store's payments: Square through the store's own connected
seller account when it has one (its token from the vault, its location), otherwise the platform's gateway.
Stripe is always the platform's: a store's Stripe money reaches it as a destination charge."""

from __future__ import annotations

from collections.abc import Mapping

from nozzly.payments.adapters.gateway import PaymentGateway
from nozzly.payments.adapters.square_connections import SquareConnectionsRepository
from nozzly.payments.adapters.token_vault import TokenVault
from nozzly.payments.domain.payments import Provider


class StoreGateways:
    def __init__(
        self,
        platform: Mapping[Provider, PaymentGateway],
        connections: SquareConnectionsRepository,
        vault: TokenVault,
        square_base_url: str,
    ) -> None:
        self._platform, self._connections, self._vault, self._base = platform, connections, vault, square_base_url

    def __call__(self, store_id: str, provider: Provider) -> PaymentGateway:
        if provider is Provider.SQUARE:
            connection = self._connections.get(store_id)
            tokens = self._vault.get(store_id) if connection else None
            if connection is not None and tokens is not None:
                from nozzly.payments.adapters.square_gateway import SquareGateway

                return SquareGateway(tokens.access_token, self._base, connection.location_id)
        return self._platform[provider]
