from django.conf import settings
from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Last time each background process proved it was alive (shown to admins)."""

    name = models.CharField(max_length=60, unique=True)
    last_seen = models.DateTimeField(default=timezone.now)
    beats = models.PositiveBigIntegerField(default=0)
    # Not a column: the system status page marks each row for its template.
    is_stale: bool

    def __str__(self) -> str:
        return f"{self.name} at {self.last_seen:%Y-%m-%d %H:%M:%S}"


class SavedForm(models.Model):
    """A form posted after its session expired, kept so that the same user gets it
    back (to check and submit again) once they have signed in again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"form for {self.path} (user {self.user_id})"
