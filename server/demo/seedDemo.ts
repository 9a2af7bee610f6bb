import type { ServerContext } from '../context';

/** Seeds the demo site on first start (filled in by the demo-site module). */
export async function seedDemoSite(_ctx: ServerContext): Promise<void> {}
