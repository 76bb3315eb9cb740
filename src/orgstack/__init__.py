"""orgstack: an AWS Organization declared in one YAML file; validated, planned, applied, audited."""

__version__ = "0.1.0"
