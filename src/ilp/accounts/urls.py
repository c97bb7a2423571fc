"""Login, logout, the home page, the user's own account and the administrator's user pages."""

from __future__ import annotations

from django.urls import path

from ilp.accounts import views, views_account, views_audit, views_users

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.login_view, name="login"),
    path("masuk/kode/", views.login_second_factor, name="login_second_factor"),
    path("keluar/", views.logout_view, name="logout"),
    path("akun/", views_account.account, name="account"),
    path("akun/riwayat-akses/", views_audit.access_history_page, name="access_history"),
    path("akun/kata-sandi/", views_account.password_change, name="account_password"),
    path("akun/dua-langkah/", views_account.second_factor_enrol, name="account_second_factor"),
    path("akun/pengguna/", views_users.users, name="account_users"),
    path("akun/pengguna/<str:username>/", views_users.user_detail, name="account_user"),
    path(
        "akun/pengguna/<str:username>/kata-sandi/",
        views_users.user_password_reset_view,
        name="account_user_password",
    ),
    path(
        "akun/pengguna/<str:username>/dua-langkah/",
        views_users.user_second_factor_reset,
        name="account_user_second_factor",
    ),
    path("akun/pengguna/<str:username>/token/", views_users.token_new, name="account_token_new"),
    path(
        "akun/token/<uuid:token_uuid>/cabut/",
        views_users.token_revoke_view,
        name="account_token_revoke",
    ),
]
