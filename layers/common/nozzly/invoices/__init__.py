"""Invoices and credit notes: gap-free numbered tax documents for paid orders and refunds, with their PDFs."""
