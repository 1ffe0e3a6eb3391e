"""``policy serve``: the employees' site with sign-in from the single sign-on proxy in front of
it, the confirmation form, *Mijn beleid* and HR's coverage (issue #19). Pure rules (identity,
CSRF tokens, security headers, the pages' fragments) beside the IO (``app.py``, ``serve_io.py``).
"""
