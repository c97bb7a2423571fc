"""Login, logout and the home page."""

from __future__ import annotations

from django.urls import path

from ilp.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
]
