from django.apps import AppConfig


class StatementsConfig(AppConfig):
    """Sec. 9.8: the preliminary vacation statement, forfeiture warnings and the "members at risk" view."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "openleave.statements"
    label = "statements"
    verbose_name = "Statements and forfeiture warnings"

    def ready(self):
        from openleave.privacy.registry import register

        register("statements.VacationStatement", category="leave", retention="leave",
                 why="the Sec. 9.8 preliminary vacation statement the employee was given, its figures as given")
        register("statements.ForfeitureWarning", category="leave", retention="leave",
                 why="that a year-end forfeiture warning was sent once (Sec. 9.8, 8.2.B, MOU), and what it said")
