from django.contrib import admin

from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingModule, TrainingRecord, Volunteer


class DBSCheckInline(admin.TabularInline):
    model = DBSCheck
    extra = 0


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0


class AgreementInline(admin.TabularInline):
    model = ConfidentialityAgreement
    extra = 0


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "capacity", "mdt_opt_in")
    list_filter = ("status", "mdt_opt_in")
    list_select_related = ("user",)
    search_fields = ("user__first_name", "user__last_name", "user__username")
    inlines = [DBSCheckInline, TrainingRecordInline, AgreementInline]
    # A volunteer leaving ends their visits and access: that happens in the application,
    # which keeps the record (deleting it here would leave the access behind).
    readonly_fields = ("status",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrainingModule)
class TrainingModuleAdmin(admin.ModelAdmin):
    list_display = ("name",)


@admin.register(DBSCheck)
class DBSCheckAdmin(admin.ModelAdmin):
    list_display = ("volunteer", "checked_on", "renewal_due_on")
    list_select_related = ("volunteer__user",)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ("volunteer", "module", "completed_on")
    list_select_related = ("volunteer__user", "module")


@admin.register(ConfidentialityAgreement)
class ConfidentialityAgreementAdmin(admin.ModelAdmin):
    list_display = ("volunteer", "version", "signed_on")
    list_select_related = ("volunteer__user",)
