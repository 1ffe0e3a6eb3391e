"""The policy tools: validate, diff, changelog, approvals and release of policies kept as YAML."""

__version__ = "0.1.0"
