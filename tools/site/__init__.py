"""The employees' site: its plan, the policy page, the Atom feed, and building it."""
