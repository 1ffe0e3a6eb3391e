"""Adopting the tool: a new policy repository, a new policy, a Word policy imported."""
