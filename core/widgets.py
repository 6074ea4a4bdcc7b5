"""Admin form widgets shared by every app."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.admin.rich_text import DraftailRichTextArea


class LabelledDraftailRichTextArea(DraftailRichTextArea):
    """Wagtail's rich text editor (Draftail), named by its field's label.

    The admin's `<label for=...>` points at the hidden input the editor replaces, so the
    editor's text box, the element screen readers and voice control reach, has no name
    (axe-core: aria-input-field-name; wagtail/wagtail#14205, open in Wagtail 8.0). Wagtail
    gives a field's label the id "<field id>-label" (panel.html, formatted_field.html): the
    editor is told to be labelled by it. Remove once Wagtail does this itself."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        if field_id:
            options = {**self.options, "ariaLabelledBy": f"{field_id}-label"}
            context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(
                options, cls=DjangoJSONEncoder
            )
        return context
