import { describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { isWriteConflict, mongoAwayReason } from './errors.js';

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

describe('mongoAwayReason', () => {
  const { MongoNetworkError, MongoServerSelectionError } = mongoose.mongo;

  it('a connection lost with the request on its way: away, and the write may have been applied', () => {
    expect(mongoAwayReason(new MongoNetworkError('connection 7 to 127.0.0.1:10260 closed'))).toEqual({
      reason: 'not_answering',
      maybeWritten: true,
    });
  });

  it('no server to send it to, or a connection that never opened: away, and nothing was written', () => {
    expect(
      mongoAwayReason(new MongoServerSelectionError('Server selection timed out after 3000 ms', {} as never)),
    ).toBe('not_answering');
    const refused = new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:10260', { beforeHandshake: true });
    expect(mongoAwayReason(refused)).toBe('not_answering');
  });

  it('a bulk write (insertMany) that found no server: away, from the selection error it keeps', () => {
    const selection = new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:10260', {} as never);
    const bulk = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:10260'), {
      name: 'MongoBulkWriteError',
      errorResponse: selection,
    });
    expect(mongoAwayReason(bulk)).toBe('not_answering');
  });

  it('any other error: not the store being away', () => {
    expect(mongoAwayReason({ code: 11000 })).toBeUndefined();
    expect(mongoAwayReason(new Error('boom'))).toBeUndefined();
  });
});
