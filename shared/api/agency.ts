import { z } from 'zod';
import { AgencyConfigSchema } from '../domain/agency';
import { endpoint, serverCall } from './contract';

/** The agency's configuration: name, time zone, jurisdiction, map defaults. */

export const AGENCY_ENDPOINTS = {
  get: endpoint({
    method: 'GET',
    path: '/v1/agency',
    access: 'authenticated',
    summary: "The agency's configuration: name, time zone, jurisdiction, map defaults",
    tags: ['agency'],
    response: AgencyConfigSchema,
  }),
};

export const AGENCY_CALLS = {
  'agency.get': serverCall(AGENCY_ENDPOINTS.get, z.object({}).strict()),
};
