"""The catalog's models, importable from one place: `from programs.models import Programme`.

By family: alerts, sourced (what every sourced row shares), reference (languages, universities),
programmes, curriculum, admission, editions (with frozen_graphs), proposals, proposal_messages,
public_changes, shortlists, revision, search_documents, withdrawals; parts.py is the registry of
a programme's parts. The choices live in programs/core/choices.py and are re-exported here too."""

from programs.core.choices import (
    TEXT_LANGUAGE,
    ApplicantGroup,
    Background,
    CareerKind,
    Delivery,
    KeyFact,
    Level,
    ModuleKind,
    Provenance,
    RequirementKind,
    StartTerm,
    StudyMode,
    TrackKind,
    TuitionPeriod,
    UniversityRole,
    WithdrawalReason,
)
from programs.core.fields_of_study import FieldOfStudy
from programs.models.admission import (
    AdmissionRequirement,
    ApplicationDeadline,
    Tuition,
)
from programs.models.alerts import (
    Alert,
    AlertQuerySet,
)
from programs.models.curriculum import (
    Module,
    Semester,
    Track,
)
from programs.models.editions import (
    Addendum,
    Edition,
    EditionProgramme,
    EditionState,
    FrozenProgramme,
)
from programs.models.parts import (
    NOT_PARTS,
    PART_MODELS,
    PROGRAMME_PARTS,
    Part,
)
from programs.models.programmes import (
    Career,
    FactSource,
    Programme,
    ProgrammeUniversity,
    semester_within_programme,
)
from programs.models.proposal_messages import (
    MailDelivery,
    MessageKind,
    ProposalMailChoice,
    ProposalMessage,
)
from programs.models.proposals import (
    OPEN_STATES,
    Proposal,
    ProposalApproval,
    ProposalEvent,
    ProposalQuerySet,
    ProposalState,
    ReviewRule,
)
from programs.models.public_changes import (
    PublicChange,
)
from programs.models.reference import (
    Language,
    University,
)
from programs.models.revision import (
    CHANGE_LOG_KEPT,
    CHANGE_LOG_PRUNE_EVERY,
    EVERY_PROGRAMME,
    CatalogChange,
    CatalogRevision,
    CatalogRevisionQuerySet,
    new_database_token,
)
from programs.models.search_documents import (
    ModuleSearchDocument,
    ProgrammeSearchDocument,
)
from programs.models.shortlists import (
    Shortlist,
    ShortlistEntry,
)
from programs.models.sourced import (
    INFERRED_HELP,
    QUOTE_HELP,
    Sourced,
)
from programs.models.withdrawals import (
    Withdrawal,
    WithdrawalQuerySet,
)

__all__ = [
    "CHANGE_LOG_KEPT",
    "CHANGE_LOG_PRUNE_EVERY",
    "EVERY_PROGRAMME",
    "INFERRED_HELP",
    "NOT_PARTS",
    "OPEN_STATES",
    "PART_MODELS",
    "PROGRAMME_PARTS",
    "QUOTE_HELP",
    "TEXT_LANGUAGE",
    "Addendum",
    "AdmissionRequirement",
    "Alert",
    "AlertQuerySet",
    "ApplicantGroup",
    "ApplicationDeadline",
    "Background",
    "Career",
    "CareerKind",
    "CatalogChange",
    "CatalogRevision",
    "CatalogRevisionQuerySet",
    "Delivery",
    "Edition",
    "EditionProgramme",
    "EditionState",
    "FactSource",
    "FieldOfStudy",
    "FrozenProgramme",
    "KeyFact",
    "Language",
    "Level",
    "MailDelivery",
    "MessageKind",
    "Module",
    "ModuleKind",
    "ModuleSearchDocument",
    "Part",
    "Programme",
    "ProgrammeSearchDocument",
    "ProgrammeUniversity",
    "Proposal",
    "ProposalApproval",
    "ProposalEvent",
    "ProposalMailChoice",
    "ProposalMessage",
    "ProposalQuerySet",
    "ProposalState",
    "Provenance",
    "PublicChange",
    "RequirementKind",
    "ReviewRule",
    "Semester",
    "Shortlist",
    "ShortlistEntry",
    "Sourced",
    "StartTerm",
    "StudyMode",
    "Track",
    "TrackKind",
    "Tuition",
    "TuitionPeriod",
    "University",
    "UniversityRole",
    "Withdrawal",
    "WithdrawalQuerySet",
    "WithdrawalReason",
    "new_database_token",
    "semester_within_programme",
]
