from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.images import open_photo
from districts import services
from districts.models import AdministrativeUnit, Akim, Department


class AdministrativeUnitForm(forms.ModelForm):
    class Meta:
        model = AdministrativeUnit
        fields = ["kind", "name_kk", "name_ru", "parent", "kato", "slug"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind"):
            services.unit_validate_parent(kind=cleaned["kind"], parent=cleaned.get("parent"), unit=self.instance)
        return cleaned


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(TabbedTranslationAdmin):
    form = AdministrativeUnitForm
    list_display = ("name", "kind", "kato", "parent", "slug")
    list_filter = ("kind",)
    search_fields = ("name_kk", "name_ru", "kato", "slug")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")
    prepopulated_fields = {"slug": ("name_ru",)}

    def save_model(self, request, obj, form, change):
        # The tree path is maintained by the service, never by save() or a signal.
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            services.unit_update(unit=obj, **fields)
        else:
            created = services.unit_create(
                kind=obj.kind,
                name_kk=obj.name_kk,
                name_ru=obj.name_ru,
                slug=obj.slug,
                parent=obj.parent,
                kato=obj.kato,
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


class AkimForm(forms.ModelForm):
    # A FileField, not the model's ImageField: core.images.open_photo checks the photo and says
    # which of type, size or pixels is wrong, where an ImageField says "not an image" first.
    photo = forms.FileField(
        label=_("photo"),
        required=False,
        widget=AdminFileWidget(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Akim
        fields = ["unit", "full_name_kk", "full_name_ru", "mandate", "term_start", "term_end", "photo", "is_demo"]

    def clean(self):
        cleaned = super().clean()
        photo = cleaned.get("photo")
        if isinstance(photo, UploadedFile):
            try:
                open_photo(photo, field="photo")
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Akim)
class AkimAdmin(TabbedTranslationAdmin):
    form = AkimForm
    list_display = ("full_name", "unit", "mandate", "term_start", "term_end", "is_demo")
    list_filter = ("mandate", "is_demo", "unit__kind")
    search_fields = ("full_name_kk", "full_name_ru", "unit__name_kk", "unit__name_ru")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)


@admin.register(Department)
class DepartmentAdmin(TabbedTranslationAdmin):
    list_display = ("name", "unit", "head_name", "is_demo")
    search_fields = ("name_kk", "name_ru", "unit__name_kk", "unit__name_ru")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
