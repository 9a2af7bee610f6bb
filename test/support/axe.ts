import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** One accessibility problem axe-core found, with the elements it found it on. */
export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

/** The WCAG 2.1 A and AA rules: the level the portal and the console are held to. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it stands and returns the serious and critical violations of the
 * WCAG 2.1 AA rules (an empty list is a pass). The engine is evaluated through the DevTools
 * protocol, which the pages' content security policy does not govern, so the pages under test keep
 * their real policy.
 */
export async function seriousAccessibilityProblems(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async (tags) => {
    // Runs in the page, where the engine just evaluated is a global.
    const engine = (globalThis as unknown as { axe: typeof axe }).axe;
    const result = await engine.run({ exclude: [] }, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, WCAG_21_AA);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
