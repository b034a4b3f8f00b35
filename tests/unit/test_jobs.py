"""Background jobs: run after the request's commit; a failing job never turns a saved change
into an error, and its own partial work is rolled back."""
import logging

import pytest

from app.extensions import db
from app.jobs import dispatch_pending, enqueue
from app.models.identity import User
from app.services.accounts import register

calls: list[str] = []


def rename_then_fail(user_id: str) -> None:
    db.session.get(User, user_id).name = "Renamed by a failing job"
    db.session.flush()
    raise RuntimeError("job broke")


def record(value: str) -> None:
    calls.append(value)


def test_jobs_wait_for_the_request_to_end_then_run(app):
    calls.clear()
    with app.test_request_context("/"):
        enqueue("tests.unit.test_jobs.record", "after-commit")
        assert calls == []
        dispatch_pending()
    assert calls == ["after-commit"]


def test_a_failing_job_after_commit_is_logged_and_its_work_rolled_back(app, caplog):
    user = register("jobs@example.test", "correct-horse-battery", "Jo")
    db.session.commit()
    calls.clear()
    with app.test_request_context("/"), caplog.at_level(logging.ERROR):
        enqueue("tests.unit.test_jobs.rename_then_fail", user.id)
        enqueue("tests.unit.test_jobs.record", "next job still runs")
        dispatch_pending()
    assert "tests.unit.test_jobs.rename_then_fail" in caplog.text
    assert calls == ["next job still runs"]
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Jo"


def test_outside_a_request_a_failing_job_raises(app):
    user = register("cli@example.test", "correct-horse-battery", "Cy")
    db.session.commit()
    with pytest.raises(RuntimeError, match="job broke"):
        enqueue("tests.unit.test_jobs.rename_then_fail", user.id)
