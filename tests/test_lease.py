"""The lease in Jira that keeps hosts apart (SPEC §5): created only if absent, refused
while another holder's is live, taken over once expired or when its process is gone,
removed at the end; never given up by a lost state folder."""
from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from jirasync import lease as lease_module
from jirasync import lease_runs
from jirasync.gateway.connect import connect
from jirasync.lease import JiraLease
from jirasync.lease_types import LeaseHeld

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def jira(sandbox):
    auth = {"email": "pmo-bot@example.org", "token": "sandbox-token"} \
        if sandbox.flavour == "cloud" else {"auth_type": "pat", "token": "sandbox-pat"}
    return connect(sandbox.url, project="DCR", max_requests_per_s=1000, **auth)


def lease(jira, clock, host="host-a", pid=100, alive=lambda pid: True):
    return JiraLease(jira, "sync", clock=clock, host=host, pid=pid, alive=alive,
                     pause=lambda s: None)


def term(sandbox, n):
    return sandbox.project_properties().get(f"jirasync.lease.sync.{n}")


def assert_bounded(sandbox):
    """What runs leave of the lease stays small: at most 2 x KEEP terms, and claims only
    beside the newest KEEP of them (a sweep every KEEP terms removes the rest)."""
    keep = lease_module.KEEP
    names = [n for n in sandbox.project_properties() if n.startswith("jirasync.lease.sync.")]
    terms = sorted(int(n.rsplit(".", 1)[1]) for n in names if ".claimant." not in n)
    beside = {int(n.split(".claimant.")[0].rsplit(".", 1)[1]) for n in names
              if ".claimant." in n}
    assert len(terms) <= 2 * keep, terms
    assert all(t > terms[-1] - keep for t in beside), (terms, sorted(beside))


def test_a_live_lease_keeps_another_host_out_and_is_released_at_the_end(jira, sandbox):
    clock = Clock()
    with lease(jira, clock).held():
        assert term(sandbox, 1)["holder"] == "host-a pid 100"
        with pytest.raises(LeaseHeld) as refused, lease(jira, clock, host="host-b").held():
            pytest.fail("two hosts held the lease")
        assert "host-a pid 100" in str(refused.value) and "wrote nothing" in str(refused.value)
    assert term(sandbox, 1)["released"]
    with lease(jira, clock, host="host-b").held():
        assert term(sandbox, 2)["host"] == "host-b"


def test_an_expired_lease_is_taken_over(jira, sandbox):
    clock = Clock()
    killed = lease(jira, clock)
    killed._take()                                   # then kill -9: never released
    clock.now += timedelta(minutes=29)
    with pytest.raises(LeaseHeld), lease(jira, clock, host="host-b").held():
        pass
    clock.now += timedelta(minutes=2)
    with lease(jira, clock, host="host-b").held():
        assert term(sandbox, 2)["host"] == "host-b"


def test_a_killed_process_of_this_host_is_taken_over_at_once(jira):
    clock = Clock()
    lease(jira, clock, pid=100)._take()
    with lease(jira, clock, pid=200, alive=lambda pid: pid != 100).held():
        pass
    lease(jira, clock, pid=300)._take()
    with pytest.raises(LeaseHeld):                   # process 300 still runs
        with lease(jira, clock, pid=400, alive=lambda pid: True).held():
            pass


def test_two_runs_taking_over_the_same_expired_term_cannot_both_win(jira, sandbox):
    clock = Clock()
    lease(jira, clock)._take()                       # killed; then its lease expires
    clock.now += timedelta(hours=1)
    first, second = lease(jira, clock, host="host-b"), lease(jira, clock, host="host-c")
    real_put = jira.put_project_property

    def first_claims_in_between(name, value, **kwargs):   # both read term 1 as expired
        if name.endswith(".2") and kwargs.get("once") and first.term is None:
            jira.put_project_property = real_put
            first._take()
        return real_put(name, value, **kwargs)
    jira.put_project_property = first_claims_in_between
    with pytest.raises(LeaseHeld), second.held():
        pytest.fail("two runs held the lease")
    assert first.term == 2
    clock.now += timedelta(minutes=1)
    with pytest.raises(LeaseHeld):          # the winner (pid 100) runs: the term stands
        with lease(jira, clock, host=first.host, pid=999, alive=lambda pid: pid == 100).held():
            pass


def test_without_permission_it_warns_and_runs_on_the_local_lock(jira, sandbox):
    sandbox.bot_administers(False)
    said = []
    with JiraLease(jira, "chase", clock=Clock(), warn=said.append).held():
        pass
    assert "Administer Projects" in said[0]


