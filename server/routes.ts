import type { RouteModule } from './http/api';
import { healthRoutes } from './http/healthRoutes';
import { eventRoutes } from './events/routes';
import { auditRoutes } from './audit/routes';
import { auditReviewRoutes } from './auditReview/routes';
import { authRoutes } from './auth/routes';
import { userRoutes } from './users/routes';
import { cameraRoutes } from './cameras/routes';
import { agencyRoutes } from './agency/routes';
import { layoutRoutes } from './layouts/routes';
import { tipRoutes } from './tips/routes';
import { integrationRoutes } from './integrations/routes';
import { incidentRoutes } from './incidents/routes';
import { dockingRoutes } from './docking/routes';
import { alertRoutes } from './alerts/routes';
import { caseRoutes } from './cases/routes';
import { pullRoutes } from './pulls/routes';
import { shiftRoutes } from './shifts/routes';
import { metricsRoutes } from './metrics/routes';
import { productRoutes } from './products/routes';
import { evidenceRoutes } from './evidence/routes';
import { retentionRoutes } from './retention/routes';
import { registrationRoutes } from './registrations/routes';
import { onlineReportRoutes } from './onlineReports/routes';
import { portalRoutes } from './portal/routes';
import { addressRoutes } from './addresses/routes';
import { portalAddressRoutes } from './portal/addressRoutes';

/**
 * Every route module of the /v1 API, in the order they appear in the OpenAPI document, and the
 * public portal's pages (/portal/, not in the document).
 */
export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  eventRoutes,
  auditRoutes,
  authRoutes,
  userRoutes,
  cameraRoutes,
  agencyRoutes,
  layoutRoutes,
  tipRoutes,
  integrationRoutes,
  incidentRoutes,
  dockingRoutes,
  alertRoutes,
  caseRoutes,
  pullRoutes,
  shiftRoutes,
  metricsRoutes,
  productRoutes,
  evidenceRoutes,
  retentionRoutes,
  auditReviewRoutes,
  registrationRoutes,
  onlineReportRoutes,
  addressRoutes,
  portalRoutes,
  portalAddressRoutes,
];
