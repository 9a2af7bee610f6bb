import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { Queryable } from '../store/store';
import { HttpError } from '../http/errorHandler';
import { hasAddressPoints } from '../addresses/addressRepository';
import { streetLayerOf, streetsGeoJson } from '../addresses/streetLayer';
import { html, type Markup } from './html';

/**
 * The portal's map pin and address search (docs/portal.md, "Location"): aids beside the
 * latitude and longitude fields of the camera registration form and the online report form.
 * Those fields stay the form's way to give a location (with a keyboard, a screen reader, or no
 * script at all). The map shows the agency's jurisdiction outline over its street layer, when it
 * has one (`mapOverlayUrl`: same-origin GeoJSON, /portal/map/streets.json); a click or a tap drops
 * the pin and fills the two fields, and typing in the fields moves the pin. The address search
 * asks GET /portal/addresses as the person types and lists the agency's address points as
 * buttons; choosing one fills the two fields and the address field and moves the pin there.
 * There is no tile server: the map draws vectors only.
 *
 * Both start `hidden` and the script shows them: without it, the page is the plain form. Leaflet
 * is served from its package, as the console bundles it; the script below is the portal's own.
 * Only the pages that show the map send MAP_PAGE_CSP, which adds `script-src 'self'` (and
 * `connect-src 'self'` for the outline, the streets and the search) to the portal's policy.
 */

export const MAP_PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const MAP_SCRIPTS = ['/portal/map/leaflet.js', '/portal/map/registration-map.js'] as const;
export const MAP_STYLES = ['/portal/map/leaflet.css'] as const;

/** Where the street layer is served, when the agency has one. */
export const STREETS_URL = '/portal/map/streets.json';

/** The street layer to draw under the outline (GeoJSON from this server), or null when there is none. */
export function mapOverlayUrl(agency: AgencyConfig): string | null {
  return streetLayerOf(agency) ? STREETS_URL : null;
}

/** The ids of the fields a map pin and its address search fill in. */
export interface LocationFields {
  readonly lat: string;
  readonly lng: string;
  readonly address: string;
}

/** The map: hidden until the script shows it. `label` says what a click does. */
export function pinMap(fields: LocationFields, label: string): Markup {
  return html`<div
    class="pin-map"
    hidden
    role="region"
    aria-label="${label}"
    data-lat="${fields.lat}"
    data-lng="${fields.lng}"
  ></div>`;
}

/**
 * The address search beside a map: a labelled search field (never sent with the form: it has no
 * name), a status line read out as it changes, and the matches as buttons. Hidden until the
 * script shows it, which it does only when the agency has address points.
 */
export function addressFinder(id: string, fields: LocationFields): Markup {
  return html`<div
    class="address-finder"
    hidden
    data-lat="${fields.lat}"
    data-lng="${fields.lng}"
    data-address="${fields.address}"
  >
    <label for="${id}">Find the address</label>
    <p class="hint" id="${id}-hint">
      Type at least two letters of the street address or place, then choose it in the list below: it
      fills in the location and moves the pin on the map.
    </p>
    <input
      id="${id}"
      type="search"
      autocomplete="off"
      spellcheck="false"
      maxlength="100"
      aria-describedby="${id}-hint"
      aria-controls="${id}-results"
    />
    <p class="finder-status" id="${id}-status" role="status" aria-live="polite"></p>
    <ul class="finder-results" id="${id}-results" aria-label="Addresses found" hidden></ul>
  </div>`;
}

/**
 * The portal's map script, plain ES2017 run as it is (no build step): reads /portal/map/area.json,
 * then shows each `.pin-map` (the outline over the streets, its pin tied to its two fields) and,
 * when the agency has address points, each `.address-finder`.
 */
