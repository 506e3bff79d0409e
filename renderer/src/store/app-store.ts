import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { CrawlerApi } from '../../../shared/crawler-api';
import { createJobsSlice, type JobsSlice } from './jobs-slice';
import { createProgressSlice, type ProgressSlice } from './progress-slice';
import { createResultsSlice, type ResultsSlice } from './results-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

/** The whole UI state: one store, built from typed slices that may read each other. */
export type AppState = JobsSlice & ProgressSlice & ResultsSlice & UiSlice;
export type AppStore = StoreApi<AppState>;
export type SliceCreator<T> = (api: CrawlerApi) => StateCreator<AppState, [], [], T>;

export function createAppStore(api: CrawlerApi): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createJobsSlice(api)(...args),
    ...createProgressSlice(api)(...args),
    ...createResultsSlice(api)(...args),
    ...createUiSlice(api)(...args),
  }));
}

/** Feeds the host's progress stream into the store; returns the unsubscribe. */
export function connectProgress(store: AppStore, api: CrawlerApi): () => void {
  return api.onProgress((snapshot) => store.getState().applyProgress(snapshot));
}
