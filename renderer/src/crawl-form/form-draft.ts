import { z } from 'zod';
import { storedJobSettingsSchema } from '../../../shared/job-settings';
import type { FormSource } from '../store/ui-slice';
import { crawlFormSchema, lineCount, type CrawlForm } from './form-model';

/**
 * The New crawl form as typed, kept in sessionStorage: each tab (or desktop
 * window) has its own, which a reload and back/forward keep and closing the
 * tab forgets.
 */
const DRAFT_KEY = 'trawl.crawlFormDraft';
/** The start URLs apart: a long list is written when it changes, not at each keystroke elsewhere. */
const URLS_KEY = 'trawl.crawlFormDraft.startUrls';

/** The job the form was filled from, without its start URLs (the form holds them). */
export type DraftSource = Pick<FormSource, 'jobId' | 'name' | 'settings'>;

export interface Draft {
  form: CrawlForm;
  /** The job name field. */
  name: string;
  /** Whether Start crawl was pressed: problems show under their fields. */
  touched: boolean;
  source: DraftSource | null;
  /** False: the user chose a new job's defaults for the settings the form does not show. */
  keepHidden: boolean;
  /** The start URLs are the source job's as filled: a list too long to keep is read from the job again. */
  urlsFromSource: boolean;
}

export interface RestoredDraft extends Draft {
  /** How many start URLs were too many to keep (the form has none then); 0: none left out. */
  urlsLeftOut: number;
}

/**
 * `urls-left-out`: the start URLs did not fit in the tab's storage (about
 * 5 MB), everything else did; `not-saved`: nothing did.
 */
export type DraftOutcome = 'saved' | 'urls-left-out' | 'not-saved';

const storedDraftSchema = z.object({
  version: z.literal(1),
  form: crawlFormSchema.omit({ startUrls: true }),
  name: z.string(),
  touched: z.boolean(),
  source: z
    .object({
      jobId: z.number().int().positive(),
      name: z.string(),
      settings: storedJobSettingsSchema,
    })
    .nullable(),
  keepHidden: z.boolean(),
  /** Kept: under URLS_KEY; else how many were left out, and whether they were the source job's. */
  startUrls: z.union([
    z.literal('kept'),
    z.object({ leftOut: z.number().int().positive(), fromSource: z.boolean() }),
  ]),
});

/** The draft this tab kept, or null: none, or one that cannot be read (an older Trawl's, damaged), which is dropped. */
export function loadDraft(storage: Storage = sessionStorage): RestoredDraft | null {
  try {
    const text = storage.getItem(DRAFT_KEY);
    if (text === null) return null;
    const { form, startUrls, ...draft } = storedDraftSchema.parse(JSON.parse(text));
    const kept = startUrls === 'kept';
    const urls = kept ? storage.getItem(URLS_KEY) : '';
    if (urls === null) throw new Error('the start URLs are missing');
    return {
      ...draft,
      form: { ...form, startUrls: urls },
      urlsLeftOut: kept ? 0 : startUrls.leftOut,
      urlsFromSource: !kept && startUrls.fromSource && draft.source !== null,
    };
  } catch {
    discardDraft(storage);
    return null;
  }
}

function discardDraft(storage: Storage = sessionStorage) {
  storage.removeItem(DRAFT_KEY);
  storage.removeItem(URLS_KEY);
}

/** Writes the form's draft at each change; remembers the start URLs it wrote. */
export class DraftWriter {
  /** The start URLs last written (or found too long), and how many were left out then. */
  private urls: string | null = null;
  private urlsLeftOut = 0;

  constructor(private readonly storage: Storage = sessionStorage) {}

  save({ form: { startUrls, ...form }, urlsFromSource, source, ...others }: Draft): DraftOutcome {
    if (startUrls !== this.urls) {
      this.urls = startUrls;
      this.urlsLeftOut = this.set(URLS_KEY, startUrls) ? 0 : this.leaveOutUrls(startUrls);
    }
    const record = (): string =>
      JSON.stringify({
        version: 1,
        ...others,
        form,
        source: source && { jobId: source.jobId, name: source.name, settings: source.settings },
        startUrls:
          this.urlsLeftOut === 0
            ? 'kept'
            : { leftOut: this.urlsLeftOut, fromSource: urlsFromSource },
      });
    if (this.set(DRAFT_KEY, record())) return this.urlsLeftOut === 0 ? 'saved' : 'urls-left-out';
    // Keep what fits: the other fields without the list.
    if (this.urlsLeftOut === 0 && startUrls !== '') {
      this.urlsLeftOut = this.leaveOutUrls(startUrls);
      if (this.set(DRAFT_KEY, record())) return 'urls-left-out';
    }
    this.discard();
    return 'not-saved';
  }

  /** Forgets the draft (the crawl started, the form was cleared). */
  discard() {
    this.urls = null;
    this.urlsLeftOut = 0;
    discardDraft(this.storage);
  }

  private leaveOutUrls(startUrls: string): number {
    this.storage.removeItem(URLS_KEY);
    return Math.max(lineCount(startUrls), 1);
  }

  /** False when the storage refuses the item (its quota is full, or it is disabled). */
  private set(key: string, value: string): boolean {
    try {
      this.storage.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }
}
