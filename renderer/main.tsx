import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'leaflet/dist/leaflet.css';
import './app/console.css';
import { installWebBridge } from './bridge/webBridge';
import { App } from './app/App';

// In Electron the preload has already put window.watchfloor in place; in a browser, the web
// bridge does.
installWebBridge();

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
