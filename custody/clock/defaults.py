"""The default 48-hour post-custody checklist of DESIGN §5, as data.

Migration 0002 creates version 1 from its own copy of this list (migrations never
import application code). ``default_template_create`` recreates it where a database
holds no template at all (a database flushed by tests, or a fresh install whose data
migration was faked), so the clock never fails to start for want of configuration.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

# (code, title, due offset in minutes, owner rule, condition, reason recorded when the condition is false)
DEFAULT_ITEMS = [
    (
        "notify_social_care",
        "Notify home local-authority children's social care; notify the host authority if different",
        4 * 60,
        "case_owner",
        "always",
        "",
    ),
    (
        "release_safety_plan",
        "Safety plan for release agreed (where the young person goes, with whom)",
        4 * 60,
        "case_owner",
        "always",
        "",
    ),
    ("warning_markers", "Police system warning markers updated", 4 * 60, "case_owner", "always", ""),
    ("risk_assessment", "Exploitation screening / risk assessment completed", 24 * 60, "case_owner", "always", ""),
    ("mash_referral", "Referral to children's services / MASH submitted", 24 * 60, "case_owner", "always", ""),
    ("strategy_discussion", "Strategy discussion requested", 24 * 60, "case_owner", "always", ""),
    (
        "philomena_profile",
        "Philomena profile updated (looked-after children)",
        24 * 60,
        "case_owner",
        "looked_after",
        "Not a looked-after child when the clock started.",
    ),
    (
        "nrm_considered",
        "NRM considered: submitted, or a decision not to, with the rationale",
        48 * 60,
        "case_owner",
        "always",
        "",
    ),
    (
        "specialist_support",
        'Specialist support referral offered at the "reachable moment"',
        48 * 60,
        "case_owner",
        "always",
        "",
    ),
    ("follow_up_contact", "Follow-up contact with the young person", 48 * 60, "case_owner", "always", ""),
    (
        "home_area_handover",
        "Home-area handover arranged (out-of-area young people)",
        48 * 60,
        "case_owner",
        "out_of_area",
        "Not from outside the force area when the clock started.",
    ),
    ("supervisor_review", "Supervisor review of the first 48 hours", 48 * 60, "team_supervisor", "always", ""),
]


@transaction.atomic
def default_template_create():
    """Version 1 from DEFAULT_ITEMS, active, when no template exists; else None."""
    from custody.models import ChecklistTemplate, ChecklistTemplateItem

    if ChecklistTemplate.objects.select_for_update().exists():
        return None
    template = ChecklistTemplate.objects.create(
        version=1, is_active=True, notes="The default checklist of DESIGN §5.", activated_at=timezone.now()
    )
    ChecklistTemplateItem.objects.bulk_create(
        ChecklistTemplateItem(
            template=template,
            position=position,
            code=code,
            title=title,
            due_offset_minutes=minutes,
            owner_rule=owner_rule,
            condition=condition,
            not_applicable_reason=reason,
        )
        for position, (code, title, minutes, owner_rule, condition, reason) in enumerate(DEFAULT_ITEMS, start=1)
    )
    return template
