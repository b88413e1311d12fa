"""Outbound webhooks for integrators: signed (Standard Webhooks), retried, SSRF-checked deliveries."""
