/**
 * `npm run wf -- ...`: the operator's command-line tool. Server commands run against the
 * configured database; `gateway serve` runs the stream gateway on one camera source.
 */
async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'gateway') {
    const { runGatewayServe } = await import('../electron/host/gateway/serveCommand');
    if (argv[1] !== 'serve') {
      process.stderr.write('Usage: npm run wf -- gateway serve --source URL [--port 7420]\n');
      return 2;
    }
    await runGatewayServe(argv.slice(2));
    return 0;
  }
  const { runServerCommand } = await import('../server/cli/commands');
  return runServerCommand(argv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);

export {};
