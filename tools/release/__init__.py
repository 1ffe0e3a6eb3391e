"""Releasing: the plan, applying it as a commit and tag, the history and what is due."""
