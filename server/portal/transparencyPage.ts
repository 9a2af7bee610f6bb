import type { AgencyConfig } from '../../shared/domain/agency';
import { VIEW_REASONS } from '../../shared/domain/reasons';
import type { TransparencyReport } from '../transparency/transparencyReport';
import type { ReportedCount } from '../transparency/smallCounts';
import { monthName } from '../transparency/transparencyPeriod';
import { html } from './html';
import { layout } from './portalPages';

/**
 * The transparency report as a page (docs/portal.md): tables with captions and header cells, so
 * a screen reader reads each figure with its row and column; the wide table of views by month
 * scrolls sideways inside its own region on a phone rather than widen the page.
 */

const count = (c: ReportedCount) => (typeof c === 'number' ? c.toLocaleString('en-US') : c);

const KIND_LABELS = {
  registered: 'Registered by residents and businesses (location only)',
  integrated: 'Integrated: owners share a feed under their own rules',
  agency: "The agency's own cameras",
} as const;

export function transparencyPage(
  agency: AgencyConfig,
  r: TransparencyReport,
  choices: readonly { key: string; label: string }[],
): string {
  const v = r.cameraViews;
  const online = r.onlineReports;
  return layout(agency, {
    title: 'Transparency report',
    body: html`<h1>Transparency report</h1>
      <p>
        How ${agency.name} uses cameras and the public's information. Every figure is computed from
        the audit trail and the camera registry; none is typed in.
      </p>
      <form class="period" method="get" action="/portal/transparency">
        <label for="period">Period</label>
        <div class="inline">
          <select id="period" name="period">
            ${choices.map(
              (c) =>
                html`<option value="${c.key}" ${c.key === r.period.key ? html`selected` : ''}>
                  ${c.label}
                </option>`,
            )}
          </select>
          <button type="submit">Show</button>
        </div>
      </form>
      <p>
        <strong>${r.period.label}</strong>: ${r.period.firstDay} to ${r.period.lastDay}
        (${r.period.timeZone}). Computed ${r.computedAt.slice(0, 16).replace('T', ' ')} UTC.
      </p>
      <p class="hint">${r.smallCounts}</p>

      <h2 id="cameras">Cameras in the registry today</h2>
      <table>
        <caption class="visually-hidden">
          Cameras by kind
        </caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col" class="num">Cameras</th>
          </tr>
        </thead>
        <tbody>
          ${(['registered', 'integrated', 'agency'] as const).map(
            (k) =>
              html`<tr>
                <th scope="row">${KIND_LABELS[k]}</th>
                <td class="num">${count(r.cameras[k])}</td>
              </tr>`,
          )}
        </tbody>
      </table>

      <h2 id="views">Camera views</h2>
      <p>
        Each time someone at the center opens a camera's video, they must give one of these reasons;
        the view is recorded in the audit trail.
      </p>
      <div class="table-wrap" role="region" aria-labelledby="views-caption" tabindex="0">
        <table>
          <caption id="views-caption">
            Camera views by month and reason
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              ${VIEW_REASONS.map((code) => html`<th scope="col" class="num">${v.reasons[code]}</th>`)}
              <th scope="col" class="num">All views</th>
            </tr>
          </thead>
          <tbody>
            ${v.byMonth.map(
              (m) =>
                html`<tr>
                  <th scope="row">${monthName(m.month)}</th>
                  ${VIEW_REASONS.map((code) => html`<td class="num">${count(m.byReason[code])}</td>`)}
                  <td class="num">${count(m.total)}</td>
                </tr>`,
            )}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">The period</th>
              ${VIEW_REASONS.map((code) => html`<td class="num">${count(v.byReason[code])}</td>`)}
              <td class="num">${count(v.total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p>
        Views that named a case or incident number:
        <strong
          >${
            v.withCaseNumberPercent === null
              ? 'not shown (fewer than 10 views)'
              : `${v.withCaseNumberPercent} %`
          }</strong
        >.
      </p>

      <h2 id="requests">Requests and tips</h2>
      <table>
        <caption class="visually-hidden">
          Requests and tips in the period
        </caption>
        <tbody>
          <tr>
            <th scope="row">Requests for footage from cameras near a crime (pulls)</th>
            <td class="num">${count(r.pulls.requested)}</td>
          </tr>
          <tr>
            <th scope="row">Of those, fulfilled</th>
            <td class="num">${count(r.pulls.fulfilled)}</td>
          </tr>
          <tr>
            <th scope="row">Anonymous text tips received</th>
            <td class="num">${count(r.tips.received)}</td>
          </tr>
        </tbody>
      </table>

      <h2 id="reports">Online reports</h2>
      ${
        online.available
          ? html`<table>
                <caption class="visually-hidden">
                  Online reports decided in the period, by outcome
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Outcome</th>
                    <th scope="col" class="num">Reports</th>
                  </tr>
                </thead>
                <tbody>
                  ${Object.entries(online.byOutcome).map(
                    ([outcome, n]) =>
                      html`<tr>
                        <th scope="row">${outcome.replace(/_/g, ' ')}</th>
                        <td class="num">${count(n)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <p>
                Median time from a report to its decision:
                <strong
                  >${
                    online.medianHoursToDecision === null
                      ? 'not shown (fewer than 10 decided)'
                      : `${online.medianHoursToDecision} hours`
                  }</strong
                >.
              </p>`
          : html`<p>Figures for online reports are not yet available.</p>`
      }

      <h2 id="retention">How long data is kept</h2>
      <table>
        <caption class="visually-hidden">
          Retention periods in force
        </caption>
        <thead>
          <tr>
            <th scope="col">Data</th>
            <th scope="col" class="num">Days kept</th>
          </tr>
        </thead>
        <tbody>
          ${r.retention.map(
            (p) =>
              html`<tr>
                <th scope="row">${p.label}</th>
                <td class="num">${p.days}</td>
              </tr>`,
          )}
        </tbody>
      </table>

      <h2 id="audit">The audit trail</h2>
      <p>
        Every view and every change is recorded in an append-only audit trail whose entries are
        chained by their hashes, so that an edited or deleted entry is found.
        ${
          r.auditChain.lastVerifiedOn === null
            ? 'The chain has not been verified yet.'
            : `The whole chain was last verified on ${r.auditChain.lastVerifiedOn}.`
        }
        ${
          r.auditChain.newestCheckPassed === false
            ? ' The newest verification found a problem, which the agency is looking into.'
            : ''
        }
      </p>
      <p><a href="/portal/transparency.json?period=${r.period.key}">These figures as JSON</a></p>`,
  });
}
