import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AgencyConfig } from '../../shared/domain/agency';
import { html, type Markup } from './html';

/**
 * The registration form's map pin (docs/portal.md, "Location"): an aid beside the latitude and
 * longitude fields, which stay the form's way to give a location (with a keyboard, a screen
 * reader, or no script at all). The map shows the agency's jurisdiction outline; a click or a tap
 * drops the pin and fills the two fields, and typing in the fields moves the pin. There is no
 * tile server: the map draws vectors only. `mapOverlayUrl` is where a street layer (GeoJSON,
 * same origin) plugs in when one is served; the script draws it under the outline.
 *
 * Leaflet is served from its package, as the console bundles it; the script below is the
 * portal's own. Only the pages that show the map send MAP_PAGE_CSP, which adds
 * `script-src 'self'` (and `connect-src 'self'` for the outline and the overlay) to the portal's
 * policy.
 */

export const MAP_PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const MAP_SCRIPTS = ['/portal/map/leaflet.js', '/portal/map/registration-map.js'] as const;
export const MAP_STYLES = ['/portal/map/leaflet.css'] as const;

/** A street layer to draw under the outline (GeoJSON from this server), or null while none is served. */
export function mapOverlayUrl(_agency: AgencyConfig): string | null {
  return null;
}

/** The map's place in camera block `i`: hidden until the script shows it. */
export function pinMap(i: number): Markup {
  return html`<div
    class="pin-map"
    hidden
    role="region"
    aria-label="Map of the area for camera ${i}: click or tap where the camera is to fill in the two numbers above, which you can also type"
    data-lat="c${i}_lat"
    data-lng="c${i}_lng"
  ></div>`;
}

/**
 * The portal's map script, plain ES2017 run as it is (no build step): finds each `.pin-map`,
 * shows it, draws the outline from /portal/map/area.json, and ties its pin to its two fields.
 */
export const REGISTRATION_MAP_JS = `'use strict';
(function () {
  var L = window.L;
  var maps = Array.prototype.slice.call(document.querySelectorAll('.pin-map'));
  if (!L || maps.length === 0) return;
  function num(text, min, max) {
    var t = String(text).trim();
    if (!/^[-+]?\\d{1,3}(\\.\\d+)?$/.test(t)) return null;
    var n = Number(t);
    return n >= min && n <= max ? n : null;
  }
  function fetchJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(url + ': ' + r.status);
      return r.json();
    });
  }
  function setUp(el, area, overlay) {
    var lat = document.getElementById(el.getAttribute('data-lat'));
    var lng = document.getElementById(el.getAttribute('data-lng'));
    if (!lat || !lng) return;
    el.hidden = false;
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.5 });
    if (overlay) L.geoJSON(overlay, { interactive: false, style: { color: '#9a9a9a', weight: 1 } }).addTo(map);
    var outline = L.geoJSON(area.outline, {
      interactive: false,
      style: { color: '#1f3a5f', weight: 2, fillOpacity: 0.05 },
    }).addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [8, 8] });
    var pin = null;
    function place(at) {
      if (pin) pin.setLatLng(at);
      else pin = L.circleMarker(at, { radius: 9, color: '#b00020', weight: 3, fillOpacity: 0.6 }).addTo(map);
    }
    function fromFields() {
      var a = num(lat.value, -90, 90);
      var b = num(lng.value, -180, 180);
      if (a === null || b === null) return;
      place([a, b]);
    }
    map.on('click', function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lng.value = e.latlng.lng.toFixed(6);
      place(e.latlng);
      lat.dispatchEvent(new Event('change', { bubbles: true }));
    });
    lat.addEventListener('input', fromFields);
    lng.addEventListener('input', fromFields);
    fromFields();
  }
  fetchJson('/portal/map/area.json')
    .then(function (area) {
      var more = area.overlayUrl ? fetchJson(area.overlayUrl).catch(function () { return null; }) : Promise.resolve(null);
      return more.then(function (overlay) {
        maps.forEach(function (el) { setUp(el, area, overlay); });
      });
    })
    .catch(function () {
      // The fields still work: the map stays hidden.
    });
})();
`;

type PortalGet = (
  url: string,
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
) => unknown;

const require = createRequire(import.meta.url);

/** A file of the Leaflet package, read once, its source-map comment dropped. */
function leafletFile(name: 'leaflet.js' | 'leaflet.css'): () => Promise<string> {
  let text: Promise<string> | null = null;
  return () =>
    (text ??= readFile(require.resolve(`leaflet/dist/${name}`), 'utf8').then((t) =>
      t.replace(/\n\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, '\n'),
    ));
}

export function registrationMapRoutes(get: PortalGet, agency: () => Promise<AgencyConfig>): void {
  const leafletJs = leafletFile('leaflet.js');
  const leafletCss = leafletFile('leaflet.css');
  const JS = 'text/javascript; charset=utf-8';
  const CACHE = 'public, max-age=3600';
  get('/portal/map/leaflet.js', async (_req, reply) =>
    reply
      .type(JS)
      .header('cache-control', CACHE)
      .send(await leafletJs()),
  );
  get('/portal/map/leaflet.css', async (_req, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', CACHE)
      .send(await leafletCss()),
  );
  get('/portal/map/registration-map.js', async (_req, reply) =>
    reply.type(JS).header('cache-control', CACHE).send(REGISTRATION_MAP_JS),
  );
  get('/portal/map/area.json', async (_req, reply) => {
    const a = await agency();
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send({ outline: a.jurisdiction, overlayUrl: mapOverlayUrl(a) });
  });
}
