import { createHash } from 'node:crypto';

/** The fields of an audit row that its hash covers. */
export type AuditFields = {
  id: string;
  at: Date;
  userId: string | null;
  role: string | null;
  action: string;
  recordType: string;
  recordId: string;
  organisationId: string | null;
  reason: string | null;
};

/** The hash that starts every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of the fields of one audit row, in a fixed order (hex). */
export function auditContentHash(fields: AuditFields): string {
  const canonical = JSON.stringify([
    fields.id,
    fields.at.toISOString(),
    fields.userId,
    fields.role,
    fields.action,
    fields.recordType,
    fields.recordId,
    fields.organisationId,
    fields.reason,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Audit rows are append-only and hash-chained: each row's hash is SHA-256 of the
 * previous row's hash (in the same lane) followed by the hash of its own fields, so
 * a deleted or altered row breaks the chain from that point on (ARCHITECTURE.md:
 * tamper-evident audit). The database computes the same value when it appends
 * (migration 0002, `audit_append`), so the head of a lane never crosses the wire.
 */
export function auditHash(previousHash: string, fields: AuditFields): string {
  return createHash('sha256')
    .update(previousHash + auditContentHash(fields))
    .digest('hex');
}

/** Walks one lane in order and returns the first row whose hash does not follow, or null. */
export function findChainBreak(
  rows: Array<AuditFields & { previousHash: string; hash: string }>,
): AuditFields | null {
  let previous = GENESIS_HASH;
  for (const row of rows) {
    if (row.previousHash !== previous || auditHash(previous, row) !== row.hash) return row;
    previous = row.hash;
  }
  return null;
}

/** Plain-English names of audit actions, for people reading the trail. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'referral.create': 'Made the referral',
  'referral.read': 'Read the referral',
  'referral.triage': 'Triaged the referral',
  'referral.decline': 'Declined the referral',
  'case.open': 'Opened the case',
  'case.read': 'Read the case',
  'case.read-outcome': 'Read the outcome (manager’s view)',
  'case.close': 'Closed the case',
  'appointment.book': 'Booked an appointment',
  'appointment.cancel': 'Cancelled an appointment',
  'appointment.did-not-attend': 'Recorded a missed appointment',
  'consultation.create': 'Recorded a consultation',
  'outcome.record': 'Recorded the fitness-for-work outcome',
  'report.create': 'Wrote a report',
  'report.read': 'Read a report',
  'report.release': 'Released the report',
  'report.request-correction': 'Asked for a correction to the report',
  'report.withhold': 'Withheld the report',
  'audit.read': 'Read the audit trail',
};