export const REGISTRATION_MAP_JS = `'use strict';
(function () {
  var L = window.L;
  var maps = Array.prototype.slice.call(document.querySelectorAll('.pin-map'));
  var finders = Array.prototype.slice.call(document.querySelectorAll('.address-finder'));
  if (!L || (maps.length === 0 && finders.length === 0)) return;
  // Each map's pin, by the id of its latitude field: the address search moves it.
  var pins = {};
  function num(text, min, max) {
    var t = String(text).trim();
    if (!/^[-+]?\\d{1,3}(\\.\\d+)?$/.test(t)) return null;
    var n = Number(t);
    return n >= min && n <= max ? n : null;
  }
  function fetchJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }
  function escapeText(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return '&#' + c.charCodeAt(0) + ';';
    });
  }
  var STREET_WEIGHT = { major: 3, minor: 2, local: 1 };
  function setUpMap(el, area, overlay) {
    var lat = document.getElementById(el.getAttribute('data-lat'));
    var lng = document.getElementById(el.getAttribute('data-lng'));
    if (!lat || !lng) return;
    el.hidden = false;
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.5 });
    if (overlay) {
      L.geoJSON(overlay, {
        interactive: false,
        style: function (f) {
          var kind = (f && f.properties && f.properties['class']) || 'local';
          return { className: 'street', color: '#8a8a8a', weight: STREET_WEIGHT[kind] || 1 };
        },
      }).addTo(map);
      if (overlay.attribution) {
        L.control.attribution({ prefix: false }).addAttribution(escapeText(overlay.attribution)).addTo(map);
      }
    }
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
    pins[lat.id] = function (at) {
      place(at);
      map.setView(at, Math.max(map.getZoom(), 16));
    };
  }
  function setUpFinder(el) {
    var lat = document.getElementById(el.getAttribute('data-lat'));
    var lng = document.getElementById(el.getAttribute('data-lng'));
    var address = document.getElementById(el.getAttribute('data-address'));
    var input = el.querySelector('input[type=search]');
    var status = el.querySelector('.finder-status');
    var list = el.querySelector('.finder-results');
    if (!lat || !lng || !address || !input || !status || !list) return;
    el.hidden = false;
    var asked = 0;
    var timer = null;
    function say(text) {
      status.textContent = text;
    }
    function clear() {
      while (list.firstChild) list.removeChild(list.firstChild);
      list.hidden = true;
    }
    function buttons() {
      return Array.prototype.slice.call(list.querySelectorAll('button'));
    }
    function set(field, value) {
      field.value = value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.dispatchEvent(new Event('change', { bubbles: true }));
    }
    function choose(found) {
      set(lat, String(found.lat));
      set(lng, String(found.lng));
      set(address, found.address);
      input.value = found.address;
      clear();
      if (pins[lat.id]) pins[lat.id]([found.lat, found.lng]);
      say('Location set to ' + found.address + '. The pin is on the map.');
      input.focus();
    }
    function show(found) {
      clear();
      found.forEach(function (a) {
        var item = document.createElement('li');
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary';
        button.textContent = a.address;
        button.addEventListener('click', function () {
          choose(a);
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = found.length === 0;
      say(
        found.length === 0
          ? 'No address found. Check the spelling, or mark the spot on the map.'
          : found.length + (found.length === 1 ? ' address found' : ' addresses found') + ': choose one in the list below.'
      );
    }
    function search() {
      var q = input.value.trim();
      var mine = ++asked;
      if (q.length < 2) {
        clear();
        say('');
        return;
      }
      fetch('/portal/addresses?q=' + encodeURIComponent(q), { credentials: 'same-origin' })
        .then(function (r) {
          if (mine !== asked) return;
          if (r.status === 429) {
            clear();
            say('Too many searches from this connection for now. Mark the spot on the map, or type the location.');
            return;
          }
          if (!r.ok) throw new Error(String(r.status));
          return r.json().then(function (body) {
            if (mine === asked) show(body.addresses || []);
          });
        })
        .catch(function () {
          if (mine !== asked) return;
          clear();
          say('The address search is not available. Mark the spot on the map, or type the location.');
        });
    }
    input.addEventListener('input', function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener('keydown', function (e) {
      var all = buttons();
      if (e.key === 'Enter') {
        // The search field never sends the form: Enter searches now, or goes to the first match.
        e.preventDefault();
        if (all.length > 0) all[0].focus();
        else {
          if (timer) clearTimeout(timer);
          search();
        }
      } else if (e.key === 'ArrowDown' && all.length > 0) {
        e.preventDefault();
        all[0].focus();
      } else if (e.key === 'Escape') {
        clear();
        say('');
      }
    });
    list.addEventListener('keydown', function (e) {
      var all = buttons();
      var at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (e.key === 'ArrowDown' && at < all.length - 1) {
        e.preventDefault();
        all[at + 1].focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (at > 0) all[at - 1].focus();
        else input.focus();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        clear();
        say('');
        input.focus();
      }
    });
  }
  fetchJson('/portal/map/area.json')
    .then(function (area) {
      var more = area.overlayUrl ? fetchJson(area.overlayUrl).catch(function () { return null; }) : Promise.resolve(null);
      return more.then(function (overlay) {
        maps.forEach(function (el) { setUpMap(el, area, overlay); });
        if (area.addressSearch) finders.forEach(setUpFinder);
      });
    })
    .catch(function () {
      // The fields still work: the map and the search stay hidden.
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

export function registrationMapRoutes(
  get: PortalGet,
  agency: () => Promise<AgencyConfig>,
  db: Queryable,
): void {
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
      .send({
        outline: a.jurisdiction,
        overlayUrl: mapOverlayUrl(a),
        // The address search is shown only when there is something to find.
        addressSearch: await hasAddressPoints(db),
      });
  });
  get(STREETS_URL, async (_req, reply) => {
    const layer = streetLayerOf(await agency());
    if (!layer) throw new HttpError(404, 'This site has no street map.');
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', CACHE)
      .send(streetsGeoJson(layer));
  });
}
