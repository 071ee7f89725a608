from django.urls import path

from . import views

app_name = "medical"
urlpatterns = [
    path("employees/<str:employee_number>/fmla/", views.cases, name="cases"),
    path("employees/<str:employee_number>/fmla/open/", views.case_open, name="open"),
    path("employees/<str:employee_number>/fmla/<int:case_id>/", views.case, name="case"),
    path("employees/<str:employee_number>/fmla/<int:case_id>/close/", views.case_close, name="close"),
    path("employees/<str:employee_number>/fmla/<int:case_id>/designate/", views.case_designate, name="designate"),
    path("employees/<str:employee_number>/fmla/<int:case_id>/certification/", views.certification_request,
         name="certification"),
    path("employees/<str:employee_number>/fmla/<int:case_id>/notice/", views.notice, name="notice"),
    path("employees/<str:employee_number>/fmla/<int:case_id>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("employees/<str:employee_number>/medical/", views.documents, name="documents"),
    path("employees/<str:employee_number>/medical/upload/", views.upload, name="upload"),
    path("medical/documents/<str:ref>/", views.download, name="download"),
    path("me/medical/", views.my_documents, name="mine"),
    path("medical/queue/", views.work_queue, name="queue"),
]
