import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectToHost } from './api/host-api';
import { connectProgress, createAppStore } from './store/app-store';
import { AppContext } from './store/store-context';
import './styles.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

const { api, onStatus } = connectToHost();
const store = createAppStore(api);
connectProgress(store, api);
onStatus?.((status) => {
  const wasClosed = store.getState().connection === 'closed';
  store.getState().setConnection(status);
  // Back after a lost connection: what was missed is in the job list.
  if (status === 'open' && wasClosed) void store.getState().refreshJobs();
});

createRoot(container).render(
  <StrictMode>
    <AppContext value={{ store, api }}>
      <App />
    </AppContext>
  </StrictMode>,
);
