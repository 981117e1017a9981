"""The team server provider (match logging): push and pull per providers/team/openapi.yaml."""
