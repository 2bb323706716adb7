"""``/app``: the home page, made of the sections of each role the person holds."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from eoffice.desk.context import render_desk
from eoffice.desk.home import home_for


@login_required
def home(request):
    """What this person must do today: the sections of each of their roles, with counts."""
    return render_desk(
        request,
        "desk/home.html",
        {"title": _("Trang chủ"), "roles": home_for(request.user)},
        active="home",
    )
