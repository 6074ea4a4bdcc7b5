"""Creates what every installation needs: the home page, the directory and the moderation
workflow. Idempotent: `manage.py setup_site` runs it; so do the demo data and the tests."""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Page, Site, Workflow, WorkflowPage

from home.models import HomePage

from .models import DirectoryIndexPage
from .roles import COUNCIL_MODERATORS

WORKFLOW_NAME = "Council moderation"


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
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.create(name="Council moderator approves the change")
        task.groups.set([moderators])
        workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=directory, defaults={"workflow": workflow})
    return directory
