"""Template context: the signed-in user's roles."""

from openleave.accounts import roles as R


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset(), "role_labels": R.LABELS}
    return {"roles": user.roles, "role_labels": R.LABELS}
