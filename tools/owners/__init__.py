"""Who owns what: CODEOWNERS, its matcher, and the ownership rules built from it."""
