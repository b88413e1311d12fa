"""Nozzly tests: unit, functional, static, e2e and the benchmarks."""
