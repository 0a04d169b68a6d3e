/**
 * Schema migrations, applied in order and recorded in `schema_migrations`. They live in a .ts file
 * rather than .sql files because the build (tsc) copies nothing but compiled TypeScript to dist.
 * Never edit a released migration: add the next one.
 */
export interface Migration {
  id: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    id: '001_init',
    sql: `
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (hash);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  handle TEXT NOT NULL,
  remote_id TEXT NOT NULL,
  credentials TEXT NOT NULL,
  health TEXT NOT NULL,
  health_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX accounts_workspace ON accounts (workspace_id, created_at);

CREATE TABLE posts (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  author TEXT NOT NULL,
  origin TEXT NOT NULL,
  content TEXT NOT NULL,
  overrides TEXT NOT NULL,
  scheduled_at INTEGER NOT NULL,
  timezone TEXT NOT NULL,
  idempotency_key TEXT,
  request_hash TEXT,
  callback_url TEXT,
  correlation_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX posts_idempotency ON posts (workspace_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX posts_workspace_created ON posts (workspace_id, created_at DESC, id DESC);

CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  state TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  last_error TEXT,
  result TEXT,
  published_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX deliveries_post ON deliveries (post_id);
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE state = 'scheduled';
CREATE INDEX deliveries_state_due ON deliveries (state, due_at);
CREATE INDEX deliveries_lease ON deliveries (state, lease_expires_at);
`,
  },
  {
    // Threads (the parts fixed at acceptance, those published so far) and adapter checkpoints.
    id: '002_delivery_progress',
    sql: `
ALTER TABLE deliveries ADD COLUMN parts TEXT;
ALTER TABLE deliveries ADD COLUMN chain TEXT;
ALTER TABLE deliveries ADD COLUMN checkpoint TEXT;
`,
  },
  {
    // Workspace settings (require alt text; later the bots' permissions), one JSON object.
    id: '003_workspace_settings',
    sql: `
ALTER TABLE workspaces ADD COLUMN settings TEXT;
`,
  },
  {
    // Incoming webhooks, and the outbox of callbacks to send.
    id: '004_hooks_callbacks',
    sql: `
CREATE TABLE hooks (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX hooks_workspace ON hooks (workspace_id, created_at);

CREATE TABLE callbacks (
  id TEXT PRIMARY KEY,
  post_id TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  url TEXT NOT NULL,
  body TEXT NOT NULL,
  signer TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  lease_until INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX callbacks_post ON callbacks (post_id, created_at);
CREATE INDEX callbacks_state_due ON callbacks (state, due_at);
CREATE INDEX callbacks_lease ON callbacks (state, lease_until);
`,
  },
  {
    // Scoped, revocable API tokens (scopes NULL: a token from before scopes, which has them all),
    // and the audit log (one JSON document per entry; listed by workspace, newest first).
    id: '005_tokens_audit',
    sql: `
ALTER TABLE api_tokens ADD COLUMN scopes TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
CREATE INDEX api_tokens_workspace ON api_tokens (workspace_id, created_at);

CREATE TABLE audit (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX audit_workspace_at ON audit (workspace_id, at DESC, id DESC);
`,
  },
  {
    // Connect flows in progress, and OAuth clients registered with servers (Mastodon instances).
    id: '006_connect',
    sql: `
CREATE TABLE connect_states (
  id TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX connect_states_expiry ON connect_states (expires_at);

CREATE TABLE oauth_apps (
  key TEXT PRIMARY KEY,
  data TEXT NOT NULL
);
`,
  },
  {
    // Deliveries by account: those waiting for their account to be reconnected.
    id: '007_deliveries_account',
    sql: `
CREATE INDEX deliveries_account ON deliveries (account_id, state);
`,
  },
  {
    // A post's history (one JSON document per attempt), and each account's pacing ledger.
    id: '008_history_pacing',
    sql: `
CREATE TABLE attempts (
  id TEXT PRIMARY KEY,
  post_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX attempts_post ON attempts (post_id, started_at);

CREATE TABLE pacing (
  account_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  spent TEXT NOT NULL
);
`,
  },
  {
    // A workspace's posts by the time they go out: the web calendar's week and month.
    id: '009_posts_scheduled',
    sql: `
CREATE INDEX posts_workspace_scheduled ON posts (workspace_id, scheduled_at, id);
`,
  },
  {
    // The web page: one-time sign-in links and sessions, each by the SHA-256 of its secret.
    id: '010_web_sessions',
    sql: `
CREATE TABLE web_logins (
  hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  data TEXT NOT NULL
);
CREATE INDEX web_logins_expiry ON web_logins (expires_at);

CREATE TABLE web_sessions (
  hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
`,
  },
  {
    // The chat outbox: replies, summary edits and alerts for Slack and Discord, in order per thread.
    id: '011_chat_outbox',
    sql: `
CREATE TABLE chat_outbox (
  id TEXT PRIMARY KEY,
  chat TEXT NOT NULL,
  thread TEXT NOT NULL,
  seq INTEGER NOT NULL,
  workspace_id TEXT NOT NULL,
  post_id TEXT,
  request TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  lease_until INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX chat_outbox_thread ON chat_outbox (thread, seq);
CREATE INDEX chat_outbox_state_due ON chat_outbox (state, due_at);
`,
  },
  {
    // deliveries_state_due (state, due_at) serves every query of scheduled deliveries by due time;
    // the partial index beside it only cost a write per delivery made (a profile of ingest).
    id: '012_drop_deliveries_due',
    sql: `
DROP INDEX IF EXISTS deliveries_due;
`,
  },
  {
    // Cheaper writes (a profile of bench/ingest: the inserts of a post were half its server time).
    // - Newest-first lists scan an ascending index backwards; a DESC index put every new row at its
    //   left edge, where a B-tree splits pages in half rather than appending.
    // - Only deliveries being published hold a lease, and they are few (those in flight): the
    //   expired ones are found by state (deliveries_state_due), so the lease index goes.
    // - Deliveries by account served three rare operator actions (reconnect, remove) but cost a
    //   write in the middle of the index per delivery and per state change; those actions now read
    //   the deliveries still moving, by state (deliveries_state_due), and pick their account's.
    id: '013_cheaper_writes',
    sql: `
DROP INDEX posts_workspace_created;
CREATE INDEX posts_workspace_created ON posts (workspace_id, created_at, id);
DROP INDEX audit_workspace_at;
CREATE INDEX audit_workspace_at ON audit (workspace_id, at, id);
DROP INDEX deliveries_lease;
DROP INDEX deliveries_account;
`,
  },
];
