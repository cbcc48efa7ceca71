from django.contrib.auth import views as auth_views
from django.urls import include, path

from livingwell.accounts import views
from livingwell.accounts.forms import SetPasswordByEmailForm, SignInForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=SetPasswordByEmailForm),
        name="password_reset",
    ),
    path("two-step/", views.two_step_verify, name="two_step_verify"),
    path("two-step/set-up/", views.two_step_setup, name="two_step_setup"),
    path("two-step/settings/", views.two_step_settings, name="two_step_settings"),
    path("two-step/backup-codes/", views.two_step_backup_codes, name="two_step_backup_codes"),
    path("two-step/turn-off/", views.two_step_turn_off, name="two_step_turn_off"),
    # Before Django's own, which it replaces under the same name.
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("", include("django.contrib.auth.urls")),
]
