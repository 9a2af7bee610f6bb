/**
 * `npm run bench -- <name> [options]`. With no name: the quick server benchmarks (events,
 * radius). Benchmarks print a table and write bench/results/<name>.json; they never fail a build.
 */
const BENCHES: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  events: async () => (await import('./events/eventsBench')).runEventsBench,
  radius: async () => (await import('./radius/radiusBench')).runRadiusBench,
  map: async () => (await import('./map/mapBench')).runMapBench,
  'console-wall': async () => (await import('./consoleWall/consoleWallBench')).runConsoleWallBench,
  wall: async () => (await import('./wall/wallBench')).runWallBench,
  outage: async () => (await import('./outage/outageBench')).runOutageBench,
  'sign-in-flood': async () => (await import('./signIn/signInFloodBench')).runSignInFloodBench,
  tips: async () => (await import('./tips/tipsBench')).runTipsBench,
  autodock: async () => (await import('./autodock/autodockBench')).runAutodockBench,
  pulls: async () => (await import('./pulls/pullsBench')).runPullsBench,
  evidence: async () => (await import('./evidence/evidenceBench')).runEvidenceBench,
  purge: async () => (await import('./purge/purgeBench')).runPurgeBench,
  audit: async () => (await import('./audit/auditBench')).runAuditBench,
  transparency: async () => (await import('./transparency/transparencyBench')).runTransparencyBench,
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name) {
    for (const n of ['events', 'radius']) await (await BENCHES[n]!())([]);
    return;
  }
  const load = BENCHES[name];
  if (!load) {
    process.stderr.write(
      `unknown benchmark "${name}"; one of ${Object.keys(BENCHES).join(', ')}\n`,
    );
    process.exit(2);
  }
  await (
    await load()
  )(rest);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

export {};
