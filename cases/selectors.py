"""Reads and scoping. Views never query cases or people any other way.

* officer: cases of their own team and cases assigned to them;
* supervisor: cases of the teams they supervise;
* force lead: every case, read-only;
* partner, admin: none.

Live break-glass grants add a person and all their cases. A person is visible
when the user can see one of their cases, or, while they have no case yet, to
the team that created them (and their creator). A merged-away record is visible
exactly when the record it was merged into is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from safeguarding.accounts.models import Team, User
from safeguarding.audit.models import AuditEvent
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404

from .models import (
    BreakGlassAccess,
    Case,
    CaseStatus,
    DealLine,
    DigitalReview,
    MissingEpisode,
    OrganisedCrimeGroup,
    Reclassification,
    Task,
    YoungPerson,
)


def can_edit(user: User) -> bool:
    """Officers and supervisors change records in their scope; the force lead only reads."""
    return user.role in User.Role.case_editors()


def live_break_glass(user: User) -> QuerySet[BreakGlassAccess]:
    return BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now())


def teams_of(user: User) -> QuerySet[Team]:
    """The teams whose work the user sees as their own."""
    if user.role == User.Role.OFFICER:
        return Team.objects.filter(pk=user.team_id) if user.team_id is not None else Team.objects.none()
    if user.role == User.Role.SUPERVISOR:
        return Team.objects.filter(supervisors=user)
    return Team.objects.none()


def case_scope(user: User, prefix: str = "") -> Q:
    """The one rule for cases, as a condition on a row: ``prefix`` reaches the case from
    another model ("case__", "checklist__case__"), so records hanging off a case are
    listed, and checked one at a time, through a join, never ``case_id IN (every case
    the user may see)``, which makes PostgreSQL build that whole set to check one row."""
    if not user.is_authenticated or user.role not in User.Role.case_readers():
        return Q(pk__in=[])
    if user.role == User.Role.FORCE_LEAD:
        return Q()
    if user.role == User.Role.OFFICER:
        scope = Q(**{f"{prefix}team_id": user.team_id}) | Q(**{f"{prefix}owner_id": user.pk})
    else:
        scope = Q(**{f"{prefix}team_id__in": Team.objects.filter(supervisors=user).values("pk")})
    return scope | Q(Exists(live_break_glass(user).filter(person_id=OuterRef(f"{prefix}person_id"))))


def cases_visible_to(user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_scope(user))


def _live_person_rule(user: User, ref: str, prefix: str) -> Q:
    """Whether the live record at ``ref`` (its id column on the outer row) is in scope,
    asked about that record alone: one of its own cases is visible, or it has no case
    and was created here, or a grant covers it."""
    person_id = OuterRef(ref)
    has_visible_case = Exists(Case.objects.filter(case_scope(user), person_id=person_id))
    has_no_case = ~Exists(Case.objects.filter(person_id=person_id))
    created_here = Q(**{f"{prefix}created_by_team__in": teams_of(user).values("pk")}) | Q(
        **{f"{prefix}created_by_id": user.pk}
    )
    granted = Exists(live_break_glass(user).filter(person_id=person_id))
    return Q(has_visible_case) | (Q(has_no_case) & created_here) | Q(granted)


def person_scope(user: User) -> Q:
    """The one rule for young people, as a condition on a YoungPerson row: a live record
    by its own cases and team, a tombstone exactly as the record it was merged into
    (merging repoints older tombstones, so one step reaches a live record). Each branch
    is an EXISTS over that row's own cases, so opening one record costs a few index
    lookups whatever the force's size, and a list is the same rule applied row by row."""
    if not user.is_authenticated or user.role not in User.Role.case_readers():
        return Q(pk__in=[])
    if user.role == User.Role.FORCE_LEAD:
        return Q()
    live = Q(merged_into__isnull=True) & _live_person_rule(user, "pk", "")
    tombstone = Q(merged_into__isnull=False) & _live_person_rule(user, "merged_into_id", "merged_into__")
    return live | tombstone


def people_visible_to(user: User) -> QuerySet[YoungPerson]:
    """Live records in scope, and tombstones of records merged into them."""
    return YoungPerson.objects.filter(person_scope(user))


def person_visible(user: User, ref: str = "person_id") -> Exists:
    """For models hanging off a person (aliases): EXISTS over that one person's scope."""
    return Exists(people_visible_to(user).filter(pk=OuterRef(ref)))


