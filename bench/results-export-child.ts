import { createWriteStream } from 'node:fs';
import { openDatabase } from '../electron/engine/store/database';
import { exportJob } from '../electron/engine/export/export-job';
import type { ExportFormat } from '../shared/results';

/** One export in its own process, so its peak RSS is its own: prints rows, seconds and peak RSS. */
const [file, jobId, format, out] = process.argv.slice(2);
const db = openDatabase(file!, { mustExist: true });
const started = performance.now();
const { rows } = await exportJob(
  db,
  { jobId: Number(jobId), format: format as ExportFormat },
  { stream: createWriteStream(out!) },
);
const seconds = (performance.now() - started) / 1000;
db.close();
process.stdout.write(
  `${JSON.stringify({ rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
