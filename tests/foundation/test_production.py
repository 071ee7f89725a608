"""Production start-up (issue 10, item 7): the README's "Production" checklist, followed step by step, serves a
signed-in page; a missing required setting or uncollected static files stop start-up with one clear line."""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HOST = "leave.example.org"
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "FIELD_ENCRYPTION_KEY", "OPENLEAVE_MEDICAL_KEYS", "OPENLEAVE_SITE_URL")
# Not taken from the test process: our settings, and the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (never deployed).
OURS = (*REQUIRED, "OPENLEAVE_MEDICAL_KEYS_FILE", "OPENLEAVE_MEDICAL_KEY_ID", "OPENLEAVE_ENV", "STATIC_ROOT", "OPENLEAVE_VAR_DIR", "SECURE_SSL_REDIRECT", "CSRF_TRUSTED_ORIGINS",
        "DJANGO_ALLOW_ASYNC_UNSAFE")

# README "Production", steps 3 to 7, in order: what this test runs ("python" is this interpreter).
STEPS = [
    "python manage.py migrate --noinput",
    "python manage.py collectstatic --noinput",
    "python manage.py check --deploy --fail-level WARNING",
    "python manage.py createsuperuser",
    "gunicorn openleave.wsgi --bind 127.0.0.1:8000 --workers 4",
]


def production_env(tmp_path: Path, **over: str) -> dict[str, str]:
    """README step 2: every required variable set (values made here, as the README says to make them)."""
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    env.update(OPENLEAVE_ENV="production", SECRET_KEY=base64.urlsafe_b64encode(os.urandom(48)).decode(),
               ALLOWED_HOSTS=HOST, DATABASE_URL=f"sqlite:///{tmp_path}/openleave.sqlite3",
               FIELD_ENCRYPTION_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
               OPENLEAVE_MEDICAL_KEYS="2026a:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
               STATIC_ROOT=str(tmp_path / "static"), OPENLEAVE_VAR_DIR=str(tmp_path / "var"))
    env.update(OPENLEAVE_SITE_URL=f"https://{HOST}")
    env.update(over)
    return {k: v for k, v in env.items() if v is not None}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def readme_production() -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index("\n## Production\n")
    end = text.find("\n## ", start + 1)
    return text[start:] if end == -1 else text[start:end]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    cmd = [GUNICORN, "openleave.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def fetch(port: int, method: str, path: str, *, cookies: dict[str, str] | None = None, form: dict | None = None):
    """One request as the TLS proxy forwards it: ``Host`` and ``X-Forwarded-Proto: https``."""
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}/login/"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        set_cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                k, _, rest = value.partition("=")
                set_cookies[k] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), response.read().decode(), set_cookies
    finally:
        conn.close()


