"""The yoga cloud provider (practice sessions): push and pull per providers/yoga/openapi.yaml."""
