import { TipDetailView } from './TipDetail';
import { TipFiltersBar, TipList } from './TipList';

/** The Tips panel: the filtered list above, the open tip below. */
export function TipsPanel() {
  return (
    <div className="tips-panel" data-testid="tips-panel">
      <TipFiltersBar />
      <TipList />
      <div className="tip-detail-wrap">
        <TipDetailView />
      </div>
    </div>
  );
}
