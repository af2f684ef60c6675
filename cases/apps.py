from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Young people and cases"

    def ready(self) -> None:
        from safeguarding.accounts.models import User
        from safeguarding.core import navigation
        from safeguarding.core.navigation import NavItem

        from . import chronology_sources, home_panels

        chronology_sources.register_all()
        home_panels.register_all()

        readers = User.Role.case_readers()
        navigation.register(NavItem("Cases", "cases:case_list", readers, order=10))
        navigation.register(NavItem("Find a young person", "cases:search", readers, order=20))
        navigation.register(
            NavItem("Break-glass review", "cases:break_glass_review", (User.Role.SUPERVISOR,), order=30)
        )
