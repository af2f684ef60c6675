"""Sections other apps add to the person page and the case page (custody events,
referrals, checklists …), registered from their AppConfig.ready(); cases imports none of them.

    from cases import sections

    sections.register_case_section(sections.Section(
        key="custody", title="Custody events", template="custody/case_section.html",
        context=lambda request, case: {"events": ...}, order=30))

A person-section context gets (request, person, visible_cases); a case-section
context gets (request, case). Both return the template's context; returning None
hides the section.

Placement on the case page: "main" (default: after the case's own sections, by
order) or "after_summary" (right after the summary, by order — for what is most
urgent, e.g. a running 48-hour clock). A context may return "placement" to choose
per case (urgent while a clock runs, back in the main flow once it has ended).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    context: Callable[..., dict | None]
    order: int = 50
    placement: str = "main"  # or "after_summary" (case page)


_person_sections: dict[str, Section] = {}
_case_sections: dict[str, Section] = {}


def register_person_section(section: Section) -> None:
    _person_sections[section.key] = section


def register_case_section(section: Section) -> None:
    _case_sections[section.key] = section


def _render(registry: dict[str, Section], *args) -> list[dict]:
    shown = []
    for section in sorted(registry.values(), key=lambda s: s.order):
        context = section.context(*args)
        if context is not None:
            shown.append(
                {
                    "key": section.key,
                    "title": section.title,
                    "template": section.template,
                    "placement": section.placement,
                    **context,
                }
            )
    return shown


def person_sections(request: HttpRequest, person, visible_cases) -> list[dict]:
    return _render(_person_sections, request, person, visible_cases)


def case_sections(request: HttpRequest, case) -> list[dict]:
    return _render(_case_sections, request, case)
