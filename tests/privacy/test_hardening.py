"""Security hardening: session expiry, password policy, CSP without third parties, secrets and DB credentials."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_session_ends_after_thirty_idle_minutes(users, client):
    from openleave.people.demo import DEMO_PASSWORD

    assert settings.SESSION_COOKIE_AGE <= 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_HTTPONLY
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/login/", {"username": "employee", "password": DEMO_PASSWORD})
        assert client.get("/me/access/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert client.get("/me/access/").status_code == 200  # activity slides the expiry
    with time_machine.travel(start + dt.timedelta(minutes=51), tick=False):
        response = client.get("/me/access/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("password", ["short1", "password1234", "123456789012", "erin-doyle-erin"])
def test_weak_passwords_are_refused(password):
    from openleave.accounts.models import User

    with pytest.raises(ValidationError):
        validate_password(password, User(username="erin-doyle", first_name="Erin", last_name="Doyle"))


def test_passwords_hash_with_argon2_and_sign_in_locks_out():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AXES_FAILURE_LIMIT <= 5


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/me/access/", "/me/consents/", "/me/export/"])
def test_privacy_pages_allow_no_third_party_anything(users, client_for, url):
    response = client_for(users["employee"]).get(url)
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "font-src 'self'",
                      "connect-src 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert "http" not in csp and "*" not in csp
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and " style=" not in html


def _run(args, **env_over):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "OPENLEAVE_ENV")}
    env.update(env_over)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_production_refuses_to_start_without_a_secret_from_the_environment(tmp_path):
    result = _run(["check"], OPENLEAVE_ENV="production", ALLOWED_HOSTS="x.example.org",
                  DATABASE_URL=f"sqlite:///{tmp_path}/p.sqlite3", OPENLEAVE_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_database_password_never_appears_in_output_even_when_the_connection_fails(tmp_path):
    secret = "Sup3r-S3cret-DB-Passw0rd"
    result = _run(["migrate", "--plan"], OPENLEAVE_ENV="production", SECRET_KEY="k" * 60,
                  ALLOWED_HOSTS="x.example.org", OPENLEAVE_VAR_DIR=str(tmp_path),
                  FIELD_ENCRYPTION_KEY="A" * 43 + "=",  # a well-formed key: the run gets as far as connecting
                  OPENLEAVE_SITE_URL="https://x.example.org",
                  DATABASE_URL=f"postgresql://leave:{secret}@127.0.0.1:1/leave")
    assert result.returncode != 0
    assert secret not in result.stdout + result.stderr


def test_sql_is_never_logged():
    assert settings.LOGGING["loggers"]["django.db.backends"]["handlers"] == []
