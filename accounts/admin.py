from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import StaffRole, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ("unit", "department")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Kezdesu"), {"fields": ("preferred_language", "phone", "is_demo")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_demo")
    list_filter = (*DjangoUserAdmin.list_filter, "is_demo")
    inlines = [StaffRoleInline]

    # Roles and access flags change only through the services, which record who changed what.

    def save_model(self, request, obj, form, change):
        changes = {}
        if change:
            changes = {
                name: [form.initial.get(name), getattr(obj, name)]
                for name in services.ACCESS_FLAGS
                if name in form.changed_data
            }
        super().save_model(request, obj, form, change)
        if changes:
            services.user_access_record(user=obj, actor=request.user, changes=changes)

    def save_formset(self, request, form, formset, change):
        if formset.model is not StaffRole:
            super().save_formset(request, form, formset, change)
            return
        instances = formset.save(commit=False)
        # Revocations first: a role removed and added again in one save must not collide with itself.
        for staff_role in formset.deleted_objects:
            services.staff_role_revoke(staff_role=staff_role, actor=request.user)
        for staff_role in instances:
            services.staff_role_save(staff_role=staff_role, actor=request.user)
        formset.save_m2m()

    def delete_model(self, request, obj):
        services.staff_roles_revoke_all(user=obj, actor=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.staff_roles_revoke_all(user=user, actor=request.user)
        super().delete_queryset(request, queryset)


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "department")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name_kk", "unit__name_ru")
    autocomplete_fields = ("user", "unit", "department")
    list_select_related = ("user", "unit", "department")

    def save_model(self, request, obj, form, change):
        services.staff_role_save(staff_role=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.staff_role_revoke(staff_role=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for staff_role in queryset.select_related("user", "unit", "department"):
            services.staff_role_revoke(staff_role=staff_role, actor=request.user)
