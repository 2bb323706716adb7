"""System check: every workflow file loads, so a mistake shows at start-up with its place."""

from django.core import checks


@checks.register()
def workflow_files_are_valid(app_configs, **kwargs):
    """Load and check ``workflows/*.json`` (app and site); report the first mistake."""
    from eoffice.workflows.definition import WorkflowDefinitionError
    from eoffice.workflows.engine import load_workflows

    try:
        load_workflows(force=True)
    except WorkflowDefinitionError as exc:
        return [checks.Error(str(exc), id="eoffice.E010")]
    return []
