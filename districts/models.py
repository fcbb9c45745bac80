from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.validators import validate_kato


class AdministrativeUnitQuerySet(models.QuerySet):
    def within(self, unit: "AdministrativeUnit") -> "AdministrativeUnitQuerySet":
        """The unit and everything under it, in one indexed prefix query on the path."""
        return self.filter(path__startswith=unit.path)

    def top_level(self) -> "AdministrativeUnitQuerySet":
        return self.filter(parent__isnull=True)


class AdministrativeUnit(models.Model):
    """A territory: region, city, district, rural okrug, settlement or microdistrict.

    The tree is a materialized path of ids ("/1/7/42/"): a subtree is one
    `path LIKE '/1/7/%'` query, and the ancestors are the ids in the path. The KATO code can
    not serve as that path because newer units (Turan district, microdistricts) have none.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        REPUBLICAN_CITY = "republican_city", _("city of republican significance")
        DISTRICT = "district", _("district")
        CITY = "city", _("city")
        RURAL_OKRUG = "rural_okrug", _("rural okrug")
        SETTLEMENT = "settlement", _("settlement")
        MICRODISTRICT = "microdistrict", _("microdistrict")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent territory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # NULL, not "", means "no code": many units share that state, and the unique constraint
    # below only applies to real codes.
    kato = models.CharField(  # noqa: DJ001
        _("KATO code"),
        max_length=9,
        null=True,
        blank=True,
        validators=[validate_kato],
        help_text=_("The official 9-digit code; leave empty when the territory has none yet."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    path = models.CharField(_("tree path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kato"],
                condition=Q(kato__isnull=False),
                name="unit_kato_unique",
                violation_error_message=_("Another territory already has this KATO code."),
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("districts:detail", kwargs={"slug": self.slug})

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path alone."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]


class Akim(models.Model):
    class Mandate(models.TextChoices):
        ELECTED = "elected", _("elected by residents")
        APPOINTED = "appointed", _("appointed")

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="akims"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    mandate = models.CharField(_("elected or appointed"), max_length=10, choices=Mandate.choices)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="akims/", blank=True)
    is_demo = models.BooleanField(
        _("demo record"), default=False, help_text=_("Fictional person created by the demo data.")
    )

    class Meta:
        verbose_name = _("akim")
        verbose_name_plural = _("akims")
        ordering = ["unit__path", "-term_start"]
        indexes = [models.Index(fields=["unit", "-term_start"], name="akim_unit_term")]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="akim_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_current_on(self, day) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)

    @property
    def is_current(self) -> bool:
        return self.is_current_on(timezone.localdate())


class Department(models.Model):
    """An akimat department (басқарма / управление) that does the work questions ask for."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=300)
    head_name = models.CharField(_("head"), max_length=200, blank=True)
    email = models.EmailField(_("public email"), blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name
