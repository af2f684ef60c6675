"""The one email renderer and the stable Message-ID of delivered notifications."""

from __future__ import annotations

from django.test import override_settings

from safeguarding.notifications.emails import email_render, message_id


def test_an_email_is_two_templates_and_the_subject_is_one_line():
    rendered = email_render(
        "checklist-reminder",
        {
            "kind": "reminder",
            "case_reference": "CASE-1",
            "item_title": "Safety plan",
            "due_at": None,
            "overdue": False,
            "url": "https://x.example/c/1",
            "path": "/c/1",
        },
    )
    assert rendered.subject and "\n" not in rendered.subject
    assert "https://x.example/c/1" in rendered.body


@override_settings(SITE_URL="https://safeguarding.example:8443")
def test_the_message_id_names_the_site_and_is_stable():
    assert message_id("checklist-item-7-reminder") == "<checklist-item-7-reminder@safeguarding.example>"
    assert message_id("checklist-item-7-reminder") == message_id("checklist-item-7-reminder")
