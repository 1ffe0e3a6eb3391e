"""Validation of policies, the department registry and CODEOWNERS."""
