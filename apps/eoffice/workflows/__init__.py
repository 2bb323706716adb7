"""Workflows: Frappe's Workflow JSON files (``*.json`` here) and the engine that applies them.

- :mod:`.definition` reads and checks a file (:class:`~.definition.Workflow`);
- :mod:`.conditions` evaluates a transition's condition safely (simpleeval, never ``eval``);
- :mod:`.rules` holds what files may name from code: person rules and hooks;
- :mod:`.engine` offers and takes transitions: ``get_transitions(doc, user)``,
  ``apply_workflow(doc, action, user, comment=None, **data)``.

See docs/workflows.md.
"""


def apply_workflow(doc, action, user, comment=None, **data):
    """Take a workflow action on a document; see :func:`eoffice.workflows.engine.apply_workflow`."""
    from eoffice.workflows.engine import apply_workflow as apply

    return apply(doc, action, user, comment, **data)


def get_transitions(doc, user):
    """The actions offered to ``user``; see :func:`eoffice.workflows.engine.get_transitions`."""
    from eoffice.workflows.engine import get_transitions as offered

    return offered(doc, user)
