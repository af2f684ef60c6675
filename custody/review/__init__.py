"""The morning custody review: import, screening, review queue and custody events."""
