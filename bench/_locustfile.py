"""A busy morning for Locust, driven by bench/_load.py (`make load`), which starts gunicorn,
a Celery worker and beat on the force-scale data set and hands over signed-in sessions
in BENCH_LOAD_SESSIONS (a JSON file: {"officer": [[session key, [person ids it may open]], ...], "supervisor": ...,
"partner": ...}).

Officers also upload custody lists (a morning's detentions in the custody-list CSV format,
some names of people already known), which the Celery worker imports while the others work.

Forms are sent as the page rendered them (every field's shown value, the CSRF token
included), the way a user who accepts the defaults would: a safeguard decision takes the
suggested person, the officer as owner and the default risk, as the review page offers.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import random
import re
import sys
import uuid
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task

# Locust puts bench/ on the path, not the project: the shared headings live in bench._support.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench._support import CUSTODY_LIST_HEADER

SESSIONS = json.loads(open(os.environ["BENCH_LOAD_SESSIONS"]).read())  # noqa: SIM115
SEATS = itertools.count()
SEARCHES = ["Kayden Smith", "Kaydn Smyth", "Tia Okafor", "Leo Jones", "Little Leo", "Jayden Khan"]
# Rows in one uploaded custody list: a suite's overnight detentions.
LIST_ROWS = 40
GIVEN = ["Kayden", "Tia", "Leo", "Jayden", "Amara", "Callum", "Freya", "Reuben", "Nia", "Tyler", "Maisie", "Kofi"]
FAMILY = ["Smith", "Okafor", "Jones", "Khan", "Brennan", "Whitlock", "Adeyemi", "Marsh", "Quill", "Darrow"]
OFFENCES = [
    "Possession with intent to supply a controlled drug of Class A - cocaine",
    "Being concerned in the supply of a controlled drug of Class A",
    "Possession of a bladed article in a public place",
    "Theft from a shop",
    "Common assault",
]
UK = ZoneInfo("Europe/London")


def custody_list(rng: random.Random) -> bytes:
    """One custody list as a suite exports it (invented people; custody numbers unique per list)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CUSTODY_LIST_HEADER)
    batch = uuid.uuid4().hex[:8].upper()
    now = datetime.now(UK).replace(tzinfo=None)
    for i in range(LIST_ROWS):
        arrested = now - timedelta(minutes=rng.randint(60, 14 * 60))
        born = now.date() - timedelta(days=rng.randint(12 * 365, 40 * 365))
        released = arrested + timedelta(hours=rng.randint(4, 12))
        writer.writerow(
            [
                f"LD/{batch}/{i:03d}",
                rng.choice(FAMILY),
                rng.choice(GIVEN),
                born.strftime("%d/%m/%Y"),
                rng.choice(["Westshire", "Leeds", "Merseyside Police", ""]),
                arrested.strftime("%d/%m/%Y %H:%M"),
                "Northgate Custody",
                rng.choice(OFFENCES),
                released.strftime("%d/%m/%Y %H:%M") if released < now and i % 3 else "",
                rng.choice(["RUI", "Charged", "NFA", "Bailed", ""]) if released < now and i % 3 else "",
            ]
        )
    return out.getvalue().encode()


class FormFields(HTMLParser):
    """The fields of the first <form method="post"> as a browser would send them untouched."""

    def __init__(self, action_part: str) -> None:
        super().__init__()
        self.action_part = action_part
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.select_value: str | None = None
        self.textarea: str | None = None
        self.action = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        is_post_form = tag == "form" and not self.done and (a.get("method") or "").lower() == "post"
        if is_post_form and (self.action_part in (a.get("action") or "") or not a.get("action")):
            self.inside, self.action = True, a.get("action") or ""
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select, self.select_value = a.get("name"), None
        elif tag == "option" and self.select is not None:
            if self.select_value is None or "selected" in a:
                self.select_value = a.get("value") or ""
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.fields.append((self.textarea or "", ""))

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None and self.inside:
            self.fields.append((self.select, self.select_value or ""))
            self.select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def send_form(user: HttpUser, path: str, name: str) -> bool:
    """GET ``path``, then POST its form back as rendered. True when the POST redirected (saved)."""
    page = user.client.get(path, name=f"{name} (form)")
    if page.status_code != 200:
        return False
    parser = FormFields(path)
    parser.feed(page.text)
    if not parser.fields:
        return False
    response = user.client.post(
        parser.action or path,
        data=parser.fields,
        name=f"{name} (send)",
        headers={"Referer": user.host + path},
        allow_redirects=False,
    )
    return response.status_code in (302, 303)


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    role = ""

    def on_start(self) -> None:
        pool = SESSIONS[self.role]
        # Each simulated user its own signed-in person, round the pool.
        session_key, self.people = pool[next(SEATS) % len(pool)]
        self.client.cookies.set("sessionid", session_key)

    def open_person(self) -> None:
        if self.people:
            self.client.get(f"/people/{random.choice(self.people)}/", name="/people/[id]/")


