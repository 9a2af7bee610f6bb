import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  CALL_NAMES,
  ipcChannelOf,
  type CallName,
  type CallOutcome,
} from '../../shared/api/watchfloorApi';
import type { ConsoleConnection } from '../host/console/consoleConnection';
import { isOwnPage } from './hardening';

/**
 * One ipcMain.handle per call of the contract. A call is answered only when it comes from the
 * main frame of one of our windows, showing our own page; the connection of that window then
 * validates the arguments against the contract and runs the handler.
 */
export function installIpcBridge(
  connectionOf: (contents: WebContents) => ConsoleConnection | null,
): void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(ipcChannelOf(name), (event: IpcMainInvokeEvent, args: unknown) =>
      answer(event, name, args, connectionOf),
    );
  }
}

function answer(
  event: IpcMainInvokeEvent,
  name: CallName,
  args: unknown,
  connectionOf: (contents: WebContents) => ConsoleConnection | null,
): Promise<CallOutcome<CallName>> {
  const frame = event.senderFrame;
  const connection = connectionOf(event.sender);
  const trusted =
    connection !== null &&
    frame !== null &&
    frame === event.sender.mainFrame &&
    isOwnPage(frame.url);
  if (!trusted) {
    return Promise.resolve({
      ok: false,
      error: { code: 'forbidden', message: 'Calls are accepted from the console window only.' },
    });
  }
  return connection.call(name, args);
}
