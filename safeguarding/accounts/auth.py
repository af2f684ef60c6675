from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """The key django-axes counts failures under: the email, case-folded."""
    value = ""
    if credentials:
        value = credentials.get("email") or credentials.get("username") or ""
    if not value and request is not None:
        value = request.POST.get("email", "")
    return value.strip().lower()
