"""Print the current TOTP code of a demo user (demo accounts only)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        device = TOTPDevice.objects.filter(user__email=email.lower(), user__is_demo=True, confirmed=True).first()
        if device is None:
            raise CommandError("No demo account with an authenticator has that email address.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():06d}")
