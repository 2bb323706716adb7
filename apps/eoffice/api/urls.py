"""REST API routes (Frappe's wire format)."""

urlpatterns = []
