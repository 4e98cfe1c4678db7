import { type DdlNode, renderPlan, renderSteps } from "./ddl-node.js";
import type { SqlRunner } from "./snowflake-executor.js";

/** A plan stopped at a failed statement; earlier statements ran, later ones did not. */
export class PlanApplyError extends Error {
  override readonly name = "PlanApplyError";
  constructor(
    /** Position of the failed statement in the plan, from 1. */
    readonly step: number,
    /** The statement that failed, redacted. */
    readonly statement: string,
    readonly reason: string,
  ) {
    super(`statement ${step} failed: ${reason}\n\n${statement}`);
  }
}

/** What happened to each step of an applied plan. */
export interface AppliedStep {
  readonly step: number;
  readonly kind: DdlNode["kind"];
  readonly status: "ran" | "note";
}

/**
 * Prints the plan without connecting anywhere: the script `applyPlan()` would run.
 * @example
 * dryRun(snowpipePlan(config), (text) => process.stdout.write(text));
 */
export function dryRun(plan: readonly DdlNode[], write: (text: string) => void): void {
  write(renderPlan(plan));
}

/**
 * Runs the plan's statements in order and stops at the first failure, throwing a
 * `PlanApplyError` that shows that statement (secrets redacted). Notes are reported, not run.
 * @example
 * await applyPlan(executor, plan, (s) => console.error(`${s.step} ${s.kind} ${s.status}`));
 */
export async function applyPlan(
  runner: SqlRunner,
  plan: readonly DdlNode[],
  onStep: (step: AppliedStep, sql: string) => void = () => {},
): Promise<AppliedStep[]> {
  const done: AppliedStep[] = [];
  const steps = renderSteps(plan);
  for (const [i, s] of steps.entries()) {
    const step = i + 1;
    if (!s.executable) {
      const result = { step, kind: s.kind, status: "note" as const };
      done.push(result);
      onStep(result, runner.redact(s.sql));
      continue;
    }
    try {
      await runner.query(s.sql);
    } catch (error) {
      throw new PlanApplyError(
        step,
        runner.redact(s.sql),
        runner.redact(error instanceof Error ? error.message : String(error)),
      );
    }
    const result = { step, kind: s.kind, status: "ran" as const };
    done.push(result);
    onStep(result, runner.redact(s.sql));
  }
  return done;
}
