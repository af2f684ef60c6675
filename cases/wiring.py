"""Everything the cases app plugs into registries, in one place, from CasesConfig.ready():
its chronology sources, the record-reference search matcher, dashboard figures, handover
pack sections, navigation and home panels.
Other apps plug into cases' registries (chronology, sections, search) from their own ready()."""

from __future__ import annotations


def ready() -> None:
    from safeguarding.accounts.models import User
    from safeguarding.core import home, navigation
    from safeguarding.core.home import Panel
    from safeguarding.core.navigation import NavItem

    from . import chronology, chronology_sources, figures, home_panels, pack, search
    from .models import ManualEntryType

    chronology.register(chronology_sources.case_events, types={"case": "Case opened, status and officer"}, order=10)
    chronology.register(
        chronology_sources.manual_entries,
        types={f"entry_{value}": label for value, label in ManualEntryType.choices},
        order=20,
    )
    chronology.register(chronology_sources.missing_episodes, types={"missing": "Missing episodes"}, order=30)
    chronology.register(chronology_sources.missing_regradings, types={"missing": "Missing episodes"}, order=31)
    chronology.register(chronology_sources.placements, types={"placement": "Placements"}, order=35)
    chronology.register(chronology_sources.reclassifications, types={"classification": "Classification"}, order=36)
    chronology.register(chronology_sources.voice_entries, types={"voice": "The young person's voice"}, order=40)
    chronology.register(chronology_sources.tasks, types={"task": "Tasks done"}, order=50)

    # Registered before other apps' matchers (cases comes first in INSTALLED_APPS), so the
    # search form's reference label starts with it.
    search.register_matcher(
        search.Matcher(
            key="record_reference",
            label="case reference (SG…) or record number (YP…)",
            match=search.match_record_reference,
        )
    )

    figures.register()
    pack.register()

    readers = User.Role.case_readers()
    supervisors = (User.Role.SUPERVISOR,)
    navigation.register(NavItem("Cases", "cases:case_list", readers, order=10))
    navigation.register(NavItem("Find a young person", "cases:search", readers, order=20))
    navigation.register(NavItem("Approvals", "cases:approvals", supervisors, order=25))
    navigation.register(NavItem("Break-glass review", "cases:break_glass_review", supervisors, order=30))

    for panel in (
        Panel(
            "cases_mine", "My cases", "cases/panels/my_cases.html", (User.Role.OFFICER,), home_panels.my_cases, order=10
        ),
        Panel(
            "cases_tasks",
            "My tasks",
            "cases/panels/my_tasks.html",
            User.Role.case_editors(),
            home_panels.my_tasks,
            order=20,
        ),
        Panel(
            "cases_team", "Team cases", "cases/panels/team_cases.html", supervisors, home_panels.team_cases, order=10
        ),
        Panel(
            "cases_approvals",
            "Approvals",
            "cases/panels/approvals.html",
            supervisors,
            home_panels.approvals,
            order=25,
        ),
        Panel(
            "cases_break_glass",
            "Break-glass accesses",
            "cases/panels/break_glass.html",
            supervisors,
            home_panels.break_glass,
            order=30,
        ),
        Panel(
            "cases_force",
            "Open cases across the force",
            "cases/panels/team_cases.html",
            (User.Role.FORCE_LEAD,),
            home_panels.force_cases,
            order=10,
        ),
    ):
        home.register(panel)
