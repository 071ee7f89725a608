"""The scenario interface: ``openleave scenario FILE.yaml`` answers cited questions about one
employee from facts and events, with no database (docs/scenarios.md, docs/scenario.schema.json).

Modules: ``loader`` (YAML/JSON with line numbers), ``schema`` (JSON Schema, built from the ask
registry), ``parse`` (facts and events, impossible-fact checks), ``asks`` (the registry of
questions), ``expect`` (checks a question's hand-worked ``expect:`` block), ``runner`` (ties them
together), ``cli`` (the subcommand).
"""
