from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from livingwell.accounts.addresses import client_address
from livingwell.accounts.services import password_reset_allowed


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

    def save(self, request=None, **kwargs):
        # The page that follows says the same whether or not an email went: it must not
        # tell anyone whether an email address is known, nor that a limit was reached.
        if request is not None and not password_reset_allowed(
            address=client_address(request), email=self.cleaned_data["email"]
        ):
            return
        # Links in the email point at the site's own address, never at a Host header.
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(request=request, **kwargs)


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The six-digit code your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class AppSetupForm(forms.Form):
    code = forms.CharField(
        label="The six-digit code the app shows",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