def _before_the_claim(jira, trouble):
    """Call ``trouble()`` just before the run's claim of a term (the PUT sent once)."""
    real_put = jira.put_project_property

    def put(name, value, **kwargs):
        if kwargs.get("once"):
            jira.put_project_property = real_put
            trouble()
        return real_put(name, value, **kwargs)
    jira.put_project_property = put


def test_a_claim_whose_answer_was_lost_is_read_back(jira, sandbox):
    _before_the_claim(jira, lambda: sandbox.faults.drop_after(("project-property",), 1))
    with lease(jira, Clock()).held():
        assert term(sandbox, 1)["holder"] == "host-a pid 100"
    assert term(sandbox, 1)["released"]


def test_a_claim_that_failed_without_landing_is_made_again_not_contested(jira, sandbox):
    """A 502 on the claim: nothing landed, nobody else claimed. Marking the term
    contested would keep every run out until it expired."""
    _before_the_claim(jira, lambda: sandbox.faults.fail(502, 1, method="PUT"))
    with lease(jira, Clock()).held():
        assert term(sandbox, 1)["holder"] == "host-a pid 100"
    assert term(sandbox, 1)["released"] and not term(sandbox, 1).get("contested")
    with lease(jira, Clock(), host="host-b").held():
        assert term(sandbox, 2)["host"] == "host-b"


def _contested_term_1(jira, winner_host, winner_pid):
    """Two runs claimed term 1 at once; the winner was killed before it confirmed, the
    loser marked the term contested and stepped back."""
    clock = Clock()
    winner = lease(jira, clock, host=winner_host, pid=winner_pid)
    loser = lease(jira, clock, host="host-a", pid=200)

    def claim(real_put, name, value, kwargs):
        return real_put(name, value, **kwargs)
    real_put = _race_for_term_1(jira, winner, loser, claim)
    with pytest.raises(LeaseHeld):
        loser._take()
    jira.put_project_property = real_put
    return clock


def test_a_contested_term_whose_winner_was_killed_is_taken_over_at_once(jira, sandbox):
    clock = _contested_term_1(jira, "host-a", 100)
    assert term(sandbox, 1)["contested"]
    with lease(jira, clock, pid=300, alive=lambda pid: pid not in (100, 200)).held():
        assert term(sandbox, 2)["pid"] == 300
    assert term(sandbox, 2)["released"]


def test_a_contested_term_whose_winner_still_runs_stands(jira, sandbox):
    clock = _contested_term_1(jira, "host-a", 100)
    with pytest.raises(LeaseHeld) as refused:
        with lease(jira, clock, pid=300, alive=lambda pid: pid == 100).held():
            pass
    assert str(refused.value).startswith(
        "another sync run (two runs claimed this term at once) holds the sync lease")


def test_a_contested_term_written_by_an_older_version_reads_once():
    held = LeaseHeld("sync", "another run (two claimed this term at once)", "10:00")
    assert str(held).startswith("another sync run (two claimed this term at once) holds")


def test_a_contested_term_whose_winner_ran_on_another_host_stands_until_it_expires(
        jira, sandbox):
    clock = _contested_term_1(jira, "host-b", 100)
    with pytest.raises(LeaseHeld), lease(jira, clock, pid=300, alive=lambda pid: False).held():
        pass
    clock.now += timedelta(minutes=31)
    with lease(jira, clock, pid=300, alive=lambda pid: False).held():
        assert term(sandbox, 2)["pid"] == 300
    assert term(sandbox, 2)["released"]


def test_runs_keep_a_bounded_number_of_terms_and_claims(jira, sandbox):
    clock = Clock()
    for _ in range(12):
        with lease(jira, clock).held():
            pass
        assert_bounded(sandbox)
    names = sandbox.project_properties()
    assert "jirasync.lease.sync" not in names       # no pointer: one listing finds the terms


def test_an_uncontested_run_asks_jira_six_times_for_its_lease(jira, sandbox):
    """List, read the newest term, claim, take the term; list again before the first
    write; release. The sweep every KEEP terms comes on top."""
    clock = Clock()
    for _ in range(2):
        with lease(jira, clock).held():
            pass
    before = jira.stats.get("project-property", 0)
    run = lease(jira, clock)
    with run.held():
        run.confirm()
    assert jira.stats.get("project-property", 0) - before == 6


def test_an_earlier_versions_pointer_is_swept(jira, sandbox):
    sandbox.set_project_property("jirasync.lease.sync", {"term": 0})
    clock = Clock()
    for _ in range(lease_module.KEEP):
        with lease(jira, clock).held():
            pass
    assert "jirasync.lease.sync" not in sandbox.project_properties()


class Killed(BaseException):
    """SIGKILL at a request: nothing after it runs."""


