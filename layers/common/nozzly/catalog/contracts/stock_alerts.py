"""Bodies of the back-in-stock subscription route."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from nozzly.accounts.contracts.auth import Email


class BackInStockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email


class BackInStockOut(BaseModel):
    subscribed: bool
    email: str
