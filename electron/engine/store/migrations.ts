import type Database from 'better-sqlite3';
import { parseCrawlableUrl } from '../../../shared/url-normalize';

/**
 * SQL functions the migrations call, added to a connection before it runs
 * them. canonical_url: a stored URL in this build's canonical form (a value
 * that is no crawlable URL as it was).
 */
export function addMigrationFunctions(db: Database.Database): void {
  db.function('canonical_url', { deterministic: true }, (url: unknown) =>
    typeof url === 'string' ? (parseCrawlableUrl(url)?.href ?? url) : url,
  );
}

/**
 * Runs the migrations after version `from` up to `to`, as statements of the
 * caller's transaction. Unsafe mode lets a migration edit the schema's text
 * (`PRAGMA writable_schema`, which better-sqlite3 refuses otherwise).
 */
export function runMigrations(db: Database.Database, from: number, to = migrations.length): void {
  db.unsafeMode(true);
  try {
    for (const migration of migrations.slice(from, to)) db.exec(migration);
  } finally {
    db.unsafeMode(false);
  }
}

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

  // 2: what the crawling issue extracts per page, links, redirect hops, sitemap
  // and external-link bookkeeping, and full-text search.
  `
  ALTER TABLE pages ADD COLUMN charset TEXT;
  ALTER TABLE pages ADD COLUMN wire_bytes INTEGER;
  ALTER TABLE pages ADD COLUMN ttfb_ms REAL;
  -- JSON object: the final response's headers
  ALTER TABLE pages ADD COLUMN headers TEXT;
  ALTER TABLE pages ADD COLUMN redirect_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE pages ADD COLUMN meta_description TEXT;
  ALTER TABLE pages ADD COLUMN meta_robots TEXT;
  ALTER TABLE pages ADD COLUMN x_robots_tag TEXT;
  ALTER TABLE pages ADD COLUMN canonical TEXT;
  ALTER TABLE pages ADD COLUMN h1 TEXT;
  ALTER TABLE pages ADD COLUMN h1_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE pages ADD COLUMN h2_count INTEGER NOT NULL DEFAULT 0;
  -- JSON array of {lang, url}
  ALTER TABLE pages ADD COLUMN hreflang TEXT;
  ALTER TABLE pages ADD COLUMN lang TEXT;
  ALTER TABLE pages ADD COLUMN word_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE pages ADD COLUMN content_hash TEXT;
  ALTER TABLE pages ADD COLUMN images_without_alt INTEGER NOT NULL DEFAULT 0;
  -- 1 unless the page is 200 HTML without noindex and without a canonical pointing elsewhere
  ALTER TABLE pages ADD COLUMN indexable INTEGER NOT NULL DEFAULT 0;
  -- why not indexable: 'status 404', 'noindex', 'canonicalised', 'not html'...
  ALTER TABLE pages ADD COLUMN indexability TEXT;

  -- attempts made on a URL that failed, and whether a sitemap listed it
  ALTER TABLE frontier ADD COLUMN attempts INTEGER;
  ALTER TABLE frontier ADD COLUMN in_sitemap INTEGER NOT NULL DEFAULT 0;

  -- every link on every page; to_url is normalized
  CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    from_page INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    to_url TEXT NOT NULL,
    anchor TEXT NOT NULL,
    rel TEXT,
    internal INTEGER NOT NULL
  );
  CREATE INDEX links_from ON links (from_page);
  CREATE INDEX links_to ON links (job_id, to_url);

  -- redirect responses before a page's final URL (or before a failure), in order
  CREATE TABLE redirects (
    frontier_id INTEGER NOT NULL REFERENCES frontier(id) ON DELETE CASCADE,
    hop INTEGER NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    location TEXT NOT NULL,
    PRIMARY KEY (frontier_id, hop)
  ) WITHOUT ROWID;

  -- external links checked with one request each (checkExternal)
  CREATE TABLE external_urls (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- null until checked
    status INTEGER,
    error TEXT,
    checked_at INTEGER,
    PRIMARY KEY (job_id, url)
  ) WITHOUT ROWID;

  CREATE INDEX pages_job_status ON pages (job_id, status);
  CREATE INDEX pages_job_depth ON pages (job_id, depth);
  CREATE INDEX pages_job_title ON pages (job_id, title);
  CREATE INDEX pages_job_description ON pages (job_id, meta_description);
  CREATE INDEX pages_job_hash ON pages (job_id, content_hash);

  CREATE VIRTUAL TABLE pages_fts USING fts5(
    url, title, meta_description, h1,
    content = 'pages', content_rowid = 'id', tokenize = 'unicode61'
  );
  CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages BEGIN
    INSERT INTO pages_fts (rowid, url, title, meta_description, h1)
    VALUES (new.id, new.final_url, new.title, new.meta_description, new.h1);
  END;
  CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, url, title, meta_description, h1)
    VALUES ('delete', old.id, old.final_url, old.title, old.meta_description, old.h1);
  END;
  INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');
  `,

  // 3 (results issue): indexes for the URL table's most used sorts, so one
  // screen of a 200,000-page job stays a short index walk (bench/results-bench.ts).
  `
  CREATE INDEX pages_job_url ON pages (job_id, url);
  CREATE INDEX pages_job_response ON pages (job_id, response_ms);
  CREATE INDEX pages_job_bytes ON pages (job_id, bytes);
  CREATE INDEX pages_job_words ON pages (job_id, word_count);
  -- external link targets only (a small part of all links): the external-links report
  CREATE INDEX links_external ON links (job_id, to_url) WHERE internal = 0;
  `,

  // 4 (engine issue): link targets interned. A job's ~50 links a page point at
  // a few thousand distinct URLs; indexing each link by its URL's text made
  // every insert dirty a random page of a large text index, the biggest cost
  // of storing a page. Now each distinct target is one link_targets row and a
  // link holds its integer id. The view \`links\` keeps the old shape for
  // readers (reports, the sqlite3 shell, users' own SQL).
  `
  CREATE TABLE link_targets (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- inside the job's scope boundary: a property of the URL, the same for every link to it
    internal INTEGER NOT NULL,
    UNIQUE (job_id, url)
  );
  CREATE INDEX link_targets_external ON link_targets (job_id, url) WHERE internal = 0;
  INSERT INTO link_targets (job_id, url, internal)
    SELECT job_id, to_url, max(internal) FROM links GROUP BY job_id, to_url;

  CREATE TABLE page_links (
    id INTEGER PRIMARY KEY,
    from_page INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    target INTEGER NOT NULL REFERENCES link_targets(id) ON DELETE CASCADE,
    anchor TEXT NOT NULL,
    rel TEXT
  );
  INSERT INTO page_links (id, from_page, target, anchor, rel)
    SELECT l.id, l.from_page, t.id, l.anchor, l.rel
    FROM links l JOIN link_targets t ON t.job_id = l.job_id AND t.url = l.to_url;
  DROP TABLE links;
  CREATE INDEX page_links_from ON page_links (from_page);
  CREATE INDEX page_links_target ON page_links (target);

  CREATE VIEW links (id, job_id, from_page, to_url, anchor, rel, internal) AS
    SELECT l.id, t.job_id, l.from_page, t.url, l.anchor, l.rel, t.internal
    FROM page_links l JOIN link_targets t ON t.id = l.target;
  `,

  // 5 (results issue): an index for every other sortable column of the URL
  // table, so a screen in any sort is an index walk, not a sort of the job.
  `
  CREATE INDEX pages_job_final_url ON pages (job_id, final_url);
  CREATE INDEX pages_job_content_type ON pages (job_id, content_type);
  CREATE INDEX pages_job_wire_bytes ON pages (job_id, wire_bytes);
  CREATE INDEX pages_job_ttfb_ms ON pages (job_id, ttfb_ms);
  CREATE INDEX pages_job_h1 ON pages (job_id, h1);
  CREATE INDEX pages_job_h1_count ON pages (job_id, h1_count);
  CREATE INDEX pages_job_h2_count ON pages (job_id, h2_count);
  CREATE INDEX pages_job_canonical ON pages (job_id, canonical);
  CREATE INDEX pages_job_meta_robots ON pages (job_id, meta_robots);
  CREATE INDEX pages_job_x_robots_tag ON pages (job_id, x_robots_tag);
  CREATE INDEX pages_job_lang ON pages (job_id, lang);
  CREATE INDEX pages_job_charset ON pages (job_id, charset);
  CREATE INDEX pages_job_images_without_alt ON pages (job_id, images_without_alt);
  CREATE INDEX pages_job_indexable ON pages (job_id, indexable);
  CREATE INDEX pages_job_indexability ON pages (job_id, indexability);
  CREATE INDEX pages_job_link_count ON pages (job_id, link_count);
  CREATE INDEX pages_job_redirect_count ON pages (job_id, redirect_count);
  CREATE INDEX pages_job_attempts ON pages (job_id, attempts);
  CREATE INDEX pages_job_fetched_at ON pages (job_id, fetched_at);
  `,

  // 6 (engine issue): pages enter the full-text index once per written batch
  // (PageWriter.indexText), not through a per-row trigger. FTS5 flushes its
  // pending terms into a new segment at every statement inside a
  // transaction, so the trigger wrote one segment per page and merged them
  // over and over: about 75 WAL writes a page, a third of storing a page.
  `
  DROP TRIGGER pages_fts_insert;
  `,

  // 7 (engine issue): a job's start URLs out of its settings JSON. A list
  // job kept every URL there (33 MB for a million): each read of the job
  // parsed them all again, and each batch's counter update rewrote the whole
  // row. They are one text of their own now (a row per URL cost a million
  // inserts when a list job starts), and the jobs row keeps the first and the
  // count for the lists. A row whose settings are not readable JSON is left
  // as it was; reading that job reports it.
  `
  CREATE TABLE job_start_urls (
    job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    -- one URL a line, in the order they were given
    urls TEXT NOT NULL
  );
  ALTER TABLE jobs ADD COLUMN first_start_url TEXT;
  ALTER TABLE jobs ADD COLUMN start_url_count INTEGER NOT NULL DEFAULT 0;
  INSERT INTO job_start_urls (job_id, urls)
    SELECT id, (SELECT group_concat(value, char(10) ORDER BY key)
                FROM json_each(jobs.settings, '$.startUrls'))
    FROM jobs
    WHERE json_valid(settings) AND json_type(settings, '$.startUrls') = 'array'
      AND json_array_length(settings, '$.startUrls') > 0;
  UPDATE jobs SET
    first_start_url = settings ->> '$.startUrls[0]',
    start_url_count = json_array_length(settings, '$.startUrls'),
    settings = json_remove(settings, '$.startUrls')
  WHERE id IN (SELECT job_id FROM job_start_urls);
  `,

  // 8 (engine issue): job ids are never given twice. \`jobs.id\` is a plain
  // rowid, so deleting the newest job let the next one take its id, and a
  // script, a bookmark or an open tab that named it then reached another
  // crawl. The highest id ever given is kept here (AUTOINCREMENT would need
  // the table rebuilt under every table that references it).
  `
  CREATE TABLE job_id_high_water (value INTEGER NOT NULL);
  INSERT INTO job_id_high_water SELECT coalesce(max(id), 0) FROM jobs;
  `,

  // 9 (dashboard issue): the time a job has spent crawling, over all its
  // runs, so that a resumed job's Elapsed continues where it was instead of
  // restarting at zero beside the job's total pages. Each result batch and
  // the end of a run store it. NULL: a job that ran before this column, whose
  // earlier runs' time is unknown (started_at to finished_at would count the
  // pauses between runs).
  `
  ALTER TABLE jobs ADD COLUMN crawl_ms INTEGER;
  UPDATE jobs SET crawl_ms = 0 WHERE started_at IS NULL;
  `,

  // 10: a URL that redirected is not indexable itself ('redirected'): it was
  // stored as indexable when its target was, so the non-indexable report and
  // the sitemap export listed it as a page of its own.
  `
  UPDATE pages SET indexable = 0, indexability = 'redirected' WHERE redirect_count > 0;
  `,

  // 11: where a page's meta refresh (or Refresh header) sends the visitor;
  // indexed as every column the URL table sorts by.
  `
  ALTER TABLE pages ADD COLUMN meta_refresh TEXT;
  CREATE INDEX pages_job_meta_refresh ON pages (job_id, meta_refresh);
  `,

  // 12: a URL's own answer is its status. A URL that redirected kept its
  // target's status (200) while its own (301, 302…) was only in redirects,
  // so the URL table's 3xx filter found none of the redirects the
  // status-codes report counted. The final response's status moves to
  // final_status. Search finds a URL by its own address and by where it
  // ended: pages_fts indexed only final_url, and its content table (pages)
  // said url, so 'rebuild' and FTS5's integrity check disagreed with it for
  // every redirect. Its content is now the view pages_text, the one place
  // that says what a page is searched by; the index is built anew from it.
  `
  ALTER TABLE pages ADD COLUMN final_status INTEGER;
  UPDATE pages SET final_status = status,
    status = CASE WHEN redirect_count = 0 THEN status ELSE coalesce(
      (SELECT r.status FROM redirects r WHERE r.frontier_id = pages.frontier_id AND r.hop = 0),
      status) END;
  CREATE INDEX pages_job_final_status ON pages (job_id, final_status);

  CREATE VIEW pages_text (id, url, title, meta_description, h1) AS
    SELECT id, CASE WHEN final_url = url THEN url ELSE url || ' ' || final_url END,
      title, meta_description, h1
    FROM pages;
  DROP TRIGGER pages_fts_delete;
  DROP TABLE pages_fts;
  CREATE VIRTUAL TABLE pages_fts USING fts5(
    url, title, meta_description, h1,
    content = 'pages_text', content_rowid = 'id', tokenize = 'unicode61'
  );
  INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');
  -- Before the row goes, while pages_text still shows what was indexed.
  CREATE TRIGGER pages_fts_delete BEFORE DELETE ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, url, title, meta_description, h1)
      SELECT 'delete', id, url, title, meta_description, h1 FROM pages_text WHERE id = old.id;
  END;
  `,

  // 13: percent-escapes in one form (RFC 3986 §6.2.2: /%7euser is /~user,
  // /a%2fb is /a%2Fb). A resumed job compares the links it finds with its
  // stored URLs, so they are rewritten to that form, or a URL fetched as
  // /%7Euser would be fetched again as /~user. Where spellings of one URL
  // meet in a job: a spelling not fetched yet is dropped when another is
  // (fetching it would fetch that page twice), the row kept takes the
  // canonical form, and a second fetched spelling keeps its own, with its
  // page. Link targets of one URL are merged; the redirect hops and final_url
  // stay what was requested.
  `
  CREATE TEMP TABLE escape_forms AS
    SELECT id, job_id, url, canonical_url(url) AS canonical,
      state IN (0, 1) AND NOT EXISTS (SELECT 1 FROM pages WHERE frontier_id = frontier.id) AS unfetched
    FROM frontier WHERE instr(url, '%') > 0;
  DELETE FROM escape_forms WHERE canonical = url;
  INSERT INTO escape_forms
    SELECT DISTINCT f.id, f.job_id, f.url, f.url,
      f.state IN (0, 1) AND NOT EXISTS (SELECT 1 FROM pages WHERE frontier_id = f.id)
    FROM escape_forms e JOIN frontier f ON f.job_id = e.job_id AND f.url = e.canonical;
  -- per URL: a fetched row first, then the one already in canonical form, then the oldest
  CREATE TEMP TABLE escape_keepers AS
    SELECT id, canonical FROM (
      SELECT id, canonical, row_number() OVER (
        PARTITION BY job_id, canonical ORDER BY unfetched, url = canonical DESC, id) AS rank
      FROM escape_forms)
    WHERE rank = 1;
  DELETE FROM frontier WHERE id IN (
    SELECT id FROM escape_forms WHERE unfetched AND id NOT IN (SELECT id FROM escape_keepers));
  -- the canonical row, if any, was the keeper or unfetched and is gone
  UPDATE frontier SET url = (SELECT canonical FROM escape_keepers k WHERE k.id = frontier.id)
    WHERE id IN (SELECT id FROM escape_keepers);
  -- a renamed page is searched by its new URL: out of the index under the old one first
  CREATE TEMP TABLE escape_pages AS
    SELECT id FROM pages WHERE frontier_id IN (SELECT id FROM escape_keepers)
      AND url <> (SELECT url FROM frontier WHERE id = pages.frontier_id);
  INSERT INTO pages_fts (pages_fts, rowid, url, title, meta_description, h1)
    SELECT 'delete', id, url, title, meta_description, h1 FROM pages_text
    WHERE id IN (SELECT id FROM escape_pages);
  UPDATE pages SET url = (SELECT url FROM frontier WHERE id = pages.frontier_id)
    WHERE id IN (SELECT id FROM escape_pages);
  INSERT INTO pages_fts (rowid, url, title, meta_description, h1)
    SELECT id, url, title, meta_description, h1 FROM pages_text
    WHERE id IN (SELECT id FROM escape_pages);

  CREATE TEMP TABLE target_forms AS
    SELECT id, job_id, url, canonical_url(url) AS canonical
    FROM link_targets WHERE instr(url, '%') > 0;
  DELETE FROM target_forms WHERE canonical = url;
  INSERT INTO target_forms
    SELECT DISTINCT t.id, t.job_id, t.url, t.url
    FROM target_forms e JOIN link_targets t ON t.job_id = e.job_id AND t.url = e.canonical;
  CREATE TEMP TABLE target_keepers AS
    SELECT id AS keeper, job_id, canonical FROM (
      SELECT id, job_id, canonical, row_number() OVER (
        PARTITION BY job_id, canonical ORDER BY url = canonical DESC, id) AS rank
      FROM target_forms)
    WHERE rank = 1;
  UPDATE page_links SET target = (
      SELECT k.keeper FROM target_forms e
      JOIN target_keepers k ON k.job_id = e.job_id AND k.canonical = e.canonical
      WHERE e.id = page_links.target)
    WHERE target IN (SELECT id FROM target_forms WHERE id NOT IN (SELECT keeper FROM target_keepers));
  DELETE FROM link_targets WHERE id IN (
    SELECT id FROM target_forms WHERE id NOT IN (SELECT keeper FROM target_keepers));
  UPDATE link_targets SET url = (SELECT canonical FROM target_keepers WHERE keeper = link_targets.id)
    WHERE id IN (SELECT keeper FROM target_keepers);

  -- a URL checked under both spellings keeps both results
  UPDATE OR IGNORE external_urls SET url = canonical_url(url) WHERE instr(url, '%') > 0;
  UPDATE pages SET canonical = canonical_url(canonical) WHERE instr(canonical, '%') > 0;
  UPDATE pages SET meta_refresh = canonical_url(meta_refresh) WHERE instr(meta_refresh, '%') > 0;
  UPDATE pages SET hreflang = (
      SELECT json_group_array(json_object('lang', value ->> 'lang', 'url', canonical_url(value ->> 'url')))
      FROM json_each(pages.hreflang))
    WHERE instr(hreflang, '%') > 0;

  DROP TABLE escape_forms;
  DROP TABLE escape_keepers;
  DROP TABLE escape_pages;
  DROP TABLE target_forms;
  DROP TABLE target_keepers;
  `,

  // 14: the inlinks index in bulk. page_links_target took an entry a link at
  // a random place of an index that outgrows the writer's cache in a large
  // crawl (about 30 % of the writer's time a page at 100,000 pages). Now
  // link_inlinks holds a (target, link) entry for every link up to
  // link_inlinks_upto.upto, added 65,536 links at a time in key order
  // (InlinksIndex in inlinks.ts), the watermark in the same transaction; a
  // link past it (a running job's latest) is found by scanning page_links
  // from the watermark. The view inlinks reads both. The foreign key on
  // target goes (its cascade needed an index on page_links.target): the
  // schema text is edited, as SQLite documents for dropping a constraint,
  // not the table copied (151 MB at 100,000 pages), and a target's entries
  // go with it by trigger. It runs again unharmed on a file that has it, as
  // 13 does (url-equivalence.test.ts replays both on a newer file).
  `
  CREATE TABLE IF NOT EXISTS link_inlinks (
    target INTEGER NOT NULL,
    link INTEGER NOT NULL,
    PRIMARY KEY (target, link)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO link_inlinks SELECT target, id FROM page_links ORDER BY target, id;
  CREATE TABLE IF NOT EXISTS link_inlinks_upto (upto INTEGER NOT NULL);
  DELETE FROM link_inlinks_upto;
  INSERT INTO link_inlinks_upto SELECT coalesce(max(id), 0) FROM page_links;
  DROP INDEX IF EXISTS page_links_target;
  CREATE TRIGGER IF NOT EXISTS link_targets_inlinks AFTER DELETE ON link_targets BEGIN
    DELETE FROM link_inlinks WHERE target = old.id;
  END;
  PRAGMA writable_schema = ON;
  UPDATE sqlite_schema
    SET sql = replace(sql, ' REFERENCES link_targets(id) ON DELETE CASCADE', '')
    WHERE type = 'table' AND name = 'page_links';
  -- RESET: off, and this connection reads the schema again (others do: its version changed)
  PRAGMA writable_schema = RESET;

  CREATE VIEW IF NOT EXISTS inlinks (id, job_id, from_page, to_url, anchor, rel, internal) AS
    SELECT l.id, t.job_id, l.from_page, t.url, l.anchor, l.rel, t.internal
    FROM link_targets t JOIN link_inlinks i ON i.target = t.id JOIN page_links l ON l.id = i.link
    UNION ALL
    SELECT l.id, t.job_id, l.from_page, t.url, l.anchor, l.rel, t.internal
    FROM page_links l JOIN link_targets t ON t.id = l.target
    WHERE l.id > (SELECT upto FROM link_inlinks_upto);
  `,
];
