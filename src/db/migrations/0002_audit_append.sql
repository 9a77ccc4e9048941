-- Appends audit rows to one lane in a single round trip: lock the lane, read its
-- head, chain each row (hash = sha256(previous hash || content hash), as
-- src/domain/audit/audit-chain.ts computes it) and insert. The lock is taken last in
-- its transaction, so lanes never deadlock.
CREATE OR REPLACE FUNCTION audit_append(p_lane text, p_rows jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  previous text;
  next_hash text;
  r jsonb;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_lane, 0));
  SELECT hash INTO previous FROM audit_events WHERE lane = p_lane ORDER BY seq DESC LIMIT 1;
  previous := coalesce(previous, repeat('0', 64));
  FOR r IN SELECT value FROM jsonb_array_elements(p_rows) LOOP
    next_hash := encode(sha256(convert_to(previous || (r->>'contentHash'), 'UTF8')), 'hex');
    INSERT INTO audit_events (id, at, user_id, role, action, record_type, record_id, organisation_id, reason, lane, previous_hash, hash)
    VALUES ((r->>'id')::uuid, (r->>'at')::timestamptz, (r->>'userId')::uuid, r->>'role', r->>'action',
            r->>'recordType', (r->>'recordId')::uuid, (r->>'organisationId')::uuid, r->>'reason',
            p_lane, previous, next_hash);
    previous := next_hash;
  END LOOP;
END;
$$;
