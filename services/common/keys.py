"""Every Redis key and channel name the services use, in one place.

Like arq's ``constants.py``: a newcomer reading Redis with ``redis-cli`` finds here what
each key is. Everything of ours is under ``settings.redis_namespace`` so that several
deployments (or test sessions) can share one Redis; arq's own keys keep arq's names.
"""

from __future__ import annotations

from dataclasses import dataclass

from arq.constants import abort_jobs_ss, default_queue_name, in_progress_key_prefix, job_key_prefix

from services.common.settings import get_settings

#: arq's queue sorted set (job id → score = when it may run, in ms); the API enqueues
#: every question on it and reports the question's rank in it as its queue position.
ARQ_QUEUE = default_queue_name
#: arq's abort sorted set: a job id added here is cancelled by a worker running with
#: ``allow_abort_jobs=True`` (or skipped, when it has not started yet).
ARQ_ABORT_SET = abort_jobs_ss
#: arq's marker that a worker is running a job: ``ARQ_IN_PROGRESS_PREFIX + job id``.
ARQ_IN_PROGRESS_PREFIX = in_progress_key_prefix
#: arq's job definition (pickled function, args, enqueue time): ``ARQ_JOB_PREFIX + job id``.
ARQ_JOB_PREFIX = job_key_prefix


@dataclass(frozen=True)
class RedisKeys:
    """Key and channel names for one namespace."""

    namespace: str

    def question(self, question_id: str) -> str:
        """Hash: the question record (see ``questions.QuestionRecord``)."""
        return f"{self.namespace}:question:{question_id}"

    def replay_log(self, question_id: str) -> str:
        """List: every chunk of the question as JSON; index == seq."""
        return f"{self.namespace}:log:{question_id}"

    def channel(self, question_id: str) -> str:
        """Pub/sub channel carrying the question's chunks live."""
        return f"{self.namespace}:chunks:{question_id}"

    @property
    def channel_pattern(self) -> str:
        """The one pattern an API process subscribes to for every question's chunks."""
        return f"{self.namespace}:chunks:*"

    def question_id_of_channel(self, channel: str) -> str:
        return channel.removeprefix(f"{self.namespace}:chunks:")

    def questions_asked(self, owner: str, window: int) -> str:
        """String: how many questions this API key asked in this rate-limit window."""
        return f"{self.namespace}:ratelimit:{owner}:{window}"

    @property
    def worker_metrics(self) -> str:
        """Hash: workers' counters and histogram buckets, read by the API's /metrics."""
        return f"{self.namespace}:metrics:worker"

    def conversation(self, conversation_id: str) -> str:
        """Hash: the conversation record (see ``questions.ConversationRecord``)."""
        return f"{self.namespace}:conversation:{conversation_id}"

    def conversation_questions(self, conversation_id: str) -> str:
        """List: the conversation's question ids, oldest first."""
        return f"{self.namespace}:conversation:{conversation_id}:questions"

    def conversation_history(self, owner: str) -> str:
        """Sorted set: the owner's conversation ids, scored by their latest question's time."""
        return f"{self.namespace}:history:{owner}"

    @property
    def genie_bucket(self) -> str:
        """Hash: the Genie rate limiter's tokens and when they were last counted."""
        return f"{self.namespace}:genie:bucket"

    @property
    def genie_line(self) -> str:
        """Sorted set: questions waiting for a Genie start, scored by when they were asked."""
        return f"{self.namespace}:genie:line"

    @property
    def genie_line_leases(self) -> str:
        """Sorted set: each waiting question's lease (ms); a dead worker's waiter lapses."""
        return f"{self.namespace}:genie:line:leases"

    @property
    def genie_starts(self) -> str:
        """Sorted set: the Genie starts granted within the last window, scored by when."""
        return f"{self.namespace}:genie:starts"

    @property
    def job_starts(self) -> str:
        """Sorted set: jobs workers are running, scored by when they started (s)."""
        return f"{self.namespace}:jobs:starts"

    @property
    def job_durations(self) -> str:
        """List: how long the latest jobs took (s), newest first; the queue's ETAs use it."""
        return f"{self.namespace}:jobs:durations"

    @property
    def backlog_shown(self) -> str:
        """Hash: question id → ``position|eta_s`` last published while it waited in arq's queue."""
        return f"{self.namespace}:backlog:shown"

    @property
    def backlog_tick(self) -> str:
        """String, short-lived: held by the one worker publishing the backlog's places this tick."""
        return f"{self.namespace}:backlog:tick"

    def shared_answer(self, digest: str) -> str:
        """String: the question id answering this normalised question text (see answer cache)."""
        return f"{self.namespace}:answer:{digest}"


def redis_keys() -> RedisKeys:
    """The keys of the configured namespace."""
    return RedisKeys(get_settings().redis_namespace)
