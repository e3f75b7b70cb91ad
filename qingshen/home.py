"""The one home address: enterprises and agencies land on their portal page, staff on theirs."""

from django.contrib.auth.decorators import login_required

from qingshen.accounts.roles import Role
from qingshen.portal.views import portal_home
from qingshen.web.accounts.views import staff_home


@login_required
def home(request):
    if request.user.role in {Role.ENTERPRISE, Role.AGENCY}:
        return portal_home(request)
    return staff_home(request)
