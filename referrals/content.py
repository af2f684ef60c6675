"""What a referral shares, assembled section by section from the case as it is now.

Only the sections ticked are read at all: a section not shared is never computed, so
it cannot leak into a page. The officer sees the same assembly before sending.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from cases.chronology import chronology_for
from cases.models import ManualChronologyEntry, ManualEntryType
from custody.models import CustodyEvent

from .models import Referral, Section

SAFETY_PLAN_TYPES = (ManualEntryType.STRATEGY, ManualEntryType.MEETING)
# Entry types never part of a chronology extract: intelligence is its own restricted
# section, and other agencies' referrals are not this agency's business.
_EXTRACT_EXCLUDED = {"entry_intelligence", "referral", "nrm"}


def _person(referral: Referral) -> dict:
    person = referral.case.person
    return {
        "name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "age": person.age_display,
        "gender": person.get_gender_display(),
        "nationality": person.nationality,
        "first_language": person.first_language,
        "interpreter_needed": person.interpreter_needed,
        "home_local_authority": person.home_local_authority,
        "looked_after": person.get_looked_after_status_display(),
        "education": person.get_education_status_display(),
        "education_setting": person.education_setting,
    }


def _risk(referral: Referral) -> dict:
    case = referral.case
    return {
        "level": case.get_risk_level_display(),
        "rationale": case.risk_rationale,
        "exploitation": case.get_exploitation_types_display(),
    }


def _custody(referral: Referral) -> list:
    return list(CustodyEvent.objects.filter(case=referral.case).order_by("-arrested_at"))


def _in_range(referral: Referral, moment: datetime) -> bool:
    day = timezone.localtime(moment).date()
    if referral.chronology_from and day < referral.chronology_from:
        return False
    return not (referral.chronology_to and day > referral.chronology_to)


def _chronology(referral: Referral) -> list:
    types = [t for t in referral.chronology_types if t not in _EXTRACT_EXCLUDED] or None
    chronology = chronology_for(person=referral.case.person, user=referral.created_by, types=types)
    return [
        entry
        for entry in chronology.entries
        if entry.case is not None
        and entry.case.pk == referral.case_id
        and entry.type not in _EXTRACT_EXCLUDED
        and _in_range(referral, entry.occurred_at)
    ]


def _contacts(referral: Referral) -> dict:
    case, person = referral.case, referral.case.person
    return {
        "officer": case.owner.full_name,
        "officer_email": case.owner.email,
        "team": case.team.name,
        "team_email": case.team.contact_email,
        "social_worker": person.social_worker_name,
        "social_worker_phone": person.social_worker_phone,
        "social_worker_email": person.social_worker_email,
    }


def _entries(referral: Referral, types) -> list:
    return list(ManualChronologyEntry.objects.filter(case=referral.case, entry_type__in=types).order_by("-occurred_at"))


_BUILDERS = {
    Section.PERSON: _person,
    Section.RISK: _risk,
    Section.CUSTODY: _custody,
    Section.CHRONOLOGY: _chronology,
    Section.CONTACTS: _contacts,
    Section.SAFETY_PLAN: lambda r: _entries(r, SAFETY_PLAN_TYPES),
    Section.INTELLIGENCE: lambda r: _entries(r, [ManualEntryType.INTELLIGENCE]),
}


def shared_content(referral: Referral) -> dict[str, object]:
    """{section code: its data} for the ticked sections only."""
    return {code: _BUILDERS[code](referral) for code in referral.sections if code in _BUILDERS}


def chronology_range_label(referral: Referral) -> str:
    start, end = referral.chronology_from, referral.chronology_to
    if start and end:
        return f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"
    if start:
        return f"from {start:%d/%m/%Y}"
    if end:
        return f"up to {end:%d/%m/%Y}"
    return "the whole case"
