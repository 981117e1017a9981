"""The team API (providers/team/openapi.yaml, version 1.1)."""
