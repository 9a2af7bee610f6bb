import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHostConfig } from '../../../../electron/host/console/hostConfig';
import {
  mapTilesFrom,
  mapTilesImageSource,
  mapTilesTemplateProblem,
} from '../../../../electron/host/console/mapTiles';
import { startLiveServer, type LiveServer } from '../support/liveServer';
import {
  RpcTestClient,
  startWebConsoleHarness,
  type WebConsoleHarness,
} from '../support/webConsoleHarness';

describe('map tiles setting', () => {
  it('accepts a tile URL template and says what is wrong with a bad one', () => {
    const config = readHostConfig({
      WF_MAP_TILES: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png',
      WF_MAP_TILES_ATTRIBUTION: '© Example contributors',
      WF_MAP_TILES_MAX_ZOOM: '18',
    });
    expect(
      mapTilesFrom(
        config.WF_MAP_TILES,
        config.WF_MAP_TILES_ATTRIBUTION,
        config.WF_MAP_TILES_MAX_ZOOM,
      ),
    ).toEqual({
      urlTemplate: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png',
      attribution: '© Example contributors',
      maxZoom: 18,
    });
    expect(mapTilesFrom(readHostConfig({}).WF_MAP_TILES, undefined, undefined)).toBeNull();

    for (const [template, message] of [
      ['https://tiles.example.org/{z}/{x}.png', /no \{y\}/],
      ['https://tiles.example.org/{z}/{x}/{y}/{q}.png', /unknown placeholder \{q\}/],
      ['file:///etc/{z}/{x}/{y}.png', /http\(s\)/],
      ['javascript:{z}{x}{y}', /http\(s\)/],
      ['not a url {z}{x}{y}', /not a URL/],
      ['https://user:pw@tiles.example.org/{z}/{x}/{y}.png', /credentials/],
    ] as const) {
      expect(mapTilesTemplateProblem(template)).toMatch(message);
      expect(() => readHostConfig({ WF_MAP_TILES: template })).toThrow(/WF_MAP_TILES/);
    }
    expect(() => readHostConfig({ WF_MAP_TILES_MAX_ZOOM: '40' })).toThrow(/WF_MAP_TILES_MAX_ZOOM/);
  });

  it('allows exactly the tile server as an image source', () => {
    expect(mapTilesImageSource('https://tiles.example.org/{z}/{x}/{y}.png')).toBe(
      'https://tiles.example.org',
    );
    expect(mapTilesImageSource('http://10.1.2.3:8080/osm/{z}/{x}/{y}.png')).toBe(
      'http://10.1.2.3:8080',
    );
    expect(mapTilesImageSource('https://{s}.tile.example.org/{z}/{x}/{y}{r}.png')).toBe(
      'https://*.tile.example.org',
    );
  });
});

describe('map tiles in the web console', () => {
  let server: LiveServer;
  let withTiles: WebConsoleHarness;
  let without: WebConsoleHarness;
  const tiles = {
    urlTemplate: 'https://{s}.tile.example.org/{z}/{x}/{y}.png',
    attribution: '© Example',
    maxZoom: 19,
  };

  beforeAll(async () => {
    server = await startLiveServer();
    withTiles = await startWebConsoleHarness(server, { mapTiles: tiles });
    without = await startWebConsoleHarness(server);
  });

  afterAll(async () => {
    await withTiles.close();
    await without.close();
    await server.close();
  });

  async function cspOf(h: WebConsoleHarness): Promise<string> {
    const session = connect(h.web.origin, { ca: h.certPem });
    try {
      return await new Promise<string>((resolve, reject) => {
        const req = session.request({ ':path': '/' });
        req.on('response', (headers) => resolve(String(headers['content-security-policy'])));
        req.on('error', reject);
        req.resume();
        req.end();
      });
    } finally {
      session.close();
    }
  }

  /** The tile source as the console host gives it (with its own info), and the agency's name. */
  async function agencyOf(h: WebConsoleHarness): Promise<{ mapTiles?: unknown; name: string }> {
    const analyst = await server.user('analyst');
    const tab = await RpcTestClient.connect(h.web);
    try {
      await tab.value('session.signIn', await server.signInArgs(analyst));
      const { name } = await tab.value<{ name: string }>('agency.get', {});
      const { mapTiles } = await tab.value<{ mapTiles: unknown }>('console.info', {});
      return { name, mapTiles };
    } finally {
      tab.close();
    }
  }

  it('gives the renderer the tile source with the console info, and lets the page load its images', async () => {
    const agency = await agencyOf(withTiles);
    expect(agency.name).toBeTruthy();
    expect(agency.mapTiles).toEqual(tiles);
    const csp = await cspOf(withTiles);
    expect(csp).toMatch(/img-src 'self' data: blob: https:\/\/\*\.tile\.example\.org(;|$)/);
    // Only images: scripts and connections stay with the console's own origin.
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
  });

  it('without a tile source the renderer draws its offline basemap and the CSP allows no outside image', async () => {
    expect((await agencyOf(without)).mapTiles).toBeNull();
    expect(await cspOf(without)).toContain("img-src 'self' data: blob:;");
  });
});
