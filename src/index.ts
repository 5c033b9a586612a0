// The entry of both steps: the main step, and the post step that action.yml runs when the job ends.
// Only guard mode's post step has work; every other post step exits before loading the action.
import { guardedJobs, isPostStep } from './step-state.ts';

if (!isPostStep()) {
  const { run } = await import('./main.ts');
  await run(false);
} else if (guardedJobs().length > 0) {
  const { run } = await import('./main.ts');
  await run(true);
}
