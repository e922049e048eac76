"""The catalogue of mail kinds: what each is called, and whether a tenant may switch it off."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class MailKind:
    """One kind of mail, with a template set ``notify/mail/<name>.subject.txt|.txt|.html``.

    essential: always sent (the person asked for it, or cannot act without it); no unsubscribe link.
    holds_secret: the body holds a secret (a sign-in or reset link); wiped once sent or failed.
    for_tenants: tenants can receive it (listed on their mail preferences page).
    """

    name: str
    label: object
    description: object
    essential: bool = False
    holds_secret: bool = False
    for_tenants: bool = True


KINDS: dict[str, MailKind] = {
    kind.name: kind
    for kind in (
        MailKind(
            "sign_in_link",
            _l("Sign-in link"),
            _l("A link to sign in, when you ask for one."),
            essential=True,
            holds_secret=True,
        ),
        MailKind(
            "password_reset",
            _l("New password"),
            _l("A link to choose a new password, when you ask for one."),
            essential=True,
            holds_secret=True,
            for_tenants=False,
        ),
        MailKind(
            "consultation_invitation",
            _l("Invitations to give your opinion"),
            _l("We ask your opinion about your home or neighbourhood."),
        ),
        MailKind(
            "consultation_reminder",
            _l("Reminders to give your opinion"),
            _l("A reminder a few days before a question round closes."),
        ),
        MailKind(
            "consultation_closing_changed",
            _l("Changed closing dates"),
            _l("A question round you have not answered yet closes at another time, or opens again."),
        ),
        MailKind(
            "results_published",
            _l("Results"),
            _l("The results of a question round you could take part in."),
        ),
        MailKind(
            "agenda_published",
            _l("Meeting agendas"),
            _l("The agenda of a meeting of your tenant council."),
        ),
        MailKind(
            "vote_opened",
            _l("Votes"),
            _l("Your tenant council has opened a vote."),
        ),
        MailKind(
            "advice_request_received",
            _l("Advice requests"),
            _l("The corporation has asked your tenant council for advice."),
        ),
        MailKind(
            "deadline_approaching",
            _l("Deadlines"),
            _l("A deadline of your tenant council is near."),
        ),
    )
}


def get_kind(name: str) -> MailKind:
    """The catalogue entry of a kind; ValueError for a kind that is not in the catalogue."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown mail kind {name!r}; add it to inspraak.notify.kinds.KINDS") from None


def optional_kinds() -> list[MailKind]:
    """The kinds a person may switch off, in catalogue order."""
    return [kind for kind in KINDS.values() if not kind.essential]
