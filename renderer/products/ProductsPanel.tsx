import { useState } from 'react';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { PRODUCT_KINDS, PRODUCT_KIND_LABELS, type ProductKind } from '../../shared/domain/products';
import { useProductStore } from './productStore';
import { MAX_TRAY_STILLS, stillSourceOf, useStillTray } from './stillTray';

/** Reads a chosen image file as a data URL, the form a still is sent in. */
function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsDataURL(file);
  });
}

/** The products kept with a case: list, make, approve, print. */
export function ProductsPanel() {
  const permissions = useSessionStore(permissionsOf);
  const products = useProductStore((s) => s.products);
  const error = useProductStore((s) => s.error);
  const shown = useProductStore((s) => s.caseNumber);
  const [caseNumber, setCaseNumber] = useState(shown ?? '');
  const canApprove = permissions.includes('products.approve');
  const canWrite = permissions.includes('products.write');
  return (
    <div className="shift-log products" data-testid="products">
      <form
        className="shift-head"
        onSubmit={(e) => {
          e.preventDefault();
          if (caseNumber.trim()) void useProductStore.getState().show(caseNumber.trim());
        }}
      >
        <h2>Products</h2>
        <input
          aria-label="Case number"
          placeholder="Case number"
          value={caseNumber}
          onChange={(e) => setCaseNumber(e.target.value)}
        />
        <button type="submit" className="btn small">
          Show
        </button>
      </form>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {shown && (
        <ul className="shift-entries">
          {products.map((p) => (
            <li key={p.id} data-testid="product">
              <strong>{p.number}</strong> {PRODUCT_KIND_LABELS[p.kind]}: {p.title} ·{' '}
              {p.status === 'approved' ? `approved by ${p.approvedByName}` : 'draft'} ·{' '}
              {p.authorName}{' '}
              <button
                type="button"
                className="btn small"
                onClick={() => void useProductStore.getState().downloadPdf(p.id)}
              >
                PDF
              </button>
              {canApprove && p.status === 'draft' && (
                <button
                  type="button"
                  className="btn small primary"
                  onClick={() => void useProductStore.getState().approve(p.id)}
                >
                  Approve
                </button>
              )}
            </li>
          ))}
          {products.length === 0 && <li className="muted">No products for case {shown} yet.</li>}
        </ul>
      )}
      {canWrite && <NewProduct caseNumber={shown ?? ''} />}
    </div>
  );
}

/** The frames kept from tiles and replays (📷 on a tile or in a replay), for the next product. */
function StillTrayList() {
  const stills = useStillTray((s) => s.stills);
  const remove = useStillTray((s) => s.remove);
  if (stills.length === 0) {
    return (
      <p className="muted">
        Stills: 📷 on a tile or in a replay keeps its frame here; or attach image files.
      </p>
    );
  }
  return (
    <ul className="still-tray" aria-label="Stills for this product" data-testid="still-tray">
      {stills.map((s) => (
        <li key={s.id}>
          {'dataUrl' in s ? (
            <img src={s.dataUrl} alt={s.caption} />
          ) : (
            <span className="still-evidence" aria-hidden="true">
              evidence
            </span>
          )}
          <span>{s.caption}</span>
          <button
            type="button"
            className="btn small ghost"
            aria-label={`Drop the still ${s.caption}`}
            onClick={() => remove(s.id)}
          >
            ✕
          </button>
        </li>
      ))}
    </ul>
  );
}

function NewProduct(props: { caseNumber: string }) {
  const busy = useProductStore((s) => s.busy);
  const [kind, setKind] = useState<ProductKind>('assist_report');
  const [title, setTitle] = useState('');
  const [caseNumber, setCaseNumber] = useState(props.caseNumber);
  const [incidentNumber, setIncidentNumber] = useState('');
  const [text, setText] = useState('');
  const [stills, setStills] = useState<{ dataUrl: string; caption: string }[]>([]);
  const tray = useStillTray((s) => s.stills);
  const submit = async () => {
    const ok = await useProductStore.getState().create({
      kind,
      title,
      text,
      stills: [...tray.map(stillSourceOf), ...stills].slice(0, MAX_TRAY_STILLS),
      ...(caseNumber.trim() ? { caseNumber: caseNumber.trim() } : {}),
      ...(incidentNumber.trim() ? { incidentNumber: incidentNumber.trim() } : {}),
    });
    if (ok) {
      setTitle('');
      setText('');
      setStills([]);
      useStillTray.getState().clear();
    }
  };
  return (
    <form
      className="shift-entry-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>New product</h3>
      <select
        aria-label="Product kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as ProductKind)}
      >
        {PRODUCT_KINDS.map((k) => (
          <option key={k} value={k}>
            {PRODUCT_KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <input
        aria-label="Title"
        placeholder={kind === 'bulletin' ? 'Attempt to identify' : 'Title'}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <input
        aria-label="Product case number"
        placeholder="Case number"
        value={caseNumber}
        onChange={(e) => setCaseNumber(e.target.value)}
      />
      <input
        aria-label="Incident number"
        placeholder="Incident (CAD) number"
        value={incidentNumber}
        onChange={(e) => setIncidentNumber(e.target.value)}
      />
      <textarea
        aria-label="Product text"
        placeholder={kind === 'bulletin' ? 'Description' : 'What the center did'}
        value={text}
        maxLength={8000}
        onChange={(e) => setText(e.target.value)}
      />
      <StillTrayList />
      <input
        type="file"
        aria-label="Stills"
        accept="image/png,image/jpeg"
        multiple
        onChange={(e) => {
          const files = [...(e.target.files ?? [])].slice(0, MAX_TRAY_STILLS - tray.length);
          void Promise.all(files.map(readAsDataUrl)).then((urls) =>
            setStills(urls.map((dataUrl, i) => ({ dataUrl, caption: files[i]!.name }))),
          );
        }}
      />
      {stills.length > 0 && <p className="muted">{stills.length} file(s) attached</p>}
      <button type="submit" className="btn primary" disabled={busy || title.trim() === ''}>
        Make draft
      </button>
    </form>
  );
}
