-- Outgoing webhooks (api.md, "Outgoing webhooks"): a transactional outbox. An event row is inserted in the same
-- transaction as the change it tells of, so a rolled-back change sends nothing and a committed one is never lost;
-- one delivery row per event and endpoint is each endpoint's own queue, claimed by any replica's dispatcher.

CREATE TABLE webhook_events (
    -- The webhook-id header: the same on every attempt and every endpoint (receivers deduplicate on it). Never
    -- contains '.', which separates it from the timestamp in the signed content.
    id         text        PRIMARY KEY CHECK (id ~ '^msg_[A-Za-z0-9]{1,64}$'),
    type       text        NOT NULL CHECK (type ~ '^[a-z0-9_-]+(\.[a-z0-9_-]+)+$'),
    -- The exact body sent and signed, serialised once: every retry sends the same bytes.
    body       text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        text        NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    endpoint        text        NOT NULL CHECK (length(endpoint) BETWEEN 1 AND 2048),
    status          text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    -- The event's time, copied so the oldest-pending gauge and pruning read this table alone.
    created_at      timestamptz NOT NULL,
    -- When a dispatcher may take it next: the retry time, or, while claimed, the end of the claim's lease (a
    -- dispatcher that dies mid-attempt leaves a row that comes due again when its lease runs out).
    next_attempt_at timestamptz NOT NULL,
    -- Past this, a failed attempt is the last one (REPLAY_WEBHOOK_RETRY_FOR after the event).
    give_up_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The claim of the attempt in flight: only its holder may record the outcome.
    claim           uuid,
    finished_at     timestamptz,
    last_error      text,
    CONSTRAINT webhook_deliveries_once_per_endpoint UNIQUE (event_id, endpoint),
    CONSTRAINT webhook_deliveries_finished_iff_done CHECK ((status = 'PENDING') = (finished_at IS NULL)),
    CONSTRAINT webhook_deliveries_claimed_only_pending CHECK (status = 'PENDING' OR claim IS NULL)
);

-- Claiming: the due rows of one endpoint, oldest due first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint, next_attempt_at) WHERE status = 'PENDING';
-- The age of the oldest pending event.
CREATE INDEX webhook_deliveries_pending_age ON webhook_deliveries (created_at) WHERE status = 'PENDING';
-- Pruning finished rows, and the admin listing by status.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (status, finished_at) WHERE status <> 'PENDING';
CREATE INDEX webhook_deliveries_status_id ON webhook_deliveries (status, id);

CREATE TABLE webhook_attempts (
    delivery_id bigint      NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number      integer     NOT NULL CHECK (number >= 1),
    started_at  timestamptz NOT NULL,
    -- Unset while the attempt is in flight, and for ever when its dispatcher died before an answer.
    finished_at timestamptz,
    status_code integer     CHECK (status_code BETWEEN 100 AND 599),
    error       text,
    PRIMARY KEY (delivery_id, number)
);
