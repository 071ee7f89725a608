"""The record of processing: which personal data each model holds, who may see it, why, and for how long.

Every app that stores personal data registers it from its ``AppConfig.ready()``::

    from openleave.privacy.registry import register

    register("ledger.LedgerEntry", category="leave", why="the employee's leave balances (Art. 8, 9)",
             retention="leave", fields={"reason": dict(category="leave", why="...")})

A registration covers every field of the model (``fields`` overrides single fields; ``exclude`` marks
fields that hold no personal data); ``register_app("ledger", ...)`` is a default for every model of an
app. ``docs/privacy.md`` is generated from these registrations and the model definitions
(``manage.py privacy_doc``); a test fails when the committed file differs, and another when a model that
points at an employee or a user is not registered.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.apps import apps
from django.db import models

# Who may see each category — mirrors openleave.policy (the one place that decides).
WHO = {
    "directory": "the employee; their supervisor; HR and the medical coordinator of their agency; auditors; "
                 "a steward the employee authorised; system administrators (admin site)",
    "leave": "the employee; their supervisor; HR and the medical coordinator of their agency; auditors (read "
             "only); a steward the employee authorised, while the consent is valid",
    "medical": "the employee and the medical (FMLA) coordinator of their agency only",
    "protected": "the employee and HR / the Appointing Authority of their agency only; a supervisor, a steward "
                 "and an auditor see only the category (\"protected leave\", \"sick leave (family)\") and the hours",
    "audit": "the employee it concerns (\"who looked at my data\") and auditors; system administrators "
             "in the admin site, read only (their reads are logged too)",
    "grievance": "the member and a steward they authorised, while the consent is valid — not their supervisor, HR or "
                 "auditors (the grievance is the member's and the union's)",
    "account": "the user themself and system administrators",
    "none": "not personal data",
}


@dataclass(frozen=True)
class Entry:
    category: str
    why: str
    retention: str  # a key of openleave.privacy.retention.years()
    who: str = ""

    def who_text(self) -> str:
        return self.who or WHO.get(self.category, "")


@dataclass
class ModelEntry:
    default: Entry
    fields: dict[str, Entry] = field(default_factory=dict)
    exclude: set[str] = field(default_factory=set)


_models: dict[str, ModelEntry] = {}
_apps: dict[str, Entry] = {}
NOT_PERSONAL = "none"


def register(model_label: str, *, category: str, why: str, retention: str, who: str = "",
             fields: dict[str, dict] | None = None, exclude: tuple[str, ...] = ()) -> None:
    """Register a model's personal data (``"app_label.ModelName"``)."""
    default = Entry(category=category, why=why, retention=retention, who=who)
    per_field = {name: replace(default, **spec) for name, spec in (fields or {}).items()}
    _models[model_label] = ModelEntry(default=default, fields=per_field, exclude=set(exclude))


def register_app(app_label: str, *, category: str, why: str, retention: str, who: str = "") -> None:
    """A default for every model of an app not registered one by one."""
    _apps[app_label] = Entry(category=category, why=why, retention=retention, who=who)


def not_personal(model_label: str, why: str = "organisation data") -> None:
    register(model_label, category=NOT_PERSONAL, why=why, retention="kept")


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def entry_for(model, field_name: str) -> Entry | None:
    m = _models.get(_label(model))
    if m is not None:
        if field_name in m.exclude:
            return Entry(NOT_PERSONAL, "no personal data", "kept")
        return m.fields.get(field_name, m.default)
    return _apps.get(model._meta.app_label)


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("openleave.")]


def points_at_a_person(model) -> bool:
    from django.conf import settings

    person = {"people.Employee", settings.AUTH_USER_MODEL}
    return _label(model) in person or any(
        f.is_relation and f.concrete and f.related_model is not None and _label(f.related_model) in person
        for f in model._meta.get_fields()
    )


def unregistered() -> list[str]:
    """Models holding personal data (they point at an employee or a user) that nobody registered."""
    return sorted(_label(m) for m in project_models()
                  if points_at_a_person(m) and _label(m) not in _models and m._meta.app_label not in _apps)


def personal_fields(model) -> list[tuple[models.Field, Entry]]:
    out = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        e = entry_for(model, f.name)
        if e is not None and e.category != NOT_PERSONAL:
            out.append((f, e))
    return out
