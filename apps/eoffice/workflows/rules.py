"""What workflow files may name that lives in code: person rules and side-effect hooks.

A workflow file is data an administrator edits; it can only *name* behaviour, never define
it. Two kinds of names:

- **person rules** (our key ``"only"`` on a transition): narrow a transition that a role
  allows to the persons the document names — "the head of the lead unit", "the person who
  assigned". A rule is a function ``(doc, user) -> bool`` registered here with
  :func:`person_rule`, with a Vietnamese description the refusal message quotes.
- **hooks** (our key ``"run"``): side effects of a transition (numbering, creating
  assignments). A hook is a method of the DocType's model marked with :func:`workflow_hook`,
  called as ``doc.<hook>(ctx)`` inside the transition's transaction. Only marked methods can
  be named, so a file cannot make the engine call ``delete``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonRule:
    name: str
    func: Callable
    description: str  # Vietnamese, completes "Chỉ … được thực hiện thao tác này."


PERSON_RULES: dict[str, PersonRule] = {}


def person_rule(name: str, description: str):
    """Register ``func(doc, user) -> bool`` as the person rule ``name``."""

    def wrap(func):
        if name in PERSON_RULES and PERSON_RULES[name].func is not func:
            raise RuntimeError(f"person rule {name!r} is registered twice")
        PERSON_RULES[name] = PersonRule(name, func, description)
        return func

    return wrap


def workflow_hook(func):
    """Mark a model method as a side effect a workflow file may name in ``"run"``."""
    func.is_workflow_hook = True
    return func


def hook_of(model, name: str):
    """The hook method ``name`` of ``model``, or None if there is no such marked method."""
    method = getattr(model, name, None)
    return method if getattr(method, "is_workflow_hook", False) else None