def case_get_for_user_or_404(
    *, request: AuthenticatedRequest, pk: int | str, queryset: QuerySet[Case] | None = None
) -> Case:
    visible = cases_visible_to(request.user).select_related("person", "team", "owner")
    if queryset is not None:
        visible = visible & queryset
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def person_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> YoungPerson:
    """The person (possibly a tombstone: check ``is_merged`` and send the user on)."""
    visible = people_visible_to(request.user).select_related("merged_into", "created_by_team")
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def person_is_visible_to(user: User, person: YoungPerson) -> bool:
    return people_visible_to(user).filter(pk=person.pk).exists()


def person_cases_for(user: User, person: YoungPerson) -> QuerySet[Case]:
    """The person's cases the user may see, newest first, ready for a list."""
    return cases_visible_to(user).filter(person=person).select_related("team", "owner").order_by("-opened_at", "-pk")


@dataclass(frozen=True)
class Contact:
    """Who holds a record the user may not see: only the team and officer to contact."""

    team: str
    email: str
    officer: str


def contacts_for_cases(cases) -> list[Contact]:
    """One line per team (open cases first), from cases with team and owner loaded."""
    contacts: dict[int, Contact] = {}
    for case in sorted(cases, key=lambda c: (c.status == CaseStatus.CLOSED, -c.opened_at.timestamp())):
        if case.team_id not in contacts:
            contacts[case.team_id] = Contact(
                team=case.team.name, email=case.team.contact_email, officer=case.owner.full_name
            )
    return list(contacts.values())


def person_other_records(user: User, person: YoungPerson) -> list[Contact]:
    """The teams holding this person's cases that the user may not see: "other records held — contact …"."""
    hidden = (
        Case.objects.filter(person=person)
        .exclude(pk__in=cases_visible_to(user).filter(person=person).values("pk"))
        .select_related("team", "owner")
    )
    return contacts_for_cases(hidden)


def person_contacts(person: YoungPerson) -> list[Contact]:
    """Who to contact about a person out of the user's scope (search results, break glass)."""
    # person.cases.all(): search prefetches the cases with their team and owner.
    cases = list(person.cases.all()) if person.pk else []
    if cases:
        return contacts_for_cases(cases)
    if person.created_by_team:
        return [
            Contact(
                team=person.created_by_team.name,
                email=person.created_by_team.contact_email,
                officer=person.created_by.full_name if person.created_by else "",
            )
        ]
    return []


def case_list_for(
    user: User,
    *,
    status: str = "",
    team_id: int | None = None,
    owner_id: int | None = None,
    risk: str = "",
    open_only: bool = False,
) -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("person", "team", "owner")
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.filter(status__in=CaseStatus.open_values())
    if team_id:
        qs = qs.filter(team_id=team_id)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if risk:
        qs = qs.filter(risk_level=risk)
    return qs.order_by("-opened_at", "-pk")


def cases_owned_by(user: User) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .filter(owner=user, status__in=CaseStatus.open_values())
        .select_related("person", "team")
        .order_by("-opened_at", "-pk")
    )


def tasks_open_for(user: User) -> QuerySet[Task]:
    """Open tasks assigned to the user on cases they can see, earliest due first."""
    return (
        Task.objects.filter(case_scope(user, "case__"), assignee=user, completed_at__isnull=True)
        .select_related("case", "case__person")
        .order_by("due_at")
    )


def case_tasks(case: Case) -> QuerySet[Task]:
    return case.tasks.select_related("assignee", "completed_by").order_by("completed_at", "due_at")


def break_glass_to_review(user: User) -> QuerySet[BreakGlassAccess]:
    """For a supervisor: break-glass accesses by members of their teams, or into their teams' records."""
    if user.role != User.Role.SUPERVISOR:
        return BreakGlassAccess.objects.none()
    teams = Team.objects.filter(supervisors=user).values("pk")
    into_teams = Exists(Case.objects.filter(person_id=OuterRef("person_id"), team__in=teams))
    return (
        BreakGlassAccess.objects.filter(Q(user__team__in=teams) | Q(into_teams))
        .select_related("user", "user__team", "person", "reviewed_by")
        .order_by("reviewed_at", "-granted_at")
    )


def person_viewers(person: YoungPerson) -> QuerySet[AuditEvent]:
    """Who read (or tried to reach) this person and their cases: from the s62 log."""
    case_ids = [str(pk) for pk in Case.objects.filter(person=person).values_list("pk", flat=True)]
    merged_ids = [str(pk) for pk in person.merged_records.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type="cases.youngperson", object_id__in=[str(person.pk), *merged_ids])
        | Q(object_type="cases.case", object_id__in=case_ids),
        action__in=[
            AuditEvent.Action.VIEW,
            AuditEvent.Action.EXPORT,
            AuditEvent.Action.BREAK_GLASS,
            AuditEvent.Action.ACCESS_DENIED,
            AuditEvent.Action.SEARCH,
        ],
    ).order_by("-at", "-id")[: settings.VIEWERS_SHOWN]


