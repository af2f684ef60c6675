"""Users, the agencies they work for, and the police teams that own cases."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AgencyKind(models.TextChoices):
    POLICE_FORCE = "police_force", "Police force"
    CHILDRENS_SERVICES = "childrens_services", "Local-authority children's services"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    SPECIALIST = "specialist", "Specialist exploitation service"
    OTHER = "other", "Other"


class Agency(models.Model):
    """An organisation whose staff use the system: the force itself or a partner."""

    Kind = AgencyKind

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    contact_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    # Referrals: where a referral's notice goes (a reference and a link, never personal
    # data), how many working days the agency aims to answer in (blank: no target), and
    # for local authorities whether they are a devolved NRM decision-making panel for
    # children and whether their area has an Independent Child Trafficking Guardian service.
    referral_inbox_email = models.EmailField("Referral inbox email", blank=True)
    response_target_working_days = models.PositiveSmallIntegerField(
        "Response target (working days)", null=True, blank=True
    )
    is_decision_panel = models.BooleanField("Devolved NRM decision-making panel", default=False)
    has_icgt_service = models.BooleanField("Independent Child Trafficking Guardian service in the area", default=False)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AgencyKind.values), name="agency_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind == self.Kind.POLICE_FORCE


class Team(models.Model):
    """A County Lines / organised-crime team of a police force. Cases belong to teams."""

    name = models.CharField(max_length=120)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="supervised_teams")
    contact_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("role", User.Role.ADMIN)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(**{self.model.USERNAME_FIELD: (username or "").lower()})


class UserRole(models.TextChoices):
    OFFICER = "officer", "Safeguarding officer"
    SUPERVISOR = "supervisor", "Supervisor"
    FORCE_LEAD = "force_lead", "Force lead"
    PARTNER = "partner", "Partner agency"
    ADMIN = "admin", "System administrator"

    # Case content (young people, cases, custody, checklists): who reads it and who
    # changes it. The force lead reads everything and changes nothing; partners and
    # administrators see none of it.
    @classmethod
    def case_readers(cls) -> tuple[str, ...]:
        return (cls.OFFICER, cls.SUPERVISOR, cls.FORCE_LEAD)

    @classmethod
    def case_editors(cls) -> tuple[str, ...]:
        return (cls.OFFICER, cls.SUPERVISOR)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the username; a role decides what they may see."""

    Role = UserRole

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")
    # An officer's own team (supervisors' teams are Team.supervisors).
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False, help_text="Created by seed_demo.")
    date_joined = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=UserRole.values), name="user_role_valid"),
            # Officers always belong to a team; nobody else carries one.
            models.CheckConstraint(
                condition=Q(role="officer", team__isnull=False) | (~Q(role="officer") & Q(team__isnull=True)),
                name="user_team_only_for_officers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_officer(self) -> bool:
        return self.role == self.Role.OFFICER

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR

    @property
    def is_force_lead(self) -> bool:
        return self.role == self.Role.FORCE_LEAD

    @property
    def is_partner(self) -> bool:
        return self.role == self.Role.PARTNER

    @property
    def is_admin_role(self) -> bool:
        return self.role == self.Role.ADMIN


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use activation link: set a password and enrol an authenticator.

    Only the hash of the token is stored, so a database reader cannot activate.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user.email} ({self.created_at:%Y-%m-%d})"

    @classmethod
    def issue(cls, *, user: User, created_by: User | None) -> tuple[Invitation, str]:
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = cls.objects.create(
            user=user,
            token_hash=_hash_token(token),
            created_at=now,
            expires_at=now + timedelta(hours=settings.ACCOUNT_ACTIVATION_HOURS),
            created_by_id=created_by.pk if created_by else None,
        )
        return invitation, token

    @classmethod
    def find_usable(cls, token: str) -> Invitation | None:
        return (
            cls.objects.select_related("user")
            .filter(
                token_hash=_hash_token(token),
                used_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
                user__is_active=True,
            )
            .first()
        )

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class UserSession(models.Model):
    """Which sessions belong to which user, so disabling a user or resetting a
    password can end every one of their sessions at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"
