-- A stored version and its completion event are written by one statement (one round trip, no
-- interactive transaction): the outbox row holds the event's fields as JSON, with the version the
-- statement chose, and the relay encodes them when it publishes. Rows written before keep their
-- encoded value.
ALTER TABLE "outbox" ALTER COLUMN "value" DROP NOT NULL;
ALTER TABLE "outbox" ADD COLUMN "payload" JSONB;
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_value_or_payload" CHECK ("value" IS NOT NULL OR "payload" IS NOT NULL);

-- store_result, plus the outbox row of a newly stored version ("resultVersion" set to it).
CREATE FUNCTION store_result_announced(
  p_subtask_id TEXT,
  p_request_id TEXT,
  p_is_worker_complete BOOLEAN,
  p_topic TEXT,
  p_message_key TEXT,
  p_headers JSONB,
  p_payload JSONB
)
RETURNS TABLE (status TEXT, version INTEGER) AS $$
DECLARE
  stored RECORD;
BEGIN
  SELECT s.status, s.version INTO stored
    FROM store_result(p_subtask_id, p_request_id, p_is_worker_complete) s;
  IF stored.status = 'stored' THEN
    INSERT INTO outbox (topic, message_key, payload, headers, request_id)
      VALUES (p_topic, p_message_key,
              p_payload || jsonb_build_object('resultVersion', stored.version),
              p_headers, p_request_id);
  END IF;
  RETURN QUERY SELECT stored.status, stored.version;
END;
$$ LANGUAGE plpgsql;
