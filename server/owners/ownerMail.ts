import type { AgencyConfig } from '../../shared/domain/agency';
import type { OutgoingMail } from '../mail/mailer';

/**
 * The camera owners' emails (docs/owners.md): plain text in the agency's name, like the
 * registrations' emails. The sign-in email says what its link does and how long it works; the
 * others tell the owner of a change to their sign-in, so that one they did not make is noticed.
 */

type Agency = Pick<AgencyConfig, 'name' | 'portal'>;

const footer = (agency: Agency) => [
  '',
  '--',
  agency.name,
  agency.portal.emergencyNotice,
  'This message was sent automatically; replies are not read.',
  '',
];

export function ownerSignInMail(
  agency: Agency,
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
      ...footer(agency),
    ].join('\n'),
  };
}

/** The authenticator app was removed: sent to the owner's address once it is done. */
export function ownerTotpRemovedMail(
  agency: Agency,
  email: string,
  when: string,
  signInUrl: string,
): OutgoingMail {
  return {
    to: email,
    subject: `The authenticator app was removed from your camera sharing with ${agency.name}`,
    text: [
      'Hello,',
      '',
      `On ${when}, the authenticator app was removed from your sign-in to the page where you decide what your cameras share with ${agency.name}.`,
      'From now on, signing in takes only the link we email you.',
      '',
      'If you did not remove it, someone else may be signed in to your camera sharing. Secure your email account, then sign in, check what your cameras share and add an authenticator app again:',
      '',
      signInUrl,
      '',
      `Tell ${agency.name} as well.`,
      ...footer(agency),
    ].join('\n'),
  };
}
