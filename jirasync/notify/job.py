"""``chase`` as every runner starts it when a PMO's channel may be configured: chase's own
job, then the channel told the day's news (SPEC §5 "The PMO's channel"). Kept here, not in
``chase``, so that chase knows nothing of webhooks; the CLI, the service and the demo all
start this one job."""
from __future__ import annotations

from collections.abc import Callable

from jirasync.chase import job as chase_job
from jirasync.chase.job import ChaseResult
from jirasync.jobs import Job, Run
from jirasync.notify.after_chase import tell_channels


def chase_then_tell(say: Callable[[str], None],
                    warn: Callable[[str], None]) -> Job[ChaseResult]:
    """The chase job whose run ends by telling the configured channels; their lines go
    through ``say`` (and a failure through ``warn``), never failing chase."""
    def work(run: Run) -> ChaseResult:
        result = chase_job.JOB.work(run)
        return tell_channels(run.config, run.opened(), run.state, result, now=run.now,
                             say=say, warn=warn, answers=result.answers,
                             sleep=run.stop.sleep, stopped=run.stop)
    return Job("chase", work, prepare=chase_job.JOB.prepare, details=chase_job.JOB.details)