def _race_for_term_1(jira, first, second, at_second_claim):
    """``first`` claims term 1 between ``second`` reading term 0 and claiming term 1;
    ``at_second_claim(real_put, name, value, kwargs)`` then carries out the second claim."""
    real_put = jira.put_project_property

    def put(name, value, **kwargs):
        if name.endswith(".1") and kwargs.get("once") and first.term is None:
            jira.put_project_property = real_put
            first._take()
            jira.put_project_property = put
            return at_second_claim(real_put, name, value, kwargs)
        return real_put(name, value, **kwargs)
    jira.put_project_property = put
    return real_put


def _confirmed(run):
    try:
        run.confirm()
    except LeaseHeld:
        return False
    return run.term is not None


def test_a_loser_killed_at_its_claim_lets_only_one_run_write(jira, sandbox):
    """Two runs of one host claim term 1 at once; the loser is killed just after its claim
    replaced the winner's value (before marking the term contested), so the term names a
    dead process and a third run takes over: the winner must step back before writing."""
    clock = Clock()
    dead = set()
    winner = lease(jira, clock, pid=100, alive=lambda pid: pid not in dead)
    loser = lease(jira, clock, pid=200, alive=lambda pid: pid not in dead)

    def claim_then_killed(real_put, name, value, kwargs):
        created = real_put(name, value, **kwargs)
        assert created is False                       # Jira answered 200: it lost
        dead.add(200)
        raise Killed
    real_put = _race_for_term_1(jira, winner, loser, claim_then_killed)
    with pytest.raises(Killed):
        loser._take()
    jira.put_project_property = real_put
    third = lease(jira, clock, pid=300, alive=lambda pid: pid not in dead)
    writers = []
    with contextlib.suppress(LeaseHeld), third.held():
        third.confirm()
        writers.append("third")
    if _confirmed(winner):
        writers.append("winner")
    assert len(writers) <= 1, f"both wrote: {writers}"


def test_a_claim_whose_answer_was_lost_in_a_race_lets_only_one_run_write(jira, sandbox):
    """The second claim replaced the first one's value and its answer was lost: read
    back, it looks like its own. Two runs think they hold term 1: only one may write."""
    clock = Clock()
    first, second = lease(jira, clock), lease(jira, clock, host="host-b")

    def claim_answer_lost(real_put, name, value, kwargs):
        sandbox.faults.drop_after(("project-property",), 1)
        return real_put(name, value, **kwargs)
    real_put = _race_for_term_1(jira, first, second, claim_answer_lost)
    second._take()
    jira.put_project_property = real_put
    writers = [run.host for run in (first, second) if _confirmed(run)]
    assert len(writers) == 1, f"writers: {writers}"
    assert term(sandbox, 1)["host"] == writers[0]


def test_a_live_loser_marking_the_term_contested_does_not_stop_the_winner(jira, sandbox):
    """The winner reads its term back while a live loser's claim is still in it; a moment
    later the loser marks the term contested: the winner writes, it does not stop."""
    clock = Clock()
    winner, loser = lease(jira, clock), lease(jira, clock, host="host-b")
    winner._take()
    jira.put_project_property(loser.claim_name(1), loser._value())   # its claim first
    jira.put_project_property(winner.name(1), loser._value())     # the loser's claim: 200

    def loser_gives_way(seconds):                  # as a live loser does: mark, withdraw
        jira.put_project_property(winner.name(1), loser._contested())
        jira.delete_project_property(loser.claim_name(1))
    winner.pause = loser_gives_way
    winner.confirm()
    assert winner.term == 1 and term(sandbox, 1)["run"] == winner.run


def test_a_lease_taken_right_after_a_look_is_undisturbed_else_not(jira, sandbox):
    """What a run read after ``look`` is fresh only if no run held the lease in between."""
    clock = Clock()
    quiet = lease(jira, clock)
    quiet.look()
    with quiet.held():
        assert quiet.undisturbed
    late = lease(jira, clock)
    late.look()
    with lease(jira, clock, host="host-b").held():       # another run, in between
        pass
    with late.held():
        assert not late.undisturbed
    busy = lease(jira, clock, host="host-c")
    with lease(jira, clock, host="host-b").held():
        busy.look()                                     # looked while it was held
    with busy.held():
        assert not busy.undisturbed


