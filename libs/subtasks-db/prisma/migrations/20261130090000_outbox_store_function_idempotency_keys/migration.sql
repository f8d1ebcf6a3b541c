-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "message_key" TEXT,
    "value" BYTEA NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "request_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "subtask_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("subtask_id","key")
);

-- CreateIndex
CREATE INDEX "outbox_published_at_id_idx" ON "outbox"("published_at", "id");

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");


-- Stores the next immutable result version of a subtask, once per request id, in one round trip:
-- the subtask's row lock keeps versions dense; the caller's transaction adds the outbox row.
CREATE FUNCTION store_result(p_subtask_id TEXT, p_request_id TEXT, p_is_worker_complete BOOLEAN)
RETURNS TABLE (status TEXT, version INTEGER) AS $$
DECLARE
  next_version INTEGER;
  existing_subtask TEXT;
BEGIN
  PERFORM 1 FROM subtasks WHERE id = p_subtask_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'no-such-subtask'::TEXT, NULL::INTEGER;
    RETURN;
  END IF;
  SELECT r.version, r.subtask_id INTO next_version, existing_subtask
    FROM subtask_results r WHERE r.request_id = p_request_id;
  IF FOUND THEN
    IF existing_subtask <> p_subtask_id THEN
      RAISE EXCEPTION 'request id % already stored a result of another subtask', p_request_id
        USING ERRCODE = 'unique_violation';
    END IF;
    RETURN QUERY SELECT 'already-stored'::TEXT, next_version;
    RETURN;
  END IF;
  SELECT coalesce(max(r.version), 0) + 1 INTO next_version
    FROM subtask_results r WHERE r.subtask_id = p_subtask_id;
  INSERT INTO subtask_results (subtask_id, version, request_id, is_worker_complete)
    VALUES (p_subtask_id, next_version, p_request_id, p_is_worker_complete);
  UPDATE subtasks
     SET result_version = next_version,
         submitted = submitted OR p_is_worker_complete,
         updated_at = now()
   WHERE id = p_subtask_id;
  RETURN QUERY SELECT 'stored'::TEXT, next_version;
END;
$$ LANGUAGE plpgsql;
