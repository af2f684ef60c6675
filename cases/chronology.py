"""One chronology per young person, gathered from every app through a small registry.

An app that owns a kind of event registers a *source* from its AppConfig.ready()::

    from cases import chronology

    def custody_events(person, visible_cases, user):
        for event in CustodyEvent.objects.filter(case__in=visible_cases).select_related("case"):
            yield chronology.ChronologyEntry(occurred_at=event.arrested_at, type="custody", ...)

    chronology.register(custody_events, types={"custody": "Custody"})

``visible_cases`` is a QuerySet of the person's cases the viewer may see: a source
returns entries of those cases only, in one or two queries whatever their number.
For the person's cases outside the viewer's scope the chronology says only that
other records are held and which team to contact. Nothing is typed twice to
appear here: entries are read from the records themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from safeguarding.accounts.models import User

from .models import Case, YoungPerson

Source = Callable[[YoungPerson, QuerySet[Case], User], Iterable["ChronologyEntry"]]


@dataclass(frozen=True)
class ChronologyEntry:
    occurred_at: datetime
    type: str  # a key registered with the source, e.g. "missing"
    title: str
    text: str = ""
    case: Case | None = None
    by: str = ""  # who recorded it or did it, as a display name
    url: str = ""  # a page inside the service with more detail
    tag: str = ""  # optional short status shown as a tag (e.g. a risk grade)

    @property
    def type_label(self) -> str:
        return type_labels().get(self.type, self.type)


@dataclass(frozen=True)
class _Registered:
    source: Source
    types: dict[str, str]
    order: int


_sources: dict[str, _Registered] = {}


def register(source: Source, *, types: dict[str, str], order: int = 50) -> Source:
    """Add a source (idempotent: registering the same function twice keeps one)."""
    key = f"{source.__module__}.{source.__qualname__}"
    _sources[key] = _Registered(source=source, types=dict(types), order=order)
    return source


def type_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for registered in sorted(_sources.values(), key=lambda r: r.order):
        labels.update(registered.types)
    return labels


@dataclass
class Chronology:
    entries: list[ChronologyEntry]
    # Teams holding the person's records that the viewer may not see.
    other_records: list = field(default_factory=list)
    types_shown: set[str] = field(default_factory=set)


def chronology_for(*, person: YoungPerson, user: User, types: Iterable[str] | None = None) -> Chronology:
    """The person's timeline as this user may see it, newest first, optionally only some types."""
    from .selectors import cases_visible_to, person_other_records

    wanted = set(types) if types else set()
    visible_cases = cases_visible_to(user).filter(person=person)
    entries: list[ChronologyEntry] = []
    for registered in sorted(_sources.values(), key=lambda r: r.order):
        if wanted and not wanted & set(registered.types):
            continue
        for entry in registered.source(person, visible_cases, user):
            if not wanted or entry.type in wanted:
                entries.append(entry)
    entries.sort(key=lambda e: e.occurred_at, reverse=True)
    return Chronology(entries=entries, other_records=person_other_records(user, person), types_shown=wanted)
