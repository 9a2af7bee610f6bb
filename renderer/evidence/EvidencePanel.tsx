import { useMemo, useState, type FormEvent } from 'react';
import { DEFAULT_LINK_HOURS, MAX_LINK_HOURS } from '../../shared/api/evidence';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { useEvidenceStore, videosOf } from './evidenceStore';
import { useStillTray } from '../products/stillTray';

const when = (iso: string | null) => (iso === null ? '' : new Date(iso).toLocaleString());
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The agency key's fingerprint, which a court compares with a package's. */
function KeyLine() {
  const key = useEvidenceStore((s) => s.key);
  if (!key) return null;
  return (
    <p className="hint" data-testid="evidence-key">
      Packages are signed with the agency&apos;s Ed25519 key, fingerprint{' '}
      <code>{key.fingerprint}</code>
    </p>
  );
}

/** An officer opens a link they were sent. */
function OpenLink() {
  const openLink = useEvidenceStore((s) => s.openLink);
  const opened = useEvidenceStore((s) => s.opened);
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = token.trim().split('/').pop() ?? '';
    void openLink(t);
  };
  return (
    <div className="evidence-open">
      <form onSubmit={submit}>
        <input
          aria-label="Evidence link"
          placeholder="Paste the evidence link you were sent"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          maxLength={300}
        />
        <button type="submit" className="btn small" disabled={token.trim() === ''}>
          Open
        </button>
      </form>
      {opened && (
        <p data-testid="evidence-opened">
          Case {opened.caseNumber}: {opened.file.cameraName}, {when(opened.file.start)} to{' '}
          {when(opened.file.end)} (SHA-256 <code>{opened.file.sha256.slice(0, 16)}…</code>). Link
          valid until {when(opened.expiresAt)}.
        </p>
      )}
      {opened && opened.file.contentType.startsWith('image/') && (
        <img
          className="evidence-clip"
          src={opened.videoUrl}
          alt={`Still from ${opened.file.cameraName}`}
        />
      )}
      {opened && !opened.file.contentType.startsWith('image/') && (
        <video
          className="evidence-clip"
          data-testid="evidence-link-video"
          src={opened.videoUrl}
          controls
          preload="metadata"
          aria-label={`Clip from ${opened.file.cameraName}`}
        />
      )}
    </div>
  );
}

