// The entry of both steps: the main step, and the post step that action.yml runs when the job ends.
// Only guard mode's post step has work; every other post step exits before loading the action.
// No compile cache is kept: a hosted runner starts every job fresh, so writing one would cost the
// step that runs the action (about 10 ms) and speed up only a later step of the same job.
import { stepToRun } from './github/step-state.ts';

// The last resort: an error nothing else caught is one `::error::` line asking for a report, never
// Node's stack trace with a line of the bundle.
async function reportBug(error: unknown): Promise<void> {
  process.exitCode = 1;
  const runner = await import(/* webpackChunkName: "report-bug" */ './github/runner.ts');
  runner.reportBug(error);
}
process.on('uncaughtException', reportBug);
process.on('unhandledRejection', reportBug);

try {
  if (stepToRun() !== 'none') {
    const { runStep } = await import(/* webpackChunkName: "first-request" */ './main.ts');
    await runStep();
  }
} catch (error) {
  await reportBug(error);
}
