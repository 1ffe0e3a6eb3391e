"""The Dutch panels and pages policy serve adds: escaped, valid HTML, in plain words."""

from __future__ import annotations

import datetime as dt

import html5lib

from tools.notes.htmlpage import html_page
from tools.serve.fragments import (
    Change,
    ConfirmForm,
    PolicyState,
    confirm_panel,
    confirmed_line,
    my_policies,
    nav,
    notice,
    with_panel,
)

FORM = ConfirmForm("social-media", "1.1.0", "a" * 64, '1.x"><script>')
DUE = dt.date(2027, 1, 1)
AT = dt.datetime(2026, 12, 15, 9, 30, tzinfo=dt.UTC)


def _parse(page: str) -> None:
    html5lib.HTMLParser(strict=True).parse(page)


def test_the_panel_with_the_form_and_the_changes() -> None:
    panel = confirm_panel(FORM, DUE, [Change("1.1.0", "1.1.0.html")], "1.0.0")
    assert "bevestig vóór 1 januari 2027 dat je versie 1.1.0 gelezen hebt" in panel
    assert "Je bevestigde eerder versie 1.0.0." in panel
    assert '<a href="1.1.0.html">Wat er veranderde in versie 1.1.0</a>' in panel
    assert '<button type="submit">Ik heb het beleid gelezen</button>' in panel
    assert "<script>" not in panel and "&lt;script&gt;" in panel
    first = confirm_panel(FORM, DUE, [], None)
    assert "Je hebt dit beleid nog niet eerder bevestigd." in first
    done = confirm_panel(None, None, [], None, confirmed_line("1.1.0", AT))
    assert "Bevestigd op 15 december 2026 (versie 1.1.0)." in done and "<form" not in done


def test_the_panel_goes_after_the_title() -> None:
    page = html_page("<h1>Beleid</h1>\n<p>Tekst</p>\n", title="Beleid", lang="nl")
    served = with_panel(page, nav(hr=True) + notice("Let op"), confirm_panel(FORM, DUE, [], None))
    _parse(served)
    assert served.index("<nav") < served.index("Let op") < served.index("<h1>")
    assert served.index("</h1>") < served.index('id="bevestigen"') < served.index("Tekst")
    assert '<a href="/hr">Dekking (HR)</a>' in served
    assert "/hr" not in nav(hr=False)


def test_my_policies() -> None:
    states = [
        PolicyState("Social-mediabeleid", "/social-media/", "confirmed", "1.0.0", None, AT),
        PolicyState("Thuiswerken", "/thuiswerken/", "pending", "2.0.0", DUE),
        PolicyState("Privacy", "/privacy/", "overdue", "1.0.0", dt.date(2026, 12, 1)),
        PolicyState("Reizen", "/reizen/", "not_applicable"),
    ]
    page = my_policies(states, hr=False)
    _parse(page)
    for line in [
        "Bevestigd op 15 december 2026 (versie 1.0.0).",
        "nog te doen vóór 1 januari 2027 (versie 2.0.0).",
        "Te laat: nog te doen vóór 1 december 2026 (versie 1.0.0).",
        "Niet van toepassing: je hoeft dit beleid niet te bevestigen.",
    ]:
        assert line in page
    assert "Er is nog geen beleid uitgebracht." in my_policies([], hr=False)
