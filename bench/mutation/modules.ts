/**
 * The modules that guard people and evidence, each with the test files that exercise it: a
 * mutant of the module is run only against those (docs/testing.md, "Mutation testing").
 */
export interface MutationModule {
  readonly name: string;
  readonly file: string;
  readonly tests: readonly string[];
}

export const MUTATION_MODULES: readonly MutationModule[] = [
  {
    name: 'tipSecrets',
    file: 'server/tips/tipSecrets.ts',
    tests: ['test/server/tips/tipSecrets.test.ts', 'test/server/tips/tipLineRules.test.ts'],
  },
  {
    name: 'auditChain',
    file: 'server/audit/auditChain.ts',
    tests: ['test/server/audit/auditEncoding.test.ts', 'test/server/audit/auditChain.test.ts'],
  },
  {
    name: 'lockout',
    file: 'server/auth/lockout.ts',
    tests: ['test/server/auth/lockout.test.ts', 'test/server/auth/login.test.ts'],
  },
  {
    name: 'evaluateSharingPolicy',
    file: 'shared/policy/evaluateSharingPolicy.ts',
    tests: [
      'test/shared/policy/evaluateSharingPolicy.test.ts',
      'test/shared/policy/scheduleWindows.test.ts',
    ],
  },
  {
    name: 'trailVerifier',
    file: 'server/audit/trailVerifier.ts',
    tests: ['test/server/audit/trailVerifier.test.ts'],
  },
  {
    name: 'sessions',
    file: 'server/auth/sessions.ts',
    tests: [
      'test/server/auth/sessions.test.ts',
      'test/server/auth/login.test.ts',
      'test/server/auth/refresh.test.ts',
    ],
  },
  {
    name: 'grantRevocation',
    file: 'server/cameras/grantRevocation.ts',
    tests: ['test/server/cameras/grants.test.ts', 'test/server/cameras/grantSweeper.test.ts'],
  },
  {
    name: 'grantService',
    file: 'server/cameras/grantService.ts',
    tests: ['test/server/cameras/grants.test.ts', 'test/server/cameras/grantSweeper.test.ts'],
  },
  {
    name: 'evidencePackage',
    file: 'server/evidence/evidencePackage.ts',
    tests: ['test/server/evidence/evidencePackage.test.ts'],
  },
  {
    name: 'custodyChain',
    file: 'server/evidence/custodyChain.ts',
    tests: ['test/server/evidence/custodyChain.test.ts'],
  },
  {
    name: 'retentionPurge',
    file: 'server/retention/retentionPurge.ts',
    tests: [
      'test/server/retention/retentionPurge.test.ts',
      'test/server/retention/retentionRuns.test.ts',
    ],
  },
  {
    name: 'llhlsPackager',
    file: 'electron/host/gateway/llhlsPackager.ts',
    tests: ['test/electron/host/gateway/llhlsPackager.test.ts'],
  },
];
