"""Readable names for the council's enums, for templates and forms."""
from flask_babel import lazy_gettext as _l

from inspraak.council.models import (
    AdviceStatus, AttendanceStatus, Ballot, Channel, CouncilKind, Follows, ItemKind, MeetingStatus, MotionStatus,
    Position, RequestKind, Subject,
)
from inspraak.council.rules import Choice, Majority, Outcome, QuorumRule

LABELS = {
    CouncilKind.TENANT_ORGANISATION: _l("Tenant organisation"),
    CouncilKind.RESIDENTS_COMMITTEE: _l("Residents' committee"),
    Position.CHAIR: _l("Chair"),
    Position.SECRETARY: _l("Secretary"),
    Position.TREASURER: _l("Treasurer"),
    Position.MEMBER: _l("Member"),
    MeetingStatus.PLANNED: _l("Planned"),
    MeetingStatus.AGENDA_PUBLISHED: _l("Agenda published"),
    MeetingStatus.IN_SESSION: _l("In session"),
    MeetingStatus.CLOSED: _l("Closed"),
    MeetingStatus.MINUTES_PUBLISHED: _l("Minutes published"),
    ItemKind.INFORMATION: _l("Information"),
    ItemKind.DISCUSSION: _l("Discussion"),
    ItemKind.DECISION: _l("Decision"),
    ItemKind.ADVICE: _l("Advice"),
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.ABSENT: _l("Absent"),
    AttendanceStatus.EXCUSED: _l("Excused"),
    Ballot.OPEN: _l("Open vote (by name)"),
    Ballot.SECRET: _l("Secret vote"),
    Channel.ONLINE: _l("Online, on phone or computer"),
    Channel.SHOW_OF_HANDS: _l("Show of hands"),
    MotionStatus.DRAFT: _l("Not yet voted on"),
    MotionStatus.VOTING: _l("Voting is open"),
    MotionStatus.CLOSED: _l("Voting is closed"),
    Choice.FOR: _l("For"),
    Choice.AGAINST: _l("Against"),
    Choice.ABSTAIN: _l("Abstain"),
    Outcome.ADOPTED: _l("Adopted"),
    Outcome.REJECTED: _l("Rejected"),
    Outcome.NO_QUORUM: _l("No decision: not enough members"),
    Majority.VOTES_CAST: _l("More than half of the votes cast"),
    Majority.ABSOLUTE: _l("More than half of all members"),
    Majority.TWO_THIRDS: _l("Two thirds of the votes cast"),
    QuorumRule.MORE_THAN_HALF: _l("More than half of the members"),
    QuorumRule.AT_LEAST_HALF: _l("At least half of the members"),
    QuorumRule.NONE: _l("No quorum"),
    Subject.MAINTENANCE: _l("Maintenance and improvement"),
    Subject.DEMOLITION_RENOVATION_SALE: _l("Demolition, renovation, sale or purchase"),
    Subject.ALLOCATION: _l("Allocation and letting"),
    Subject.RENTAL_TERMS: _l("General rental terms"),
    Subject.RENT_POLICY: _l("Rent policy"),
    Subject.SERVICE_COSTS: _l("Services and service costs"),
    Subject.MERGER: _l("Merger"),
    Subject.LIVEABILITY: _l("Liveability and the neighbourhood"),
    Subject.HOUSING_FOR_CARE: _l("Housing for older people and people who need care"),
    Subject.COMPLAINTS: _l("Findings of the complaints committee"),
    Subject.PERFORMANCE_AGREEMENTS: _l("Performance agreements"),
    Subject.OTHER: _l("Other subject"),
    RequestKind.INFORMATION: _l("Information"),
    RequestKind.ADVICE: _l("Request for advice"),
    RequestKind.CONSENT: _l("Request for consent"),
    AdviceStatus.RECEIVED: _l("Waiting for advice"),
    AdviceStatus.ADVICE_GIVEN: _l("Advice given"),
    AdviceStatus.ANSWERED: _l("Answered"),
    Follows.FULLY: _l("Follows the advice fully"),
    Follows.PARTLY: _l("Follows the advice partly"),
    Follows.NOT: _l("Does not follow the advice"),
}


def label(value: object) -> str:
    """The readable name of an enum member, in the reader's language."""
    return str(LABELS.get(value, getattr(value, "value", value)))


def choices(enum_cls: type) -> list[tuple[str, str]]:
    """(value, label) pairs for a select or radio field."""
    return [(m.value, LABELS[m]) for m in enum_cls]
