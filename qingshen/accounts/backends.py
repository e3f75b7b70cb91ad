"""Django's model backend, reading a signed-in user's jurisdiction, enterprise or agency with the
user: nearly every page asks for one of them (scoping, the navigation bar), one more query each time."""

from django.contrib.auth.backends import ModelBackend, UserModel

USER_WITH = ("jurisdiction", "enterprise", "agency")


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = UserModel._default_manager.select_related(*USER_WITH).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
