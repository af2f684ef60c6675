"""The morning custody list, screening, review and custody events (issue 4)."""

__all__: list[str] = []
