"""The prefilled NRM summary: what the case already holds, in the order of the national
online form's sections, for the officer to copy section by section into it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from cases.chronology import chronology_for
from custody.models import CustodyEvent

from .models import NRMReferral


@dataclass(frozen=True)
class SummarySection:
    key: str
    title: str
    text: str


def _lines(*pairs) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs if value not in (None, ""))


def nrm_summary_sections(nrm: NRMReferral, user) -> list[SummarySection]:
    case, person = nrm.case, nrm.case.person
    aliases = ", ".join(a.name for a in person.aliases.all())
    custody = CustodyEvent.objects.filter(case=case).order_by("arrested_at")
    chronology = [e for e in chronology_for(person=person, user=user).entries if e.case and e.case.pk == case.pk]
    highlights = "\n".join(
        f"{timezone.localtime(e.occurred_at):%d/%m/%Y}: {e.title}" + (f" – {e.text}" if e.text else "")
        for e in sorted(chronology, key=lambda e: e.occurred_at)
        if e.type in ("case", "missing", "custody", "voice", "entry_strategy", "entry_meeting", "referral")
    )
    return [
        SummarySection(
            "first_responder",
            "1. First responder details",
            _lines(
                ("Name", nrm.first_responder.full_name),
                ("Organisation", nrm.first_responder_organisation),
                ("Email", nrm.first_responder.email),
                ("Phone", nrm.first_responder.phone),
            ),
        ),
        SummarySection(
            "consent",
            "2. Route and consent",
            _lines(
                ("Route", nrm.get_route_display()),
                (
                    "Consent",
                    "Not needed for a child"
                    if nrm.route == "child"
                    else ("Given" if nrm.consent_given else "Not given: Duty to Notify (MS1)"),
                ),
                ("Children's services referral", nrm.childrens_referral.reference if nrm.childrens_referral else ""),
                (
                    "Independent Child Trafficking Guardian referral",
                    f"{nrm.icgt_referred_on:%d/%m/%Y}" if nrm.icgt_referred_on else "",
                ),
            ),
        ),
        SummarySection(
            "potential_victim",
            "3. Potential victim's details",
            _lines(
                ("Name", person.full_name),
                ("Other names", aliases),
                ("Date of birth", f"{person.date_of_birth:%d/%m/%Y}" if person.date_of_birth else ""),
                ("Age", person.age_display),
                ("Gender", person.get_gender_display()),
                ("Nationality", person.nationality),
                ("First language", person.first_language),
                ("Interpreter needed", "Yes" if person.interpreter_needed else "No"),
                ("Home local authority", person.home_local_authority),
            ),
        ),
        SummarySection(
            "identification",
            "4. How the potential victim was identified",
            _lines(
                ("How identified", case.get_how_identified_display()),
                ("Operation", case.operation_name),
                ("Detail", case.how_identified_detail),
            ),
        ),
        SummarySection(
            "exploitation",
            "5. Exploitation indicators",
            _lines(
                ("Type of exploitation", ", ".join(case.get_exploitation_types_display())),
                ("Risk", case.get_risk_level_display()),
                ("Indicators and rationale", case.risk_rationale),
            ),
        ),
        SummarySection(
            "custody",
            "6. Police contact and custody",
            "\n".join(
                f"Arrested {timezone.localtime(e.arrested_at):%d/%m/%Y %H:%M}"
                + (f"; offences: {e.offences}" if e.offences else "")
                + (f"; outcome: {e.get_outcome_display()}" if e.outcome else "")
                for e in custody
            ),
        ),
        SummarySection("chronology", "7. Account and chronology", highlights),
    ]
