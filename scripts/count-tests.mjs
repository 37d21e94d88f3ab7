// Reads Vitest's JSON report and prints the closing line CI is judged by: "N passed, N failed".
// A test file that could not even load (syntax error, missing module) has no test results of its
// own, so it counts as one failure rather than vanishing from the total.
import fs from 'node:fs';

// Several reports (the unit suite, the fault suite) are summed into the one line.
const files = process.argv.length > 2 ? process.argv.slice(2) : ['test-results/vitest.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    for (const suite of report.testResults ?? []) {
      const hasFailedTest = (suite.assertionResults ?? []).some((t) => t.status === 'failed');
      if (suite.status === 'failed' && !hasFailedTest) {
        failed += 1;
        console.log(`failed to run: ${suite.name}${suite.message ? ` (${suite.message.split('\n')[0]})` : ''}`);
      }
    }
  } catch (err) {
    // A report that is missing means its suite did not run at all: a failure, not a silent zero.
    failed += 1;
    console.log(`no test report at ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
if (skipped > 0) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
