"""Change notes, their check, release notes, the changelog, and the change set they describe."""
