"""Benchmarks and fault injection against the sandbox behind the fidelity proxy."""
