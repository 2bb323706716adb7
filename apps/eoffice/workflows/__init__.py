"""Workflows: Frappe's Workflow JSON files (``*.json`` here) and the engine that applies them.

- :mod:`.definition` reads and checks a file (:class:`~.definition.Workflow`);
- :mod:`.conditions` evaluates a transition's condition safely (simpleeval, never ``eval``);
- :mod:`.rules` holds what files may name from code: person rules and hooks;
- :mod:`.engine` offers and takes transitions: ``get_transitions(doc, user)``,
  ``apply_workflow(doc, action, user, comment=None, **data)``.

See docs/workflows.md.
"""
