"""Writes on accounts."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from qingshen.trail.services import event_record

from .models import User
from .roles import Role


@transaction.atomic
def user_create_sysadmin(*, username: str, password: str) -> User:
    if User.objects.filter(username=username).exists():
        raise ValueError(f"The user name {username} is taken.")
    user = User(username=username, role=Role.SYSADMIN, is_staff=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    event_record(action="account.create", obj=user, actor_name="manage.py", after={"role": user.role})
    return user
