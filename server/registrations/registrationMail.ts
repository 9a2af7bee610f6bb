import type { AgencyConfig } from '../../shared/domain/agency';
import type { OutgoingMail } from '../mail/mailer';

/**
 * The emails of a camera registration (docs/portal.md): plain text, short, in the agency's name,
 * each saying what the link does and how long it works.
 */

type Agency = Pick<AgencyConfig, 'name' | 'portal'>;

const footer = (agency: Agency) =>
  `\n--\n${agency.name}\n${agency.portal.emergencyNotice}\nThis message was sent automatically; replies are not read.\n`;

const count = (n: number) => (n === 1 ? 'one camera' : `${n} cameras`);

export function confirmMail(
  agency: Agency,
  to: { email: string; name: string },
  cameras: number,
  url: string,
  hours: number,
): OutgoingMail {
  return {
    to: to.email,
    subject: `Confirm your camera registration with ${agency.name}`,
    text: [
      `Hello ${to.name},`,
      '',
      `You asked to register ${count(cameras)} with ${agency.name}. Nothing is registered until you confirm.`,
      `To confirm, open this link within ${hours} hours:`,
      '',
      url,
      '',
      ...agency.portal.registrationPromises,
      '',
      'If you did not ask for this, ignore this email: nothing will be registered.',
      footer(agency),
    ].join('\n'),
  };
}

export function registeredMail(
  agency: Agency,
  to: { email: string; name: string },
  cameras: number,
  url: string,
  days: number,
): OutgoingMail {
  return {
    to: to.email,
    subject: `Your cameras are registered with ${agency.name}`,
    text: [
      `Hello ${to.name},`,
      '',
      `Thank you: ${count(cameras)} ${cameras === 1 ? 'is' : 'are'} now in ${agency.name}'s camera registry.`,
      'To change your registration or withdraw it, open this link:',
      '',
      url,
      '',
      `The link works for ${days} days. The same page lets you ask for a new link at any time.`,
      footer(agency),
    ].join('\n'),
  };
}

export function manageMail(
  agency: Agency,
  to: { email: string; name: string },
  url: string,
  days: number,
): OutgoingMail {
  return {
    to: to.email,
    subject: `Your link to manage your camera registration with ${agency.name}`,
    text: [
      `Hello ${to.name},`,
      '',
      'Someone (we hope you) asked for a link to change or withdraw your camera registration.',
      `Open this link within ${days} days:`,
      '',
      url,
      '',
      'If you did not ask for it, ignore this email: nothing changes unless the link is used.',
      footer(agency),
    ].join('\n'),
  };
}

export function withdrawnMail(
  agency: Agency,
  to: { email: string; name: string },
  cameras: number,
): OutgoingMail {
  return {
    to: to.email,
    subject: `Your camera registration with ${agency.name} is withdrawn`,
    text: [
      `Hello ${to.name},`,
      '',
      `Your registration is withdrawn: ${count(cameras)} left ${agency.name}'s camera registry and your contact details were deleted.`,
      'You are welcome to register again at any time.',
      '',
      `If you did not withdraw it, please contact ${agency.name}.`,
      footer(agency),
    ].join('\n'),
  };
}
