"""Sign-in attempts are limited per account and per address, not globally."""
import pytest

from tests.concurrency import race_posts
from tests.conftest import STAFF_PASSWORD


@pytest.fixture
def config_overrides():
    return {"SIGNIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes", "SIGNIN_LIMIT_PER_ADDRESS": "8 per 15 minutes"}


def _try(client, email, password="wrong password!", address="10.0.0.1"):
    return client.post_form(
        "/staff/sign-in", {"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_failed_attempts_lock_the_account_not_others(client, make_staff):
    victim, colleague = make_staff(), make_staff()
    for _ in range(3):
        assert _try(client, victim.email, address="10.0.0.1").status_code == 400
    assert _try(client, victim.email, address="10.0.0.2").status_code == 429
    assert _try(client, victim.email, STAFF_PASSWORD, address="10.0.0.3").status_code == 429
    assert _try(client, colleague.email, STAFF_PASSWORD, address="10.0.0.4").status_code == 302


def test_successful_sign_ins_do_not_count_against_the_account(client, make_staff):
    staff = make_staff()
    for n in range(5):
        assert _try(client, staff.email, STAFF_PASSWORD, address=f"10.1.0.{n}").status_code == 302


def test_one_address_is_limited_across_accounts(client, make_staff):
    accounts = [make_staff() for _ in range(9)]
    statuses = [_try(client, a.email, address="10.2.0.1").status_code for a in accounts]
    assert statuses[:8] == [400] * 8
    assert statuses[8] == 429


def test_successful_sign_ins_from_one_address_do_not_lock_it(client, make_staff):
    """A community centre or an office behind one address: many people sign in there in turn."""
    accounts = [make_staff() for _ in range(12)]
    assert [_try(client, a.email, STAFF_PASSWORD, address="10.3.0.1").status_code for a in accounts] == [302] * 12
    statuses = [_try(client, a.email, address="10.3.0.1").status_code for a in accounts[:9]]
    assert statuses == [400] * 8 + [429]  # failures still count


def test_letter_code_guessing_is_limited_per_address(client, make_tenant):
    make_tenant()
    statuses = [
        client.post_form("/sign-in/code", {"code": f"ACEFHKMNP{c}"}, environ_base={"REMOTE_ADDR": "10.3.0.1"}).status_code
        for c in "ACEFHKMNPR"
    ]
    assert 429 in statuses
    assert statuses[0] == 400


def test_limit_page_is_translated(client, make_staff):
    staff = make_staff()
    for _ in range(3):
        _try(client, staff.email)
    response = client.post_form(
        "/staff/sign-in?lang=ar", {"email": staff.email, "password": "x"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert response.status_code == 429
    assert 'dir="rtl"' in response.get_data(as_text=True)


def test_limits_can_live_in_redis(app, database_url, make_staff):
    """With RATELIMIT_STORAGE_URI pointing at Redis, counters are shared by every worker."""
    import socket
    import uuid

    from inspraak import create_app
    from tests.conftest import make_config

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    overrides = {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
        "RATELIMIT_KEY_PREFIX": f"inspraak-test-{uuid.uuid4().hex}",
        "SIGNIN_LIMIT_PER_ACCOUNT": "2 per 15 minutes",
    }
    worker_a = create_app(make_config(database_url, **overrides))
    worker_b = create_app(make_config(database_url, **overrides))
    from tests.conftest import Client

    worker_a.test_client_class = worker_b.test_client_class = Client
    staff = make_staff()
    for worker in (worker_a, worker_b):
        assert _try(worker.test_client(), staff.email).status_code == 400
    assert _try(worker_a.test_client(), staff.email).status_code == 429


def test_sign_in_works_and_is_limited_while_redis_is_unreachable(app, database_url, make_staff):
    """Redis down (nothing listens on the port): each worker counts in memory instead of failing every sign-in."""
    from inspraak import create_app
    from tests.conftest import Client, make_config

    worker = create_app(make_config(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0",
                                    SIGNIN_LIMIT_PER_ACCOUNT="2 per 15 minutes"))
    worker.test_client_class = Client
    staff = make_staff()
    assert [_try(worker.test_client(), staff.email).status_code for _ in range(3)] == [400, 400, 429]
    assert _try(worker.test_client(), make_staff().email, STAFF_PASSWORD).status_code == 302


def _guesses(clients, staff, passwords):  # noqa: ANN001, ANN202
    """One sign-in form per client, for race_posts: each client's own CSRF token and one of ``passwords``.

    The account's and the address's counters are started first, by one sign-in that succeeds (and so
    gives its place back). The counters in memory (tests and development; production refuses them for
    Redis) lose a hit when two requests start the same counter at the same moment: each sees no
    counter yet and the second starts it afresh, dropping the first one's hit. Redis counts atomically.
    """
    assert _try(clients[0].application.test_client(), staff.email, STAFF_PASSWORD,
                address="127.0.0.1").status_code == 302
    return [(c, "/staff/sign-in", {"email": staff.email, "password": password, "csrf_token": c.csrf_token("/staff/sign-in")})
            for c, password in zip(clients, passwords, strict=True)]


def test_wrong_passwords_sent_at_the_same_moment_are_held_to_the_limit(app, make_staff):
    """Ten guesses for one account at once: only as many are checked as the limit allows, the rest are refused.

    A limit that only counts a failure once its answer is known lets every guess in flight through.
    """
    staff = make_staff()
    clients = [app.test_client() for _ in range(10)]
    assert sorted(race_posts(app, _guesses(clients, staff, ["wrong password!"] * 10))) == [400] * 3 + [429] * 7


def test_a_right_password_among_wrong_ones_at_the_same_moment_still_signs_in_and_is_not_counted(app, make_staff):
    staff = make_staff()
    clients = [app.test_client() for _ in range(3)]
    passwords = ["wrong password!", STAFF_PASSWORD, "wrong password!"]
    assert sorted(race_posts(app, _guesses(clients, staff, passwords))) == [302, 400, 400]
    assert _try(client := app.test_client(), staff.email).status_code == 400  # the third failure: still checked
    assert _try(client, staff.email).status_code == 429


def test_attempts_refused_by_the_account_limit_do_not_use_up_the_address(client, make_staff):
    """Someone pressing on after their account is locked does not lock out the others at their address."""
    locked, colleague = make_staff(), make_staff()
    statuses = [_try(client, locked.email, address="10.4.0.1").status_code for _ in range(10)]
    assert statuses == [400] * 3 + [429] * 7
    assert _try(client, colleague.email, STAFF_PASSWORD, address="10.4.0.1").status_code == 302
