from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

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


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "department")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name_kk", "unit__name_ru")
    autocomplete_fields = ("user", "unit", "department")
    list_select_related = ("user", "unit", "department")
