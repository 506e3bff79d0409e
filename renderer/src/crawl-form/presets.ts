import { z } from 'zod';
import { crawlFormSchema, type CrawlForm } from './form-model';

const STORAGE_KEY = 'trawl.crawlPresets';
const presetsSchema = z.record(z.string(), crawlFormSchema);

/** Saved New crawl forms by name, kept in localStorage. Unreadable data counts as none. */
export function loadPresets(storage: Storage = localStorage): Record<string, CrawlForm> {
  try {
    const parsed = presetsSchema.safeParse(JSON.parse(storage.getItem(STORAGE_KEY) ?? '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function savePreset(name: string, form: CrawlForm, storage: Storage = localStorage) {
  storage.setItem(STORAGE_KEY, JSON.stringify({ ...loadPresets(storage), [name]: form }));
}

export function deletePreset(name: string, storage: Storage = localStorage) {
  const presets = loadPresets(storage);
  delete presets[name];
  storage.setItem(STORAGE_KEY, JSON.stringify(presets));
}