def test_two_runs_that_think_they_hold_a_contested_term_do_not_both_write(
        jira, sandbox):
    """Three runs read term 0 and claim term 1. first: 201. second: 200 replacing first's
    value, its answer lost; read back, the value is its own, so it holds too (the double
    fault _claim does not tell apart). third: 200, marks the term contested and steps
    back. first and second confirm side by side, each reading "contested": the other's
    claim beside the term stops each, so at most one writes."""
    clock = Clock()
    first = lease(jira, clock, host="host-a")
    second = lease(jira, clock, host="host-b")
    third = lease(jira, clock, host="host-c")
    real_put = jira.put_project_property

    def second_claims(name, value, **kwargs):          # second's claim of term 1
        if name.endswith(".1") and kwargs.get("once"):
            jira.put_project_property = real_put
            first._take()                                   # 201
            sandbox.faults.drop_after(("project-property",), 1)
        return real_put(name, value, **kwargs)

    def third_claims(name, value, **kwargs):           # third's claim of term 1
        if name.endswith(".1") and kwargs.get("once"):
            jira.put_project_property = second_claims
            second._take()                                  # read back as its own
            jira.put_project_property = real_put
        return real_put(name, value, **kwargs)
    jira.put_project_property = third_claims
    with pytest.raises(LeaseHeld):
        third._take()
    assert first.term == second.term == 1
    assert term(sandbox, 1)["contested"]

    both = []

    def second_confirms_meanwhile(name, value, **kwargs):   # first read, not yet written
        if name.endswith(".1") and value.get("run") == first.run:
            jira.put_project_property = real_put
            if _confirmed(second):
                both.append("second")
        return real_put(name, value, **kwargs)
    jira.put_project_property = second_confirms_meanwhile
    if _confirmed(first):
        both.append("first")
    assert len(both) <= 1, f"both wrote under term 1: {both}"


def test_a_run_that_looked_before_many_runs_took_the_lease_claims_no_deleted_term(
        jira, sandbox):
    """chase looks before it reads its actions; more than KEEP runs take the lease during
    that read (their old terms deleted): it must not claim a deleted term again."""
    clock = Clock()
    slow = lease(jira, clock, host="host-a")
    slow.look()                                           # newest: none, free
    for _ in range(8):                                    # terms 1..8, taken and released
        with lease(jira, clock, host="host-b").held():
            pass
    live = lease(jira, clock, host="host-c")
    live._take()
    live.confirm()                                        # term 9, writing
    assert live.term == 9
    writers = ["live"]
    try:
        with slow.held():
            slow.confirm()
            writers.append(f"slow (term {slow.term}, undisturbed={slow.undisturbed})")
    except LeaseHeld:
        pass
    assert writers == ["live"], f"both wrote: {writers}"


def test_a_claim_left_by_a_run_killed_before_its_term_is_swept(
        jira, sandbox):
    """Killed after its claim landed and before it claimed the term: the next run takes
    that very term and releases it; the claim is swept within KEEP terms."""
    clock = Clock()
    dead = lease(jira, clock, pid=100)
    real_put = jira.put_project_property

    def killed_at_the_term(name, value, **kwargs):
        if kwargs.get("once"):
            raise Killed
        return real_put(name, value, **kwargs)
    jira.put_project_property = killed_at_the_term
    with pytest.raises(Killed):
        dead._take()
    jira.put_project_property = real_put
    for _ in range(12):
        with lease(jira, clock, pid=200, alive=lambda pid: pid != 100).held():
            pass
    assert_bounded(sandbox)
    assert not [n for n in sandbox.project_properties() if n.endswith(".claimant." + dead.run)]


def test_what_a_run_killed_while_sweeping_left_is_swept(jira, sandbox):
    """A run killed at its sweep's first removal leaves the rest: the next sweep, KEEP
    terms on, removes it."""
    clock = Clock()
    for _ in range(lease_module.KEEP - 1):
        with lease(jira, clock, pid=200).held():
            pass
    real_delete = jira.delete_project_property

    def killed_at_the_sweep(name, **kwargs):
        raise Killed
    jira.delete_project_property = killed_at_the_sweep
    with pytest.raises(Killed):
        lease(jira, clock, pid=100)._take()               # term KEEP: sweeps
    jira.delete_project_property = real_delete
    for _ in range(12):
        with lease(jira, clock, pid=200, alive=lambda pid: pid != 100).held():
            pass
    assert_bounded(sandbox)


def test_another_container_sharing_our_host_name_and_pid_is_not_taken_for_us(jira, sandbox):
    """Two containers with host networking share the host's name; each runs jirasync as
    pid 1. The first's live term is not 'an earlier run of this process'."""
    clock = Clock()
    a = JiraLease(jira, "sync", clock=clock, host="node-7", pid=1, pause=lambda s: None)
    del lease_runs.RUNS_HERE[a.run]                   # a run of the other container
    b = JiraLease(jira, "sync", clock=clock, host="node-7", pid=1, pause=lambda s: None)
    a._take()
    a.confirm()
    with pytest.raises(LeaseHeld), b.held():
        b.confirm()
        pytest.fail("two containers hold the lease")


def test_the_runs_this_process_remembers_are_bounded(jira):
    for _ in range(lease_runs.RUNS_KEPT + 10):
        lease(jira, Clock())
    assert len(lease_runs.RUNS_HERE) == lease_runs.RUNS_KEPT
