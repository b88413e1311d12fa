"""The words on an invoice and a credit note in the store's language (general settings' `default_language`). Pure.

A regional tag falls back to its language ("de-AT" reads "de"), an unknown language to English.
"""

from __future__ import annotations

from typing import Final

_EN: Final = {
    "invoice": "Invoice",
    "credit_note": "Credit note",
    "number": "Number",
    "date": "Date",
    "order": "Order",
    "seller": "Seller",
    "buyer": "Bill to",
    "tax_id": "Tax ID",
    "description": "Description",
    "quantity": "Qty",
    "unit_price": "Unit price",
    "rate": "Tax rate",
    "tax": "Tax",
    "amount": "Amount",
    "net": "Net",
    "gross": "Gross",
    "total": "Total",
    "payment": "Payment",
    "refers_to": "Corrects invoice",
    "refund": "Refund at",
    "shipping": "Shipping",
    "included": "Prices include tax.",
    "excluded": "Tax is added to net prices.",
    "not_recorded": "per rate below",
    "pay_card": "Card",
    "pay_cash_on_delivery": "Cash on delivery",
    "pay_offline": "Paid in person",
}
_DE: Final = _EN | {
    "invoice": "Rechnung",
    "credit_note": "Gutschrift",
    "number": "Nummer",
    "date": "Datum",
    "order": "Bestellung",
    "seller": "Verkäufer",
    "buyer": "Rechnungsempfänger",
    "tax_id": "USt-IdNr.",
    "description": "Beschreibung",
    "quantity": "Menge",
    "unit_price": "Einzelpreis",
    "rate": "Steuersatz",
    "tax": "USt.",
    "amount": "Betrag",
    "net": "Netto",
    "gross": "Brutto",
    "total": "Gesamt",
    "payment": "Zahlung",
    "refers_to": "Korrektur zu Rechnung",
    "refund": "Erstattung zu",
    "shipping": "Versand",
    "included": "Preise enthalten die Umsatzsteuer.",
    "excluded": "Umsatzsteuer wird auf Nettopreise aufgeschlagen.",
    "not_recorded": "je Steuersatz unten",
    "pay_card": "Karte",
    "pay_cash_on_delivery": "Nachnahme",
    "pay_offline": "Vor Ort bezahlt",
}
_FR: Final = _EN | {
    "invoice": "Facture",
    "credit_note": "Avoir",
    "number": "Numéro",
    "date": "Date",
    "order": "Commande",
    "seller": "Vendeur",
    "buyer": "Facturé à",
    "tax_id": "N° TVA",
    "description": "Désignation",
    "quantity": "Qté",
    "unit_price": "Prix unitaire",
    "rate": "Taux TVA",
    "tax": "TVA",
    "amount": "Montant",
    "net": "HT",
    "gross": "TTC",
    "total": "Total",
    "payment": "Paiement",
    "refers_to": "Rectifie la facture",
    "refund": "Remboursement à",
    "shipping": "Livraison",
    "included": "Prix TTC.",
    "excluded": "La TVA s'ajoute aux prix HT.",
    "not_recorded": "par taux ci-dessous",
    "pay_card": "Carte",
    "pay_cash_on_delivery": "Paiement à la livraison",
    "pay_offline": "Payé sur place",
}
LABELS: Final = {"en": _EN, "de": _DE, "fr": _FR}


def label(language: str, key: str) -> str:
    words = LABELS.get(language.split("-", maxsplit=1)[0].lower(), _EN)
    return words[key]


def payment_label(language: str, method: str) -> str:
    """A payment method as a buyer reads it: every provider's card flow is "Card"."""
    key = f"pay_{method}" if method in ("cash_on_delivery", "offline") else "pay_card"
    return label(language, key)
