import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import { incidentCameraViews, incidentDetail } from '../incidents/incidentRepository';
import { renderProduct, type ProductBlock, type RenderedProduct } from '../reports/productLayout';
import { localStamp } from '../shifts/shiftReport';
import { listEvidenceFiles } from '../evidence/evidenceRepository';
import { footageRecords, stillImages, type ProductRecord } from './productRepository';

/**
 * A product as printed: the assist report gathers the incident, its timeline, the cameras the
 * center viewed for it and the footage pulled and exported, from the record; the bulletin is the
 * analyst's description and stills. Both in the shared layout.
 */
export async function renderProductPdf(
  db: Queryable,
  product: ProductRecord,
): Promise<RenderedProduct> {
  const agency = await getAgency(db);
  const at = (iso: string) => localStamp(iso, agency.timeZone);
  const blocks: ProductBlock[] = [
    {
      kind: 'fields',
      rows: [
        ['Case', product.caseNumber ?? 'None'],
        ['Incident', product.incidentNumber ?? 'None'],
        ['Subject', product.title],
      ],
    },
  ];
  if (product.kind === 'assist_report') {
    blocks.push(...(await assistBlocks(db, product, at)));
  } else if (product.text) {
    blocks.push(
      { kind: 'heading', text: 'Description' },
      { kind: 'paragraph', text: product.text },
    );
  }
  const stills = await stillImages(db, product.id);
  if (stills.length > 0) {
    blocks.push({ kind: 'heading', text: 'Stills', keepWith: 300 });
    stills.forEach((s, i) =>
      blocks.push({
        kind: 'image',
        data: s.data,
        caption: `Still ${i + 1}${s.caption ? `: ${s.caption}` : ''}`,
      }),
    );
  }
  if (product.kind === 'bulletin') {
    blocks.push({
      kind: 'paragraph',
      text: `Anyone with information: contact ${agency.name}${product.caseNumber ? `, case ${product.caseNumber}` : ''}.`,
    });
  }
  return renderProduct({
    agency: {
      name: agency.name,
      logo: agency.logo,
      classification: agency.products.classification,
    },
    title: product.kind === 'bulletin' ? product.title : 'Assist Report',
    number: product.number,
    author: product.authorName,
    approver: product.approvedByName,
    date: at(product.approvedAt ?? product.createdAt),
    blocks,
  });
}

/** The audit trail's actions a report cites as its sources, in words. */
const SOURCE_LABELS: Readonly<Record<string, string>> = {
  'pull.create': 'Camera pull logged',
  'pull.fulfil': 'Camera pull fulfilled',
  'evidence.fetch': 'Footage fetched from a recordings source',
  'evidence.export': 'Signed evidence package exported',
};

async function assistBlocks(
  db: Queryable,
  product: ProductRecord,
  at: (iso: string) => string,
): Promise<ProductBlock[]> {
  const detail = product.incidentId ? await incidentDetail(db, product.incidentId) : null;
  const blocks: ProductBlock[] = [];
  if (product.text) {
    blocks.push(
      { kind: 'heading', text: 'What the center did' },
      { kind: 'paragraph', text: product.text },
    );
  }
  if (detail) {
    blocks.push(
      { kind: 'heading', text: 'Incident' },
      {
        kind: 'fields',
        rows: [
          ['CAD number', detail.number],
          ['Call type', `${detail.callType.text} (${detail.callType.code})`],
          ['Priority', detail.priority === null ? 'Not given' : String(detail.priority)],
          ['Location', detail.address ?? 'Position only'],
          ['Received', at(detail.receivedAt)],
        ],
      },
    );
    const timeline = [
      ...detail.statusChanges.map((c) => ({
        at: c.at,
        line: `Status: ${c.status.replace('_', ' ')}`,
      })),
      ...detail.narrative.map((n) => ({ at: n.at, line: `CAD (${n.author}): ${n.text}` })),
      ...detail.notes.map((n) => ({ at: n.at, line: `Center note (${n.authorName}): ${n.text}` })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    blocks.push(
      { kind: 'heading', text: 'Timeline' },
      {
        kind: 'list',
        items: timeline.map((t) => `${at(t.at)}  ${t.line}`),
        empty: 'Nothing recorded.',
      },
    );
    const views = await incidentCameraViews(db, detail.number);
    const cameras = new Map<
      string,
      { name: string; first: string; viewers: Set<string>; n: number }
    >();
    for (const v of views) {
      const c = cameras.get(v.cameraId) ?? {
        name: v.cameraName ?? v.cameraId,
        first: v.at,
        viewers: new Set(),
        n: 0,
      };
      c.n += 1;
      if (v.viewer) c.viewers.add(v.viewer);
      cameras.set(v.cameraId, c);
    }
    blocks.push(
      { kind: 'heading', text: 'Cameras used' },
      {
        kind: 'list',
        items: [...cameras.values()].map(
          (c) =>
            `${c.name}: first viewed ${at(c.first)} by ${[...c.viewers].join(', ') || 'unknown'} (${c.n} view${c.n === 1 ? '' : 's'})`,
        ),
        empty: 'No camera was viewed for this incident.',
      },
    );
  }
  if (product.caseNumber) {
    const kept = (await listEvidenceFiles(db, product.caseNumber)).filter(
      (f) => f.kind !== 'still',
    );
    blocks.push(
      { kind: 'heading', text: 'Footage kept with the case' },
      {
        kind: 'list',
        items: kept.map(
          (f) =>
            `${f.cameraName}: ${at(f.start)} to ${at(f.end)}, ${f.kind === 'clip' ? 'replay clip' : 'recordings'} (SHA-256 ${f.sha256.slice(0, 16)}…), by ${f.fetchedBy}`,
        ),
        empty: 'No footage kept yet.',
      },
    );
  }
  const footage = await footageRecords(
    db,
    product.caseNumber,
    detail ? { id: detail.id, number: detail.number } : null,
  );
  const sourceLines = [
    ...(detail
      ? [
          `CAD incident ${detail.number} as received from the CAD`,
          'Camera views from the audit trail',
        ]
      : []),
    ...footage.map(
      (f) =>
        `${at(f.at)}  ${SOURCE_LABELS[f.action] ?? f.action}${f.targetId ? ` (record ${f.targetId.slice(0, 8)})` : ''}, by ${f.actorName ?? 'the system'}`,
    ),
  ];
  blocks.push(
    { kind: 'heading', text: 'Sources' },
    { kind: 'list', items: sourceLines, empty: 'None recorded.' },
  );
  return blocks;
}
