// Adds up the results every suite wrote into one folder and prints "N passed, N failed" last.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = join(dir, "vitest.json");
if (existsSync(vitest)) {
  const report = JSON.parse(readFileSync(vitest, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numFailedTestSuites ?? 0);
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  // Vitest exits 1 on errors outside any test (an unhandled rejection, its own RPC timeout), which
  // its JSON report does not count: the run is red, so the total must not say "0 failed".
  const status = Number(process.env.VITEST_STATUS ?? 0);
  if (status !== 0 && report.numFailedTests + (report.numFailedTestSuites ?? 0) === 0) {
    console.log(
      `vitest: exited ${status} with every test passed: errors outside the tests, see "Unhandled Errors" above`,
    );
    failed += 1;
  }
} else {
  console.log("vitest: no report (the run crashed)");
  failed += 1;
}

const pytest = join(dir, "pytest.xml");
if (existsSync(pytest)) {
  const suite = readFileSync(pytest, "utf8").match(/<testsuite [^>]*>/)?.[0] ?? "";
  const count = (name) => Number(suite.match(new RegExp(`${name}="(\\d+)"`))?.[1] ?? 0);
  const bad = count("failures") + count("errors");
  const skip = count("skipped");
  passed += count("tests") - bad - skip;
  failed += bad;
  skipped += skip;
  console.log(`pytest: ${count("tests") - bad - skip} passed, ${bad} failed`);
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
