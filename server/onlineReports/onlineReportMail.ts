import type { AgencyConfig } from '../../shared/domain/agency';
import type { OnlineReport } from '../../shared/api/onlineReports';
import type { OutgoingMail } from '../mail/mailer';

/**
 * The emails of an online report (docs/online-reports.md): plain text, in the agency's name, each
 * with the reporter's link to follow the report.
 */

type Agency = Pick<AgencyConfig, 'name' | 'portal' | 'onlineReports' | 'timeZone'>;

const footer = (agency: Agency) =>
  `\n--\n${agency.name}\n${agency.portal.emergencyNotice}\nThis message was sent automatically; replies are not read.\n`;

const when = (agency: Agency, isoTime: string) =>
  new Date(isoTime).toLocaleString('en-US', {
    timeZone: agency.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });

/** The report as the reporter sent it, for their copy. */
function copyOf(agency: Agency, r: OnlineReport): string[] {
  const lines = [
    `Type: ${r.categoryLabel}`,
    ...(r.supplementsCase ? [`Adds to case: ${r.supplementsCase}`] : []),
    `When: ${when(agency, r.occurredAt)}${r.occurredUntil ? ` to ${when(agency, r.occurredUntil)}` : ''}`,
    // What the reporter gave: an address placed by the agency's address points keeps its words.
    `Where: ${[r.address, r.locationCheck === 'coordinates' ? `${r.lat}, ${r.lng}` : null].filter(Boolean).join(' / ')}`,
    '',
    'What happened:',
    r.narrative,
  ];
  if (r.suspect) lines.push('', 'Suspect:', r.suspect);
  if (r.property) lines.push('', 'Property:', r.property);
  if (r.vehicle) lines.push('', 'Vehicle:', r.vehicle);
  if (r.files.length > 0) lines.push('', `Attached: ${r.files.map((f) => f.fileName).join(', ')}`);
  lines.push('', `Reported by: ${r.reporter.name} <${r.reporter.email}>`);
  return lines;
}

export function receivedMail(agency: Agency, r: OnlineReport, statusUrl: string): OutgoingMail {
  return {
    to: r.reporter.email,
    subject: `Your online report ${r.tempNumber} to ${agency.name}`,
    text: [
      `Hello ${r.reporter.name},`,
      '',
      `We have received your report. Its temporary number is ${r.tempNumber}.`,
      'THIS IS NOT THE OFFICIAL COPY of your report: it is a copy of what you sent, for your records.',
      `The report will be reviewed, normally within ${agency.onlineReports.reviewHours} hours. Once approved it gets a permanent case number, and we will email it to you.`,
      '',
      'To follow your report, open this link:',
      statusUrl,
      '',
      '---- Your report ----',
      ...copyOf(agency, r),
      '---------------------',
      '',
      agency.portal.falseReportNotice,
      footer(agency),
    ].join('\n'),
  };
}

export function approvedMail(agency: Agency, r: OnlineReport, statusUrl: string): OutgoingMail {
  return {
    to: r.reporter.email,
    subject: `Your report ${r.tempNumber} is approved: case number ${r.caseNumber}`,
    text: [
      `Hello ${r.reporter.name},`,
      '',
      `Your online report ${r.tempNumber} has been approved.`,
      `Its permanent case number is ${r.caseNumber}. Please give this number whenever you contact ${agency.name} or your insurer about it.`,
      '',
      'Your report:',
      statusUrl,
      footer(agency),
    ].join('\n'),
  };
}

export function infoRequestMail(
  agency: Agency,
  r: OnlineReport,
  message: string,
  statusUrl: string,
): OutgoingMail {
  return {
    to: r.reporter.email,
    subject: `More information is needed for your report ${r.tempNumber}`,
    text: [
      `Hello ${r.reporter.name},`,
      '',
      `We need more information before your report ${r.tempNumber} can be approved:`,
      '',
      message,
      '',
      'To add it, open this link and use the form on the page:',
      statusUrl,
      '',
      'The report waits for your answer.',
      footer(agency),
    ].join('\n'),
  };
}

export function rejectedMail(agency: Agency, r: OnlineReport, statusUrl: string): OutgoingMail {
  return {
    to: r.reporter.email,
    subject: `Your report ${r.tempNumber} cannot be taken online`,
    text: [
      `Hello ${r.reporter.name},`,
      '',
      `Your online report ${r.tempNumber} does not meet the criteria for reports made online, so it has not been accepted:`,
      '',
      r.rejectionReason ?? '',
      '',
      agency.onlineReports.officerHelp,
      '',
      'Your report:',
      statusUrl,
      footer(agency),
    ].join('\n'),
  };
}
