from django import forms
from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

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


@admin.register(Akim)
class AkimAdmin(TabbedTranslationAdmin):
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
