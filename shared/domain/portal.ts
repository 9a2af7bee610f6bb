import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from './cameras';

/**
 * The public portal (docs/portal.md): what it says in the agency's name, and what a resident or
 * business submits to register their cameras' locations. The server checks every submission
 * with these schemas, whether it came from the portal's forms or elsewhere.
 */

const Colour = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is # and six hex digits, e.g. #1f4e79');

const Notice = z.string().trim().min(1).max(600);

/** The portal's look and texts: agency configuration, so each agency words its own. */
export const PortalSettingsSchema = z.object({
  /** The colour of the portal's header and buttons (text on it is white: keep it dark). */
  primaryColor: Colour.default('#1f3a5f'),
  /** On every page, first: the portal is not how to report an emergency. */
  emergencyNotice: Notice.default(
    'In an emergency, or if a crime is happening now, call 911. This site is not monitored around the clock.',
  ),
  /** On every form that reports something to the police. */
  falseReportNotice: Notice.default(
    'Knowingly making a false report to a law enforcement agency is a crime.',
  ),
  /** What registering a camera promises its owner, shown on the registration page. */
  registrationPromises: z
    .array(z.string().trim().min(1).max(300))
    .min(1)
    .max(8)
    .default([
      'Registering shares only where your camera is. We never see its video.',
      'There is no cost.',
      'Your registration is confidential.',
      'We contact you only when a crime occurs near your camera, to ask whether it recorded anything.',
    ]),
  /**
   * Whether an owner's list of who viewed their cameras names the analyst (docs/owners.md). Off:
   * the owner sees when, how long, why and the case number, never who.
   */
  showViewerNames: z.boolean().default(false),
});
export type PortalSettings = z.infer<typeof PortalSettingsSchema>;

export const OWNER_KINDS = ['person', 'business'] as const;
export const OwnerKindSchema = z.enum(OWNER_KINDS, 'choose a person or a business');
export type OwnerKind = z.infer<typeof OwnerKindSchema>;

/** The eight compass points a camera can face, with their bearings (degrees from north). */
export const FACINGS = {
  N: 0,
  NE: 45,
  E: 90,
  SE: 135,
  S: 180,
  SW: 225,
  W: 270,
  NW: 315,
} as const;
export type Facing = keyof typeof FACINGS;
export const FacingSchema = z.enum(
  Object.keys(FACINGS) as [Facing, ...Facing[]],
  'choose the direction the camera faces',
);

/** 7 to 15 digits, optionally with +, spaces, dashes, dots and brackets (E.164 allows 15). */
export const PhoneSchema = z
  .string()
  .trim()
  .max(40, 'a phone number is at most 40 characters')
  .regex(/^\+?[0-9 ().-]+$/, 'a phone number is digits, with + ( ) - . or spaces')
  .refine((p) => {
    const digits = p.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 15;
  }, 'a phone number has 7 to 15 digits');

export const RegistrationEmailSchema = z
  .email('enter an email address such as name@example.com')
  .max(254, 'an email address is at most 254 characters');

/** The most cameras one registration may hold; a larger site registers in parts. */
export const MAX_REGISTERED_CAMERAS = 10;

export const RegisteredCameraInputSchema = z
  .object({
    lat: LatitudeSchema,
    lng: LongitudeSchema,
    /** The street address, to help the center find it; the location is the pin. */
    address: z.string().trim().max(300, 'an address is at most 300 characters').optional(),
    facing: FacingSchema,
    covers: z
      .string()
      .trim()
      .min(1, 'say roughly what the camera covers, e.g. "front porch and the street"')
      .max(300, 'at most 300 characters'),
    retentionDays: z
      .number('enter how many days of footage the camera keeps')
      .int('a whole number of days')
      .min(0, 'zero or more days')
      .max(3650, 'at most 3,650 days'),
  })
  .strict();
export type RegisteredCameraInput = z.infer<typeof RegisteredCameraInputSchema>;

/** A camera registration as submitted: nothing enters the registry until the owner confirms. */
export const CameraRegistrationSchema = z
  .object({
    ownerKind: OwnerKindSchema,
    /** The person's name, or the business's. */
    name: z
      .string()
      .trim()
      .min(1, 'enter your name, or the business name')
      .max(200, 'at most 200 characters'),
    email: RegistrationEmailSchema,
    phone: PhoneSchema,
    cameras: z
      .array(RegisteredCameraInputSchema)
      .min(1, 'register at least one camera')
      .max(MAX_REGISTERED_CAMERAS, `at most ${MAX_REGISTERED_CAMERAS} cameras at a time`),
  })
  .strict();
export type CameraRegistration = z.infer<typeof CameraRegistrationSchema>;

/** What the owner may change later through their link: not the email (it is their identity). */
export const RegistrationUpdateSchema = CameraRegistrationSchema.omit({ email: true });
export type RegistrationUpdate = z.infer<typeof RegistrationUpdateSchema>;
