import { describe, expect, it } from 'vitest';
import { isWriteConflict } from './errors.js';

describe('isWriteConflict', () => {
  it("knows MongoDB's WriteConflict, alone or in a bulk write's errors", () => {
    expect(isWriteConflict({ code: 112 })).toBe(true);
    expect(isWriteConflict({ code: 65, writeErrors: [{ code: 112 }] })).toBe(true);
  });

  it("knows DocumentDB's lock and serialization conflicts by the PostgreSQL state in the message", () => {
    expect(isWriteConflict(new Error('SqlState(E55P03)'))).toBe(true);
    expect(isWriteConflict(new Error('SqlState(E40001)'))).toBe(true);
  });

  it('leaves other errors alone: a duplicate key, a constraint, anything else', () => {
    expect(isWriteConflict({ code: 11000 })).toBe(false);
    expect(isWriteConflict(new Error('SqlState(E23505)'))).toBe(false);
    expect(isWriteConflict(null)).toBe(false);
  });
});
