"""One import per store and source: the same source, however it is spelt, is the same import."""

from __future__ import annotations

import pytest

from nozzly.imports.domain.import_runs import import_id_of, normalise_source_url

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("spelt", "normal"),
    [
        ("HTTPS://Supplier.Example/p/EL-100.json#top", "https://supplier.example/p/EL-100.json"),
        ("https://supplier.example:443/p/EL-100.json", "https://supplier.example/p/EL-100.json"),
        ("  https://supplier.example  ", "https://supplier.example/"),
        ("https://supplier.example:8443/p?id=7", "https://supplier.example:8443/p?id=7"),
    ],
)
def test_a_source_has_one_spelling(spelt: str, normal: str) -> None:
    assert normalise_source_url(spelt) == normal


def test_the_same_source_is_the_same_import_only_within_one_store() -> None:
    one = import_id_of("lamps", "https://Supplier.example/p/EL-100.json")
    assert one == import_id_of("lamps", "https://supplier.example:443/p/EL-100.json#x")
    assert one != import_id_of("candles", "https://supplier.example/p/EL-100.json")
    assert one != import_id_of("lamps", "https://supplier.example/p/EL-101.json")
    assert one.startswith("imp_") and len(one) == 24
