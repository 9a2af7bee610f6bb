import { create } from 'zustand';
import type { ShiftEntryKind, ShiftLog } from '../../shared/domain/shifts';
import { call } from '../app/watchfloor';
import { base64Bytes, saveFile } from '../app/saveFile';

/** Which shift the panel shows: a date (YYYY-MM-DD) and a shift name. */
export interface ShiftChoice {
  readonly date: string;
  readonly shift: string;
}

interface ShiftStore {
  readonly choice: ShiftChoice | null;
  readonly log: ShiftLog | null;
  readonly error: string | null;
  readonly busy: boolean;
  choose(choice: ShiftChoice): Promise<void>;
  reload(): Promise<void>;
  addEntry(entry: { kind: ShiftEntryKind; text: string; at?: string }): Promise<boolean>;
  addAddendum(entry: { kind: ShiftEntryKind; text: string }): Promise<boolean>;
  signOff(note: string): Promise<boolean>;
  downloadReport(): Promise<void>;
  /** A shift changed somewhere: reload if it is the one shown. */
  changed(date: string, shift: string): void;
  reset(): void;
}

const same = (a: ShiftChoice | null, date: string, shift: string) =>
  a !== null && a.date === date && a.shift.toLowerCase() === shift.toLowerCase();

/** The shift log panel's state: the shift shown, its log, and what the supervisor writes. */
export const useShiftStore = create<ShiftStore>()((set, get) => {
  /** Runs a change; on success reloads the log, on failure keeps the message. */
  async function change(run: (c: ShiftChoice) => Promise<string | null>): Promise<boolean> {
    const choice = get().choice;
    if (!choice) return false;
    set({ busy: true });
    const error = await run(choice);
    set({ busy: false, error });
    if (error === null) await get().reload();
    return error === null;
  }

  return {
    choice: null,
    log: null,
    error: null,
    busy: false,
    async choose(choice) {
      set({ choice, log: null, error: null });
      await get().reload();
    },
    async reload() {
      const choice = get().choice;
      if (!choice) return;
      const r = await call('shifts.get', choice);
      // A later choice wins over an answer that arrives late.
      if (get().choice !== choice) return;
      if (r.ok) set({ log: r.value, error: null });
      else set({ log: null, error: r.error.message });
    },
    addEntry: (entry) =>
      change(async (c) => {
        const r = await call('shifts.addEntry', { ...c, ...entry });
        return r.ok ? null : r.error.message;
      }),
    addAddendum: (entry) =>
      change(async (c) => {
        const r = await call('shifts.addAddendum', { ...c, ...entry });
        return r.ok ? null : r.error.message;
      }),
    signOff: (note) =>
      change(async (c) => {
        const r = await call('shifts.signOff', { ...c, note });
        return r.ok ? null : r.error.message;
      }),
    async downloadReport() {
      const choice = get().choice;
      if (!choice) return;
      const r = await call('shifts.report', choice);
      if (!r.ok) {
        set({ error: r.error.message });
        return;
      }
      saveFile(
        r.value.filename,
        new Blob([base64Bytes(r.value.data)], { type: r.value.contentType }),
      );
    },
    changed(date, shift) {
      if (same(get().choice, date, shift)) void get().reload();
    },
    reset() {
      set({ choice: null, log: null, error: null, busy: false });
    },
  };
});
