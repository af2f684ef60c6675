"""The 48-hour post-custody checklist and its enforcement (issue 5)."""

__all__: list[str] = []
