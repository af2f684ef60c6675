def ready() -> None:
    """Register this area's chronology sources, navigation, home panels and periodic tasks."""
