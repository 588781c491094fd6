"""Which fields of a programme and of a module staff edit: one list each, in one order.

The admin's programme form, the spreadsheet's columns (export and import alike) and the import's
writes all read these, so a field added here is edited, exported and imported together. The order
is the spreadsheet's, which people see; the admin lays its form out in fieldsets of its own.
Relations are named as staff see them: `languages` by code, a module's `track` by name.
"""

# A programme's own fields. Its offering universities are not among them: the admin edits them
# as rows of their own, and the spreadsheet as a column (see spreadsheet_columns).
PROGRAMME_FIELDS = (
    "slug",
    "title",
    "degree",
    "level",
    "is_joint_degree",
    "faculty",
    "campus",
    "city",
    "languages",
    "ects",
    "duration_semesters",
    "duration_as_stated",
    "start_term",
    "study_mode",
    "delivery",
    "tuition_type",
    "approval_status",
    "summary",
    "description",
    "career_prospects",
    "source_document",
    "source_url",
    "transcribed_on",
    "published",
    # Retired: no longer admitting (its successor is edited in the admin only).
    "retired",
    "admission_ends",
    # Last, so the spreadsheets' earlier columns keep their letters (a newer field goes at the
    # end): its ISCED-F 2013 code, such as 091.
    "field_of_study",
)
# A module's own fields; which programme it belongs to and its position place it.
MODULE_FIELDS = (
    "title",
    "kind",
    "semester",
    "year",
    "track",
    "ects",
    "description",
    "source_quote",
    "inferred_because",
)
