"""The council models, importable from one place."""
from inspraak.council.models.advice import (
    AdviceReminder, AdviceRequest, AdviceStatus, Follows, ReminderStep, RequestKind, Subject,
)
from inspraak.council.models.councils import MANAGING_POSITIONS, Council, CouncilKind, Member, Position
from inspraak.council.models.meetings import (
    AgendaItem, Attachment, Attendance, AttendanceStatus, ItemKind, Meeting, MeetingStatus, MinutesRevision, Proxy,
)
from inspraak.council.models.motions import (
    Ballot, BallotParticipation, Channel, Motion, MotionResult, MotionStatus, SecretBallot, Vote,
)

__all__ = [
    "MANAGING_POSITIONS", "AdviceReminder", "AdviceRequest", "AdviceStatus", "AgendaItem", "Attachment", "Attendance",
    "AttendanceStatus", "Ballot", "BallotParticipation", "Channel", "Council", "CouncilKind", "Follows", "ItemKind",
    "Meeting", "MeetingStatus", "Member", "MinutesRevision", "Motion", "MotionResult", "MotionStatus", "Position",
    "Proxy", "ReminderStep", "RequestKind", "SecretBallot", "Subject", "Vote",
]
