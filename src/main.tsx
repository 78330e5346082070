import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadFromUrl, syncUrl } from './state/actions';
import { App } from './ui/App';
import './ui/app.css';

// Read the link first (a preset may need fetching), then keep the address bar in step with the state.
void loadFromUrl(location.search).finally(() => {
  syncUrl();
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
