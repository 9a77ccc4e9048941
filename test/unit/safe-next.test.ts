import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/web/auth/auth.pages.ts';

describe('safeNext: where sign-in may send the browser', () => {
  it.each([
    ['/cases/123', '/cases/123'],
    ['/team?q=ali', '/team?q=ali'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['https://evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['', '/'],
    [undefined, '/'],
  ])('%j → %j', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
