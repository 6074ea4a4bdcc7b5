"""Creates what every installation needs: the home page, the directory and the moderation
workflow. Idempotent: `manage.py setup_site` runs it; so do the demo data and the tests."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from core.dates import add_months, today
from core.roles import COUNCIL_MODERATORS
from directory.models import DirectoryIndexPage

from .models import HomePage, ShortBreaksStatementPage
from .statement import STARTING_TEXT

WORKFLOW_NAME = "Council moderation"
# The moderation step's name, as Wagtail shows it to providers and moderators ("Awaiting
# Council check", "Changes requested at Council check"): plain words, not a sentence.
TASK_NAME = "Council check"
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "unlock_page")
STATEMENT_PAGE_PERMISSIONS = ("change_page", "publish_page", "unlock_page")
STATEMENT_SLUG = "short-breaks-statement"


@transaction.atomic
def ensure_site(hostname: str = "localhost", port: int = 80) -> DirectoryIndexPage:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # Replace Wagtail's default welcome page with the service's home page.
        for page in root.get_children().exclude(content_type__model="homepage"):
            Site.objects.filter(root_page=page).delete()
            page.delete()
        root = Page.get_first_root_node()
        home = HomePage(title="Short breaks for disabled children and young people", slug="home")
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="Short breaks",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

    directory = DirectoryIndexPage.objects.first()
    if directory is None:
        directory = DirectoryIndexPage(title="Find short breaks and support", slug="directory")
        home.add_child(instance=directory)
        directory.save_revision().publish()

    moderators = Group.objects.get(name=COUNCIL_MODERATORS)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=directory, defaults={"workflow": workflow})
    # Moderators approve (which publishes), correct and take down listings in the directory.
    for codename in MODERATOR_PAGE_PERMISSIONS:
        grant(moderators, directory, codename)
    # The council's statement: only its staff edit and publish it.
    statement = ensure_statement(home)
    for codename in STATEMENT_PAGE_PERMISSIONS:
        grant(moderators, statement, codename)
    remove_wagtail_default_roles()
    return directory


def grant(group: Group, page: Page, codename: str) -> None:
    GroupPagePermission.objects.get_or_create(
        group=group,
        page=page,
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
    )


def ensure_statement(home: HomePage) -> ShortBreaksStatementPage:
    """The Short Breaks Services Statement, created as a draft with starting text for council
    staff to edit and publish (it is not public until they do)."""
    statement = ShortBreaksStatementPage.objects.first()
    if statement is None:
        statement = ShortBreaksStatementPage(
            slug=STATEMENT_SLUG,
            live=False,
            review_date=add_months(today(), 12),
            **STARTING_TEXT,
        )
        home.add_child(instance=statement)
        statement.save_revision()
    return statement


def remove_wagtail_default_roles():
    """Wagtail installs "Editors" and "Moderators" groups with publish rights over every page,
    and a workflow for them. This service has its own roles (least privilege), so the unused
    defaults go; a group someone has been put in is left for an administrator to review."""
    Workflow.objects.filter(name="Moderators approval").exclude(name=WORKFLOW_NAME).update(
        active=False
    )
    WorkflowPage.objects.exclude(workflow__name=WORKFLOW_NAME).delete()
    for group in Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True):
        group.delete()
