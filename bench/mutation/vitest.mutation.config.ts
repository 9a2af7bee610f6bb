import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';

/**
 * The vitest configuration of one mutation run: only the test files named in
 * WF_MUTATION_TESTS (comma-separated), so each mutant runs the tests of its own module.
 */
const tests = (process.env.WF_MUTATION_TESTS ?? '').split(',').filter(Boolean);
if (tests.length === 0) throw new Error('WF_MUTATION_TESTS names no test file');

export default defineConfig({
  ...base,
  test: { ...base.test, include: tests, maxWorkers: 1 },
});
