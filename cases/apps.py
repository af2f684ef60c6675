from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Young people and cases"

    def ready(self) -> None:
        from . import wiring

        wiring.ready()
