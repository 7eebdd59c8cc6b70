-- When a periodic job last ran on any replica, so a job that must run once per period across all of them (the
-- buffer reconciler: one LiveKit ListEgress per period, not one per replica) can claim its turn. Replicas hold the
-- job's advisory lock while they claim and run it (platform/lease/ClusterJobs).

CREATE TABLE job_runs (
    name        text        PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    last_run_at timestamptz NOT NULL,
    -- Which replica ran it last (process and host), for operators reading the table.
    replica     text        NOT NULL
);