class Officer(SignedIn):
    weight = 35
    role = "officer"

    @task(4)
    def review_queue(self) -> None:
        page = self.client.get("/custody/", name="/custody/ (review queue)")
        rows = re.findall(r'href="/custody/rows/(\d+)/"', page.text)
        if rows:
            self.client.get(f"/custody/rows/{random.choice(rows)}/", name="/custody/rows/[id]/")

    @task(2)
    def safeguard(self) -> None:
        page = self.client.get("/custody/", name="/custody/ (review queue)")
        rows = re.findall(r'href="/custody/rows/(\d+)/"', page.text)
        if rows:
            send_form(self, f"/custody/rows/{random.choice(rows)}/safeguard/", "/custody/rows/[id]/safeguard/")

    @task(4)
    def mark_checklist_item(self) -> None:
        page = self.client.get("/custody/clocks/", name="/custody/clocks/")
        checklists = re.findall(r'href="/custody/checklists/(\d+)/#item-\d+"', page.text)
        if not checklists:
            return
        page = self.client.get(f"/custody/checklists/{random.choice(checklists)}/", name="/custody/checklists/[id]/")
        items = re.findall(r'href="/custody/checklist-items/(\d+)/done/"', page.text)
        if items:
            send_form(
                self, f"/custody/checklist-items/{random.choice(items)}/done/", "/custody/checklist-items/[id]/done/"
            )

    @task(5)
    def search_and_open(self) -> None:
        # The search form posts its terms (names never sit in URLs).
        page = self.client.get("/people/search/", name="/people/search/ (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if token is None:
            return
        results = self.client.post(
            "/people/search/",
            data={"csrfmiddlewaretoken": token.group(1), "name": random.choice(SEARCHES)},
            name="/people/search/ (send)",
            headers={"Referer": self.host + "/people/search/"},
        )
        found = re.findall(r'href="/people/(\d+)/"', results.text)
        if found:
            self.client.get(f"/people/{random.choice(found)}/", name="/people/[id]/")
        else:
            self.open_person()

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="/ (home)")

    @task(1)
    def imports(self) -> None:
        self.client.get("/custody/imports/", name="/custody/imports/")

    @task(1)
    def upload_list(self) -> None:
        """Upload a custody list as the upload page's form sends it, then open its summary."""
        page = self.client.get("/custody/imports/new/", name="/custody/imports/new/ (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or token is None:
            return
        content = custody_list(random.Random())
        response = self.client.post(
            "/custody/imports/new/",
            data={"csrfmiddlewaretoken": token.group(1)},
            files={"file": ("northgate-custody.csv", content, "text/csv")},
            name="/custody/imports/new/ (send)",
            headers={"Referer": self.host + "/custody/imports/new/"},
            allow_redirects=False,
        )
        summary = response.headers.get("Location", "")
        if response.status_code in (302, 303) and re.search(r"/custody/imports/\d+/$", summary):
            self.client.get(summary, name="/custody/imports/[id]/")


class Supervisor(SignedIn):
    weight = 10
    role = "supervisor"

    @task(3)
    def clocks(self) -> None:
        self.client.get("/custody/clocks/", name="/custody/clocks/")

    @task(2)
    def person(self) -> None:
        self.open_person()

    @task(3)
    def cases(self) -> None:
        page = self.client.get("/cases/", name="/cases/")
        cases = re.findall(r'href="/cases/(\d+)/"', page.text)
        if cases:
            self.client.get(f"/cases/{random.choice(cases)}/", name="/cases/[id]/")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/ (home)")


class Partner(SignedIn):
    weight = 5
    role = "partner"

    @task
    def home(self) -> None:
        self.client.get("/", name="/ (home)")
