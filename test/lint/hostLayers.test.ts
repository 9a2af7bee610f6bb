import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layers of electron/host as docs/decisions/0020-host-layers.md writes them: each folder and
 * the folders of the host it may import. The lint (eslint.config.js) must enforce exactly this.
 */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  console: ['views', 'events', 'session', 'serverLink', 'calls', 'gateway'],
  views: ['session', 'serverLink', 'calls', 'gateway'],
  events: ['serverLink', 'calls'],
  session: ['serverLink', 'calls'],
  serverLink: ['calls'],
  calls: [],
  gateway: [],
  simulator: ['gateway'],
};

const ROOT = join(import.meta.dirname, '..', '..');
const HOST = join(ROOT, 'electron', 'host');

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The import-rule messages the lint gives a file at `path` holding `source`. */
async function refusals(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, path) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

const importOf = (from: string): string =>
  `import type { Probe } from '${from}';\nexport type Seen = Probe;\n`;

describe('the layers of electron/host', () => {
  it('has a place for every folder of the host', () => {
    const folders = readdirSync(HOST, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual(Object.keys(LAYERS).sort());
  });

  it('lets an import go down the layers and refuses one that goes up or across', async () => {
    const wrong: string[] = [];
    for (const [folder, allowed] of Object.entries(LAYERS)) {
      for (const target of Object.keys(LAYERS)) {
        if (target === folder) continue;
        const found = await refusals(
          `electron/host/${folder}/probe.ts`,
          importOf(`../${target}/probe`),
        );
        const refused = found.length > 0;
        if (refused === allowed.includes(target)) {
          wrong.push(`${folder} -> ${target}: ${refused ? 'refused' : 'let through'}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a reverse import however its path is written, and says why', async () => {
    const messages = await refusals(
      'electron/host/session/probe.ts',
      [
        importOf('../console/consoleHost'),
        "import { ViewManager } from '../../host/views/viewManager';",
        'export const made = ViewManager;',
      ].join('\n'),
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/electron\/host\/session\/ imports only serverLink\/, calls\//);
    expect(messages[0]).toMatch(/0020-host-layers/);
  });

  it('keeps the shared folder imports open: shared/ and files of the same folder', async () => {
    expect(
      await refusals(
        'electron/host/serverLink/probe.ts',
        importOf('../../../shared/api/events') + importOf('./serverHttp'),
      ),
    ).toEqual([]);
  });

  it('lets consoleHost.ts compose console/, and nothing in console/ import it back', async () => {
    expect(await refusals('electron/host/console/consoleHost.ts', importOf('./handlers'))).toEqual(
      [],
    );
    const back = await refusals('electron/host/console/handlers.ts', importOf('./consoleHost'));
    expect(back).toHaveLength(1);
    expect(back[0]).toMatch(/consoleConnection\.ts/);
  });

  it('still refuses electron and the other processes inside every folder', async () => {
    for (const folder of Object.keys(LAYERS)) {
      const found = await refusals(
        `electron/host/${folder}/probe.ts`,
        importOf('electron') + importOf('../../main/main'),
      );
      expect(found, folder).toHaveLength(2);
    }
  });
});
