"""Amazon Bedrock's Converse API through boto3's `bedrock-runtime` client.

boto3's own retries are off (one attempt): the copy service decides what a throttled call means (one retry,
then the supplier's copy), and a retry it does not know of would spend tokens the budget never reserved.
`endpoint_url` is empty on AWS (the region's endpoint) and the local Bedrock peer in the local cloud; it is
passed explicitly because the local cloud's AWS_ENDPOINT_URL points every other client at the emulator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from nozzly.imports.domain.ai_errors import AiThrottled, AiUnavailable

_TRANSIENT: Final = frozenset(
    {"ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException", "ModelTimeoutException"}
)


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    total_tokens: int  # usage.totalTokens: what the budget is charged
    stop_reason: str


class BedrockConverse:
    def __init__(self, model_id: str, endpoint_url: str = "", region: str | None = None) -> None:
        self.model_id = model_id
        self.endpoint_url = endpoint_url
        self.region = region

    @cached_property
    def _client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "bedrock-runtime",
            region_name=self.region,
            endpoint_url=self.endpoint_url or None,
            config=Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=3, read_timeout=60),
        )

    def converse(self, system: str, prompt: str, max_tokens: int) -> Answer:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self._client.converse(
                modelId=self.model_id,
                system=[{"text": system}],
                messages=[{"role": "user", "content": [{"text": prompt}]}],
                inferenceConfig={"maxTokens": max_tokens, "temperature": 0.2},
            )
        except ClientError as failure:
            code = failure.response.get("Error", {}).get("Code", "")
            if code in _TRANSIENT:
                raise AiThrottled(code) from failure
            raise AiUnavailable(code or str(failure)) from failure
        except BotoCoreError as failure:  # connection refused or timed out: transient from here
            raise AiThrottled(type(failure).__name__) from failure
        blocks = response.get("output", {}).get("message", {}).get("content", [])
        text = "".join(block.get("text", "") for block in blocks)
        return Answer(text, int(response.get("usage", {}).get("totalTokens", 0)), response.get("stopReason", ""))
