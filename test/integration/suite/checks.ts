// A minimal sequential check runner for the in-editor suite: no mocha, so the same module runs
// under any runner that calls `run()`. Every check runs (a failure does not hide later ones);
// progress goes to the console, which both runners forward to the test driver.

export interface Check {
  name: string;
  /** A reason to skip, or undefined to run. */
  skip?: string;
  run(): Promise<void>;
}

export interface CheckResult {
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  detail?: string;
  ms: number;
}

export async function runChecks(checks: readonly Check[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const started = Date.now();
    if (check.skip) {
      results.push({ name: check.name, outcome: 'skipped', detail: check.skip, ms: 0 });
      console.log(`[masklab-suite] - ${check.name} (skipped: ${check.skip})`);
      continue;
    }
    try {
      await check.run();
      results.push({ name: check.name, outcome: 'passed', ms: Date.now() - started });
      console.log(`[masklab-suite] ✓ ${check.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      results.push({ name: check.name, outcome: 'failed', detail, ms: Date.now() - started });
      console.log(`[masklab-suite] ✗ ${check.name}: ${detail}`);
    }
  }
  return results;
}
