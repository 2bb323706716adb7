"""Desk routes."""

urlpatterns = []
