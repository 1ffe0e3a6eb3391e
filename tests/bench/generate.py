"""A synthetic policy repository for the benchmark, deterministic from a seed.

``build(Spec(clauses=10_000, releases=100, seed=1), target)`` writes a real git repository:
N clauses of about 60 words of Dutch-looking text, 100 clauses a section file, spread over
several policies (five from 1,000 clauses on), a departments registry and a CODEOWNERS that owns
every file, and a history of K releases. Each release is one commit, as ``policy release``
makes it: the first release of a policy adds its files, later ones reword a few clauses and
bump ``version`` and ``effective``; the commit carries the trailers ``Policy``,
``Policy-Version``, ``Policy-Impact`` and ``Policy-Effective`` and an annotated tag
``<policy-id>/v<version>`` points at it. Two branches off ``main`` hold the changes the diff,
approvals and changelog measurements read: ``bench/one-clause`` (one clause reworded) and
``bench/one-percent`` (1% of all clauses reworded, in the first policy).

History is written with ``git fast-import`` (one process, no checkout per commit), then
``main`` is checked out. ``ensure`` caches a repository per (N, K, seed) in a folder.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tools.compare.impact import Impact
from tools.versions.releaseid import release_trailers

GENERATOR_VERSION = 2
"""Bump when the output changes, so that cached repositories are rebuilt."""

CLAUSES_PER_SECTION = 100
MAX_POLICIES = 5
CHANGES_PER_RELEASE = 3
ELEMENTS_PER_POLICY = 4
ONE_CLAUSE_BRANCH = "bench/one-clause"
ONE_PERCENT_BRANCH = "bench/one-percent"

_START = dt.date(2021, 1, 4)
_RELEASE_INTERVAL_DAYS = 14
_AUTHOR = "Anouk Mulder <anouk.mulder@voorbeeld.nl>"

_POLICY_NAMES = [
    ("verlof", "vl", "Verlofbeleid"),
    ("thuiswerken", "tw", "Thuiswerkbeleid"),
    ("integriteit", "ig", "Integriteitsbeleid"),
    ("gezondheid", "gz", "Gezondheidsbeleid"),
    ("onkosten", "ok", "Onkostenbeleid"),
    ("opleiding", "op", "Opleidingsbeleid"),
    ("werktijden", "wt", "Werktijdenbeleid"),
    ("beloning", "bl", "Beloningsbeleid"),
]

_DEPARTMENTS = [
    ("hr", "Human Resources", "Eva Visser", "eva.visser"),
    ("juridisch", "Juridische Zaken", "Pieter van Dijk", "pieter.vandijk"),
    ("communicatie", "Communicatie", "Sanne de Vries", "sanne.devries"),
    ("ondernemingsraad", "Ondernemingsraad", "Fatima Yilmaz", "fatima.yilmaz"),
    ("beleidsbeheer", "Beleidsbeheer", "Anouk Mulder", "anouk.mulder"),
]


def _words(text: str) -> list[str]:
    return text.split()


_WORDS = _words(
    "de het een je jouw wij onze organisatie medewerker leidinggevende afdeling team werk "
    "werktijd verlof aanvraag melding overleg afspraak regeling beleid toestemming gegevens "
    "privacy veiligheid gezondheid collega klant leverancier informatie systeem account "
    "apparatuur kosten vergoeding declaratie opleiding training ontwikkeling gesprek "
    "beoordeling zorgvuldig tijdig schriftelijk mondeling vertrouwelijk redelijk passend "
    "duidelijk verantwoordelijk bevoegd nodig mogelijk eerst daarna altijd nooit binnen "
    "uiterlijk dagen weken maanden jaar periode datum termijn moment situatie geval reden doel "
    "meldt vraagt bespreekt bewaart deelt gebruikt controleert beoordeelt registreert ontvangt "
    "stuurt neemt geeft houdt zorgt volgt kiest past legt draagt aan bij voor met zonder over "
    "onder tussen na tot door volgens als wanneer zodat omdat terwijl tenzij mits want maar of "
    "en ook niet geen alleen privé één geïnformeerd coördinatie reïntegratie financiële "
    "beëindiging"
)

_TITLE_WORDS = _words(
    "melding verlof aanvraag toestemming gegevens kosten vergoeding overleg afspraken "
    "veiligheid gezondheid training gesprek termijn registratie apparatuur thuiswerkplek "
    "reiskosten ziekte herstel integriteit geschenken nevenwerk beoordeling ontwikkeling"
)

_LAWS = ["Burgerlijk Wetboek", "Arbeidstijdenwet", "Wet op de ondernemingsraden"]
_LEVELS = ["must"] * 35 + ["must-not"] * 15 + ["should"] * 25 + ["may"] * 15 + ["info"] * 10
_IMPACTS = ["patch"] * 3 + ["minor"] * 6 + ["major"] * 1


@dataclass(frozen=True)
class Spec:
    """What to generate: N clauses, K releases, from a seed."""

    clauses: int
    releases: int
    seed: int = 1


@dataclass
class Clause:
    id: str
    title: str
    level: str
    text: str
    summary: str | None = None
    see: list[str] = field(default_factory=list)
    contact: str | None = None
    law: str | None = None


@dataclass
class SectionData:
    id: str
    title: str
    elements: list[str]
    clauses: list[Clause]


@dataclass
class PolicyData:
    id: str
    prefix: str
    title: str
    elements: list[str]
    sections: list[SectionData]
    version: tuple[int, int, int] = (1, 0, 0)
    effective: dt.date = _START
    released: bool = False


@dataclass(frozen=True)
class Release:
    """One release commit: which policy, its new version, impact, date and files."""

    policy: str
    version: str
    impact: str
    effective: dt.date
    files: dict[str, str]
    clauses: tuple[str, ...] | None = None
    """The clauses it rewords; None: all (the policy's first release)."""


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _text(rng: random.Random, words: int = 60) -> str:
    parts: list[str] = []
    left = words
    while left > 0:
        length = min(left, rng.randint(8, 14))
        parts.append(_sentence(rng, length))
        left -= length
    return " ".join(parts)


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(_TITLE_WORDS) for _ in range(rng.randint(3, 6))).capitalize()


