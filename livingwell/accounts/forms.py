from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "That username and password do not match. Check them and try again; passwords are case-sensitive."
        ),
        "inactive": "This account is switched off. Please ask your coordinator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class SetPasswordByEmailForm(PasswordResetForm):
    """ "Forgotten your password?" also serves people whose account a coordinator has just
    made: they have no password yet, which Django's form would skip."""

    def get_users(self, email):
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)

    def save(self, **kwargs):
        # Links in the email point at the site's own address, never at a Host header.
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(**kwargs)
