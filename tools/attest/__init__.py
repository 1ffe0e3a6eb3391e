"""Attestation: who must confirm which version of a policy, what they confirmed, and evidence an
auditor can check (issue #18). People are personal data: they live in a database, never in git.
"""
