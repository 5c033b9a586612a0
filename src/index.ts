// The entry of both steps: the main step, and the post step that action.yml runs when the job ends.
// Only guard mode's post step has work; every other post step exits before loading the action.
import { enableCompileCache } from 'node:module';
import { guardedJobs, isPostStep } from './step-state.ts';

// V8 keeps the compiled code of the action's chunks on disk (in the runner's temp folder), so that
// every later step of the job that runs it, the post step among them, starts faster.
enableCompileCache();

if (!isPostStep()) {
  const { run } = await import('./main.ts');
  await run();
} else if (guardedJobs().length > 0) {
  const { cleanup } = await import('./main.ts');
  await cleanup();
}