def wait_until_serving(proc: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("gunicorn stopped: " + proc.stdout.read())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start listening within 60 s")


def test_the_readme_lists_the_steps_this_test_follows_in_order():
    section = readme_production()
    at = [section.find(step) for step in STEPS]
    assert -1 not in at, [s for s, i in zip(STEPS, at, strict=True) if i == -1]
    assert at == sorted(at)
    for name in REQUIRED:
        assert f"| `{name}` | yes |" in section


def test_the_readme_checklist_serves_a_signed_in_page(tmp_path):
    env = production_env(tmp_path)
    # 3. migrate, 4. collectstatic, 5. check --deploy: each exits 0 (the check also finds no warning).
    for step in STEPS[:3]:
        done = manage(env, *step.split()[2:])
        assert done.returncode == 0, f"{step}: {done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr
    assert "System check identified no issues" in done.stdout
    # 6. the first system administrator (non-interactive here: the same command with --noinput).
    password = "checklist-" + base64.urlsafe_b64encode(os.urandom(12)).decode()
    admin_env = {**env, "DJANGO_SUPERUSER_USERNAME": "root", "DJANGO_SUPERUSER_PASSWORD": password,
                 "DJANGO_SUPERUSER_EMAIL": "root@example.org"}
    done = manage(admin_env, "createsuperuser", "--noinput")
    assert done.returncode == 0, done.stdout + done.stderr
    # 7. serve with gunicorn; 8. sign in through the page it serves.
    port = free_port()
    proc = serve(env, port)
    try:
        wait_until_serving(proc, port)
        status, headers, html, cookies = fetch(port, "GET", "/login/")
        assert status == 200, html
        css = re.search(r'href="(/static/openleave/app\.[0-9a-f]{12}\.css)"', html)
        assert css, "the page names its collected, hashed stylesheet"
        assert fetch(port, "GET", css.group(1))[0] == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, headers, _, signed_in = fetch(port, "POST", "/login/", cookies=cookies,
                                              form={"username": "root", "password": password,
                                                    "csrfmiddlewaretoken": token})
        assert status == 302 and "sessionid" in signed_in, headers
        status, headers, html, _ = fetch(port, "GET", "/", cookies={**cookies, **signed_in})
        assert status == 200, html
        assert "no-store" in headers["Cache-Control"] and "private" in headers["Cache-Control"]
        assert "Strict-Transport-Security" in headers
        # Without the proxy's X-Forwarded-Proto the request is redirected to HTTPS (SECURE_SSL_REDIRECT).
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/login/", headers={"Host": HOST})
        plain = conn.getresponse()
        assert plain.status == 301 and plain.getheader("Location") == f"https://{HOST}/login/"
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize("name", REQUIRED)
def test_a_missing_required_setting_is_one_clear_line(tmp_path, name):
    done = manage(production_env(tmp_path, **{name: None}), "check")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and done.stdout == ""
    problems = [line for line in done.stderr.splitlines() if line.startswith("  - ")]
    assert problems == [line for line in problems if line.startswith(f"  - {name} is not set: give ")]
    assert len(problems) == 1, done.stderr


def test_every_missing_setting_is_named_at_once(tmp_path):
    done = manage(production_env(tmp_path, **dict.fromkeys(REQUIRED)), "migrate", "--noinput")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    problems = [line for line in done.stderr.splitlines() if line.startswith("  - ")]
    assert [p.split()[1] for p in problems] == list(REQUIRED)
    assert not list(tmp_path.glob("**/*.sqlite3"))  # no silent SQLite fallback was created


@pytest.mark.parametrize(("over", "expected"), [
    ({"OPENLEAVE_SITE_URL": "leave.example.org/Pw-in-the-url-9"}, "OPENLEAVE_SITE_URL is not a web address"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY is too short (5 characters)"),
    ({"FIELD_ENCRYPTION_KEY": "not-a-key"}, "FIELD_ENCRYPTION_KEY is not a Fernet key"),
    ({"DATABASE_URL": "nosuchdb://leave:Pw-in-the-url-9@db/leave"}, "DATABASE_URL is not a database URL"),
    ({"OPENLEAVE_MEDICAL_KEYS": "k1:Pw-in-the-url-9"}, "OPENLEAVE_MEDICAL_KEYS: the key 'k1' is not 32"),
    ({"OPENLEAVE_MEDICAL_KEY_ID": "k9"}, "OPENLEAVE_MEDICAL_KEY_ID 'k9' is not one of the keys given (2026a)"),
])
def test_a_malformed_setting_is_one_clear_line_without_echoing_it(tmp_path, over, expected):
    done = manage(production_env(tmp_path, **over), "check")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    problems = [line for line in done.stderr.splitlines() if line.startswith("  - ")]
    assert len(problems) == 1 and problems[0].startswith(f"  - {expected}"), done.stderr
    assert "Pw-in-the-url-9" not in done.stderr


def test_the_medical_keys_may_come_from_a_file(tmp_path):
    keys = tmp_path / "medical-keys"
    keys.write_text("# the newest last\n2025b:" + base64.urlsafe_b64encode(os.urandom(32)).decode() + "\n2026a:"
                    + base64.urlsafe_b64encode(os.urandom(32)).decode() + "\n")
    env = production_env(tmp_path, OPENLEAVE_MEDICAL_KEYS=None, OPENLEAVE_MEDICAL_KEYS_FILE=str(keys))
    done = manage(env, "shell", "-c", "from django.conf import settings as s; "
                                      "print(sorted(s.OPENLEAVE_MEDICAL_KEYS), s.OPENLEAVE_MEDICAL_KEY_ID)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['2025b', '2026a'] 2026a"
    done = manage(production_env(tmp_path, OPENLEAVE_MEDICAL_KEYS=None,
                                 OPENLEAVE_MEDICAL_KEYS_FILE=str(tmp_path / "missing")), "check")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "  - OPENLEAVE_MEDICAL_KEYS_FILE cannot be read" in done.stderr


def test_without_collectstatic_the_server_refuses_to_start_with_one_line(tmp_path):
    env = production_env(tmp_path)
    assert manage(env, "migrate", "--noinput").returncode == 0
    proc = serve(env, free_port())
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 3, out  # gunicorn: "worker failed to boot", it stops rather than retrying
    assert "Traceback" not in out
    assert re.search(r"^  - The static files are not collected into STATIC_ROOT \(.+\): run "
                     r"`python manage.py collectstatic --noinput`", out, re.M), out
    check = manage(env, "check", "--deploy")
    assert check.returncode != 0 and "openleave.E001" in check.stderr and "collectstatic" in check.stderr


def test_a_static_file_added_after_collectstatic_is_named(tmp_path, monkeypatch):
    """An upgrade that skipped collectstatic: the start-up check names a file the manifest lacks."""
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from openleave.web.checks import static_files_problems

    (tmp_path / "staticfiles.json").write_text('{"paths": {"openleave/app.css": "openleave/app.0.css"}, "version": "1.1"}')
    storage = CompressedManifestStaticFilesStorage(location=tmp_path)
    monkeypatch.setattr("django.contrib.staticfiles.storage.staticfiles_storage", storage)
    problems = static_files_problems()
    assert len(problems) == 1, problems
    assert re.match(r"\d+ static file\(s\) are not collected \(e\.g\. .+\): run `python manage.py collectstatic", problems[0])
    assert "openleave/app.css" not in problems[0]  # the one file the manifest has is not named


def test_the_500_page_renders_without_collected_static_files(rf, settings, tmp_path):
    """The manifest storage with nothing collected: any page fails to name its stylesheet — the 500 page
    falls back to plain HTML instead of failing the same way."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from openleave.web.views import error_500

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    request = rf.get("/")
    request.user = AnonymousUser()
    with pytest.raises(ValueError, match="manifest"):
        render_to_string("web/error.html", {"status": 500, "message": "x"}, request=request)
    response = error_500(request)
    assert response.status_code == 500
    assert b"Something went wrong on our side. Nothing was changed." in response.content
    assert b"/static/" not in response.content
