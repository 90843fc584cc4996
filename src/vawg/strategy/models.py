"""What the national framework asks, what the force plans, and what it does about each action.

Framework and strategy rows are reference data loaded from versioned packs (stable ``code``
ids). Responses, updates and evidence are the force's own work: packs create them once and
never overwrite them, and updates are append-only so no narrative is ever lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Framework(models.Model):
    code = models.SlugField(max_length=80, unique=True, help_text="Stable id of the pack.")
    version = models.PositiveIntegerField(help_text="Pack version; a new edition is a new code.")
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    published = models.DateField()
    source_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title


class Pillar(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="pillars")
    code = models.SlugField(max_length=80, unique=True)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="pillar_number_unique")
        ]

    def __str__(self) -> str:
        return f"Pillar {self.number}: {self.title}"


class Action(models.Model):
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="actions")
    code = models.SlugField(max_length=80, unique=True, help_text="Stable id, e.g. nfd21-2.4.")
    number = models.CharField(max_length=10, help_text="Number as the framework prints it.")
    position = models.PositiveSmallIntegerField(help_text="Order within the pillar.")
    title = models.CharField(max_length=200)
    description = models.TextField()

    class Meta:
        ordering = ["pillar__number", "position"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Force(models.Model):
    slug = models.SlugField(max_length=80, unique=True, help_text="As in data.police.uk names.")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Strategy(models.Model):
    code = models.SlugField(max_length=80, unique=True)
    version = models.PositiveIntegerField()
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="strategies")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="strategies")
    title = models.CharField(max_length=200)
    approved = models.DateField()

    class Meta:
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title


class Aim(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="aims")
    code = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField()
    actions = models.ManyToManyField(Action, related_name="aims", blank=True)

    class Meta:
        ordering = ["strategy", "position"]
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="aim_code_unique")]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="phases")
    code = models.SlugField(max_length=80)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField()

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="phase_code_unique")
        ]

    def __str__(self) -> str:
        return f"Phase {self.number}: {self.title}"


class ImprovementProject(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="projects")
    code = models.SlugField(max_length=80, help_text="Stable id, e.g. kaizen.")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    focus = models.CharField(max_length=200)
    description = models.TextField()
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="projects")
    lead_role = models.CharField(max_length=200, help_text="A role, never a person's name.")
    aims = models.ManyToManyField(Aim, related_name="projects", blank=True)
    actions = models.ManyToManyField(Action, related_name="projects", blank=True)

    class Meta:
        ordering = ["strategy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="project_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    EMBEDDED = "embedded", "Embedded (business as usual)"


class DeliveryRag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Milestone(models.Model):
    project = models.ForeignKey(
        ImprovementProject, on_delete=models.CASCADE, related_name="milestones"
    )
    code = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="milestone_code_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Response(models.Model):
    """What one force does about one national action."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="responses")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="responses")
    owner_role = models.CharField(max_length=200, help_text="A role, never a person's name.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField(
        "delivery RAG", max_length=10, choices=DeliveryRag.choices, default=DeliveryRag.AMBER
    )
    due = models.DateField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=1, help_text="Raised on every change, so a stale form cannot overwrite a newer one."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["action__pillar__number", "action__position"]
        constraints = [models.UniqueConstraint(fields=["force", "action"], name="response_unique")]

    def __str__(self) -> str:
        return f"{self.force.slug} {self.action.number}"


class ResponseChange(models.Model):
    """One change to a response's owner, status, RAG or due date: the history is kept whole."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=40)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.response} {self.field} changed"


class Evidence(models.Model):
    """A link to evidence held elsewhere, or a file uploaded to the tracker.

    A link has ``url`` set and no file fields. An uploaded file has ``url`` blank and is kept
    outside the web root under ``VAWG_UPLOADS_DIR / "evidence" / stored_name`` (a random
    name, never the uploader's); ``original_name`` is only the sanitised name shown and
    offered on download. See ``vawg.strategy.evidence``.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=300)
    url = models.CharField(
        max_length=500,
        blank=True,
        help_text="A link, or evidence:// for a file held elsewhere; blank for an uploaded file.",
    )
    stored_name = models.CharField(
        max_length=80, blank=True, help_text="Random name of the uploaded file on disk."
    )
    original_name = models.CharField(
        max_length=255, blank=True, help_text="Sanitised name of the uploaded file, for display."
    )
    content_type = models.CharField(
        max_length=100, blank=True, help_text="Type of the file, as checked from its content."
    )
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "url"],
                condition=~models.Q(url=""),
                name="evidence_url_unique",
            ),
            models.UniqueConstraint(
                fields=["stored_name"],
                condition=~models.Q(stored_name=""),
                name="evidence_stored_name_unique",
            ),
            # Exactly one of a link and a file.
            models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(stored_name=""))
                | (~models.Q(url="") & models.Q(stored_name="")),
                name="evidence_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        """Whether this evidence is an uploaded file (else a link)."""
        return bool(self.stored_name)


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    APPROVED = "approved", "Approved"


class Update(models.Model):
    """A dated narrative update. Never edited or deleted: a correction is a new update."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="updates")
    as_at = models.DateField(help_text="The date the narrative describes.")
    text = models.TextField()
    author_role = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    pack_key = models.CharField(
        max_length=120,
        blank=True,
        help_text="Set when a pack created the update, so loading the pack again adds nothing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "pack_key"],
                condition=~models.Q(pack_key=""),
                name="update_pack_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.response} update {self.as_at}"
