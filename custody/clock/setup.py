"""Wiring of the 48-hour clock into the rest of the product, from CustodyConfig.ready():
the beat sweep, the chronology source, the case-page section, navigation and home panels."""


def ready() -> None:
    """Register this area's chronology sources, navigation, home panels and periodic tasks."""
    from cases import chronology, sections
    from cases.signals import case_reassigned, person_merged, person_updated
    from safeguarding.core import home, navigation, periodic
    from safeguarding.core.home import Panel
    from safeguarding.core.navigation import NavItem

    from . import selectors, services

    periodic.register(
        name="custody.checklist_sweep",
        task="custody.clock.tasks.checklist_sweep",
        every_seconds_setting="CHECKLIST_SWEEP_SECONDS",
    )
    chronology.register(selectors.chronology_checklist_entries, types={"checklist": "48-hour checklist"}, order=35)
    sections.register_case_section(
        sections.Section(
            key="clock",
            title="48-hour safeguarding clock",
            template="custody/clock/case_section.html",
            context=selectors.case_section_context,
            order=20,
        )
    )
    navigation.register(NavItem("Clocks", "custody:clocks", ("officer", "supervisor", "force_lead"), order=30))
    home.register(
        Panel(
            key="clock_mine",
            title="Your 48-hour checklist items",
            template="custody/clock/home_panel.html",
            roles=("officer",),
            context=selectors.home_panel_officer,
            order=20,
        )
    )
    home.register(
        Panel(
            key="clock_teams",
            title="48-hour clocks in your teams",
            template="custody/clock/home_panel.html",
            roles=("supervisor",),
            context=selectors.home_panel_supervisor,
            order=20,
        )
    )
    case_reassigned.connect(services.items_follow_case_owner, dispatch_uid="custody.clock.items_follow_case_owner")
    # Items that depend on the person (looked-after; out of area) follow an edit or a merge.
    person_updated.connect(
        services.conditional_items_follow_person, dispatch_uid="custody.clock.conditional_items_follow_person"
    )
    person_merged.connect(
        services.conditional_items_follow_person, dispatch_uid="custody.clock.conditional_items_follow_person_merged"
    )
