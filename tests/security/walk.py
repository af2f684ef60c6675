"""What the security walks share: the project's URLs with the kwargs the access matrix
gives them, who may use each, and the forms a page offers (read from its HTML, so a
form is walked as a browser would submit it, hidden fields and buttons included)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import reverse

from tests import access_matrix

# Who the walks act as, most capable first: every URL is tried by each persona the matrix
# lets through (200 for a page, 405 for a POST-only action).
WALKERS = ["officer_a", "supervisor", "force_lead", "partner", "admin", "unverified", "anonymous"]
USABLE = (access_matrix.OK, access_matrix.NOT_ALLOWED)
# Django masks the CSRF token anew on every page, so it is no part of a form's shape.
CSRF_FIELD = "csrfmiddlewaretoken"


def matrix_urls(personas) -> dict[str, str]:
    """Every declared URL name -> its URL (objects of officer_a's team)."""
    kwargs = access_matrix.all_url_kwargs(personas)
    return {name: reverse(name, kwargs=kwargs.get(name, {})) for name in sorted(access_matrix.full_matrix())}


def walkers_of(name: str) -> list[str]:
    row = access_matrix.full_matrix()[name]
    defaults = {"anonymous": access_matrix.REDIRECT, "unverified": access_matrix.REDIRECT}
    return [p for p in WALKERS if row.get(p, defaults.get(p)) in USABLE]


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> the values a browser sends
    files: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def baseline(self) -> dict[str, list[str]]:
        data = {name: list(values) for name, values in self.fields.items()}
        if self.buttons:
            name, value = self.buttons[0]
            data[name] = [value]
        return data

    def names(self) -> list[str]:
        return sorted({*self.fields, *(name for name, _ in self.buttons)})

    def shape(self) -> tuple:
        """What the form sends, less the CSRF token (masked anew on every page): the same
        form found on many pages (the header's sign-out button is on every one) is one form."""
        fields = tuple(sorted((name, tuple(values)) for name, values in self.fields.items() if name != CSRF_FIELD))
        return (self.action, self.method, fields, tuple(self.files), tuple(self.buttons))


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.page_url
            self._form = Form(action=urlsplit(action).path or self.page_url, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is None or not name:
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        if tag == "input":
            self._input(form, name, a)
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False
            form.fields.setdefault(name, [])
        elif tag == "textarea":
            self._textarea, self._text = name, []

    @staticmethod
    def _input(form: Form, name: str, a: dict) -> None:
        kind = (a.get("type") or "text").lower()
        if kind == "file":
            form.files.append(name)
        elif kind in ("submit", "image"):
            form.buttons.append((name, a.get("value", "")))
        elif kind in ("checkbox", "radio"):
            form.fields.setdefault(name, [])
            if "checked" in a:
                form.fields[name].append(a.get("value", "on"))
        else:
            form.fields.setdefault(name, []).append(a.get("value", ""))

    def _option(self, a):
        value = a.get("value", "")
        if self._select_first is None:
            self._select_first = value
        if "selected" in a:
            self._form.fields[self._select].append(value)
            self._select_chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.setdefault(self._textarea, []).append("".join(self._text).strip("\n"))
            self._textarea = None


def forms_in(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms
