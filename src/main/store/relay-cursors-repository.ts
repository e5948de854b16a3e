import type { Db } from './open-database';

/** How far a relay's stream is committed here: the relay that owns the ids, and the last one. */
export interface RelayCursor {
  relayId: string;
  lastId: number;
}

/** Where a relayed delivery sits in its stream; committed with the delivery (see store.ts). */
export interface RelayedPosition {
  streamUrl: string;
  relayId: string;
  /** The cursor this delivery follows: the stream's previous delivery, or where it was resumed. */
  after: number;
  /** The relay's id of this delivery. */
  id: number;
}

/**
 * A relayed delivery would not follow what is committed (one before it was refused by storage): it
 * is not committed, so the subscriber resumes from what is.
 */
export class RelayCursorMoved extends Error {
  override name = 'RelayCursorMoved';
}

/** The subscriber's place in each relay's stream (schema 9), keyed by the stream URL. */
export function createRelayCursorsRepository(db: Db) {
  const statements = {
    get: db.prepare<[string], { relay_id: string; last_id: number }>('SELECT relay_id, last_id FROM relay_cursors WHERE stream_url = ?'),
    set: db.prepare<[string, string, number, number]>(
      `INSERT INTO relay_cursors (stream_url, relay_id, last_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_url) DO UPDATE SET relay_id = excluded.relay_id, last_id = excluded.last_id, updated_at = excluded.updated_at`,
    ),
    // Only from where this delivery expects it: a gap left by a refused one is never jumped.
    advance: db.prepare<[number, number, string, string, number]>(
      'UPDATE relay_cursors SET last_id = ?, updated_at = ? WHERE stream_url = ? AND relay_id = ? AND last_id = ?',
    ),
  };

  return {
    get(streamUrl: string): RelayCursor | null {
      const row = statements.get.get(streamUrl);
      return row ? { relayId: row.relay_id, lastId: row.last_id } : null;
    },
    /** A fresh start in this stream (first subscription, or the relay was replaced). */
    set(streamUrl: string, cursor: RelayCursor, at: number): void {
      statements.set.run(streamUrl, cursor.relayId, cursor.lastId, at);
    },
    /** Moves the cursor to `position.id`, inside the delivery's transaction; throws if it is not where expected. */
    advance(position: RelayedPosition, at: number): void {
      const { changes } = statements.advance.run(position.id, at, position.streamUrl, position.relayId, position.after);
      if (changes === 0) throw new RelayCursorMoved(`relayed delivery #${position.id} does not follow what is committed here (#${position.after} expected); resuming from the committed one`);
    },
  };
}

export type RelayCursorsRepository = ReturnType<typeof createRelayCursorsRepository>;
