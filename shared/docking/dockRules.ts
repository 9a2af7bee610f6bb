import type { DockRule } from '../domain/docking';
import type { Incident } from '../domain/incidents';

type IncidentRule = Extract<DockRule, { target: 'incident' }>;
type AlertRule = Extract<DockRule, { target: 'alert' }>;

/**
 * The first automation rule that docks this incident, or null. An incident with no position
 * has nothing to dock around; one outside the jurisdiction is never worked, so a rule with
 * `workedOnly` (the default) leaves it alone.
 */
export function incidentRuleFor(
  rules: readonly DockRule[],
  incident: Pick<Incident, 'priority' | 'callType' | 'worked' | 'position' | 'status'>,
): IncidentRule | null {
  if (incident.position === null || incident.status === 'closed') return null;
  const code = incident.callType.code.toUpperCase();
  for (const rule of rules) {
    if (rule.target !== 'incident') continue;
    if (rule.workedOnly && !incident.worked) continue;
    if (
      rule.priorities.length > 0 &&
      (incident.priority === null || !rule.priorities.includes(incident.priority))
    )
      continue;
    if (rule.callTypes.length > 0 && !rule.callTypes.some((c) => c.toUpperCase() === code))
      continue;
    return rule;
  }
  return null;
}

/** The first automation rule that docks an alert of this kind and these tags, or null. */
export function alertRuleFor(
  rules: readonly DockRule[],
  alert: { readonly kind: string; readonly tags: readonly string[] },
): AlertRule | null {
  const tags = new Set(alert.tags.map((t) => t.toLowerCase()));
  for (const rule of rules) {
    if (rule.target !== 'alert') continue;
    if (rule.alertKinds.length > 0 && !rule.alertKinds.includes(alert.kind)) continue;
    if (rule.tags.length > 0 && !rule.tags.some((t) => tags.has(t.toLowerCase()))) continue;
    return rule;
  }
  return null;
}
