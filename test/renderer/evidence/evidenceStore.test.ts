import { beforeEach, describe, expect, it } from 'vitest';
import type { CaseEvidence, EvidenceFile } from '../../../shared/api/evidence';

const video: EvidenceFile = {
  id: 'file-1',
  caseNumber: '2026-004512',
  pullId: null,
  kind: 'recording',
  parentId: null,
  cameraId: 'cam-1',
  cameraName: 'Corner Market 1',
  consent: { cameraKind: 'integrated', policy: null, summary: 'Shared always' },
  start: '2026-11-28T17:00:00.000Z',
  end: '2026-11-28T17:00:08.000Z',
  source: 'recordings',
  sha256: 'a'.repeat(64),
  sizeBytes: 1000,
  contentType: 'video/mp4',
  fetchedBy: 'analyst',
  fetchedAt: '2026-11-29T12:00:00.000Z',
};
const still: EvidenceFile = { ...video, id: 'file-2', kind: 'still', contentType: 'image/jpeg' };

/** A fake `window.watchfloor` standing for the server's evidence endpoints. */
const server = {
  evidence: {
    caseNumber: '2026-004512',
    files: [video, still],
    exports: [],
    custody: [],
    links: [],
  } as CaseEvidence,
  calls: [] as { name: string; args: Record<string, unknown> }[],
};
const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push({ name, args });
    if (name === 'evidence.forCase') {
      return args.caseNumber === server.evidence.caseNumber
        ? { ok: true, value: server.evidence }
        : { ok: true, value: { ...server.evidence, caseNumber: args.caseNumber, files: [] } };
    }
    if (name === 'evidence.export') return { ok: true, value: {} };
    if (name === 'evidence.createLink') {
      if ((args.hours as number) > 168) {
        return {
          ok: false,
          error: {
            code: 'invalid',
            message: 'Invalid request',
            issues: [{ path: 'hours', message: 'a link lasts at most 168 hours (7 days)' }],
          },
        };
      }
      return {
        ok: true,
        value: {
          id: 'link-1',
          officer: args.officer,
          token: 'T'.repeat(43),
          expiresAt: '2026-11-30T12:00:00.000Z',
        },
      };
    }
    if (name === 'evidence.openLink') {
      return {
        ok: false,
        error: {
          code: 'gone',
          message:
            'This evidence link expired on 2026-11-30T12:00:00.000Z: ask the center for a new one.',
        },
      };
    }
    return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const { videosOf, useEvidenceStore } = await import('../../../renderer/evidence/evidenceStore');
const { evidenceModule } = await import('../../../renderer/evidence/evidenceModule');

describe('the evidence store', () => {
  beforeEach(() => {
    server.calls.length = 0;
    useEvidenceStore.setState({ evidence: null, error: null, newLink: null, opened: null });
  });

  it('loads a case, offers only its videos for links, and exports that case', async () => {
    await useEvidenceStore.getState().loadCase('2026-004512');
    expect(videosOf(useEvidenceStore.getState().evidence).map((f) => f.id)).toEqual(['file-1']);
    await useEvidenceStore.getState().exportCase();
    expect(server.calls.find((c) => c.name === 'evidence.export')?.args).toEqual({
      caseNumber: '2026-004512',
    });
  });

  it("shows a new link's token once, and the field's own message when refused", async () => {
    await useEvidenceStore.getState().loadCase('2026-004512');
    expect(await useEvidenceStore.getState().createLink('file-1', 'Ofc. Diaz', 300)).toBe(false);
    expect(useEvidenceStore.getState().error).toBe('a link lasts at most 168 hours (7 days)');
    expect(await useEvidenceStore.getState().createLink('file-1', 'Ofc. Diaz', 24)).toBe(true);
    expect(useEvidenceStore.getState().newLink?.token).toBe('T'.repeat(43));
    useEvidenceStore.getState().dismissLink();
    expect(useEvidenceStore.getState().newLink).toBeNull();
  });

  it('says why a link no longer opens', async () => {
    await useEvidenceStore.getState().openLink('T'.repeat(43));
    expect(useEvidenceStore.getState().opened).toBeNull();
    expect(useEvidenceStore.getState().error).toMatch(
      /^This evidence link expired on .*ask the center/,
    );
  });

  it("reads the shown case's evidence again when a colleague changes it, and no other case's", async () => {
    await useEvidenceStore.getState().loadCase('2026-004512');
    const changed = evidenceModule.reducers!['evidence.changed']!;
    server.calls.length = 0;
    changed({ caseNumber: '2026-000999', change: 'file' });
    expect(server.calls).toEqual([]);
    changed({ caseNumber: '2026-004512', change: 'export' });
    await new Promise((r) => setTimeout(r, 0));
    expect(server.calls).toEqual([
      { name: 'evidence.forCase', args: { caseNumber: '2026-004512' } },
    ]);
  });
});
