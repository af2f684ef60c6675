from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "custody"

    def ready(self) -> None:
        from .clock import wiring as clock_wiring
        from .review import wiring as review_wiring

        review_wiring.ready()
        clock_wiring.ready()
