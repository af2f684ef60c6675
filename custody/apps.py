from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "custody"

    def ready(self) -> None:
        from .clock import setup as clock_setup
        from .review import setup as review_setup

        review_setup.ready()
        clock_setup.ready()
