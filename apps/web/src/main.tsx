import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api/client.js';
import { App } from './app/app.js';
import { NowProvider } from './app/now.js';
import { I18nProvider } from './i18n/i18n-context.js';
import { ServicesContext, type Services } from './app/services.js';
import { LiveStore } from './live/live-store.js';
import { LiveStream } from './live/live-stream.js';
import './styles/base.css';
import './styles/header.css';
import './styles/points.css';
import './styles/trend.css';
import './styles/health.css';
// Last: its narrow-screen rules override the panels' own.
import './styles/layout.css';

// The page's long-lived objects live for the page's lifetime; the stream is closed when it unloads.
const api = new ApiClient();
const store = new LiveStore();
const stream = new LiveStream({ url: api.liveUrl() });
stream.onSamples((batch) => store.apply(batch));
stream.start();
window.addEventListener('pagehide', (e) => {
  // A page kept in the back-forward cache comes back and needs its stream.
  if (!e.persisted) stream.close();
});

const services: Services = { api, stream, store };

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <ServicesContext value={services}>
        <NowProvider>
          <App />
        </NowProvider>
      </ServicesContext>
    </I18nProvider>
  </StrictMode>,
);
