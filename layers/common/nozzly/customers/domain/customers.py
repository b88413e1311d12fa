"""A shopper's own data in a store: profile changes, the address book and its default shipping address.

Pure Python. The address book's rules (at most MAX_ADDRESSES, exactly one default while any address exists,
the default moving on when it is deleted) are decided here; the adapter only writes what is decided.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace

from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.kernel.domain.phones import normalise_phone

MAX_ADDRESSES = 20
MAX_NAME_LENGTH = 200
ADDRESS_ID_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LIMITS = {"name": 200, "line1": 200, "line2": 200, "city": 100, "region": 100, "postal_code": 20}


def _text(value: str | None, field: str, *, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"{field} must not be empty", field=field)
        return None
    if len(text) > _LIMITS[field]:
        raise InvalidInput(f"{field} is longer than {_LIMITS[field]} characters", field=field)
    return text


@dataclass(frozen=True, slots=True)
class ProfileChange:
    name: str | None = None
    phone: str | None = None

    @classmethod
    def validated(cls, name: str | None, phone: str | None) -> ProfileChange:
        if name is None and phone is None:
            raise InvalidInput("nothing to change: give a name and/or a phone")
        return cls(
            name=None if name is None else _text(name, "name", required=True),
            phone=None if phone is None else normalise_phone(phone),
        )

    def attributes(self) -> dict[str, str]:
        """Cognito's attribute names and values."""
        changed = {"name": self.name, "phone_number": self.phone}
        return {k: v for k, v in changed.items() if v is not None}


def new_address_id() -> str:
    return secrets.token_urlsafe(8)  # 11 url-safe characters: unique within one shopper's 20 addresses


@dataclass(frozen=True, slots=True)
class Address:
    id: str
    name: str
    line1: str
    city: str
    postal_code: str
    country: str  # ISO 3166-1 alpha-2, upper case
    line2: str | None = None
    region: str | None = None
    phone: str | None = None
    created_at: int = 0  # epoch seconds when added (kept increasing): the book lists oldest first

    @classmethod
    def validated(  # one argument per field of a postal address
        cls,
        id: str,  # the field's name
        *,
        name: str,
        line1: str,
        city: str,
        postal_code: str,
        country: str,
        line2: str | None = None,
        region: str | None = None,
        phone: str | None = None,
        created_at: int = 0,
    ) -> Address:
        code = country.strip().upper()
        if not _COUNTRY.match(code):
            raise InvalidInput("country must be an ISO 3166-1 alpha-2 code, like DE", field="country")
        return cls(
            id=id,
            name=str(_text(name, "name", required=True)),
            line1=str(_text(line1, "line1", required=True)),
            city=str(_text(city, "city", required=True)),
            postal_code=str(_text(postal_code, "postal_code", required=True)),
            country=code,
            line2=_text(line2, "line2", required=False),
            region=_text(region, "region", required=False),
            phone=None if phone is None or not phone.strip() else normalise_phone(phone),
            created_at=created_at,
        )


@dataclass(frozen=True, slots=True)
class AddressFields:
    """An address as a request gives it (validated into a domain Address)."""

    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str | None = None
    region: str | None = None
    phone: str | None = None

    def address(self, address_id: str, created_at: int) -> Address:
        return Address.validated(
            address_id,
            name=self.name,
            line1=self.line1,
            city=self.city,
            postal_code=self.postal_code,
            country=self.country,
            line2=self.line2,
            region=self.region,
            phone=self.phone,
            created_at=created_at,
        )


@dataclass(frozen=True, slots=True)
class AddressBook:
    """One shopper's addresses in one store, as read in one query; `version` guards every change."""

    addresses: tuple[Address, ...] = ()
    default_shipping: str | None = None
    version: int = 0  # 0: the book was never written

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.addresses, key=lambda a: (a.created_at, a.id)))
        object.__setattr__(self, "addresses", ordered)
        if self.default_shipping not in {a.id for a in ordered}:  # a stale pointer is no default
            object.__setattr__(self, "default_shipping", ordered[0].id if ordered else None)

    def find(self, address_id: str) -> Address:
        for address in self.addresses:
            if address.id == address_id:
                return address
        raise NotFound("no such address", field="address")

    def add(self, address: Address, *, make_default: bool) -> AddressBook:
        if len(self.addresses) >= MAX_ADDRESSES:
            raise InvalidInput(f"an address book holds at most {MAX_ADDRESSES} addresses")
        # The first address is the default whatever was asked.
        default = address.id if make_default or not self.addresses else self.default_shipping
        # A new address sorts after every older one, even when added within the same second.
        newest = max((a.created_at for a in self.addresses), default=-1)
        added = replace(address, created_at=max(address.created_at, newest + 1))
        return replace(self, addresses=(*self.addresses, added), default_shipping=default)

    def replace_address(self, address: Address, *, make_default: bool) -> AddressBook:
        old = self.find(address.id)
        kept = replace(address, created_at=old.created_at)  # a replaced address keeps its place
        others = tuple(a for a in self.addresses if a.id != address.id)
        return replace(
            self, addresses=(*others, kept), default_shipping=address.id if make_default else self.default_shipping
        )

    def remove(self, address_id: str) -> AddressBook:
        self.find(address_id)
        remaining = tuple(a for a in self.addresses if a.id != address_id)
        default = self.default_shipping
        if default == address_id:  # the default moves to the oldest remaining address, or to none
            default = remaining[0].id if remaining else None
        return replace(self, addresses=remaining, default_shipping=default)
