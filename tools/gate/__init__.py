"""The approval gate: the rules, signed records, reviews, evidence, and gathering them from git."""
