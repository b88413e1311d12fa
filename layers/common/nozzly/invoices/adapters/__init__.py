"""Data access: the invoices table, the PDFs in the bucket, and rendering them."""

__all__ = ["document_codec", "exports", "invoices", "pdf", "pdf_store"]
