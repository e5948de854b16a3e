import type { Db } from './open-database';
import { StoreError } from './open-database';

/** Each entry moves the schema one version forward; never edit a released one, append. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE deliveries (
    -- AUTOINCREMENT: an id is never reused after a delete, so a duplicate link can never come to
    -- point at an unrelated delivery, and a UI that has seen an id never sees it mean another.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    headers TEXT NOT NULL,
    body BLOB,
    body_size INTEGER NOT NULL,
    content_type TEXT,
    remote_address TEXT,
    event_id TEXT,
    event_type TEXT,
    signature_status TEXT NOT NULL,
    signature_secret_label TEXT,
    signature_secret_fingerprint TEXT,
    signature_diagnosis TEXT,
    signature_received TEXT,
    -- Not a foreign key: the link outlives a deleted original (it is permanent by design).
    duplicate_of INTEGER,
    delivery_number INTEGER NOT NULL DEFAULT 1,
    response_status INTEGER NOT NULL,
    rejection TEXT,
    parse_error TEXT
  );
  CREATE INDEX deliveries_event_id ON deliveries(event_id, id) WHERE event_id IS NOT NULL;
  -- Counts by verdict read this index alone. The feed walks rowids newest first, so indexes on
  -- type or time would only slow every insert.
  CREATE INDEX deliveries_signature ON deliveries(signature_status, id);
  CREATE INDEX deliveries_duplicates ON deliveries(duplicate_of) WHERE duplicate_of IS NOT NULL;
  -- The first delivery of each event id and how many came: duplicate links and ordinals
  -- never change or repeat, even when deliveries are deleted.
  CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    first_delivery_id INTEGER NOT NULL,
    deliveries INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE VIRTUAL TABLE deliveries_fts USING fts5(payload, content='', contentless_delete=1);

  CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    delivery_id INTEGER REFERENCES deliveries(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    method TEXT NOT NULL,
    request_headers TEXT NOT NULL,
    request_body BLOB,
    started_at INTEGER NOT NULL,
    duration_ms INTEGER,
    status INTEGER,
    response_headers TEXT,
    response_body BLOB,
    error TEXT
  );
  CREATE INDEX attempts_delivery ON attempts(delivery_id, id);

  CREATE TABLE secrets (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    sealed BLOB NOT NULL,
    scheme TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER
  );

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: an unverified delivery never becomes the original of an event (a forged request sent first
  // must not make the genuine one look like a retry), and an answer that never reached the client
  // is recorded as such.
  `
  ALTER TABLE deliveries ADD COLUMN unverified_claim INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE deliveries ADD COLUMN answer_lost TEXT;
  -- Whether first_delivery_id was verified (or no secret was set); rows before this version were.
  ALTER TABLE events ADD COLUMN original_trusted INTEGER NOT NULL DEFAULT 1;
  `,
  // 3: outgoing requests (replay, forward, send) judged by ReviewSense's rule, and the forward
  // queue that holds deliveries while the app does not accept connections.
  `
  ALTER TABLE attempts ADD COLUMN response_truncated INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE attempts ADD COLUMN delivered INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE attempts ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
  ALTER TABLE attempts ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE forward_queue (
    delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    queued_at INTEGER NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  );
  `,
  // 4: ReviewSense's retry schedule, simulated against your app; kept on disk so a running
  // simulation survives a restart of Hooklens.
  `
  CREATE TABLE simulations (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    delivery_id INTEGER,
    event_type TEXT,
    target TEXT NOT NULL,
    request_headers TEXT NOT NULL,
    request_body BLOB NOT NULL,
    -- Delays are divided by it; 0 means no waiting at all.
    speed REAL NOT NULL,
    faults TEXT,
    state TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER
  );
  ALTER TABLE attempts ADD COLUMN simulation_id INTEGER;
  CREATE INDEX attempts_simulation ON attempts(simulation_id, id) WHERE simulation_id IS NOT NULL;
  `,
  // 5: deliveries brought in from another Hooklens's export, told apart from received ones.
  `
  ALTER TABLE deliveries ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
  `,
  // 6: a million deliveries. Counts are kept by triggers (a GROUP BY over every row took
  // ~100 ms), so they stay right whoever deletes (clear, delete, retention); the type filter
  // reads an index instead of walking every row when few match; search indexing leaves the commit.
  `
  CREATE TABLE delivery_counts (
    -- 'signature:<status>' or 'duplicates'
    key TEXT PRIMARY KEY,
    n INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO delivery_counts (key, n) SELECT 'signature:' || signature_status, count(*) FROM deliveries GROUP BY signature_status;
  INSERT INTO delivery_counts (key, n) SELECT 'duplicates', count(*) FROM deliveries WHERE duplicate_of IS NOT NULL;
  CREATE TRIGGER delivery_counts_insert AFTER INSERT ON deliveries BEGIN
    INSERT INTO delivery_counts (key, n) VALUES ('signature:' || NEW.signature_status, 1)
      ON CONFLICT (key) DO UPDATE SET n = n + 1;
    INSERT INTO delivery_counts (key, n) SELECT 'duplicates', 1 WHERE NEW.duplicate_of IS NOT NULL
      ON CONFLICT (key) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER delivery_counts_delete AFTER DELETE ON deliveries BEGIN
    UPDATE delivery_counts SET n = n - 1 WHERE key = 'signature:' || OLD.signature_status;
    UPDATE delivery_counts SET n = n - 1 WHERE key = 'duplicates' AND OLD.duplicate_of IS NOT NULL;
  END;
  CREATE TRIGGER delivery_counts_signature AFTER UPDATE OF signature_status ON deliveries
    WHEN OLD.signature_status IS NOT NEW.signature_status BEGIN
    UPDATE delivery_counts SET n = n - 1 WHERE key = 'signature:' || OLD.signature_status;
    INSERT INTO delivery_counts (key, n) VALUES ('signature:' || NEW.signature_status, 1)
      ON CONFLICT (key) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER delivery_counts_duplicate AFTER UPDATE OF duplicate_of ON deliveries
    WHEN (OLD.duplicate_of IS NULL) <> (NEW.duplicate_of IS NULL) BEGIN
    INSERT INTO delivery_counts (key, n) VALUES ('duplicates', CASE WHEN NEW.duplicate_of IS NULL THEN -1 ELSE 1 END)
      ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
  END;
  CREATE INDEX deliveries_type ON deliveries(event_type, id);
  -- Full-text indexing follows the commit in batches (search-indexer.ts): every delivery up to
  -- this id is indexed; a start indexes whatever a crash left after it.
  CREATE TABLE search_index_state (indexed_through INTEGER NOT NULL);
  INSERT INTO search_index_state (indexed_through)
    SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'), 0);
  -- Deleting (retention, Delete all) would otherwise rewrite a whole index segment inside one
  -- delete batch now and then: seconds with a million rows. Compact merges the index instead.
  INSERT INTO deliveries_fts (deliveries_fts, rank) VALUES ('deletemerge', 0);
  `,
  // 7: a header is bytes. `headers` stays text to read (UTF-8 decoded where it is UTF-8);
  // `raw_headers` keeps the exact bytes (one character per byte) of a delivery whose header values
  // are not all ASCII, so every resend, export and fixture sends what arrived. `forward_note` says
  // why a delivery was not forwarded (refused as too large). A simulation's tries belong to the
  // simulation (which keeps its own copy of the request), so deleting the delivery it started
  // from no longer takes its timeline away.
  `
  ALTER TABLE deliveries ADD COLUMN raw_headers TEXT;
  ALTER TABLE deliveries ADD COLUMN forward_note TEXT;
  UPDATE attempts SET delivery_id = NULL WHERE simulation_id IS NOT NULL;
  `,
  // 8: a request is judged against what it should get — a genuine one accepted, a broken
  // signature refused with a 4xx — and says how it was signed (the variant, which secret, edited
  // or not). A delivery records the receiver it arrived at, so an export names the right URL.
  `
  ALTER TABLE attempts ADD COLUMN expect TEXT;
  ALTER TABLE attempts ADD COLUMN ok INTEGER;
  ALTER TABLE attempts ADD COLUMN signature TEXT;
  ALTER TABLE attempts ADD COLUMN signed_with_label TEXT;
  ALTER TABLE attempts ADD COLUMN signed_with_fingerprint TEXT;
  ALTER TABLE attempts ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE deliveries ADD COLUMN receiver_origin TEXT;
  `,
  // 9: the team relay. On a relay: its subscribers' tokens, only as SHA-256 hashes (a token is 256
  // random bits, so a fast hash is enough), and a name used again only once the old token is
  // revoked. On a subscriber: how far each relay's stream is committed here, advanced in the same
  // transaction as the delivery it brought, so a restart resumes right after it (exactly once).
  `
  CREATE TABLE relay_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER
  );
  CREATE UNIQUE INDEX relay_tokens_active_name ON relay_tokens(name) WHERE revoked_at IS NULL;
  CREATE TABLE relay_cursors (
    stream_url TEXT PRIMARY KEY,
    -- Which relay the ids belong to: a relay whose database was replaced starts over.
    relay_id TEXT NOT NULL,
    last_id INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 10: a search's last word is a prefix (typed so far), and FTS5 expanded a short one to every
  // token it starts: "the" took ~280 ms at a million rows, "evt 01" longer. Prefix indexes for 2
  // and 3 characters answer those from one list (0.4 ms). The index is contentless, so it is
  // rebuilt from the stored bodies by the search indexer, in the background from the oldest row.
  `
  DROP TABLE deliveries_fts;
  CREATE VIRTUAL TABLE deliveries_fts USING fts5(payload, content='', contentless_delete=1, prefix='2 3');
  INSERT INTO deliveries_fts (deliveries_fts, rank) VALUES ('deletemerge', 0);
  UPDATE search_index_state SET indexed_through = 0;
  `,
  // 11: the duplicates newest first. A search among them ("the" + duplicates only) walks them
  // beside the full-text hits, both newest first, stopping at a page; `deliveries_duplicates` is
  // ordered by original, so every duplicate was read first (20,000 at a million, ~15 ms).
  `
  CREATE INDEX deliveries_duplicates_newest ON deliveries(id) WHERE duplicate_of IS NOT NULL;
  `,
  // 12: FTS5 merges a level's index segments once it holds 16 of them, not 4 (its default; it
  // allows up to 64). Merging was most of indexing's cost on a large database: at 300,000 stored
  // and 100 connections, serve's CPU per delivery fell from ~160 to ~125 µs. A search reads more
  // segments (16 a level, more while a merge goes on: see 13), each one probe of its b-tree;
  // Compact merges them all into one. (A comment only: the migration below is as released.)
  `
  INSERT INTO deliveries_fts (deliveries_fts, rank) VALUES ('automerge', 16);
  `,
  // 13: schema 12 left FTS5's crisis merge at its default, 16 segments a level. From 16 on it, not
  // the merge done a little per indexing step, merged a whole level in one step: 2.3 s at ~400,000
  // rows, on the receiver's thread. At 64 the merges stay a step's share (the longest step 185 ms in
  // the same run), at the same CPU; a level may hold more than 16 segments while its merge goes on.
  `
  INSERT INTO deliveries_fts (deliveries_fts, rank) VALUES ('crisismerge', 64);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      `This database uses schema version ${current}, newer than this Hooklens understands (${SCHEMA_VERSION}). Update Hooklens or choose another --data-dir.`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
