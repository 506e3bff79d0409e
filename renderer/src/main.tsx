import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectToHost } from './api/host-api';
import { connectProgress, createAppStore } from './store/app-store';
import { syncLocation } from './store/location-sync';
import { AppContext } from './store/store-context';
import './styles.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

const { api, onStatus } = connectToHost();
const store = createAppStore(api);
connectProgress(store, api);
syncLocation(store);
onStatus?.((status) => store.getState().setConnection(status));

createRoot(container).render(
  <StrictMode>
    <AppContext value={{ store, api }}>
      <App />
    </AppContext>
  </StrictMode>,
);
