"""The yoga cloud API (providers/yoga/openapi.yaml, version 2.0)."""
