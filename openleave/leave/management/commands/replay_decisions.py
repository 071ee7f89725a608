"""``manage.py replay_decisions [--since D] [--contract FOLDER]`` — every stored decision re-derived with the
current code and contract parameters from the facts stored with it (``LeaveRequest.replay_inputs``), and a report
of any that would now differ: the decision, what differs (stored → now), and the stored vs current parameters'
content hash. The safety net for every change to the rules or the contract data.

Exit status: 0 when every decision replays the same; 1 when any differs. A decision stored before its facts were
kept is named with a clear message and counted ("cannot be replayed"), never a crash; it does not by itself
change the exit status. ``--contract`` points the parameter loader at another contract folder (a folder holding
agreement folders, like ``contract/``), e.g. a successor to check before the switch.

Each member whose decision is read gets one access-log row ("the system: manage.py replay_decisions").
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openleave import policy
from openleave.audit.access import COMMAND, Access, System, record_many
from openleave.leave.models import Decision
from openleave.leave.replay import replay
from openleave.rules.params import ParameterError, default_tree, use_contract_root
from openleave.rules.provenance import MissingInputs, code_version

NAME = "manage.py replay_decisions"
CHUNK = 500


def _show(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Command(BaseCommand):
    help = "Re-derive every stored decision with the current code and parameters; report any that would now differ."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="only decisions made on or after this date (YYYY-MM-DD)")
        parser.add_argument("--contract", help="a contract folder to read the parameters from (default: the shipped one)")

    def handle(self, *args, since=None, contract=None, **opts):
        day = None
        if since:
            try:
                day = dt.date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since: {since!r} is not a date (YYYY-MM-DD)") from None
        if contract:
            root = Path(contract)
            if not root.is_dir():
                raise CommandError(f"--contract: {contract} is not a folder")
            try:
                with use_contract_root(root) as tree:
                    return self._run(day, tree)
            except ParameterError as exc:
                raise CommandError(f"--contract: {exc}") from None
        return self._run(day, default_tree())

    def _run(self, day, tree):
        qs = Decision.objects.select_related("request__employee").order_by("decided_at", "pk")
        if day is not None:
            qs = qs.filter(decided_at__date__gte=day)
        total = differ = missing = 0
        self.stdout.write(f"Replaying decisions with {code_version()}, contract parameters {tree.content_hash()}"
                          + (f", decided on or after {day}" if day else "") + ".")
        accesses = []
        for decision in qs.iterator(chunk_size=CHUNK):
            req = decision.request
            total += 1
            if len(accesses) >= CHUNK:
                record_many(actor=System(NAME), channel=COMMAND, accesses=accesses)
                accesses = []
            accesses.append(Access(subject=req.employee, object_type="leave_request", object_id=req.pk,
                                   category=policy.LEAVE, fields="replayed decision"))
            try:
                r = replay(req, "decision", tree)
            except MissingInputs as exc:
                missing += 1
                self.stdout.write(f"CANNOT REPLAY {exc}")
                continue
            if r.same:
                continue
            differ += 1
            what = "; ".join(f"{d['key']}: stored {_show(d['stored'])}, now {_show(d['current'])}"
                             for d in r.differences)
            self.stdout.write(
                f"DIFFERS decision {decision.pk} (request {req.pk}, {req.kind}, {req.start_date}): {what}. "
                f"Parameters stored {r.stored_hash}, now {r.current_hash}"
                + ("" if r.stored_hash != r.current_hash else " (the same: the code changed)")
                + f"; code stored {r.stored_code}, now {r.current_code}.")
        record_many(actor=System(NAME), channel=COMMAND, accesses=accesses)
        self.stdout.write(f"{total} decision(s) replayed: {total - differ - missing} the same, {differ} differ, "
                          f"{missing} cannot be replayed (stored without their facts).")
        if differ:
            raise SystemExit(1)
