"""Loopback HTTP emulators of the providers (real HTTP on 127.0.0.1), for tests and benches."""
