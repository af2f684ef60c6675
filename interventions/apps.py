from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    """The officer's legal tools on a case: Community Protection Warnings and Notices,
    CCE Prevention Orders and cross-border handovers. Plugs into cases through its
    registries (wiring.py); cases never imports it."""

    name = "interventions"
    label = "interventions"
    verbose_name = "Interventions"

    def ready(self) -> None:
        from . import wiring

        wiring.ready()
