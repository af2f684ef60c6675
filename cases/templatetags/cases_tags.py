"""Tags for status, risk and missing-risk grades (GOV.UK tag pattern; colours with AA contrast)."""

from django import template
from django.utils.html import format_html

from cases.models import CaseStatus, MissingRiskGrade, RiskLevel

register = template.Library()


@register.simple_tag(takes_context=True)
def break_glass_url(context, person) -> str:
    """The break-glass page for this person, through a reference signed for this user."""
    from django.urls import reverse

    from cases.break_glass_refs import break_glass_reference

    return reverse("cases:break_glass", args=[break_glass_reference(context["request"].user, person.pk)])


_STATUS_CLASS: dict[str, str] = {
    CaseStatus.IDENTIFIED: "govuk-tag--light-blue",
    CaseStatus.ACTIVE: "govuk-tag--green",
    CaseStatus.AWAITING_CLOSURE_APPROVAL: "govuk-tag--yellow",
    CaseStatus.CLOSED: "govuk-tag--grey",
}
_RISK_CLASS = {"high": "app-tag--risk-high", "medium": "app-tag--risk-medium", "low": "app-tag--risk-low"}


@register.simple_tag
def status_tag(status: str):
    label = CaseStatus(status).label if status in CaseStatus.values else status
    return format_html('<strong class="govuk-tag {}">{}</strong>', _STATUS_CLASS.get(status, ""), label)


@register.simple_tag
def risk_tag(level: str, suffix: str = " risk"):
    if level in RiskLevel.values:
        label = RiskLevel(level).label
    elif level in MissingRiskGrade.values:
        label = MissingRiskGrade(level).label
    else:
        return ""
    css = _RISK_CLASS.get(level, "govuk-tag--grey")
    return format_html('<strong class="govuk-tag {}">{}{}</strong>', css, label, suffix)
