import { readFileSync, writeFileSync } from 'node:fs';
import { screen, type BrowserWindow, type Display as ElectronDisplay } from 'electron';
import { z } from 'zod';
import type { Display } from '../../shared/api/console';
import type { WindowsPort } from '../host/console/consoleConnection';
import { HostCallError } from '../host/calls/hostCallError';

const RememberedSchema = z.object({ displayIds: z.array(z.number().int()).max(16) });

/**
 * Wall windows: one per display other than the console's, full screen, remembered across
 * restarts (by display id) so a watch floor comes back as it was left.
 */
export class WallWindows implements WindowsPort {
  private readonly walls = new Map<number, BrowserWindow>();

  constructor(
    private readonly statePath: string,
    private readonly create: (display: ElectronDisplay) => BrowserWindow,
  ) {}

  displays(): Display[] {
    const primary = screen.getPrimaryDisplay().id;
    return screen.getAllDisplays().map((d) => ({
      id: d.id,
      label: d.label || `Display ${d.id}`,
      primary: d.id === primary,
      bounds: { ...d.bounds },
      hasWall: this.walls.has(d.id),
    }));
  }

  openWall(displayId: number): Display[] {
    const display = screen.getAllDisplays().find((d) => d.id === displayId);
    if (!display) throw new HostCallError('not_found', 'That display is not connected.');
    if (display.id === screen.getPrimaryDisplay().id) {
      throw new HostCallError('conflict', 'The console window is on that display.');
    }
    const existing = this.walls.get(displayId);
    if (existing && !existing.isDestroyed()) {
      existing.focus();
      return this.displays();
    }
    const win = this.create(display);
    this.walls.set(displayId, win);
    win.on('closed', () => {
      if (this.walls.get(displayId) === win) this.walls.delete(displayId);
      this.remember();
    });
    this.remember();
    return this.displays();
  }

  closeWall(displayId: number): Display[] {
    this.walls.get(displayId)?.close();
    return this.displays();
  }

  /** Reopens the walls that were open last time, on displays that are still connected. */
  restore(): void {
    let remembered: number[];
    try {
      remembered = RememberedSchema.parse(
        JSON.parse(readFileSync(this.statePath, 'utf8')),
      ).displayIds;
    } catch {
      return;
    }
    const present = new Set(screen.getAllDisplays().map((d) => d.id));
    for (const id of remembered) {
      if (!present.has(id)) continue;
      try {
        this.openWall(id);
      } catch {
        // the display became the primary one: leave it to the console
      }
    }
  }

  private remember(): void {
    const displayIds = [...this.walls.keys()];
    try {
      writeFileSync(this.statePath, JSON.stringify({ displayIds }), { mode: 0o600 });
    } catch {
      // not remembering walls is an inconvenience, not a failure
    }
  }
}
