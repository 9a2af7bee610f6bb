import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'leaflet/dist/leaflet.css';
import './app/console.css';
import Hls from 'hls.js';
import { installWebBridge } from './bridge/webBridge';
import { App } from './app/App';
import { setMediaLoader } from './wall/hlsConfig';
import { MediaSocketClient, mediaSocketLoader, mediaSocketUrl } from './wall/mediaSocketLoader';

// In Electron the preload has already put window.watchfloor in place and media comes over
// wf-media://; in a browser, the web bridge does, and tiles load media over the media socket.
if (!window.watchfloor) {
  installWebBridge();
  const channel = new MediaSocketClient(mediaSocketUrl(window.location));
  setMediaLoader(mediaSocketLoader(channel, window.location.origin, Hls.DefaultConfig.loader));
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
