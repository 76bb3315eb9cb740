"""The plan: what would change to make AWS match the spec, as data."""
