from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.forms import GovForm, GovModelForm

from .models import Agency, Team, User

ENROL_CODE_ERROR = "The code is not right. Check the app shows the Safeguarding account and enter its current code."
GENERIC_SIGN_IN_ERROR = "Enter a correct email address and password. Both are case-sensitive for the password."


class SignInForm(GovForm):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, request=None, locked_out: bool = False, **kwargs):
        self.request = request
        # django-axes has refused this email and address: answer as for a wrong password.
        self.locked_out = locked_out
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        email = (cleaned.get("email") or "").strip().lower()
        password = cleaned.get("password")
        if email and password:
            if self.locked_out:
                raise ValidationError(GENERIC_SIGN_IN_ERROR, code="invalid_login")
            # A wrong password, an unknown email, a disabled account and a
            # locked-out one all get this same answer.
            self.user = authenticate(self.request, email=email, username=email, password=password)
            if self.user is None:
                raise ValidationError(GENERIC_SIGN_IN_ERROR, code="invalid_login")
        return cleaned


class CodeField(forms.CharField):
    """A 6-digit authenticator code; spaces (as apps show "123 456") are ignored."""

    default_error_messages = {
        "required": "Enter the 6-digit code from your authenticator app",
        "invalid": "Enter the 6 digits shown in your authenticator app",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Code from your authenticator app")
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "class": "govuk-input--width-5",
                    "spellcheck": "false",
                    "maxlength": "7",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return "".join((super().to_python(value) or "").split())

    def validate(self, value):
        super().validate(value)
        if value and (len(value) != 6 or not value.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class TokenForm(GovForm):
    code = CodeField(help_text="The 6-digit code changes every 30 seconds.")

    def __init__(self, *args, devices: list[TOTPDevice] | None = None, **kwargs):
        self.devices = devices or []
        self.device: TOTPDevice | None = None
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise ValidationError("Enter the 6 digits shown in your authenticator app")
        for device in self.devices:
            # verify_token refuses a code already used (TOTPDevice.last_t) and throttles guesses.
            if device.verify_token(code):
                self.device = device
                return code
        raise ValidationError("The code is not right, or has been used already. Wait for a new code and try again.")


class SetPasswordAndEnrolForm(GovForm):
    new_password1 = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few unrelated words make a strong password that is easy to remember.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    new_password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args, user: User, device: TOTPDevice, **kwargs):
        self.user = user
        self.device = device
        super().__init__(*args, **kwargs)
        self.fields["code"] = CodeField(
            help_text="After you add the account to your app, enter the 6-digit code it shows."
        )

    def clean_new_password2(self) -> str | None:
        p1 = self.cleaned_data.get("new_password1")
        p2 = self.cleaned_data.get("new_password2")
        if p1 and p2 and p1 != p2:
            raise ValidationError("The two passwords do not match")
        if p2:
            password_validation.validate_password(p2, self.user)
        return p2

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise ValidationError(ENROL_CODE_ERROR)
        return code

    def clean(self):
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        code = cleaned.get("code")
        # Check (and so spend) the code only once the passwords are accepted: a refused
        # password must not use up the code typed with it.
        if code and not self.errors and not self.device.verify_token(code):
            self.add_error("code", ENROL_CODE_ERROR)
        return cleaned


class UserCreateForm(GovModelForm):
    supervised_teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Teams supervised",
        help_text="Supervisors only.",
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "job_title", "role", "agency", "team"]
        labels = {"full_name": "Full name", "email": "Email address", "team": "Team (officers only)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Agency]", self.fields["agency"]).queryset = Agency.objects.filter(is_active=True)
        cast("forms.ModelChoiceField[Team]", self.fields["team"]).queryset = Team.objects.filter(
            is_active=True
        ).select_related("agency")
        self.fields["team"].required = False
        self.fields["full_name"].error_messages["required"] = "Enter the user's full name"
        self.fields["email"].error_messages["required"] = "Enter the user's email address"
        self.fields["role"].error_messages["required"] = "Select the user's role"
        self.fields["agency"].error_messages["required"] = "Select the user's agency"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise ValidationError("An account with this email address already exists")
        return email

    def clean(self):
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        role, agency, team = cleaned.get("role"), cleaned.get("agency"), cleaned.get("team")
        if role == User.Role.OFFICER and not team:
            self.add_error("team", "Choose the officer's team")
        if role != User.Role.OFFICER and team:
            self.add_error("team", "Only officers belong to a team; leave this empty")
        if role == User.Role.SUPERVISOR and not cleaned.get("supervised_teams"):
            self.add_error("supervised_teams", "Choose at least one team for the supervisor")
        if agency and role in (User.Role.OFFICER, User.Role.SUPERVISOR, User.Role.FORCE_LEAD) and not agency.is_police:
            self.add_error("agency", "Officers, supervisors and force leads work for a police force")
        if agency and role == User.Role.PARTNER and agency.is_police:
            self.add_error("agency", "Partner users belong to a partner agency, not the police force")
        if team and agency and team.agency_id != agency.pk:
            self.add_error("team", "The team belongs to another agency")
        return cleaned
