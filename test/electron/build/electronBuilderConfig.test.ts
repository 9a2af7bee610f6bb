import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Packaging cannot run here (it downloads Electron), so the configuration is held to
 * electron-builder's own JSON schema, and the files it names must exist.
 */
const root = process.cwd();
const config = JSON.parse(readFileSync(join(root, 'build/electron-builder.json'), 'utf8')) as {
  linux: { target: string[]; icon: string };
  win: { target: { target: string }[]; icon: string };
  electronVersion: string;
  extraMetadata: { main: string };
};
const schema = JSON.parse(
  readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
) as object;

// The schema is large: compile it once.
let validate: ValidateFunction;
beforeAll(() => {
  validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
});

describe('electron-builder configuration', () => {
  it("is valid against electron-builder's schema", () => {
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('a configuration with a mistake is caught by the same check', () => {
    expect(validate({ ...config, nsis: { oneClick: 'sometimes' } })).toBe(false);
    expect(validate({ ...config, notAnOption: true })).toBe(false);
  });

  it('builds AppImage, deb and NSIS with the icons from build/', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target.map((t) => t.target)).toContain('nsis');
    expect(existsSync(join(root, config.win.icon))).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(existsSync(join(root, config.linux.icon, `${size}x${size}.png`))).toBe(true);
    }
    const png = readFileSync(join(root, config.linux.icon, '512x512.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
  });

  it('packages the Electron version the project builds against, from the bundled main', () => {
    const electron = JSON.parse(
      readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
    ) as { version: string };
    expect(config.electronVersion).toBe(electron.version);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(config.extraMetadata.main).toBe(pkg.main);
  });
});
