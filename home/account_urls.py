from django.urls import path

from . import accounts, email_change

app_name = "account"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("sign-in/", accounts.sign_in, name="sign_in"),
    path("young-auditors/sign-in/", accounts.auditor_sign_in, name="auditor_sign_in"),
    path("sign-out/", accounts.sign_out, name="sign_out"),
    path("create/", accounts.create, name="create"),
    path("confirm/<str:token>/", accounts.confirm, name="confirm"),
    path("reset/", accounts.reset, name="reset"),
    path("email/", email_change.change, name="email_change"),
    path("email/confirm/<str:token>/", email_change.confirm, name="email_confirm"),
    path("reset/<uidb64>/<token>/", accounts.ResetConfirmView.as_view(), name="reset_confirm"),
]