@dataclass
class LinkedPeople:
    """Other young people linked to the same deal line or crime group."""

    entity: DealLine | OrganisedCrimeGroup
    visible: list[Case]
    others_held: list[Contact]


def case_linked_people(user: User, case: Case) -> list[LinkedPeople]:
    """For each line and group on the case: the other young people the user may see,
    and for the rest only which team to contact ("other records held")."""
    lines = list(case.deal_lines.all())
    groups = list(case.crime_groups.all())
    if not lines and not groups:
        return []
    # The linked case ids from the two link tables, each by its line or group index:
    # one OR across both many-to-many joins made PostgreSQL scan every case.
    linked_ids = set(Case.deal_lines.through.objects.filter(dealline__in=lines).values_list("case_id", flat=True))
    linked_ids.update(
        Case.crime_groups.through.objects.filter(organisedcrimegroup__in=groups).values_list("case_id", flat=True)
    )
    others = list(
        Case.objects.filter(pk__in=linked_ids)
        .exclude(person_id=case.person_id)
        .select_related("person", "team", "owner")
        .prefetch_related(
            Prefetch("deal_lines", queryset=DealLine.objects.only("pk")),
            Prefetch("crime_groups", queryset=OrganisedCrimeGroup.objects.only("pk")),
        )
        .order_by("pk")
    )
    visible_ids = set(cases_visible_to(user).filter(pk__in=[c.pk for c in others]).values_list("pk", flat=True))
    result = []
    entities: list[tuple[DealLine | OrganisedCrimeGroup, str]] = [
        *((line, "deal_lines") for line in lines),
        *((group, "crime_groups") for group in groups),
    ]
    for entity, attr in entities:
        linked = [c for c in others if any(e.pk == entity.pk for e in getattr(c, attr).all())]
        result.append(
            LinkedPeople(
                entity=entity,
                visible=[c for c in linked if c.pk in visible_ids],
                others_held=contacts_for_cases([c for c in linked if c.pk not in visible_ids]),
            )
        )
    return result


def officers_for_assignment(user: User, case: Case | None = None) -> QuerySet[User]:
    """Officers a case may be given to: the user's own team, or the teams a supervisor supervises."""
    teams = teams_of(user)
    qs = User.objects.filter(role=User.Role.OFFICER, is_active=True, team__in=teams.values("pk"))
    if case is not None:
        qs = qs | User.objects.filter(pk=case.owner_id)
    return qs.select_related("team").order_by("full_name")


