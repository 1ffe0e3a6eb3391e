"""What ``policy serve`` adds to the site's pages, in plain Dutch (B1). Pure: plain data in,
HTML out; every value escaped.

- ``confirm_panel``: on the page of the version to confirm, what changed since the version the
  person last confirmed and the form *Ik heb het beleid gelezen* (the page's version and text
  digest travel with it), or *Bevestigd op ...*;
- ``with_panel``: a site page with the navigation and a panel put in after its title;
- ``my_policies``: *Mijn beleid*, each policy with its state for this person;
- ``message_page``: a page of its own (not signed in, no access, refused).

The pages around them come from ``tools/notes/htmlpage.py``: the site's own style, no script.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from tools.notes.htmlpage import html_page
from tools.notes.wording import dutch_date

NAV = (
    '<nav aria-label="Persoonlijk"><p><a href="/mijn-beleid">Mijn beleid</a>'
    ' · <a href="/">Al het beleid</a>{hr}</p></nav>\n'
)
FORM_ACTION = "/bevestigen"


@dataclass(frozen=True)
class Change:
    """A release since the version the person confirmed: its version and notes page."""

    version: str
    href: str


@dataclass(frozen=True)
class ConfirmForm:
    """The form's fields: what the page shows, and the token that protects it."""

    policy: str
    version: str
    digest: str
    token: str


@dataclass(frozen=True)
class PolicyState:
    """One line of *Mijn beleid*: ``state`` is ``confirmed``, ``pending``, ``overdue`` or
    ``not_applicable``."""

    title: str
    href: str
    state: str
    version: str | None = None
    due: dt.date | None = None
    confirmed_at: dt.datetime | None = None


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def nav(hr: bool) -> str:
    """The links every served page starts with; HR's own page for HR."""
    return NAV.format(hr=' · <a href="/hr">Dekking (HR)</a>' if hr else "")


def confirmed_line(version: str, at: dt.datetime) -> str:
    return f"Bevestigd op {dutch_date(at.date())} (versie {version})."


def _changes(changes: Sequence[Change], last: str | None) -> str:
    if last is None:
        return "<p>Je hebt dit beleid nog niet eerder bevestigd. Lees het hele beleid.</p>\n"
    items = "".join(
        f'<li><a href="{_e(c.href)}">Wat er veranderde in versie {_e(c.version)}</a></li>\n'
        for c in changes
    )
    return (
        f"<p>Je bevestigde eerder versie {_e(last)}. Sindsdien veranderde dit:</p>\n"
        f"<ul>\n{items}</ul>\n"
    )


def confirm_panel(
    form: ConfirmForm | None,
    due: dt.date | None,
    changes: Sequence[Change],
    last: str | None,
    done: str | None = None,
) -> str:
    """The panel: ``done`` (*Bevestigd op ...*) when settled, else the changes and the form."""
    head = '<section aria-labelledby="bevestigen">\n<h2 id="bevestigen">Bevestigen</h2>\n'
    if done is not None:
        return f"{head}<p><strong>{_e(done)}</strong></p>\n</section>\n"
    if form is None:
        return ""
    when = f" vóór {dutch_date(due)}" if due is not None else ""
    fields = "".join(
        f'<input type="hidden" name="{name}" value="{_e(value)}">\n'
        for name, value in (("policy", form.policy), ("version", form.version),
                            ("digest", form.digest), ("token", form.token))
    )  # fmt: skip
    return (
        f"{head}<p>Lees het beleid en bevestig{when} dat je versie {_e(form.version)} "
        "gelezen hebt.</p>\n"
        f"{_changes(changes, last)}"
        f'<form method="post" action="{FORM_ACTION}">\n{fields}'
        '<p><button type="submit">Ik heb het beleid gelezen</button></p>\n</form>\n</section>\n'
    )


def confirmed_page(title: str, line: str, href: str, hr: bool) -> str:
    """The answer to a stored confirmation: short, so the store's answer is quick; the
    policy's page shows the same line from now on."""
    body = (
        f"{nav(hr)}<h1>Bevestigd</h1>\n<p><strong>{_e(line)}</strong></p>\n"
        f'<p><a href="{_e(href)}">Terug naar {_e(title)}</a></p>\n'
    )
    return html_page(body, title=f"Bevestigd: {title}", lang="nl")


def notice(text: str) -> str:
    """A message above the page (a refused, stale form)."""
    return f'<p class="banner" role="alert"><strong>{_e(text)}</strong></p>\n'


def with_panel(page: str, top: str, panel: str) -> str:
    """The site's ``page`` with ``top`` (navigation, a notice) opening its ``<main>`` and
    ``panel`` after its title."""
    page = page.replace("<main>\n", f"<main>\n{top}", 1)
    if panel:
        end = page.find("</h1>\n")
        if end >= 0:
            cut = end + len("</h1>\n")
            page = page[:cut] + panel + page[cut:]
    return page


def _state_text(state: PolicyState) -> str:
    if state.state == "confirmed" and state.confirmed_at is not None:
        return confirmed_line(state.version or "", state.confirmed_at)
    if state.state in ("pending", "overdue") and state.due is not None:
        late = "Te laat: " if state.state == "overdue" else ""
        return f"{late}nog te doen vóór {dutch_date(state.due)} (versie {state.version})."
    return "Niet van toepassing: je hoeft dit beleid niet te bevestigen."


def my_policies(states: Sequence[PolicyState], hr: bool) -> str:
    """*Mijn beleid*: each policy with this person's state."""
    items = "".join(
        f'<li><a href="{_e(s.href)}">{_e(s.title)}</a>: {_e(_state_text(s))}</li>\n' for s in states
    )
    body = (
        f"{nav(hr)}<h1>Mijn beleid</h1>\n"
        "<p>Hier zie je per beleid of je het hebt bevestigd, en wat je nog moet doen.</p>\n"
        + (f"<ul>\n{items}</ul>\n" if states else "<p>Er is nog geen beleid uitgebracht.</p>\n")
    )
    return html_page(body, title="Mijn beleid", lang="nl")


def message_page(title: str, text: str, link: bool = True) -> str:
    """A short page of its own: what happened and what to do."""
    back = '<p><a href="/">Naar al het beleid</a></p>\n' if link else ""
    return html_page(f"<h1>{_e(title)}</h1>\n<p>{_e(text)}</p>\n{back}", title=title, lang="nl")


def dev_login_page() -> str:
    """``--dev-login`` only: sign in as anyone, to try the site on one's own machine."""
    body = (
        "<h1>Aanmelden om te proberen</h1>\n"
        "<p>Deze server draait met --dev-login: je kiest zelf wie je bent. Gebruik dit alleen "
        "op je eigen computer.</p>\n"
        '<form method="post" action="/dev-login">\n'
        '<p><label for="email">E-mailadres</label><br>\n'
        '<input id="email" name="email" type="email" required autocomplete="email"></p>\n'
        '<p><input id="hr" name="hr" type="checkbox" value="ja">\n'
        '<label for="hr">Ik werk bij HR</label></p>\n'
        '<p><button type="submit">Aanmelden</button></p>\n</form>\n'
    )
    return html_page(body, title="Aanmelden om te proberen", lang="nl")
