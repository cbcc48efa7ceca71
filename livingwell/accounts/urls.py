from django.contrib.auth import views as auth_views
from django.urls import include, path

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
    path("", include("django.contrib.auth.urls")),
]
