// Which step this process is: the main step, or the post step that runs when the job ends. What the
// main step saves (core.saveState) reaches the post step as STATE_<name> variables; reading them
// needs nothing else, so a post step with nothing to do exits before loading the rest.

export const State = {
  IsPost: 'isPost',
  GuardedJobs: 'guardedJobs',
} as const;

export function isPostStep(): boolean {
  return process.env[`STATE_${State.IsPost}`] === 'true';
}

/** The batches guard mode's main step recorded, for its post step. */
export function guardedJobs(): string[] {
  const saved = process.env[`STATE_${State.GuardedJobs}`];
  return saved ? (JSON.parse(saved) as string[]) : [];
}
