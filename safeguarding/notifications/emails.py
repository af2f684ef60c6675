"""The one email renderer: a message is two templates, ``emails/<name>-subject.txt``
(its first line is the subject) and ``emails/<name>-body.txt`` (plain text)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body: str


def email_render(name: str, context: dict) -> RenderedEmail:
    subject = render_to_string(f"emails/{name}-subject.txt", context).strip().splitlines()[0]
    return RenderedEmail(subject=subject, body=render_to_string(f"emails/{name}-body.txt", context))


def message_id(key: str) -> str:
    """A stable Message-ID for ``key`` (what the message is about), so that a mail system
    that deduplicates drops a copy sent again after a crash."""
    domain = urlsplit(settings.SITE_URL).hostname or "safeguarding.invalid"
    return f"<{key}@{domain}>"
