"""The sign-in form: Django's, with the user name's length checked before anything is looked up or logged."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    """AuthenticationForm sets ``max_length`` on the user name but no validator, so a 300-character name reached
    ``authenticate()`` and django-axes' ``varchar(255)``; here it is a form error and nothing is stored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
