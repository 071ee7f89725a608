"""Data minimisation and the record of processing (docs/privacy.md), generated so it cannot drift."""

from __future__ import annotations

from openleave.privacy import registry
from openleave.privacy.doc import DOC_PATH, render

FORBIDDEN = ("ssn", "social_security", "date_of_birth", "birth_date", "dob", "birthday", "diagnosis")


def test_committed_privacy_doc_matches_the_models():
    assert DOC_PATH.exists(), "docs/privacy.md is missing: run `python manage.py privacy_doc`"
    assert DOC_PATH.read_text() == render(), (
        "docs/privacy.md is out of date with the models/registry: run `python manage.py privacy_doc` and commit it"
    )


def test_every_model_holding_personal_data_is_registered():
    assert registry.unregistered() == [], (
        "register these models in openleave.privacy.registry (see its docstring), then run `manage.py privacy_doc`"
    )


def test_no_ssn_no_date_of_birth_no_diagnosis_anywhere():
    for model in registry.project_models():
        for f in model._meta.get_fields():
            name = f.name.lower()
            assert not any(bad in name for bad in FORBIDDEN), f"{model._meta.label}.{f.name}"


def test_every_personal_field_says_who_why_and_how_long():
    for model in registry.project_models():
        for f, entry in registry.personal_fields(model):
            assert entry.who_text() and entry.why and entry.retention, f"{model._meta.label}.{f.name}"


def test_doc_names_the_employee_fields_and_medical_minimum():
    text = render()
    assert "| `family_name` |" in text and "| `service_start` |" in text
    assert "29 CFR 825.500" in text
