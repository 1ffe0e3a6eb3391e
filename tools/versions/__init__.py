"""Released versions: release tags and trailers, and finding a version in git."""