def task_assignees(case: Case) -> QuerySet[User]:
    """Who a task on this case may be given to: the case team's officers, its supervisors, the owner."""
    return (
        User.objects.filter(
            Q(role=User.Role.OFFICER, team_id=case.team_id) | Q(supervised_teams=case.team_id) | Q(pk=case.owner_id),
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )


def person_for_break_glass(pk: int | str) -> YoungPerson | None:
    """Any live record by number (the break-glass page shows only its number and who to contact)."""
    records = YoungPerson.objects.select_related("created_by_team", "created_by").prefetch_related(
        Prefetch("cases", queryset=Case.objects.select_related("team", "owner"))
    )
    try:
        person = records.filter(pk=pk).first()
    except (ValueError, TypeError):
        return None
    if person is not None and person.merged_into_id:
        person = records.filter(pk=person.merged_into_id).first()
    return person


def teams_for_filter(user: User) -> QuerySet[Team]:
    if user.role == User.Role.FORCE_LEAD:
        return Team.objects.filter(is_active=True).order_by("name")
    return teams_of(user).order_by("name")


# Break glass grants reading only. These say whether a record is in the user's own scope
# (what the scope rules give, less any grant), for every page and app that changes records.

BREAK_GLASS_READ_ONLY = (
    "Break-glass access lets you read this record, not change it. Ask the team that holds it to make the change."
)


def missing_episode_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> MissingEpisode:
    visible = MissingEpisode.objects.filter(case_scope(request.user, "case__")).select_related("case", "case__person")
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def task_get_for_user_or_404(*, request: AuthenticatedRequest, pk: int | str) -> Task:
    visible = Task.objects.filter(case_scope(request.user, "case__")).select_related("case")
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def case_in_own_scope(user: User, case: Case) -> bool:
    """In the user's scope without any break-glass grant (the scope selectors give, less the grants)."""
    if user.role == User.Role.OFFICER:
        return case.team_id == user.team_id or case.owner_id == user.pk
    return teams_of(user).filter(pk=case.team_id).exists()


def person_in_own_scope(user: User, person: YoungPerson) -> bool:
    cases = list(Case.objects.filter(person=person).only("pk", "team_id", "owner_id"))
    if not cases:
        team_id = person.created_by_team_id
        return person.created_by_id == user.pk or (team_id is not None and teams_of(user).filter(pk=team_id).exists())
    return any(case_in_own_scope(user, case) for case in cases)


def require_own_scope(user: User, *, person: YoungPerson | None = None, case: Case | None = None) -> None:
    """Break glass grants reading only: a record the user reaches through a grant alone
    cannot be changed through any page (403)."""
    if case is not None and not case_in_own_scope(user, case):
        raise PermissionDenied(BREAK_GLASS_READ_ONLY)
    if person is not None and not person_in_own_scope(user, person):
        raise PermissionDenied(BREAK_GLASS_READ_ONLY)


# ---------------------------------------------------------------------------
# Missing episodes: how often and at what estimated cost, around the case
# ---------------------------------------------------------------------------

MISSING_PERIOD = timedelta(days=90)


@dataclass
class MissingPeriod:
    label: str
    start: datetime
    end: datetime
    episodes: int
    cost: Decimal


def missing_periods(user: User, case: Case, *, now: datetime | None = None) -> list[MissingPeriod]:
    """The young person's missing episodes (on every case of theirs the user may see)
    and their estimated police cost in the 90 days before this case opened, then in each
    90 days after it opened until it closed (or now): is the work making a difference?"""
    now = now or timezone.now()
    end_of_case = case.closed_at or now
    starts = [case.opened_at - MISSING_PERIOD]
    while starts[-1] + MISSING_PERIOD < end_of_case:
        starts.append(starts[-1] + MISSING_PERIOD)
    rows = list(
        MissingEpisode.objects.filter(
            case__in=cases_visible_to(user).filter(person_id=case.person_id).values("pk"),
            reported_missing_at__gte=starts[0],
            reported_missing_at__lt=starts[-1] + MISSING_PERIOD,
        ).values_list("reported_missing_at", "estimated_cost")
    )
    periods = []
    for index, start in enumerate(starts):
        end = start + MISSING_PERIOD
        inside = [cost for at, cost in rows if start <= at < end]
        label = (
            "90 days before the case opened"
            if index == 0
            else f"Days {(index - 1) * 90 + 1} to {index * 90} after it opened"
        )
        periods.append(
            MissingPeriod(label=label, start=start, end=end, episodes=len(inside), cost=sum(inside, Decimal(0)))
        )
    return periods


def closures_awaiting_approval(user: User) -> QuerySet[Case]:
    """Cases asking for closure that this supervisor may approve: their teams' only."""
    return (
        cases_visible_to(user)
        .filter(status=CaseStatus.AWAITING_CLOSURE_APPROVAL, team__in=teams_of(user).values("pk"))
        .select_related("person", "team", "owner")
        .order_by("updated_at", "pk")
    )


# ---------------------------------------------------------------------------
# Digital reviews: restricted to the case's own team, its supervisors and the force lead
# ---------------------------------------------------------------------------


def digital_review_scope(user: User, prefix: str = "") -> Q:
    """Narrower than case_scope: no break glass, no owner outside the team, no partner."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.role == User.Role.FORCE_LEAD:
        return Q()
    if user.role == User.Role.OFFICER and user.team_id is not None:
        return Q(**{f"{prefix}team_id": user.team_id})
    if user.role == User.Role.SUPERVISOR:
        return Q(**{f"{prefix}team_id__in": Team.objects.filter(supervisors=user).values("pk")})
    return Q(pk__in=[])


def digital_review_scope_allows(user: User, case: Case) -> bool:
    return Case.objects.filter(digital_review_scope(user), pk=case.pk).exists()


def digital_reviews_visible_to(user: User) -> QuerySet[DigitalReview]:
    return DigitalReview.objects.filter(digital_review_scope(user, "case__"))


def case_digital_reviews(user: User, case: Case) -> list[DigitalReview]:
    """The case's digital reviews this user may see (none for anyone outside the scope)."""
    return list(
        digital_reviews_visible_to(user).filter(case=case).select_related("created_by").prefetch_related("findings")
    )


def reclassifications_awaiting_approval(user: User) -> QuerySet[Reclassification]:
    return (
        Reclassification.objects.filter(
            case_scope(user, "case__"), status="pending", case__team__in=teams_of(user).values("pk")
        )
        .select_related("case", "case__person", "requested_by")
        .order_by("requested_at", "pk")
    )
