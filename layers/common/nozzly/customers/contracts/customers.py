"""A shopper's own data: profile change, address book, guest session bodies."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from nozzly.customers.domain.customers import Address, AddressBook, AddressFields

Text = Annotated[str, Field(max_length=400)]  # the domain trims and applies each field's own limit


class ProfileIn(BaseModel):
    name: Text | None = Field(default=None, examples=["Sam Shopper"])
    phone: Text | None = Field(default=None, description="E.164, like +4930123456.", examples=["+4930123456"])


class AddressIn(BaseModel):
    name: Text = Field(description="Who receives the parcel.", examples=["Sam Shopper"])
    line1: Text = Field(examples=["Hauptstrasse 1"])
    line2: Text | None = None
    city: Text = Field(examples=["Berlin"])
    region: Text | None = None
    postal_code: Text = Field(examples=["10115"])
    country: Text = Field(description="ISO 3166-1 alpha-2.", examples=["DE"])
    phone: Text | None = Field(default=None, description="E.164, like +4930123456.")
    default_shipping: bool = Field(default=False, description="Make this the default shipping address.")

    def fields(self) -> AddressFields:
        return AddressFields(**self.model_dump(exclude={"default_shipping"}))


class AddressOut(BaseModel):
    id: str
    name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str
    phone: str | None
    is_default_shipping: bool


class AddressesOut(BaseModel):
    addresses: list[AddressOut]


class GuestSessionOut(BaseModel):
    session_id: str = Field(description="Secret: send it with guest cart requests.")
    expires_at: int = Field(description="Epoch seconds.")


def address_out(book: AddressBook, address: Address) -> AddressOut:
    return AddressOut(
        id=address.id,
        name=address.name,
        line1=address.line1,
        line2=address.line2,
        city=address.city,
        region=address.region,
        postal_code=address.postal_code,
        country=address.country,
        phone=address.phone,
        is_default_shipping=book.default_shipping == address.id,
    )


def addresses_out(book: AddressBook) -> AddressesOut:
    return AddressesOut(addresses=[address_out(book, a) for a in book.addresses])
