"""Foundation in a real browser: activation with MFA enrolment, sign-in and
sign-out, the idle-timeout warning, and axe on every page the tests load."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from safeguarding.accounts.models import User
from safeguarding.accounts.services import user_create
from safeguarding.notifications.services import notification_send
from tests.browser.helpers import (
    assert_accessible,
    code_from_secret,
    install_clock,
    server_session,
    sign_in,
    totp_code_unused,
    visit,
)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

SIGN_IN_URL = re.compile(r"/sign-in/(\?.*)?$")


def session_dialog(page: Page):
    return page.get_by_role("dialog", name="You will be signed out soon")


def age_server_session(page: Page, *, seconds: float) -> None:
    """Make the server's session look idle for ``seconds`` more, as if that much
    time had passed on the server too (the browser's clock is Playwright's)."""
    session = server_session(page.context)
    session["last_seen"] -= seconds
    session["signed_in_at"] -= seconds
    session.save()


def test_activation_link_sets_password_and_enrols_authenticator(page: Page, personas):
    user, token = user_create(
        actor=personas.admin,
        email="nia@testshire.example",
        full_name="Nia Newcomer",
        role=User.Role.OFFICER,
        agency=personas.force,
        team=personas.team_a,
    )
    visit(page, f"/activate/{token}/")
    expect(page.get_by_role("heading", name="Set up your account", level=1)).to_be_visible()
    secret_element = page.locator("#totp-secret")
    secret = secret_element.get_attribute("data-secret")
    assert secret_element.inner_text().replace(" ", "") == secret
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()

    # A password that is too short, and no code: the errors are shown and accessible.
    page.get_by_label("Create a password").fill("too-short")
    page.get_by_label("Type the password again").fill("too-short")
    page.get_by_role("button", name="Finish setting up").click()
    assert_accessible(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("at least 12 characters")
    expect(summary).to_be_focused()

    new_password = "tidal-copper-lantern-meadow"
    page.get_by_label("Create a password").fill(new_password)
    page.get_by_label("Type the password again").fill(new_password)
    page.get_by_label("Code from your authenticator app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Finish setting up").click()
    expect(page).to_have_url(SIGN_IN_URL)
    assert_accessible(page)
    expect(page.get_by_role("alert")).to_contain_text("Your account is ready")

    # The link works once.
    response = visit(page, f"/activate/{token}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()

    # The enrolled authenticator signs in, with a code from a later 30-second step
    # than the one used to confirm it (sign_in waits for it).
    user.refresh_from_db()
    sign_in(page, user, password=new_password)
    expect(page.get_by_role("heading", name="Hello, Nia", level=1)).to_be_visible()


def test_sign_in_with_mfa_then_sign_out(page: Page, personas):
    visit(page, "/sign-in/")
    page.get_by_label("Email address").fill(personas.officer_a.email)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(summary).to_be_focused()

    sign_in(page, personas.officer_a)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Hello, Alice", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(SIGN_IN_URL)
    assert_accessible(page)
    expect(page.get_by_role("alert")).to_contain_text("You have signed out")

    visit(page, "/notifications/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=%2Fnotifications%2F$"))
    expect(page.get_by_role("heading", name="Sign in to Safeguarding")).to_be_visible()


def test_officer_reads_notifications(page: Page, personas):
    officer = personas.officer_b
    notification_send(user=officer, subject="Strategy meeting moved to 2pm", body="Room 4, Central station.")
    sign_in(page, officer)
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Notifications 1 unread")).to_be_visible()

    header.get_by_role("link", name=re.compile("^Notifications")).click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Strategy meeting moved to 2pm")

    page.get_by_role("button", name="Mark all as read").click()
    assert_accessible(page)
    expect(page.get_by_role("table")).to_contain_text("Read")
    expect(header.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_admin_lists_accounts_and_creates_one(page: Page, personas):
    sign_in(page, personas.admin)
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Accounts").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()

    page.get_by_role("button", name="Create an account").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create account").click()
    assert_accessible(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")

    # A supervisor without teams: the error links to the first team's checkbox.
    page.get_by_label("Full name").fill("Ola Officer")
    page.get_by_label("Email address").fill("ola@testshire.example")
    page.get_by_label("Role").select_option(label="Supervisor")
    page.get_by_label("Agency").select_option(label=personas.force.name)
    page.get_by_role("button", name="Create account").click()
    assert_accessible(page)
    page.locator(".govuk-error-summary").get_by_role("link", name="Choose at least one team").click()
    expect(page.get_by_role("group", name="Teams supervised").get_by_label("Team A")).to_be_focused()

    page.get_by_label("Role").select_option(label="Safeguarding officer")
    page.get_by_label("Agency").select_option(label=personas.force.name)
    page.get_by_label("Team (officers only)").select_option(label=str(personas.team_a))
    page.get_by_role("button", name="Create account").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Ola Officer", level=1)).to_be_visible()
    expect(page.locator("#activation-url")).to_contain_text("/activate/")


def test_force_lead_searches_audit_log(page: Page, personas):
    sign_in(page, personas.force_lead)
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Audit log").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()

    page.get_by_label("User's email address").fill(personas.force_lead.email)
    page.get_by_label("Action").select_option(label="Signed in")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    expect(page.get_by_role("table")).to_contain_text(personas.force_lead.email)

    page.get_by_label("From (dd/mm/yyyy)").fill("02/01/2025")
    page.get_by_label("To (dd/mm/yyyy)").fill("01/01/2025")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end date must be the same as or after")


def test_password_reset_request(page: Page, personas):
    visit(page, "/sign-in/")
    page.get_by_role("link", name="I have forgotten my password").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()
    assert_accessible(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    page.get_by_label("Email").fill(personas.officer_a.email)
    page.get_by_role("button", name="Send the link").click()
    assert_accessible(page)
    expect(page).to_have_url(re.compile(r"/password-reset/sent/$"))


def test_page_not_found(page: Page, personas):
    sign_in(page, personas.officer_b)
    response = visit(page, "/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()


@pytest.mark.parametrize("persona", ["supervisor", "partner"])
def test_home_page_of_role_is_accessible(page: Page, personas, persona):
    user = getattr(personas, persona)
    sign_in(page, user)
    expect(page.get_by_role("heading", name=f"Hello, {user.get_short_name()}", level=1)).to_be_visible()


def test_idle_warning_lets_the_user_stay_signed_in(page: Page, personas):
    install_clock(page)
    sign_in(page, personas.officer_a2)
    dialog = session_dialog(page)
    expect(dialog).to_be_hidden()

    # Thirteen idle minutes, on the server and in the browser: two are left.
    age_server_session(page, seconds=13 * 60)
    page.clock.fast_forward("13:00")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("we will sign you out in 2 minutes")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    assert_accessible(page)

    with page.expect_response("**/session/keepalive/") as keepalive:
        stay.click()
    assert keepalive.value.ok
    expect(dialog).to_be_hidden()
    assert time.time() - server_session(page.context)["last_seen"] < 5
    expect(page.get_by_role("heading", name="Hello, Amir", level=1)).to_be_visible()


def test_idle_warning_closes_when_another_tab_kept_the_session_alive(page: Page, personas):
    install_clock(page)
    sign_in(page, personas.officer_a2)
    document_id = page.evaluate("window.__a11yDocumentId")
    dialog = session_dialog(page)
    age_server_session(page, seconds=13 * 60)
    page.clock.fast_forward("13:00")
    expect(dialog).to_be_visible()

    # The user carries on in another tab, then the countdown in this one runs out.
    other_tab = page.context.new_page()
    other_tab.goto("/notifications/")
    other_tab.close()
    page.clock.fast_forward("02:01")
    expect(dialog).to_be_hidden()
    assert page.evaluate("window.__a11yDocumentId") == document_id, "the page must not have reloaded"
    expect(page.get_by_role("heading", name="Hello, Amir", level=1)).to_be_visible()


def test_idle_timeout_signs_the_user_out(page: Page, personas, settings):
    # Real time on a short timeout: the server itself ends the session.
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=8)
    settings.SESSION_IDLE_WARNING = timedelta(seconds=4)
    sign_in(page, personas.officer_a)
    expect(session_dialog(page)).to_be_visible(timeout=10_000)

    expect(page).to_have_url(SIGN_IN_URL, timeout=15_000)
    assert_accessible(page)
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "You were signed out because you had not done anything"
    )
    visit(page, "/")
    expect(page).to_have_url(SIGN_IN_URL)


def test_idle_warning_is_not_set_up_before_sign_in(page: Page):
    visit(page, "/sign-in/")
    expect(page.locator("#session-timeout-dialog")).to_have_count(0)
    assert page.evaluate("document.body.dataset.sessionIdle") is None


def test_what_was_typed_before_the_timeout_is_kept_and_given_back(page: Page, personas, settings):
    # Real time on a short timeout. The admin types into a form, the session ends,
    # the page (not reloaded) keeps the text; sending it leads to sign-in, and after
    # signing in again the same form shows what was typed, to check and send.
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=8)
    settings.SESSION_IDLE_WARNING = timedelta(seconds=4)
    sign_in(page, personas.admin)
    visit(page, "/manage/users/new/")
    page.get_by_label("Full name").fill("Kept Typing")
    page.get_by_label("Email address").fill("kept@testshire.example")

    dialog = page.get_by_role("dialog", name="You have been signed out")
    expect(dialog).to_be_visible(timeout=20_000)
    assert_accessible(page)
    dialog.get_by_role("button", name="Continue").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Full name")).to_have_value("Kept Typing")

    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(SIGN_IN_URL)
    assert_accessible(page)
    expect(page.get_by_role("region", name="Important")).to_contain_text("What you had typed has been kept")

    # Sign in on the page we were sent to, which remembers where we were. Wait for a
    # fresh code first: the short idle timeout also applies between the two steps.
    code = totp_code_unused(personas.admin)
    page.get_by_label("Email address").fill(personas.admin.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/manage/users/new/$"))
    assert_accessible(page)
    expect(page.get_by_label("Full name")).to_have_value("Kept Typing")
    expect(page.get_by_label("Email address")).to_have_value("kept@testshire.example")
    assert not User.objects.filter(email="kept@testshire.example").exists(), "never submitted on the user's behalf"
