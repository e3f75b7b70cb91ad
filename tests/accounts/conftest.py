import pytest

from tests.accounts.security_support import set_parameter


@pytest.fixture
def password_only(world):
    """District staff need a second factor by default; tests of the password step and of sessions
    log in as a district user ("north") with it turned off."""
    set_parameter("otp_required_roles", "province,city,supervisor,auditor,security,sysadmin")
