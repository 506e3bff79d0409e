/**
 * Numbered schema migrations. A database records the last one applied in
 * `PRAGMA user_version`; opening it applies the rest in order, so a file
 * written by an older Trawl opens in a newer one. Never edit a released
 * migration: add the next one.
 */
export const migrations: readonly string[] = [
  // 1: jobs, the persistent frontier and fetched pages.
  `
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    pages INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    blocked INTEGER NOT NULL DEFAULT 0,
    -- pid of the process crawling it while status is 'running'
    runner_pid INTEGER
  );

  -- state: 0 queued, 1 leased (in main's window or in flight), 2 done, 3 failed,
  -- 4 blocked by robots.txt
  CREATE TABLE frontier (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    depth INTEGER NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    worker_deaths INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    found_on INTEGER,
    UNIQUE (job_id, url)
  );
  CREATE INDEX frontier_queue ON frontier (job_id, state, depth, id);

  CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    frontier_id INTEGER NOT NULL UNIQUE REFERENCES frontier(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    depth INTEGER NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT,
    bytes INTEGER NOT NULL,
    response_ms REAL NOT NULL,
    title TEXT,
    link_count INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    -- JSON array: why each earlier attempt was retried
    retry_reasons TEXT,
    worker_pid INTEGER NOT NULL,
    fetched_at INTEGER NOT NULL
  );
  CREATE INDEX pages_job ON pages (job_id, id);

  -- Custom extraction values: one row per value (several for an "all matches" rule).
  CREATE TABLE extractions (
    page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (page_id, name, position)
  ) WITHOUT ROWID;
  CREATE INDEX extractions_value ON extractions (name, value);
  `,
];
