import type { ExtractionRule } from '../../../shared/extraction';
import type { Db } from './database';

/** What one custom extraction rule found over a whole job. */
export interface ExtractionCount {
  rule: string;
  /** Values stored (an "all matches" rule gives several a page). */
  values: number;
  /** Pages that gave at least one value. */
  pages: number;
}

/**
 * Each of the job's rules, in their order, with what it found: a rule that
 * found nothing (a selector with a typo, markup that changed) gives no value
 * on any page, so only a count says so.
 */
export function extractionCounts(
  db: Db,
  jobId: number,
  rules: readonly ExtractionRule[],
): ExtractionCount[] {
  if (rules.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT e.name, count(*) AS "values", count(DISTINCT e.page_id) AS pages
       FROM pages p JOIN extractions e ON e.page_id = p.id
       WHERE p.job_id = ? GROUP BY e.name`,
    )
    .all(jobId) as { name: string; values: number; pages: number }[];
  const found = new Map(rows.map((row) => [row.name, row]));
  return rules.map(({ name }) => ({
    rule: name,
    values: found.get(name)?.values ?? 0,
    pages: found.get(name)?.pages ?? 0,
  }));
}
