import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { TIP_STATES, TIP_STATE_LABELS, type Tip } from '../../shared/domain/tips';
import { useSessionStore } from '../session/sessionStore';
import { TIP_RANGES, type TipFilters, type TipRange } from './tipFilters';
import { ATTACHMENT_STATE_TEXT, agencyTime, preview, tipStateText, tipsterName } from './tipLabels';
import { useTipStore } from './tipStore';

const SEARCH_DELAY_MS = 300;

/** State, time, media, mine and the text search; the search waits for a pause in typing. */
export function TipFiltersBar() {
  const filters = useTipStore((s) => s.filters);
  const setFilters = useTipStore((s) => s.setFilters);
  const searchRequest = useTipStore((s) => s.searchRequest);
  const searchRef = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState(filters.q);
  useEffect(() => {
    if (searchRequest > 0) searchRef.current?.focus();
  }, [searchRequest]);
  useEffect(() => {
    if (q === filters.q) return;
    const t = setTimeout(() => void setFilters({ q }), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [q, filters.q, setFilters]);
  return (
    <div className="tip-filters" data-testid="tip-filters">
      <input
        ref={searchRef}
        type="search"
        placeholder="Search tip text"
        aria-label="Search tip text"
        value={q}
        maxLength={200}
        onChange={(e) => setQ(e.target.value)}
        data-testid="tip-search"
      />
      <select
        aria-label="State"
        value={filters.state}
        onChange={(e) => void setFilters({ state: e.target.value as TipFilters['state'] })}
        data-testid="tip-filter-state"
      >
        <option value="open">Open (new and reviewing)</option>
        {TIP_STATES.map((s) => (
          <option key={s} value={s}>
            {TIP_STATE_LABELS[s]}
          </option>
        ))}
        <option value="all">All states</option>
      </select>
      <select
        aria-label="Received"
        value={filters.range}
        onChange={(e) => void setFilters({ range: e.target.value as TipRange })}
        data-testid="tip-filter-range"
      >
        {Object.entries(TIP_RANGES).map(([k, r]) => (
          <option key={k} value={k}>
            {r.label}
          </option>
        ))}
      </select>
      <select
        aria-label="Media"
        value={filters.hasMedia}
        onChange={(e) => void setFilters({ hasMedia: e.target.value as TipFilters['hasMedia'] })}
        data-testid="tip-filter-media"
      >
        <option value="any">With or without media</option>
        <option value="yes">With photos or videos</option>
        <option value="no">Text only</option>
      </select>
      <label className="check">
        <input
          type="checkbox"
          checked={filters.mine}
          onChange={(e) => void setFilters({ mine: e.target.checked })}
          data-testid="tip-filter-mine"
        />
        Assigned to me
      </label>
    </div>
  );
}

function AttachmentBadges({ tip }: { readonly tip: Tip }) {
  if (tip.attachments.length === 0) return null;
  const failed = tip.attachments.filter((a) => a.state === 'failed').length;
  const pending = tip.attachments.filter((a) => a.state === 'pending').length;
  return (
    <span className="tip-attachments" data-testid="tip-attachment-count">
      📎 {tip.attachments.length}
      {pending > 0 && (
        <span>
          {' '}
          · {ATTACHMENT_STATE_TEXT.pending.toLowerCase()} {pending}
        </span>
      )}
      {failed > 0 && (
        <span className="error-text">
          {' '}
          · {ATTACHMENT_STATE_TEXT.failed.toLowerCase()} {failed}
        </span>
      )}
    </span>
  );
}

/** The tips, newest first; arrows move through them and open each one below. */
export function TipList() {
  const tips = useTipStore((s) => s.tips);
  const status = useTipStore((s) => s.status);
  const error = useTipStore((s) => s.error);
  const next = useTipStore((s) => s.next);
  const loadingMore = useTipStore((s) => s.loadingMore);
  const selectedId = useTipStore((s) => s.selectedId);
  const select = useTipStore((s) => s.select);
  const loadMore = useTipStore((s) => s.loadMore);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    // The arrows move through the tips here, not the wall's tile selection.
    e.preventDefault();
    e.stopPropagation();
    const at = tips.findIndex((t) => t.id === selectedId);
    const to = e.key === 'ArrowDown' ? Math.min(at + 1, tips.length - 1) : Math.max(at - 1, 0);
    const tip = tips[to];
    if (tip && tip.id !== selectedId) {
      void select(tip.id);
      (listRef.current?.querySelector(`[data-tip-id="${tip.id}"]`) as HTMLElement | null)?.focus();
    }
  };

  return (
    <div className="tip-list-wrap">
      <div className="summary" data-testid="tip-summary">
        {status === 'loading'
          ? 'Loading tips…'
          : status === 'failed'
            ? ''
            : `${tips.length}${next ? '+' : ''} tip${tips.length === 1 ? '' : 's'}`}
        {error && <span className="error-text"> {error}</span>}
      </div>
      <ul className="tip-list" ref={listRef} role="listbox" aria-label="Tips" onKeyDown={onKey}>
        {tips.map((t) => (
          <li
            key={t.id}
            role="option"
            tabIndex={0}
            aria-selected={t.id === selectedId}
            className={`tip-row state-${t.state}`}
            data-tip-id={t.id}
            data-testid="tip-row"
            onClick={() => void select(t.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void select(t.id);
            }}
          >
            <span className="tip-state" data-testid="tip-state">
              {tipStateText(t.state)}
            </span>
            <span className="tip-who">{tipsterName(t.alias)}</span>
            <span className="tip-time">{agencyTime(t.receivedAt, timeZone)}</span>
            <span className="tip-preview">{preview(t.body)}</span>
            <span className="tip-meta">
              <AttachmentBadges tip={t} />
              {t.assignedTo && <span> · → {t.assignedTo.name}</span>}
              {t.sharedLocation && <span> · ⌖ location</span>}
              {t.outsideHours && <span> · after hours</span>}
            </span>
          </li>
        ))}
        {status === 'ready' && tips.length === 0 && (
          <li className="tip-empty">No tips match these filters.</li>
        )}
      </ul>
      {next && (
        <button
          type="button"
          className="btn small"
          onClick={() => void loadMore()}
          disabled={loadingMore}
          data-testid="tip-more"
        >
          {loadingMore ? 'Loading…' : 'Older tips'}
        </button>
      )}
    </div>
  );
}
