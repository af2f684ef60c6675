"""Importing the morning custody list: the happy path, every bad input, idempotent
re-import and the update by a later list."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from custody.models import CustodyEvent, CustodyImport, CustodyImportRow, RowState
from custody.review import parsing, services, tasks
from safeguarding.audit.models import AuditEvent
from tests.factories.custody import (
    HEADER,
    adult_row,
    arrest_time,
    born_aged,
    checked_upload,
    custody_csv,
    import_csv,
    person_row,
    uk,
    upload,
)

pytestmark = pytest.mark.django_db

UPLOAD = reverse("custody:import_upload")


def post_file(client, content: bytes, name: str = "custody-list.csv"):
    return client.post(UPLOAD, {"file": upload(content, name)})


def three_people() -> bytes:
    return custody_csv(
        [
            person_row(),  # 16, out of area, PWITS: flagged
            adult_row(),  # 40, local, drink driving: not flagged
            person_row(
                custody_number="WS/00102/25",
                surname="Examplar",
                forenames="Reece",
                date_of_birth=born_aged(20).strftime("%Y-%m-%d"),
                home_force_or_local_authority="Westshire",
                offences="Being concerned in the supply of a controlled drug of Class A",
            ),  # 20 with an offence marker: flagged
        ]
    )


# ---------------------------------------------------------------------------
# Happy path
# ---------------------------------------------------------------------------


def test_upload_imports_screens_and_keeps_the_file_in_the_database(personas):
    client = personas.client("officer_a")
    content = three_people()
    response = post_file(client, content)
    batch = CustodyImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("custody:import_detail", args=[batch.pk])
    assert bytes(batch.content) == content
    assert batch.status == CustodyImport.Status.DONE
    assert (batch.total_rows, batch.processed_rows, batch.new_count, batch.flagged_count, batch.error_count) == (
        3,
        3,
        3,
        2,
        0,
    )
    states = dict(CustodyImportRow.objects.values_list("custody_number", "state"))
    assert states == {
        "WS/00101/25": RowState.TO_REVIEW,
        "WS/00900/25": RowState.NOT_FLAGGED,
        "WS/00102/25": RowState.TO_REVIEW,
    }
    juvenile = CustodyImportRow.objects.get(custody_number="WS/00101/25")
    assert juvenile.line_number == 2
    assert juvenile.raw["surname"] == "Testwood"
    assert "16 (juvenile under PACE)" in juvenile.reasons
    assert "Home force North Yorkshire Police" in juvenile.reasons
    assert "PWITS Class A" in juvenile.reasons


def test_upload_is_audited_with_counts(personas):
    batch = import_csv(personas.officer_a, three_people())
    rows = AuditEvent.objects.filter(object_type="custody.custodyimport", object_id=str(batch.pk)).order_by("at", "id")
    assert [r.action for r in rows] == ["create", "create"]
    assert rows[0].actor_id == personas.officer_a.pk
    assert rows[1].detail["new"] == 3 and rows[1].detail["flagged"] == 2


def test_the_summary_page_shows_counts_and_the_queue_orders_by_score(personas):
    import_csv(personas.officer_a, three_people())
    client = personas.client("officer_b")
    page = client.get(reverse("custody:review")).content.decode()
    assert "2</strong> people left to review" in page
    assert page.index("Testwood") < page.index("Examplar")  # 16-year-old first
    assert "Grownup" not in page


# ---------------------------------------------------------------------------
# Bad input: the whole file
# ---------------------------------------------------------------------------


def test_a_wrong_file_type_is_refused_keeping_the_chosen_file_name(personas):
    response = post_file(personas.client("officer_a"), b"PK\x03\x04rest", name="custody.xlsx")
    page = response.content.decode()
    assert response.status_code == 400
    assert "must be a CSV file" in page
    assert "custody.xlsx" in page
    assert not CustodyImport.objects.exists()


def test_an_excel_file_renamed_csv_is_refused(personas):
    response = post_file(personas.client("officer_a"), b"PK\x03\x04rest", name="custody.csv")
    assert response.status_code == 400
    assert "Excel workbook" in response.content.decode()


@override_settings(CUSTODY_IMPORT_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused_stating_the_limit(personas):
    content = custody_csv([person_row(custody_number=f"WS/{i}") for i in range(20)])
    assert len(content) > 1024
    response = post_file(personas.client("officer_a"), content)
    assert response.status_code == 400
    assert "must be smaller than 1 KB" in response.content.decode()
    assert not CustodyImport.objects.exists()


def test_an_empty_file_is_refused(personas):
    response = post_file(personas.client("officer_a"), b"")
    assert response.status_code == 400
    assert "empty" in response.content.decode()


def test_no_file_chosen_is_an_error(personas):
    response = personas.client("officer_a").post(UPLOAD, {})
    assert response.status_code == 400
    assert "Select the custody list to upload" in response.content.decode()


def test_non_utf8_text_is_read_as_windows_1252_and_the_summary_says_so(personas):
    content = custody_csv([person_row(forenames="Zoë")], encoding="cp1252")
    response = post_file(personas.client("officer_a"), content)
    batch = CustodyImport.objects.get()
    assert batch.encoding == "windows-1252"
    assert CustodyImportRow.objects.get().forenames == "Zoë"
    page = personas.client("officer_a").get(response["Location"]).content.decode()
    assert "read as Windows-1252" in page and "not UTF-8" in page


# ---------------------------------------------------------------------------
# Bad input: rows
# ---------------------------------------------------------------------------


def test_unparseable_dates_are_reported_with_line_and_value_and_good_rows_still_import(personas):
    content = custody_csv(
        [
            adult_row(),
            adult_row(number="WS/00901/25", arrest_datetime="32/13/2025 25:99"),
            person_row(),
        ]
    )
    batch = import_csv(personas.officer_a, content)
    assert batch.new_count == 3 and batch.error_count == 1
    error = next(p for p in batch.problems if p["kind"] == "error")
    assert error == {
        "line": 3,
        "kind": "error",
        "column": "arrest_datetime",
        "value": "32/13/2025 25:99",
        "message": "is not a real date and time",
    }
    assert CustodyImportRow.objects.get(custody_number="WS/00901/25").state == RowState.REJECTED
    assert CustodyImportRow.objects.get(custody_number="WS/00101/25").state == RowState.TO_REVIEW
    page = personas.client("officer_a").get(reverse("custody:import_detail", args=[batch.pk])).content.decode()
    assert "32/13/2025 25:99" in page and "is not a real date and time" in page


def test_a_row_with_an_unreadable_date_of_birth_is_never_dropped_it_goes_to_check_manually(personas):
    batch = import_csv(personas.officer_a, custody_csv([adult_row(date_of_birth="31st Feb")]))
    row = CustodyImportRow.objects.get()
    assert row.state == RowState.TO_REVIEW
    assert row.check_manually
    assert row.date_of_birth is None and row.date_of_birth_text == "31st Feb"
    assert "Date of birth could not be read: check manually" in row.reasons
    assert batch.check_manually_count == 1
    assert any(p["kind"] == "check" and p["line"] == 2 for p in batch.problems)


def test_a_row_with_no_date_of_birth_goes_to_check_manually(personas):
    import_csv(personas.officer_a, custody_csv([adult_row(date_of_birth="")]))
    assert CustodyImportRow.objects.get().check_manually


def test_an_at_risk_row_with_an_error_still_reaches_the_queue(personas):
    import_csv(personas.officer_a, custody_csv([person_row(arrest_datetime="last night")]))
    row = CustodyImportRow.objects.get()
    assert row.errors and row.state == RowState.TO_REVIEW


def test_duplicate_rows_in_a_file_are_imported_once_and_reported(personas):
    batch = import_csv(personas.officer_a, custody_csv([person_row(), adult_row(), person_row()]))
    assert CustodyImportRow.objects.count() == 2
    assert batch.duplicate_count == 1
    duplicate = next(p for p in batch.problems if p["kind"] == "duplicate")
    assert duplicate["line"] == 4 and "repeats line 2" in duplicate["message"]


def test_formula_cells_are_stored_as_text_and_escaped_on_export(personas):
    formula = '=HYPERLINK("http://evil.example","click")'
    content = custody_csv([adult_row(surname=formula, arrest_datetime="@SUM(1+1)")])
    batch = import_csv(personas.officer_a, content)
    row = CustodyImportRow.objects.get()
    assert row.surname == formula
    client = personas.client("officer_a")
    page = client.get(reverse("custody:row_detail", args=[row.pk])).content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in page  # escaped HTML, shown as text
    export = client.get(reverse("custody:import_problems_csv", args=[batch.pk]))
    assert export["Content-Type"].startswith("text/csv")
    cells = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert cells[1][:4] == ["2", "error", "arrest_datetime", "'@SUM(1+1)"]
    assert AuditEvent.objects.filter(action="export", object_id=str(batch.pk)).exists()


def test_an_unrecognised_outcome_is_kept_as_text_with_a_warning(personas):
    batch = import_csv(personas.officer_a, custody_csv([person_row(outcome="Transferred to hospital")]))
    row = CustodyImportRow.objects.get()
    assert (row.outcome_text, row.outcome) == ("Transferred to hospital", "")
    assert any(p["kind"] == "warning" and p["column"] == "outcome" for p in batch.problems)


def test_a_release_before_the_arrest_is_left_out_with_a_warning(personas):
    arrested = arrest_time()
    content = custody_csv(
        [person_row(arrest_datetime=uk(arrested), release_datetime=uk(arrested - timedelta(hours=3)))]
    )
    batch = import_csv(personas.officer_a, content)
    assert CustodyImportRow.objects.get().released_at is None
    assert any(p["column"] == "release_datetime" for p in batch.problems)


def test_a_clock_change_arrest_time_is_flagged_for_the_officer(personas):
    batch = import_csv(personas.officer_a, custody_csv([adult_row(arrest_datetime="27/10/2024 01:30")]))
    row = CustodyImportRow.objects.get()
    assert row.arrested_at is None and row.state == RowState.TO_REVIEW and row.check_manually
    assert any("happened twice" in c for c in row.checks)
    assert batch.error_count == 0


# ---------------------------------------------------------------------------
# Idempotence and the later list
# ---------------------------------------------------------------------------


def test_importing_the_same_file_twice_creates_nothing_twice(personas):
    content = three_people()
    first = import_csv(personas.officer_a, content)
    second = import_csv(personas.officer_b, content)
    assert CustodyImportRow.objects.count() == 3
    assert (second.new_count, second.unchanged_count, second.flagged_count, second.updated_count) == (0, 3, 0, 0)
    assert first.new_count == 3
    assert set(CustodyImportRow.objects.values_list("last_batch", flat=True)) == {second.pk}


def test_a_later_list_updates_release_and_outcome_and_the_summary_says_so(personas):
    arrested = arrest_time(days_ago=1)
    import_csv(personas.officer_a, custody_csv([person_row(arrest_datetime=uk(arrested))]))
    released = arrested + timedelta(hours=9)
    later = import_csv(
        personas.officer_a,
        custody_csv(
            [
                person_row(arrest_datetime=uk(arrested), release_datetime=uk(released), outcome="RUI"),
                adult_row(),
            ]
        ),
        name="later.csv",
    )
    row = CustodyImportRow.objects.get(custody_number="WS/00101/25")
    assert (row.released_at, row.outcome) == (released, "rui")
    assert row.state == RowState.TO_REVIEW  # still waiting for a decision
    assert (later.new_count, later.updated_count) == (1, 1)
    assert later.updates[0]["line"] == 2 and later.updates[0]["changes"] == ["released_at", "outcome"]
    page = personas.client("officer_a").get(reverse("custody:import_detail", args=[later.pk])).content.decode()
    assert "Detentions updated by this list" in page and "Release time, Outcome" in page


def test_a_later_list_updates_the_custody_event_and_audits_it(personas):
    arrested = arrest_time(days_ago=1)
    import_csv(personas.officer_a, custody_csv([person_row(arrest_datetime=uk(arrested))]))
    row = CustodyImportRow.objects.get()
    event = services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    assert event.released_at is None
    released = arrested + timedelta(hours=12)
    import_csv(
        personas.officer_b,
        custody_csv([person_row(arrest_datetime=uk(arrested), release_datetime=uk(released), outcome="Charged")]),
    )
    event.refresh_from_db()
    assert (event.released_at, event.outcome, event.version) == (released, "charged", 2)
    audit = AuditEvent.objects.get(object_type="custody.custodyevent", object_id=str(event.pk), action="update")
    assert sorted(audit.detail["fields"]) == ["outcome", "released_at"]


def test_a_later_list_release_starts_the_48_hour_checklist(personas):
    from custody.models import Checklist

    arrested = arrest_time(days_ago=1)
    import_csv(personas.officer_a, custody_csv([person_row(arrest_datetime=uk(arrested))]))
    event = services.custody_row_safeguard(
        actor=personas.officer_a, row=CustodyImportRow.objects.get(), owner=personas.officer_a
    )
    assert not Checklist.objects.filter(custody_event=event).exists()
    import_csv(
        personas.officer_a,
        custody_csv([person_row(arrest_datetime=uk(arrested), release_datetime=uk(arrested + timedelta(hours=5)))]),
    )
    assert Checklist.objects.filter(custody_event=event).count() == 1


# ---------------------------------------------------------------------------
# Large files: the Celery task
# ---------------------------------------------------------------------------


@override_settings(CUSTODY_IMPORT_ASYNC_ROWS=2)
def test_a_large_file_is_queued_for_the_task_and_the_page_shows_progress(personas, django_capture_on_commit_callbacks):
    client = personas.client("officer_a")
    content = custody_csv([adult_row(number=f"WS/{i:05d}/25") for i in range(5)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_file(client, content)
    assert len(callbacks) == 1  # delay_on_commit: enqueued only after the upload commits
    batch = CustodyImport.objects.get()
    assert batch.status == CustodyImport.Status.PENDING and batch.total_rows == 5
    page = client.get(response["Location"]).content.decode()
    assert "0 of 5 rows screened" in page and "Refresh the progress" in page
    assert 'id="import-progress-bar"' in page
    assert tasks.custody_import_run(batch.pk) == "done"
    batch.refresh_from_db()
    assert (batch.processed_rows, batch.new_count) == (5, 5)
    page = client.get(response["Location"]).content.decode()
    assert "Refresh the progress" not in page


def test_the_import_task_is_idempotent(personas):
    content = custody_csv([person_row()])
    data, csv_file = checked_upload(content)
    batch = services.custody_import_create(actor=personas.officer_a, filename="x.csv", content=data, csv_file=csv_file)
    assert tasks.custody_import_run(batch.pk) == "done"
    assert tasks.custody_import_run(batch.pk).startswith("skipped")
    assert CustodyImportRow.objects.count() == 1


def test_an_abandoned_import_is_taken_over_and_finishes_without_doubles(personas):
    content = custody_csv([person_row(), adult_row()])
    data, csv_file = checked_upload(content)
    batch = services.custody_import_create(actor=personas.officer_a, filename="x.csv", content=data, csv_file=csv_file)
    services.custody_import_process(batch_id=batch.pk)
    # A worker died half-way through a rerun: the batch is left "processing", long ago.
    CustodyImport.objects.filter(pk=batch.pk).update(
        status=CustodyImport.Status.PROCESSING, started_at=batch.uploaded_at - timedelta(hours=1)
    )
    assert tasks.custody_import_run(batch.pk) == "done"
    batch.refresh_from_db()
    assert (batch.new_count, batch.flagged_count, CustodyImportRow.objects.count()) == (2, 1, 2)


def test_a_running_import_is_not_claimed_twice(personas):
    batch = import_csv(personas.officer_a, custody_csv([person_row()]))
    CustodyImport.objects.filter(pk=batch.pk).update(status=CustodyImport.Status.PROCESSING)
    assert services.custody_import_process(batch_id=batch.pk) is None


def test_header_order_and_synonyms_import_end_to_end(personas):
    header = list(reversed(HEADER))
    header[header.index("forenames")] = "First name"
    row = person_row()
    row["First name"] = row.pop("forenames")
    import_csv(personas.officer_a, custody_csv([row], header=header, bom=True))
    assert CustodyImportRow.objects.get().forenames == "Jaylen"
    assert not CustodyEvent.objects.exists()


def test_the_example_list_offered_on_the_upload_page_imports_as_described(personas):
    from django.conf import settings

    content = (settings.BASE_DIR / "static" / "custody" / "example-custody-list.csv").read_bytes()
    batch = import_csv(personas.officer_a, content, name="example-custody-list.csv")
    assert (batch.total_rows, batch.new_count, batch.duplicate_count, batch.error_count) == (8, 7, 1, 1)
    assert batch.flagged_count == 4  # the 15-year-old, the 21-year-old with a knife, two to check manually
    assert batch.check_manually_count == 2
    assert reverse("custody:import_upload")  # the page links the file
    page = personas.client("officer_a").get(UPLOAD).content.decode()
    assert "example-custody-list.csv" in page


@pytest.mark.django_db(transaction=True)
def test_a_detention_inserted_by_a_simultaneous_import_is_not_imported_twice(personas, monkeypatch):
    """Another list, imported at the same moment (another connection, committed), inserts
    the same detention between our look-up and our insert: the chunk is done again and
    finds it."""
    import threading

    from django.db import connection as thread_connection

    from custody.review import screening
    from tests.factories.custody import CustodyImportFactory, CustodyImportRowFactory

    content = custody_csv([person_row(), adult_row()])
    data, csv_file = checked_upload(content)
    batch = services.custody_import_create(actor=personas.officer_a, filename="x.csv", content=data, csv_file=csv_file)
    key = next(parsing.parse(csv_file)).dedupe_key
    real_screen = screening.screen
    calls = []

    def other_import():
        other = CustodyImportFactory(uploaded_by=personas.officer_b)
        CustodyImportRowFactory(batch=other, dedupe_key=key, custody_number="WS/00101/25")
        thread_connection.close()

    def screen_and_race(rows, **kwargs):
        if not calls:
            racer = threading.Thread(target=other_import)
            racer.start()
            racer.join()
        calls.append(len(rows))
        return real_screen(rows, **kwargs)

    monkeypatch.setattr(screening, "screen", screen_and_race)
    done = services.custody_import_process(batch_id=batch.pk)
    assert done.status == CustodyImport.Status.DONE
    assert calls == [2, 1]  # the retry screened only the row that is really new
    assert (done.new_count, done.unchanged_count) == (1, 1)
    assert CustodyImportRow.objects.filter(dedupe_key=key).count() == 1


def test_the_summary_says_the_encoding_in_plain_words_and_lists_problems_in_line_order(personas):
    rows = [
        person_row(custody_number="WS/1/25"),
        person_row(custody_number="WS/2/25", outcome="Transferred to hospital"),  # line 3: a warning
        person_row(custody_number="WS/1/25"),  # line 4: repeats line 2, found before line 3's warning is kept
    ]
    batch = import_csv(personas.officer_a, custody_csv(rows, bom=True))
    page = personas.client("officer_a").get(reverse("custody:import_detail", args=[batch.pk])).content.decode()
    assert "UTF-8 with a byte-order mark" in page and "utf-8-sig" not in page
    lines = [p["line"] for p in batch.problems]
    assert lines == [3, 4]
