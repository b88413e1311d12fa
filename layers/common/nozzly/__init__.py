"""Nozzly shared code, shipped to every function as the common Lambda layer."""
