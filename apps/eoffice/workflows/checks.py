"""System check: every workflow file loads, so a mistake shows at start-up with its place."""

from django.core import checks


@checks.register()
def workflow_files_are_valid(app_configs, **kwargs):
    """Load and check ``workflows/*.json`` (app and site); report each file that is refused."""
    from eoffice.workflows.definition import WorkflowDefinitionError
    from eoffice.workflows.engine import load_errors, load_workflows

    try:
        load_workflows(force=True)
    except WorkflowDefinitionError as exc:  # e.g. two active workflows for one DocType
        return [checks.Error(str(exc), id="eoffice.E010")]
    return [checks.Error(message, id="eoffice.E010") for message in load_errors()]
