import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { CrawlerApi } from '../../../shared/crawler-api';
import type { AppState, AppStore } from './app-store';

interface AppContextValue {
  store: AppStore;
  api: CrawlerApi;
}

export const AppContext = createContext<AppContextValue | null>(null);

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error('AppContext is missing: render inside <AppContext value=…>');
  return value;
}

/** Reads (a slice of) the app state; re-renders only when the selected value changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

export function useAppStore(): AppStore {
  return useAppContext().store;
}

/** The host API, for calls whose answer does not belong in the store (exports). */
export function useAppApi(): CrawlerApi {
  return useAppContext().api;
}
