"""Wiring of the morning custody review into the rest of the product, from
CustodyConfig.ready(): the chronology source, the case-page section, the custody
number search matcher, navigation, the home panel and the periodic purge."""


def ready() -> None:
    """Register this area's chronology sources, navigation, home panels and periodic tasks."""
    from cases import chronology, search, sections
    from safeguarding.core import home, navigation, periodic
    from safeguarding.core.home import Panel
    from safeguarding.core.navigation import NavItem

    from . import integration

    periodic.register(
        name="custody.review_purge",
        task="custody.review.tasks.custody_purge_personal_data",
        every_seconds_setting="CUSTODY_PURGE_INTERVAL_SECONDS",
    )
    chronology.register(
        integration.chronology_custody_events,
        types={"custody": "Custody", "custody_release": "Release from custody"},
        order=30,
    )
    sections.register_case_section(
        sections.Section(
            key="custody_events",
            title="Custody events",
            template="custody/review/case_section.html",
            context=integration.case_section_context,
            order=15,
        )
    )
    search.register_matcher(
        search.Matcher(key="custody_number", label="custody number", match=integration.match_custody_number)
    )
    navigation.register(NavItem("Custody review", "custody:review", ("officer", "supervisor", "force_lead"), order=25))
    home.register(
        Panel(
            key="custody_review_today",
            title="Today's custody review",
            template="custody/review/home_panel.html",
            roles=("officer", "supervisor"),
            context=integration.home_panel_context,
            order=5,
        )
    )
