"""The ground floor: diagnostics, the clock, atomic files, YAML, snapshots of a tree, the policy
loader and the git seam."""
