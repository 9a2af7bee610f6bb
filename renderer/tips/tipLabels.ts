import type { AttachmentState, ReplyState, Tip, TipState } from '../../shared/domain/tips';
import { TIP_STATE_LABELS } from '../../shared/domain/tips';

/**
 * How tip states read in the console: always a symbol and a word, never a colour alone
 * (docs/architecture.md, "Who it is for": analysts on twelve-hour shifts).
 */
export const TIP_STATE_SYMBOL: Readonly<Record<TipState, string>> = {
  new: '●',
  reviewing: '◐',
  actionable: '▲',
  no_action: '○',
  duplicate: '⧉',
};

export const tipStateText = (s: TipState): string =>
  `${TIP_STATE_SYMBOL[s]} ${TIP_STATE_LABELS[s]}`;

export const ATTACHMENT_STATE_TEXT: Readonly<Record<AttachmentState, string>> = {
  pending: '… Fetching',
  stored: '✓ Stored',
  failed: '✕ Failed',
};

export const REPLY_STATE_TEXT: Readonly<Record<ReplyState, string>> = {
  queued: '… Queued',
  sent: '✓ Sent',
  failed: '✕ Failed',
};

/** The only name a tipster has in the console. */
export const tipsterName = (alias: string): string => `Tipster ${alias}`;

/**
 * A time in the agency's zone: the time of day when it is today there, else the date as well
 * ("Nov 28, 21:04"). Stored times are UTC; only the display is local.
 */
export function agencyTime(iso: string, timeZone: string | undefined, now = Date.now()): string {
  const zone = timeZone ? { timeZone } : {};
  const at = new Date(iso);
  const day = (d: Date) => d.toLocaleDateString('en-CA', zone);
  const time = at.toLocaleTimeString('en-US', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...zone,
  });
  if (day(at) === day(new Date(now))) return time;
  const date = at.toLocaleDateString('en-US', { month: 'short', day: 'numeric', ...zone });
  return `${date}, ${time}`;
}

/** The first characters of a tip's text, on one line. */
export function preview(body: string, max = 140): string {
  const line = body.replace(/\s+/g, ' ').trim();
  if (!line) return '(no text)';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** "2 photos, 1 video" for a tip's attachments. */
export function attachmentSummary(tip: Tip): string {
  const photos = tip.attachments.filter((a) => a.kind === 'image').length;
  const videos = tip.attachments.filter((a) => a.kind === 'video').length;
  const other = tip.attachments.length - photos - videos;
  const parts = [
    photos ? `${photos} photo${photos > 1 ? 's' : ''}` : '',
    videos ? `${videos} video${videos > 1 ? 's' : ''}` : '',
    other ? `${other} other file${other > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'no attachments';
}
