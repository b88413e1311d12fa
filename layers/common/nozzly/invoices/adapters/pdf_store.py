"""Issued documents' PDFs in the images bucket (private), under `stores/{store}/invoices/`.

A PDF is written once: the Put is conditioned on no object being there yet (`If-None-Match: *`), so a retried or
concurrent render never replaces what was issued; downloads are short-lived presigned links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nozzly.invoices.domain.documents import DocumentKind, TaxDocument
from nozzly.kernel.adapters.aws import client

DOWNLOAD_SECONDS = 300
_FOLDER = {DocumentKind.INVOICE: "invoices", DocumentKind.CREDIT_NOTE: "credit-notes"}


def pdf_key(doc: TaxDocument) -> str:
    return f"stores/{doc.store_id}/invoices/{_FOLDER[doc.kind]}/{doc.year}/{doc.number_text}.pdf"


@dataclass(frozen=True)
class PdfStore:
    bucket: str
    s3: Any = None

    def _client(self) -> Any:
        return self.s3 or client("s3")

    def exists(self, doc: TaxDocument) -> bool:
        s3 = self._client()
        try:
            s3.head_object(Bucket=self.bucket, Key=pdf_key(doc))
        except s3.exceptions.ClientError as problem:
            if problem.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def keep(self, doc: TaxDocument, pdf: bytes) -> bool:
        """Store the PDF unless one is there already; True if this call stored it."""
        s3 = self._client()
        try:
            s3.put_object(
                Bucket=self.bucket,
                Key=pdf_key(doc),
                Body=pdf,
                ContentType="application/pdf",
                ContentDisposition=f'attachment; filename="{doc.pdf_name}"',
                IfNoneMatch="*",
            )
        except s3.exceptions.ClientError as problem:
            if problem.response.get("Error", {}).get("Code") in ("PreconditionFailed", "ConditionalRequestConflict"):
                return False
            raise
        return True

    def read(self, doc: TaxDocument) -> bytes:
        body: bytes = self._client().get_object(Bucket=self.bucket, Key=pdf_key(doc))["Body"].read()
        return body

    def download_url(self, doc: TaxDocument) -> str:
        url: str = self._client().generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": pdf_key(doc)}, ExpiresIn=DOWNLOAD_SECONDS
        )
        return url


def export_key(store_id: str, export_id: str) -> str:
    return f"stores/{store_id}/invoices/exports/{export_id}.zip"


@dataclass(frozen=True)
class ExportStore:
    """Month ZIPs beside the documents (rebuilt by a redelivered export: they are copies, not documents)."""

    bucket: str

    def keep(self, store_id: str, export_id: str, path: str, month: str) -> None:
        with open(path, "rb") as body:
            client("s3").put_object(
                Bucket=self.bucket,
                Key=export_key(store_id, export_id),
                Body=body,
                ContentType="application/zip",
                ContentDisposition=f'attachment; filename="invoices-{store_id}-{month}.zip"',
            )

    def download_url(self, store_id: str, export_id: str) -> str:
        url: str = client("s3").generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": export_key(store_id, export_id)},
            ExpiresIn=DOWNLOAD_SECONDS,
        )
        return url
