// What the main step leaves for the post step, written and read here: that a post step follows,
// and the batches guard mode watches. The main step saves through the runner (core.saveState, passed
// in); the post step reads the STATE_<name> variables the runner sets from it, which needs nothing
// else, so a post step with nothing to do exits before loading the rest.

const IS_POST = 'isPost';
// The state's name, as the runner keeps it between the two steps.
const GUARDED_BATCHES = 'guardedJobs';

type SaveState = (name: string, value: string) => void;

/** The main step: marks that the process the runner starts after the job is the post step. */
export function markPostStepNext(save: SaveState): void {
  save(IS_POST, 'true');
}

/** Guard mode's main step: the batches its post step is to cancel if they are still running. */
export function saveGuardedBatches(save: SaveState, ids: readonly string[]): void {
  save(GUARDED_BATCHES, JSON.stringify(ids));
}

export function isPostStep(): boolean {
  return process.env[`STATE_${IS_POST}`] === 'true';
}

/** The batches guard mode's main step recorded, for its post step. */
export function guardedBatches(): string[] {
  const saved = process.env[`STATE_${GUARDED_BATCHES}`];
  return saved ? (JSON.parse(saved) as string[]) : [];
}
