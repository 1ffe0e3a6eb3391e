"""Comparing two versions of a policy: the clause diff, its impact, the redline and the diff's
reports."""