/** A case's evidence: files, packages, custody, the export button and officers' links. */
export function EvidencePanel() {
  const canExport = useSessionStore((s) => permissionsOf(s).includes('evidence.export'));
  const evidence = useEvidenceStore((s) => s.evidence);
  const error = useEvidenceStore((s) => s.error);
  const busy = useEvidenceStore((s) => s.busy);
  const newLink = useEvidenceStore((s) => s.newLink);
  const videos = useMemo(() => videosOf(evidence), [evidence]);
  const loadCase = useEvidenceStore((s) => s.loadCase);
  const exportCase = useEvidenceStore((s) => s.exportCase);
  const createLink = useEvidenceStore((s) => s.createLink);
  const revokeLink = useEvidenceStore((s) => s.revokeLink);
  const dismissLink = useEvidenceStore((s) => s.dismissLink);
  const takeStill = useEvidenceStore((s) => s.takeStill);
  const [caseNumber, setCaseNumber] = useState('');
  const [officer, setOfficer] = useState('');
  const [hours, setHours] = useState(DEFAULT_LINK_HOURS);
  const [fileId, setFileId] = useState('');

  const find = (e: FormEvent) => {
    e.preventDefault();
    void loadCase(caseNumber.trim());
  };
  const share = (e: FormEvent) => {
    e.preventDefault();
    const chosen = fileId || videos[0]?.id;
    if (chosen) void createLink(chosen, officer.trim(), hours).then((ok) => ok && setOfficer(''));
  };

  return (
    <section className="evidence" data-testid="evidence-panel">
      <h2>Evidence</h2>
      <KeyLine />
      {!canExport && <OpenLink />}
      {canExport && (
        <form onSubmit={find} className="evidence-case">
          <input
            aria-label="Case number"
            placeholder="Case number, e.g. 2026-004512"
            value={caseNumber}
            onChange={(e) => setCaseNumber(e.target.value)}
            maxLength={40}
          />
          <button type="submit" className="btn small" disabled={caseNumber.trim().length < 3}>
            Show
          </button>
        </form>
      )}
      {error && <p className="error-text">{error}</p>}
      {newLink && (
        <div className="new-key" role="alert" data-testid="evidence-new-link">
          <p>
            The link for <strong>{newLink.officer}</strong>, valid until {when(newLink.expiresAt)}.
            It is shown this once: send it to the officer now. They open it signed in to the web
            console.
          </p>
          <code>{newLink.token}</code>
          <button type="button" className="btn small" onClick={dismissLink}>
            I have sent it
          </button>
        </div>
      )}
      {evidence && (
        <>
          <h3>
            Case {evidence.caseNumber}{' '}
            <button
              type="button"
              className="btn small"
              disabled={busy || evidence.files.length === 0}
              onClick={() => void exportCase()}
              data-testid="evidence-export"
            >
              {busy ? 'Exporting…' : 'Export signed package'}
            </button>
          </h3>
          <ul className="evidence-files">
            {evidence.files.map((f) => (
              <li key={f.id} data-testid="evidence-file">
                <span>{f.kind}</span> <span>{f.cameraName}</span>{' '}
                <span className="muted">
                  {when(f.start)} to {when(f.end)} · {megabytes(f.sizeBytes)} · SHA-256{' '}
                  <code>{f.sha256.slice(0, 12)}…</code>
                </span>{' '}
                {canExport && f.contentType === 'video/mp4' && (
                  <button
                    type="button"
                    className="btn small"
                    disabled={busy}
                    title="A still from the middle of the clip, kept with the case"
                    onClick={() => void takeStill(f.id)}
                  >
                    Take still
                  </button>
                )}
                {canExport && f.contentType === 'image/jpeg' && (
                  <button
                    type="button"
                    className="btn small"
                    title="Use this still in the next product (assist report or bulletin)"
                    data-testid="evidence-still-to-product"
                    onClick={() =>
                      useStillTray.getState().add({
                        evidenceFileId: f.id,
                        caption: `${f.cameraName}, ${when(f.start)} (evidence)`,
                      })
                    }
                  >
                    Use in product
                  </button>
                )}
              </li>
            ))}
          </ul>
          <h4>Packages</h4>
          <ul className="evidence-exports">
            {evidence.exports.map((x) => (
              <li key={x.id} data-testid="evidence-export-row">
                <code>{x.dir}</code>{' '}
                <span className="muted">
                  {x.files} files, {megabytes(x.sizeBytes)}, by {x.createdBy} {when(x.createdAt)}
                </span>
              </li>
            ))}
          </ul>
          {videos.length > 0 && (
            <form onSubmit={share} className="evidence-link-form">
              <h4>Send an officer a link</h4>
              <select aria-label="Clip" value={fileId} onChange={(e) => setFileId(e.target.value)}>
                {videos.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.cameraName}, {when(v.start)}
                  </option>
                ))}
              </select>
              <input
                aria-label="Officer"
                placeholder="Officer: name, badge or unit"
                value={officer}
                onChange={(e) => setOfficer(e.target.value)}
                maxLength={200}
              />
              <input
                aria-label="Hours valid"
                type="number"
                min={1}
                max={MAX_LINK_HOURS}
                value={hours}
                onChange={(e) => setHours(Number(e.target.value))}
              />
              <button type="submit" className="btn small" disabled={officer.trim() === ''}>
                Make link
              </button>
            </form>
          )}
          <ul className="evidence-links">
            {evidence.links.map((l) => (
              <li key={l.id} data-testid="evidence-link-row">
                {l.officer}{' '}
                <span className="muted">
                  until {when(l.expiresAt)} · opened {l.openedCount}×
                  {l.revokedAt ? ` · revoked ${when(l.revokedAt)}` : ''}
                </span>{' '}
                {!l.revokedAt && (
                  <button type="button" className="btn small" onClick={() => void revokeLink(l.id)}>
                    Revoke
                  </button>
                )}
              </li>
            ))}
          </ul>
          <h4>Chain of custody</h4>
          <ol className="evidence-custody">
            {evidence.custody.map((c) => (
              <li key={c.seq}>
                {when(c.at)} {c.action} by {c.actor}{' '}
                <code className="muted">{c.hash.slice(0, 10)}</code>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
