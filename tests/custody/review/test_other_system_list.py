"""End to end: a morning list exported by another custody system (issue #23), with its own
headings, split date and time columns, dates of birth as Excel datetimes and serial day
numbers, "w/i/s" and counts of wraps, and outcomes written its own way."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from custody.models import CustodyImportRow, RowState
from custody.review import selectors
from tests.factories.custody import arrest_time, import_csv

pytestmark = pytest.mark.django_db


def _years_before(day: date, years: int, days: int = 40) -> date:
    """A date of birth making someone ``years`` old on ``day``, not near a birthday."""
    return date(day.year - years, day.month, 1) - (date(2001, 1, 1 + days % 28) - date(2001, 1, 1))


def other_system_list() -> bytes:
    arrested = arrest_time()
    day = arrested.date()
    on = day.strftime("%d/%m/%Y")
    child = _years_before(day, 16)
    runner = _years_before(day, 19)
    adult = _years_before(day, 34)
    possession = _years_before(day, 17)
    serial = (runner - date(1899, 12, 30)).days
    lines = [
        "Custody Ref,Family Name,Given Names,DOB,Home LA,Arrest Date,Arrest Hour,Offence(s),Disposal",
        f"XS/1/26,Testwood,Jaylen,{child:%Y-%m-%d} 00:00:00,North Yorkshire Police,{on},01:10,"
        "Poss. Cl.A w/i/s (heroin & crack) x 28 wraps,Released to care of local authority",
        f"XS/2/26,Examplar,Reece,{serial},Leeds,{on},02:20,Being concerned in the supply of crack cocaine,In custody",
        f"XS/3/26,Sampleton,Alex,{adult:%Y-%m-%d} 00:00:00,Westshire,{on},03:30,Drink driving,FPN issued",
        f"XS/4/26,Fakeham,Casey,{possession:%d/%m/%Y} 00:00,Westshire,{on},04:40,Poss cannabis,Bailed",
        f"XS/5/26,Testwood,Jaylen,{child:%Y-%m-%d} 00:00:00,North Yorkshire Police,{on},05:50,"
        "Possession w/i/s Class A - cocaine x 6 deals,Charged",
    ]
    return ("\n".join(lines) + "\n").encode()


def test_a_list_from_another_custody_system_is_read_screened_and_ranked(personas):
    batch = import_csv(personas.officer_a, other_system_list())
    rows = {r.custody_number: r for r in CustodyImportRow.objects.filter(batch=batch)}
    assert len(rows) == 5

    # Every date of birth is read: nothing goes to "check manually".
    assert all(r.date_of_birth is not None for r in rows.values())
    assert not any(r.check_manually for r in rows.values())
    assert not any(p["column"] == "date_of_birth" and p["kind"] != "warning" for p in batch.problems)

    # Ages and queueing: the 34-year-old's drink driving is not queued; the children are.
    assert rows["XS/3/26"].state == RowState.NOT_FLAGGED
    assert "16 (juvenile under PACE)" in rows["XS/1/26"].reasons
    assert "19" in rows["XS/2/26"].reasons
    assert "17 (juvenile under PACE)" in rows["XS/4/26"].reasons
    for number in ("XS/1/26", "XS/2/26", "XS/4/26", "XS/5/26"):
        assert rows[number].state == RowState.TO_REVIEW

    # w/i/s and wraps read as supply.
    assert "PWITS Class A" in rows["XS/1/26"].reasons
    assert "PWITS Class A" in rows["XS/5/26"].reasons
    assert "Supplying Class A" in rows["XS/2/26"].reasons

    # Ranking: the out-of-area 19-year-old held for supply outranks the 17-year-old's possession.
    assert rows["XS/2/26"].score > rows["XS/4/26"].score
    for row in rows.values():
        assert sum(row.reason_points) == row.score

    # The three outcomes are known: no unknown-outcome warning.
    assert not any(p["column"] == "outcome" for p in batch.problems)
    assert rows["XS/1/26"].outcome == "remanded"
    assert rows["XS/3/26"].outcome == "out_of_court"
    assert rows["XS/2/26"].outcome == ""

    # The same young person's second detention is matched to his first.
    assert [r.custody_number for r in selectors.same_person_rows(rows["XS/1/26"])] == ["XS/5/26"]


def test_the_row_page_shows_how_the_score_adds_up(personas):
    batch = import_csv(personas.officer_a, other_system_list())
    row = CustodyImportRow.objects.get(batch=batch, custody_number="XS/2/26")
    page = personas.client("officer_a").get(reverse("custody:row_detail", args=[row.pk]), follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="score-breakdown"' in html
    assert f"How the score of {row.score} adds up" in html
    assert "County Lines runner profile" in html
