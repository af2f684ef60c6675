"""The choices of referrals and NRM notifications."""

from __future__ import annotations

from django.db import models


class ReferralType(models.TextChoices):
    CHILDRENS_SERVICES = "childrens_services", "Children's services / MASH"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    HEALTH = "health", "Health"
    CAMHS = "camhs", "CAMHS"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    SPECIALIST = "specialist", "Specialist exploitation service"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate: the child is at risk now"
    URGENT = "urgent", "Urgent"
    ROUTINE = "routine", "Routine"


# Most urgent first on every list.
URGENCY_RANK = {Urgency.IMMEDIATE: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CLOSED = "closed", "Closed"


# The only moves allowed; anything else is refused with a message.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.DRAFT: frozenset({ReferralStatus.SENT}),
    ReferralStatus.SENT: frozenset({ReferralStatus.ACKNOWLEDGED}),
    ReferralStatus.ACKNOWLEDGED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.DECLINED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.CLOSED: frozenset(),
}


class Section(models.TextChoices):
    """What a referral may share. The last two are restricted: shared only when ticked
    with a written justification."""

    PERSON = "person", "Person summary"
    RISK = "risk", "Risk"
    CUSTODY = "custody", "Custody events"
    CHRONOLOGY = "chronology", "Chronology extract"
    CONTACTS = "contacts", "Contacts"
    SAFETY_PLAN = "safety_plan", "Safety plan (strategy discussions and multi-agency meetings)"
    INTELLIGENCE = "intelligence", "Intelligence"


RESTRICTED_SECTIONS = frozenset({Section.INTELLIGENCE})


class MessageKind(models.TextChoices):
    STATUS = "status", "Status"
    QUESTION = "question", "Question"
    UPDATE = "update", "Update"
    ANSWER = "answer", "Answer"


class NRMRoute(models.TextChoices):
    CHILD = "child", "Child (no consent needed)"
    ADULT_CONSENT = "adult_consent", "Adult, with consent"
    ADULT_MS1 = "adult_ms1", "Adult, without consent: Duty to Notify (MS1)"


class DecisionMaker(models.TextChoices):
    SCA = "sca", "Home Office Single Competent Authority"
    PANEL = "panel", "Local-authority devolved decision-making panel (children)"


class Outcome(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class DecisionStage(models.TextChoices):
    RG = "rg", "Reasonable Grounds"
    CG = "cg", "Conclusive Grounds"
