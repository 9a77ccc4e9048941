import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditFields,
  auditHash,
  findChainBreak,
  GENESIS_HASH,
} from '../../src/domain/audit/audit-chain.ts';

type Row = AuditFields & { previousHash: string; hash: string };

function fields(i: number, overrides: Partial<AuditFields> = {}): AuditFields {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    at: new Date(Date.UTC(2026, 2, 29, 9, i)),
    userId: `user-${i % 3}`,
    role: i % 2 ? 'oh-clinician' : 'oh-admin',
    action: i % 2 ? 'case.read' : 'consultation.create',
    recordType: 'case',
    recordId: 'case-1',
    organisationId: 'org-1',
    reason: i % 4 === 0 ? 'triage queue' : null,
    ...overrides,
  };
}

/** Builds a correctly chained lane of n rows. */
function chain(n: number): Row[] {
  const rows: Row[] = [];
  let previousHash = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const f = fields(i);
    const hash = auditHash(previousHash, f);
    rows.push({ ...f, previousHash, hash });
    previousHash = hash;
  }
  return rows;
}

const row = (rows: Row[], i: number): Row => {
  const r = rows[i];
  if (!r) throw new Error(`no row ${i}`);
  return r;
};

describe('auditHash', () => {
  it('is a deterministic SHA-256 hex digest', () => {
    const h = auditHash(GENESIS_HASH, fields(1));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(GENESIS_HASH, fields(1))).toBe(h);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('changes with the previous hash and with every covered field', () => {
    const base = auditHash(GENESIS_HASH, fields(1));
    expect(auditHash('f'.repeat(64), fields(1))).not.toBe(base);
    const changes: Partial<AuditFields>[] = [
      { id: 'other-id' },
      { at: new Date(fields(1).at.getTime() + 1) },
      { userId: null },
      { role: 'sysadmin' },
      { action: 'case.close' },
      { recordType: 'report' },
      { recordId: 'case-2' },
      { organisationId: null },
      { reason: 'break glass' },
    ];
    for (const change of changes) expect(auditHash(GENESIS_HASH, fields(1, change))).not.toBe(base);
  });

  it('tells a null apart from the text "null" and does not let fields run together', () => {
    expect(auditHash(GENESIS_HASH, fields(1, { reason: null }))).not.toBe(
      auditHash(GENESIS_HASH, fields(1, { reason: 'null' })),
    );
    expect(auditHash(GENESIS_HASH, fields(1, { action: 'a', recordType: 'bc' }))).not.toBe(
      auditHash(GENESIS_HASH, fields(1, { action: 'ab', recordType: 'c' })),
    );
  });
});

describe('findChainBreak', () => {
  it('finds nothing wrong with an empty or intact lane', () => {
    expect(findChainBreak([])).toBeNull();
    expect(findChainBreak(chain(10))).toBeNull();
  });

  it('finds an altered field at the altered row', () => {
    const rows = chain(6);
    rows[3] = { ...row(rows, 3), action: 'case.read-outcome' };
    expect(findChainBreak(rows)?.id).toBe(row(rows, 3).id);
  });

  it('finds a deleted row at the row after it', () => {
    const rows = chain(6);
    const after = row(rows, 3);
    rows.splice(2, 1);
    expect(findChainBreak(rows)?.id).toBe(after.id);
  });

  it('finds a deleted first row', () => {
    const rows = chain(4).slice(1);
    expect(findChainBreak(rows)?.id).toBe(row(rows, 0).id);
  });

  it('finds rows swapped in order', () => {
    const rows = chain(5);
    const [a, b] = [row(rows, 1), row(rows, 2)];
    rows[1] = b;
    rows[2] = a;
    expect(findChainBreak(rows)?.id).toBe(b.id);
  });

  it('finds an altered row even when the forger recomputes its own hash', () => {
    const rows = chain(5);
    const forged = { ...row(rows, 2), userId: 'someone-else' };
    forged.hash = auditHash(forged.previousHash, forged);
    rows[2] = forged;
    // The forged row now hashes correctly, but the next row no longer follows it.
    expect(findChainBreak(rows)?.id).toBe(row(rows, 3).id);
  });

  it('finds a row inserted into the middle of a lane', () => {
    const rows = chain(4);
    const previous = row(rows, 1);
    const inserted = { ...fields(99), previousHash: previous.hash, hash: '' };
    inserted.hash = auditHash(previous.hash, inserted);
    rows.splice(2, 0, inserted);
    expect(findChainBreak(rows)?.id).toBe(row(rows, 3).id);
  });

  it('detects any single-field tampering anywhere (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        fc.constantFrom(
          'action',
          'role',
          'userId',
          'reason',
          'recordId',
          'organisationId',
          'hash',
          'previousHash',
        ),
        fc.string({ minLength: 1, maxLength: 8 }),
        (n, pick, field, value) => {
          const rows = chain(n);
          const i = pick % n;
          const original = row(rows, i);
          const tampered = { ...original, [field]: `${String(original[field as keyof Row])}${value}` };
          rows[i] = tampered;
          const broken = findChainBreak(rows);
          expect(broken).not.toBeNull();
          // The break shows at the tampered row, or — when only its hash changed — at the next one.
          const index = broken ? rows.indexOf(broken as (typeof rows)[number]) : -1;
          expect(index === i || index === i + 1).toBe(true);
          if (field === 'hash' && i === n - 1) expect(index).toBe(i);
        },
      ),
    );
  });
});
