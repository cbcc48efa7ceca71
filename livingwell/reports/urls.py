from django.urls import path

from livingwell.reports.views import dashboard, exports, trials

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export.csv", exports.dashboard_csv, name="export_csv"),
    path("export.xlsx", exports.dashboard_xlsx, name="export_xlsx"),
    path("concerns.csv", exports.extract_csv, name="extract"),
    path("trials/", trials.trial_list, name="trials"),
    path("trials/new/", trials.trial_new, name="trial_new"),
    path("trials/<int:pk>/", trials.trial_detail, name="trial"),
    path("trials/<int:pk>/feedback/", trials.card_new, name="card_new"),
    path("trials/<int:pk>/decision/", trials.trial_decide, name="trial_decide"),
    path("trials/<int:pk>/report/", trials.trial_report, name="trial_report"),
    path("trials/<int:pk>/report.xlsx", trials.trial_xlsx, name="trial_xlsx"),
]
