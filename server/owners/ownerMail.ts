import type { AgencyConfig } from '../../shared/domain/agency';
import type { OutgoingMail } from '../mail/mailer';

/**
 * The camera owners' sign-in email (docs/owners.md): plain text in the agency's name, saying
 * what the link does and how long it works, like the registrations' emails.
 */
export function ownerSignInMail(
  agency: Pick<AgencyConfig, 'name' | 'portal'>,
  email: string,
  url: string,
  minutes: number,
): OutgoingMail {
  return {
    to: email,
    subject: `Your link to sign in to your camera sharing with ${agency.name}`,
    text: [
      'Hello,',
      '',
      `Someone (we hope you) asked to sign in to the page where you decide what your cameras share with ${agency.name}.`,
      `Open this link within ${minutes} minutes; it works once:`,
      '',
      url,
      '',
      'If you did not ask for it, ignore this email: nothing happens unless the link is used.',
      '',
      '--',
      agency.name,
      agency.portal.emergencyNotice,
      'This message was sent automatically; replies are not read.',
      '',
    ].join('\n'),
  };
}
