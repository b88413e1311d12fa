"""Square tokens in AWS Secrets Manager: one secret per store, `{prefix}{store}`, encrypted at rest by Secrets
Manager's KMS key. Only this module reads or writes them; nothing logs them."""

from __future__ import annotations

import json

from nozzly.kernel.adapters import aws
from nozzly.payments.domain.square_oauth import SquareTokens


class TokenVault:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def name(self, store_id: str) -> str:
        return f"{self.prefix}{store_id}"

    def put(self, store_id: str, tokens: SquareTokens) -> None:
        secret = json.dumps(
            {
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
                "expires_at": tokens.expires_at,
                "merchant_id": tokens.merchant_id,
            }
        )
        client = aws.client("secretsmanager")
        try:
            client.put_secret_value(SecretId=self.name(store_id), SecretString=secret)
        except client.exceptions.ResourceNotFoundException:
            client.create_secret(
                Name=self.name(store_id), SecretString=secret, Description=f"Square OAuth tokens of {store_id}"
            )

    def get(self, store_id: str) -> SquareTokens | None:
        client = aws.client("secretsmanager")
        try:
            found = json.loads(client.get_secret_value(SecretId=self.name(store_id))["SecretString"])
        except client.exceptions.ResourceNotFoundException:
            return None
        return SquareTokens(
            str(found["access_token"]), str(found["refresh_token"]), int(found["expires_at"]), str(found["merchant_id"])
        )

    def delete(self, store_id: str) -> None:
        client = aws.client("secretsmanager")
        try:  # at once: a disconnected store's revoked tokens are worth nothing and must not linger
            client.delete_secret(SecretId=self.name(store_id), ForceDeleteWithoutRecovery=True)
        except client.exceptions.ResourceNotFoundException:
            return