def _policy_name(index: int) -> tuple[str, str, str]:
    if index < len(_POLICY_NAMES):
        return _POLICY_NAMES[index]
    return f"beleid-{index + 1}", f"bl{index + 1}", f"Beleid {index + 1}"


def make_policies(spec: Spec) -> list[PolicyData]:
    """The policies at their first release: ``spec.clauses`` clauses in all."""
    rng = random.Random(spec.seed)
    policies: list[PolicyData] = []
    remaining = spec.clauses
    count_policies = max(1, min(MAX_POLICIES, spec.clauses // (2 * CLAUSES_PER_SECTION)))
    per_policy = -(-spec.clauses // count_policies)
    index = 0
    while remaining > 0:
        count = min(remaining, per_policy)
        remaining -= count
        policy_id, prefix, title = _policy_name(index)
        elements = [f"onderwerp-{n + 1}" for n in range(ELEMENTS_PER_POLICY)]
        sections: list[SectionData] = []
        number = 0
        while number < count:
            size = min(CLAUSES_PER_SECTION, count - number)
            clauses = []
            for _ in range(size):
                number += 1
                clauses.append(_clause(rng, prefix, number))
            s_index = len(sections)
            # The first section covers every element, so any policy covers its elements.
            covered = elements if s_index == 0 else [elements[s_index % len(elements)]]
            sections.append(SectionData(f"hoofdstuk-{s_index + 1}", _title(rng), covered, clauses))
        policies.append(PolicyData(policy_id, prefix, title, elements, sections))
        index += 1
    return policies


def _clause(rng: random.Random, prefix: str, number: int) -> Clause:
    # The first two clauses of a section are normative, so every element is covered.
    level = rng.choice(_LEVELS) if number % CLAUSES_PER_SECTION > 2 else "must"
    clause = Clause(f"{prefix}-{number:04d}", _title(rng), level, _text(rng, rng.randint(50, 70)))
    roll = rng.random()
    if roll < 0.2:
        clause.summary = _sentence(rng, 10)
    if number > 1 and rng.random() < 0.1:
        clause.see = [f"{prefix}-{rng.randint(1, number - 1):04d}"]
    if rng.random() < 0.1:
        clause.contact = rng.choice(_DEPARTMENTS)[0]
    if rng.random() < 0.1:
        clause.law = rng.choice(_LAWS)
    return clause


def _folded(key: str, text: str, indent: int) -> list[str]:
    # A greedy wrap at 96 columns (textwrap is ten times slower and dominated the generator).
    pad = " " * indent
    width = 96 - indent - 2
    lines: list[str] = []
    current: list[str] = []
    used = -1
    for word in text.split(" "):
        if current and used + 1 + len(word) > width:
            lines.append(" ".join(current))
            current, used = [], -1
        current.append(word)
        used += 1 + len(word)
    if current:
        lines.append(" ".join(current))
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in lines)]


def render_section(section: SectionData) -> str:
    """A section file as an author would write it."""
    out = [
        "# yaml-language-server: $schema=../../../schema/section.schema.json",
        f"id: {section.id}",
        f"title: {section.title}",
        "elements:",
        *(f"  - {element}" for element in section.elements),
        "clauses:",
    ]
    for clause in section.clauses:
        out += [
            f"  - id: {clause.id}",
            f"    title: {clause.title}",
            f"    level: {clause.level}",
        ]
        if clause.summary:
            out.append(f"    summary: {clause.summary}")
        if clause.contact:
            out.append(f"    contact: {clause.contact}")
        out += _folded("text", clause.text, 4)
        if clause.law:
            out += ["    legal:", f"      - law: {clause.law}"]
        if clause.see:
            out += ["    see:", *(f"      - {ref}" for ref in clause.see)]
        out.append("")
    return "\n".join(out)


def render_policy(policy: PolicyData) -> str:
    version = ".".join(map(str, policy.version))
    review = policy.effective + dt.timedelta(days=730)
    out = [
        "# yaml-language-server: $schema=../../schema/policy.schema.json",
        f"id: {policy.id}",
        f"title: {policy.title}",
        f"version: {version}",
        "language: nl",
        f"effective: {policy.effective.isoformat()}",
        f"next_review: {review.isoformat()}",
        f"clause_prefix: {policy.prefix}",
        *_folded("summary", f"Dit is het {policy.title.lower()} van de organisatie.", 0),
        "audience: Iedereen die voor de organisatie werkt.",
        "notice_days: 30",
        "acknowledgement: true",
        "contact: hr",
        "min_clauses_per_element: 2",
        "elements:",
    ]
    for element in policy.elements:
        out += [f"  - id: {element}", f"    title: {element.replace('-', ' ').capitalize()}"]
    out.append("sections:")
    out += [f"  - {section.id}" for section in policy.sections]
    return "\n".join(out) + "\n"


def render_registry() -> str:
    out = ["organisation: Voorbeeld B.V.", "departments:"]
    for dep_id, name, person, mail in _DEPARTMENTS:
        out += [
            f"  - id: {dep_id}",
            f"    name: {name}",
            f'    handle: "@voorbeeld/{dep_id}"',
            "    members:",
            f"      - name: {person}",
            f"        email: {mail}@voorbeeld.nl",
        ]
    return "\n".join(out) + "\n"


def render_codeowners(policies: list[PolicyData]) -> str:
    out = ["*  @voorbeeld/beleidsbeheer"]
    for index, policy in enumerate(policies):
        owner = _DEPARTMENTS[index % 3][0]
        out.append(f"/policy/{policy.id}/  @voorbeeld/{owner}")
    return "\n".join(out) + "\n"


def policy_files(policy: PolicyData, sections: list[SectionData]) -> dict[str, str]:
    """``policy.yaml`` and the given section files of a policy."""
    files = {f"policy/{policy.id}/policy.yaml": render_policy(policy)}
    for section in sections:
        files[f"policy/{policy.id}/sections/{section.id}.yaml"] = render_section(section)
    return files


def _reword(rng: random.Random, clause: Clause) -> None:
    """Replace a few words of a clause's text, keeping its length."""
    words = clause.text.split(" ")
    for _ in range(3):
        position = rng.randrange(len(words))
        ending = "." if words[position].endswith(".") else ""
        words[position] = rng.choice(_WORDS) + ending
    clause.text = " ".join(words)


def _bump(version: tuple[int, int, int], impact: str) -> tuple[int, int, int]:
    major, minor, patch = version
    if impact == "major":
        return major + 1, 0, 0
    if impact == "minor":
        return major, minor + 1, 0
    return major, minor, patch + 1


def plan_history(spec: Spec) -> tuple[dict[str, str], list[PolicyData], list[Release]]:
    """The files of the first commit, the policies (as at the last release) and K releases."""
    policies = make_policies(spec)
    rng = random.Random(spec.seed + 1)
    base = {"policy/departments.yaml": render_registry(), "CODEOWNERS": render_codeowners(policies)}
    releases: list[Release] = []
    for number in range(spec.releases):
        policy = policies[number % len(policies)]
        effective = _START + dt.timedelta(days=_RELEASE_INTERVAL_DAYS * number)
        touched = policy.sections
        reworded: tuple[str, ...] | None = None
        if not policy.released:
            policy.released = True
            impact = "major"
        else:
            impact = rng.choice(_IMPACTS)
            policy.version = _bump(policy.version, impact)
            touched = [rng.choice(policy.sections) for _ in range(CHANGES_PER_RELEASE)]
            chosen = [rng.choice(section.clauses) for section in touched]
            for clause in chosen:
                _reword(rng, clause)
            reworded = tuple(clause.id for clause in chosen)
        policy.effective = effective
        version = ".".join(map(str, policy.version))
        files = policy_files(policy, touched)
        releases.append(Release(policy.id, version, impact, effective, files, reworded))
    return base, policies, releases


def _change_branch(spec: Spec, policies: list[PolicyData], count: int) -> dict[str, str]:
    """The files of the first policy after rewording ``count`` clauses spread over it."""
    rng = random.Random(spec.seed + count)
    policy = policies[0]
    clauses = [clause for section in policy.sections for clause in section.clauses]
    step = max(1, len(clauses) // max(count, 1))
    chosen = clauses[::step][:count]
    saved = [(clause, clause.text) for clause in chosen]
    for clause in chosen:
        _reword(rng, clause)
    touched = [s for s in policy.sections if any(c in s.clauses for c in chosen)]
    files = policy_files(policy, touched)
    for clause, text in saved:
        clause.text = text
    return {path: text for path, text in files.items() if "/sections/" in path}


class _Stream:
    """A ``git fast-import`` stream."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.mark = 0

    def data(self, payload: bytes) -> None:
        self.parts.append(b"data %d\n" % len(payload) + payload + b"\n")

    def commit(
        self, ref: str, when: dt.date, message: str, files: dict[str, str], parent: int | None
    ) -> int:
        self.mark += 1
        stamp = int(dt.datetime(when.year, when.month, when.day, 12, tzinfo=dt.UTC).timestamp())
        self.parts.append(f"commit {ref}\nmark :{self.mark}\n".encode())
        self.parts.append(f"author {_AUTHOR} {stamp} +0000\n".encode())
        self.parts.append(f"committer {_AUTHOR} {stamp} +0000\n".encode())
        self.data(message.encode())
        if parent is not None:
            self.parts.append(f"from :{parent}\n".encode())
        for path, text in sorted(files.items()):
            self.parts.append(f"M 100644 inline {path}\n".encode())
            self.data(text.encode())
        return self.mark

    def tag(self, name: str, mark: int, when: dt.date, message: str) -> None:
        stamp = int(dt.datetime(when.year, when.month, when.day, 12, tzinfo=dt.UTC).timestamp())
        self.parts.append(f"tag {name}\nfrom :{mark}\n".encode())
        self.parts.append(f"tagger {_AUTHOR} {stamp} +0000\n".encode())
        self.data(message.encode())

    def bytes(self) -> bytes:
        return b"".join(self.parts) + b"done\n"


def release_message(release: Release, changed: int) -> str:
    what = "first release" if changed == 0 else f"{changed} clauses reworded"
    trailers = release_trailers(
        release.policy, release.version, Impact[release.impact.upper()], release.effective,
        release.clauses,
    )  # fmt: skip
    return f"Release {release.policy} {release.version}: {what}\n\n{trailers}"


def build(spec: Spec, target: Path) -> Path:
    """Write the repository of ``spec`` to ``target`` (which must not exist)."""
    base, policies, releases = plan_history(spec)
    stream = _Stream()
    mark = stream.commit("refs/heads/main", _START, "Registry and CODEOWNERS\n", base, None)
    seen: set[str] = set()
    for release in releases:
        changed = CHANGES_PER_RELEASE if release.policy in seen else 0
        seen.add(release.policy)
        message = release_message(release, changed)
        mark = stream.commit("refs/heads/main", release.effective, message, release.files, mark)
        tag = f"{release.policy}/v{release.version}"
        stream.tag(tag, mark, release.effective, f"{release.policy} {release.version}\n")
    last = releases[-1].effective if releases else _START
    when = last + dt.timedelta(days=1)
    one = _change_branch(spec, policies, 1)
    stream.commit(f"refs/heads/{ONE_CLAUSE_BRANCH}", when, "Reword one clause\n", one, mark)
    percent = max(1, spec.clauses // 100)
    many = _change_branch(spec, policies, percent)
    message = f"Reword {percent} clauses\n"
    stream.commit(f"refs/heads/{ONE_PERCENT_BRANCH}", when, message, many, mark)
    target.mkdir(parents=True)
    _git(target, "init", "-q", "-b", "main")
    _git(target, "fast-import", "--quiet", stdin=stream.bytes())
    _git(target, "checkout", "-q", "-f", "main")
    return target


def ensure(spec: Spec, cache: Path) -> Path:
    """The repository of ``spec``, built once per (N, K, seed) under ``cache``."""
    folder = cache / f"n{spec.clauses}-k{spec.releases}-s{spec.seed}-g{GENERATOR_VERSION}"
    done = folder / ".git" / "bench-complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    build(spec, folder)
    done.write_text("ok\n", encoding="utf-8")
    return folder


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> None:
    env_args = ["-c", "user.name=Bench", "-c", "user.email=bench@voorbeeld.nl"]
    subprocess.run(["git", *env_args, *args], cwd=cwd, input=stdin, check=True)
